"""Real Chromium (Debian's, found on PATH) driven by Playwright against ``cdv serve``.

Locally, without Chromium, these tests skip and say why; in CI (CI=true) a missing
Chromium is a failure, since .ci/run installs it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).parent.parent / "artifacts"


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        message = "Chromium introuvable (apt-get install chromium) : tests navigateur"
        if os.environ.get("CI"):
            pytest.fail(message + " obligatoires en CI.")
        pytest.skip(message + " ignorés.")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    db_path: Path | str,
    *,
    port: int | None = None,
    cwd: Path | None = None,
    log_path: Path | None = None,
    **env: str,
):
    """``cdv serve`` on ``port`` (a free one by default) over ``db_path`` (a file, or a
    PostgreSQL URL: then give ``log_path``), run from ``cwd`` (where Streamlit looks for
    ``.streamlit/secrets.toml``); returns (process, url, log)."""
    port = port or free_port()
    cdv = shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")
    log_path = log_path or Path(db_path).with_suffix(".log")
    log = open(log_path, "w")  # noqa: SIM115 - closed by stop_server
    process = subprocess.Popen(
        [cdv, "serve", "--db", str(db_path), "--port", str(port), "--host", "127.0.0.1"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **env},
        cwd=cwd,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    else:
        process.kill()
        pytest.fail("le serveur n'a pas démarré : " + log_path.read_text()[-2000:])
    if process.poll() is not None:
        pytest.fail("le serveur s'est arrêté : " + log_path.read_text()[-2000:])
    return process, url, log


def stop_server(process, log) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory, chromium):
    """``cdv serve`` on a free port with a fresh database, read pages open to all (as on a
    meeting-room screen); yields its base URL."""
    db_path = tmp_path_factory.mktemp("e2e") / "cdv.duckdb"
    process, url, log = start_server(db_path, CDV_PUBLIC_READ="1")
    yield url
    stop_server(process, log)


#: the password of every account the browser tests create
PASSWORD = "une phrase de passe de test"
#: the accounts of ``signin_server``: login -> role
ACCOUNTS = {
    "admin": "administrateur",
    "lea": "contributeur",
    "marc": "lecteur",
}


def cdv_command(*args: str, stdin: str | None = None) -> None:
    cdv = shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")
    subprocess.run([cdv, *args], input=stdin, text=True, check=True, capture_output=True)


def database_with_accounts(db_path: Path, accounts: dict[str, tuple[str, str]]) -> Path:
    """A database made by ``cdv init`` with ``accounts`` (login -> (name, role)), each
    with ``PASSWORD``, created by ``cdv user add`` as an administrator would."""
    cdv_command("init", "--db", str(db_path))
    for login, (name, role) in accounts.items():
        cdv_command(
            "user", "add", login, "--db", str(db_path), "--name", name, "--role", role,
            "--password-stdin", "--definitif", stdin=PASSWORD + "\n",
        )  # fmt: skip
    return db_path


@pytest.fixture(scope="session")
def signin_server(tmp_path_factory, chromium):
    """One ``cdv serve`` for the tests of sessions, single sign-on and French: no public
    reading, an account per role (``ACCOUNTS``), and single sign-on configured against
    an OpenID Connect provider started on 127.0.0.1. Yields (url, provider)."""
    from tests.e2e.oidc_provider import Provider, write_secrets

    folder = tmp_path_factory.mktemp("comptes")
    provider = Provider(free_port()).start()
    port = free_port()
    write_secrets(folder, f"http://127.0.0.1:{port}", provider)
    db_path = folder / "cdv.duckdb"
    database_with_accounts(
        db_path, {login: (login.title(), role) for login, role in ACCOUNTS.items()}
    )
    process, url, log = start_server(db_path, port=port, cwd=folder, CDV_PUBLIC_READ="0")
    yield url, provider
    stop_server(process, log)
    provider.stop()


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


class RunWatcher:
    """Follows the app's own messages on its websocket: each script run asked for
    (``rerun_script``) and each run that ended (``script_finished``, except the runs cut
    short to start again). The app is settled when the last run ended after the last one
    asked for; a wait never guesses a duration."""

    def __init__(self, page) -> None:
        self.sequence = 0
        self.last_request = 0
        self.last_finish = 0
        self.finished = 0
        self.seen = 0
        #: the Streamlit session of the page's latest connection (its first message says it)
        self.session_id = None
        page.on("websocket", self._attach)

    def _attach(self, socket) -> None:
        if "_stcore/stream" in socket.url:
            socket.on("framesent", self._sent)
            socket.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        message = BackMsg()
        message.ParseFromString(_as_bytes(payload))
        if message.WhichOneof("type") == "rerun_script":
            self.sequence += 1
            self.last_request = self.sequence

    def _received(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = ForwardMsg()
        message.ParseFromString(_as_bytes(payload))
        if message.WhichOneof("type") == "new_session":
            self.session_id = message.new_session.initialize.session_id or self.session_id
        if message.WhichOneof("type") != "script_finished":
            return
        if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return
        self.sequence += 1
        self.last_finish = self.sequence
        self.finished += 1

    def settled(self) -> bool:
        return self.last_finish > self.last_request


def _as_bytes(payload) -> bytes:
    return payload if isinstance(payload, bytes) else payload.encode("latin-1")


WATCHERS: dict[int, RunWatcher] = {}


def watch(page):
    """Attach a RunWatcher to a page (before its first ``goto``); returns the page."""
    WATCHERS[id(page)] = RunWatcher(page)
    return page


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    page = watch(context.new_page())
    yield page
    WATCHERS.pop(id(page), None)
    context.close()


def _wait_until(page, condition, timeout: float, what: str) -> None:
    """Let Playwright deliver the socket's events until ``condition`` holds."""
    deadline = time.monotonic() + timeout / 1000
    while not condition():
        if time.monotonic() > deadline:
            screenshot(page, "echec-attente")
            raise AssertionError(f"l'application n'a pas {what} en {timeout / 1000:.0f} s")
        page.wait_for_timeout(20)  # a polling step: Playwright delivers events meanwhile
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )
    # elements whose code is still loading show a skeleton; stale ones await their run
    page.wait_for_function(RENDERED, timeout=timeout)


RENDERED = """() => !document.querySelector(
    "[data-testid='stSkeleton'], [data-stale='true']")"""


def wait_ready(page, timeout: float = 60_000) -> None:
    """After a page load or an action that reruns the app: a run ended since the last
    wait, and none is pending."""
    watcher = WATCHERS[id(page)]
    _wait_until(
        page,
        lambda: watcher.finished > watcher.seen and watcher.settled(),
        timeout,
        "terminé son exécution",
    )
    watcher.seen = watcher.finished


def press(page, button, attempts: int = 3) -> None:
    """Click ``button`` until the app is asked for a run (a click landing while the page
    re-renders can be lost on a loaded machine), then wait for that run to end."""
    watcher = WATCHERS[id(page)]
    for _ in range(attempts):
        asked = watcher.last_request
        button.click()
        deadline = time.monotonic() + 10
        while watcher.last_request == asked and time.monotonic() < deadline:
            page.wait_for_timeout(20)  # a polling step: Playwright delivers events meanwhile
        if watcher.last_request != asked:
            break
    wait_ready(page)


def wait_idle(page, timeout: float = 60_000) -> None:
    """No run pending (whether or not one happened since the last wait)."""
    watcher = WATCHERS[id(page)]
    _wait_until(page, watcher.settled, timeout, "fini de s'exécuter")
    watcher.seen = watcher.finished


def screenshot(page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so the viewport is
    stretched to the content's height first, then two frames are painted."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": max(800, min(int(height) + 40, 7000))})
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    page.screenshot(path=str(path), full_page=True)
    return path
