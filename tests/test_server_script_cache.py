"""The served app keeps its compiled pages for the life of the process: Streamlit empties
its cache of compiled scripts whenever the last session leaves, so a member arriving on
a quiet server (or alone, reloading) paid the parsing and compiling of ``app.py`` and of
the page again, about a quarter of a cached view's CPU (``bench_sessions``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from dashboard.server import KeptScriptCache


def test_a_kept_page_is_compiled_once_and_survives_a_clear(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("shown = 1\n", encoding="utf-8")
    cache = KeptScriptCache()
    first = cache.get_bytecode(str(page))
    cache.clear()  # what Streamlit does when the last session leaves
    page.write_text("shown = 2\n", encoding="utf-8")
    assert cache.get_bytecode(str(page)) is first
    scope: dict = {}
    exec(first, scope)  # noqa: S102 - the test's own one-line page
    assert scope["shown"] == 1


def test_the_served_runtime_takes_the_kept_cache():
    """In a process of its own (the runtime is one per process): the runtime the served
    app creates when it starts keeps its pages in a ``KeptScriptCache``."""
    code = textwrap.dedent(
        """
        import dashboard.server as server
        runtime = server.app._create_runtime()
        print(type(runtime._script_cache).__name__)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "KeptScriptCache"
