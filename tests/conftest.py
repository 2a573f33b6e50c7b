"""Shared fixtures: a store built from the versioned sources in a temporary folder, and a
running dashboard for the browser tests."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

# Every test, and every app it starts, reads this store: never the developer's own.
_STORE_DIR = Path(tempfile.mkdtemp(prefix="ess-tests-"))
os.environ["ESS_STORE"] = str(_STORE_DIR / "ess.duckdb")

from ess import store  # noqa: E402  (after ESS_STORE is set)
from ess.paths import ROOT, SOURCES_DIR, STORE_FILE  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Never created: the apps the tests start ignore a developer's own sign-in settings
# (.streamlit/secrets.toml); the sign-in tests give theirs.
NO_SECRETS = _STORE_DIR / "secrets.toml"


@pytest.fixture(scope="session", autouse=True)
def built_store():
    store.build(SOURCES_DIR, STORE_FILE)
    yield STORE_FILE
    shutil.rmtree(_STORE_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def con(built_store):
    connection = store.open_store(built_store)
    yield connection
    connection.close()


@pytest.fixture
def live(tmp_path, built_store):
    """A private copy of the built store, in its own data folder: to import into."""
    target = tmp_path / "data" / "ess.duckdb"
    target.parent.mkdir()
    shutil.copyfile(built_store, target)
    return target


@pytest.fixture
def sources(tmp_path):
    """A writable copy of the sources, to spoil in bad-input tests."""
    copy = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, copy)
    return copy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(env_extra: dict | None = None):
    """Start `streamlit run app.py` on a free loopback port; returns (process, base URL)."""
    port = _free_port()
    env = {**os.environ, **(env_extra or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--secrets.files", str(NO_SECRETS)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("Le serveur Streamlit n'a pas démarré : " + process.stdout.read().decode())


@pytest.fixture
def app(monkeypatch):
    """The dashboard under Streamlit's AppTest, not yet run."""
    # AppTest re-detects the `pages/` folder before every run, so each run after the first
    # would start as a lone page that `ess.ui.page._ensure_frame` reruns, losing a clicked button's
    # trigger. The real server detects it once, and app.py's st.navigation clears it.
    original = PagesManager.__init__

    def navigation_only(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", navigation_only)
    monkeypatch.setattr("ess.signin.auth_section", lambda: {})  # see NO_SECRETS
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def open_page(app, script, **params):
    """`app` run on the page `script`, opened with the address parameters `params`."""
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    app.switch_page(script).run()
    assert not app.exception, app.exception
    return app


@pytest.fixture(scope="session")
def app_url(built_store):
    process, url = start_app()
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium est absent : .ci/run doit l'installer (apt-get install chromium).")
        pytest.skip("Chromium absent sur ce poste (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


def wait_for_app(page):
    """Wait until Streamlit has finished running the page script."""
    page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=30_000)


def shown(markdown: str) -> str:
    """What a reader reads of Markdown that `ess.tables.texte` wrote: without its escapes and
    its invisible word joiners."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")
