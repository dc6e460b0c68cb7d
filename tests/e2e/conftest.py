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


def start_server(db_path: Path, **env: str):
    """``cdv serve`` on a free port over ``db_path``; returns (process, url, log)."""
    port = free_port()
    cdv = shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")
    log_path = db_path.with_suffix(".log")
    log = open(log_path, "w")  # noqa: SIM115 - closed by stop_server
    process = subprocess.Popen(
        [cdv, "serve", "--db", str(db_path), "--port", str(port), "--host", "127.0.0.1"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **env},
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


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium):
    """``cdv serve`` on a free port with a fresh database, read pages open to all (as on a
    meeting-room screen); yields its base URL."""
    db_path = tmp_path_factory.mktemp("e2e") / "cdv.duckdb"
    process, url, log = start_server(db_path, CDV_PUBLIC_READ="1")
    yield url
    stop_server(process, log)


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


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    page = context.new_page()
    yield page
    context.close()


def wait_ready(page, timeout: float = 30_000) -> None:
    """Streamlit's own e2e signal: the app finished its script run."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )
    page.wait_for_timeout(300)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )


def screenshot(page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so the viewport is
    stretched to the content's height first."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": max(800, min(int(height) + 40, 7000))})
    page.wait_for_timeout(600)
    page.screenshot(path=str(path), full_page=True)
    return path
