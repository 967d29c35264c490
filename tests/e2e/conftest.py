"""Real-browser fixtures: a live PromoLens server, Debian's Chromium driven by Playwright, helpers.

The server is started once per session from the repo root on a free port and stopped (its whole
process group) at the end; its output goes to ``test-artifacts/streamlit.log``. Every test gets a
fresh browser context, so session state never leaks between tests. Screenshots are written to
``test-artifacts/screenshots/`` (printed in the pytest header).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .helpers import ARTIFACTS, ROOT, RUN_TIMEOUT_MS, SCREENSHOTS, SERVER_LOG, wait_idle

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 60

if str(ROOT) not in sys.path:  # so the tests can read ui.navigation / ui.i18n
    sys.path.insert(0, str(ROOT))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is an ``e2e`` test (``-m "not e2e"`` skips them)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def pytest_report_header(config: pytest.Config) -> str:
    return f"e2e screenshots: {SCREENSHOTS}  (server log: {SERVER_LOG})"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """Terminate the server's whole process group, killing it if it does not stop in time."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@contextmanager
def streamlit_server(log_path: Path) -> Iterator[str]:
    """A fresh ``streamlit run app.py`` on a free port, its output in ``log_path``; yields its base URL
    once healthy and stops its whole process group afterwards."""
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    log = log_path.open("wb")
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}; see {log_path}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit not healthy after {STARTUP_TIMEOUT_S} s; see {log_path}")
            time.sleep(0.25)
        yield url
    finally:
        _stop(process)
        log.close()


@pytest.fixture(scope="session")
def app_url(artifacts_dir: Path) -> Iterator[str]:
    """Base URL of a live ``streamlit run app.py``; the server is stopped after the session."""
    with streamlit_server(SERVER_LOG) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (never a Playwright-downloaded one)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    """A fresh context (own cookies, own Streamlit session) on the app's home page, idle."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000}, locale="en-US")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    tab = context.new_page()
    try:
        tab.goto(app_url)
        wait_idle(tab)
        yield tab
    finally:
        context.close()


@pytest.fixture(autouse=True)
def server_log_clean(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test during which the server logged a traceback (an exception the page may hide)."""
    if "app_url" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("app_url")  # the server (and its fresh log) must exist before measuring
    start = SERVER_LOG.stat().st_size if SERVER_LOG.exists() else 0
    yield
    with SERVER_LOG.open("rb") as log:
        log.seek(start)
        new = log.read().decode("utf-8", "replace")
    if "Traceback" in new:
        pytest.fail(f"the server logged a traceback during this test:\n{new[-4000:]}")
