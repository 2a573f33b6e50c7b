"""The public deployment: nobody writes, nothing unpublished is read, nothing comes from outside.

The store's connection refuses every write and every file access; the import page does not
exist in public mode; hostile addresses give a notice and the default view; errors reach the
reader in French, the details only the server log; no page loads anything from another host.
"""

import hashlib
import logging
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import wait_for_app
from deploy.local import free_port, start_replicas, stop
from ess import guard, queries, serve, settings, ui
from ess.paths import ROOT

NB = "\u00a0"
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
PUBLIC_PAGES = [p for p in PAGES if p != "importer"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


# --------------------------------------------------------------------------- the store


WRITES = [
    "INSERT INTO projet SELECT * FROM projet LIMIT 1",
    "UPDATE projet SET subvention_eur = 0",
    "DELETE FROM indicateur",
    "CREATE TABLE piege (x INTEGER)",
    "CREATE OR REPLACE MACRO projets_filtres(a, b, c, d, e) AS TABLE SELECT 1",
    "DROP TABLE projet",
    "ALTER TABLE projet ADD COLUMN x INTEGER",
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("statement", WRITES)
def test_writes_are_refused(con, built_store, statement):
    before = _digest(built_store)
    with pytest.raises(Exception, match="read-only|Cannot execute statement"):
        con.execute(statement)
    # The pages query through a cursor of the cached connection: the same seal applies.
    cursor = con.cursor()
    with pytest.raises(Exception, match="read-only|Cannot execute statement"):
        cursor.execute(statement)
    cursor.close()
    assert _digest(built_store) == before
    assert con.execute("SELECT count(*) FROM projet").fetchone()[0] == 62


@pytest.mark.parametrize(
    "statement, file",
    [
        ("ATTACH '{tmp}/autre.duckdb' AS autre", "autre.duckdb"),
        ("COPY projet TO '{tmp}/fuite.csv'", "fuite.csv"),
        ("COPY (SELECT * FROM indicateur) TO '{tmp}/fuite.parquet' (FORMAT parquet)",
         "fuite.parquet"),
        ("EXPORT DATABASE '{tmp}/export'", "export"),
    ],
)
def test_nothing_is_written_to_the_disk(con, tmp_path, statement, file):
    with pytest.raises(Exception, match="file system operations are disabled"):
        con.execute(statement.format(tmp=tmp_path))
    assert not (tmp_path / file).exists()


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM read_csv('{sources}/projet.csv')",
        "SELECT * FROM '{sources}/projet.csv'",
        "SELECT * FROM read_parquet('{tmp}/x.parquet')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
    ],
)
def test_no_local_file_is_read(con, tmp_path, statement):
    with pytest.raises(Exception, match="file system operations are disabled"):
        con.execute(statement.format(sources=ROOT / "data" / "sources", tmp=tmp_path))


@pytest.mark.parametrize(
    "statement",
    [
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET lock_configuration = false",
        "SET memory_limit = '20GB'",
        "SET threads = 64",
    ],
)
def test_configuration_is_locked(con, statement):
    with pytest.raises(Exception, match="configuration has been locked"):
        con.execute(statement)


@pytest.mark.parametrize("statement", ["INSTALL httpfs", "LOAD httpfs"])
def test_no_extension_is_installed_or_loaded(con, statement):
    with pytest.raises(Exception, match="disabled"):
        con.execute(statement)


def test_store_limits(con):
    settings_now = dict(con.execute(
        "SELECT name, value FROM duckdb_settings() WHERE name IN "
        "('enable_external_access', 'lock_configuration', 'threads')"
    ).fetchall())
    assert settings_now == {"enable_external_access": "false", "lock_configuration": "true",
                            "threads": "2"}
    # The store file is attached read-only to an in-memory instance (see ess.store.open_store).
    databases = con.execute(
        "SELECT database_name, readonly FROM duckdb_databases() WHERE NOT internal"
    ).fetchall()
    assert databases == [("store", True)]


def test_a_query_name_cannot_leave_queries(con):
    for name in ("../ess/schema", "projets_kpi; DROP TABLE projet", "/etc/passwd"):
        with pytest.raises(ValueError, match="Nom de requête invalide"):
            queries.run(con, name)


def test_public_pages_reach_the_store_only_through_named_queries():
    """No SQL in the public pages: their only way to the store is `ui.query(name, …)`."""
    for path in [ROOT / "app.py", *(ROOT / "pages" / f"{p}.py" for p in PUBLIC_PAGES)]:
        text = path.read_text(encoding="utf-8")
        for forbidden in ("import duckdb", ".execute(", "open_store(", "SELECT "):
            assert forbidden not in text, f"{path.name} contient « {forbidden} »"


# --------------------------------------------------------------------------- the app (AppTest)


@pytest.fixture
def public_app(app, monkeypatch):
    """The app as `ESS_MODE=public` runs it (the mode is read by `settings.is_public()`)."""
    monkeypatch.setattr(settings, "MODE", "public")
    return app


def test_mode_comes_from_the_environment():
    code = "from ess import settings; print(settings.is_public())"
    for mode, expected in (("public", "True"), ("staff", "False"), ("PUBLIC ", "True")):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                             text=True, env={**os.environ, "ESS_MODE": mode}, check=True)
        assert out.stdout.strip() == expected
    wrong = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           text=True, env={**os.environ, "ESS_MODE": "admin"})
    assert wrong.returncode == 1
    assert "ESS_MODE doit valoir « staff » ou « public »" in wrong.stderr


def test_import_page_is_not_registered_in_public_mode(public_app):
    public_app.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        public_app.switch_page("pages/importer.py")


def test_import_page_is_registered_in_staff_mode(app):
    app.run()
    app.switch_page("pages/importer.py").run()
    assert not app.exception
    assert app.title[0].value == "Importer des résultats"


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_have_no_upload_and_no_error(public_app, page):
    public_app.run()
    public_app.switch_page(f"pages/{page}.py").run()
    assert not public_app.exception
    assert not public_app.error
    assert not public_app.get("file_uploader")
    assert public_app.title, f"la page {page} n'affiche pas de titre"


HOSTILE = [
    {"annees": "2017;DROP TABLE projet"},
    {"annees": "2017' OR '1'='1"},
    {"territoires": "lillois'); COPY projet TO 'fuite.csv'; --"},
    {"axes": "1" * 10_000},
    {"formes": "x" * 10_000},
    {"activites": "\u202e\u0000😀\ufffd%00%27"},
    {"territoires": "ＬＩＬＬＯＩＳ"},
    {"annees": "2017.0"},
    {"annees": "-1", "axes": "0", "formes": "null"},
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_address_gives_a_notice_and_the_default_view(public_app, query):
    public_app.query_params.update(query)
    public_app.run()
    assert not public_app.exception
    assert not public_app.error
    assert public_app.metric[0].label == "Projets financés"
    assert public_app.metric[0].value == "62"
    assert public_app.warning, "aucun avertissement pour une adresse invalide"
    assert all(w.value.startswith("Adresse : ") for w in public_app.warning)
    assert all(len(w.value) < 200 for w in public_app.warning)  # a long value is not echoed


def test_valid_part_of_an_address_is_kept(public_app):
    public_app.query_params["annees"] = "2017,2017;DROP TABLE projet"
    public_app.run()
    assert public_app.metric[0].value == "17"
    assert len(public_app.warning) == 1


class _Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def test_error_reaches_the_reader_in_french_and_the_log_in_full(public_app, monkeypatch):
    def broken():
        raise RuntimeError("magasin illisible")

    monkeypatch.setattr("ess.ui.sidebar_filters.known_values", broken)
    records = _Records()
    guard.log.addHandler(records)
    try:
        public_app.run()
    finally:
        guard.log.removeHandler(records)
    assert not public_app.exception  # no traceback, no exception type for the reader
    assert [e.value for e in public_app.error] == [guard.MESSAGE]
    assert "magasin illisible" not in str([e.value for e in public_app.error])
    assert len(records.records) == 1
    assert records.records[0].exc_info[1].args == ("magasin illisible",)


def test_staff_mode_keeps_streamlit_error_details(app, monkeypatch):
    def broken():
        raise RuntimeError("magasin illisible")

    monkeypatch.setattr("ess.ui.sidebar_filters.known_values", broken)
    app.run()
    assert "magasin illisible" in app.exception[0].message


# --------------------------------------------------------------------------- the launcher


def test_no_full_garbage_collection_after_each_run():
    # docs/PERFORMANCE.md: 100 to 160 ms after every run, during which nothing is sent.
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["runner"]["postScriptGC"] is False
    assert "runner.postScriptGC" not in serve.PUBLIC_OPTIONS  # the same in both modes


def test_public_command_line_is_hardened():
    argv = serve.command(8501)
    options = dict(zip(argv[5::2], argv[6::2]))
    assert argv[1:4] == ["-m", "ess.serve", "run"]
    assert options["--server.address"] == "127.0.0.1"
    for name, value in {
        "server.enableXsrfProtection": "true",
        "client.toolbarMode": "minimal",
        "client.showErrorDetails": "none",
        "browser.gatherUsageStats": "false",
        "server.maxUploadSize": "0",
        "server.enableAgentApi": "false",
    }.items():
        assert options[f"--{name}"] == value
    assert serve.environment()["ESS_MODE"] == "public"
    assert "--client.showErrorDetails" not in serve.command(8501, public=False)


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def public_url(built_store):
    port = free_port()
    processes = start_replicas([port])
    yield f"http://127.0.0.1:{port}"
    stop(processes)


def _record_outside_requests(context) -> list[str]:
    """Every request to another host is refused and recorded (websockets included)."""
    outside: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOCAL_HOSTS:
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    context.on("page", lambda page: page.on(
        "websocket",
        lambda ws: None if urlsplit(ws.url).hostname in LOCAL_HOSTS else outside.append(ws.url),
    ))
    return outside


def _visit_every_page(browser, url: str, pages: list[str]) -> list[str]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    outside = _record_outside_requests(context)
    page = context.new_page()
    try:
        page.goto(url)  # the default page, vue_ensemble
        wait_for_app(page)
        for name in (p for p in pages if p != "vue_ensemble"):
            # Through the sidebar, as a reader goes: one session, scripts loaded once.
            page.locator(f"[data-testid='stSidebarNav'] a[href$='/{name}']").click()
            page.wait_for_url(f"**/{name}**")
            wait_for_app(page)
            # Let the charts and the map draw themselves: plotly.js fetches its world map then.
            page.wait_for_timeout(500)
    finally:
        context.close()
    return outside


def test_public_pages_load_nothing_from_outside(browser, public_url):
    assert _visit_every_page(browser, public_url, PUBLIC_PAGES) == []


def test_staff_pages_load_nothing_from_outside(browser, app_url):
    assert _visit_every_page(browser, app_url, PAGES) == []


def test_import_address_is_an_unknown_page_in_public_mode(page, public_url):
    page.goto(f"{public_url}/importer")
    wait_for_app(page)
    # An address without a page: a French « Page introuvable », never the import.
    assert page.locator("h1").first.inner_text() == "Page introuvable"
    assert page.get_by_text("Importer des résultats").count() == 0
    assert page.locator("input[type=file]").count() == 0


def test_public_reader_menu_and_xsrf_cookie(page, public_url):
    page.goto(f"{public_url}/?annees=2017;DROP%20TABLE%20projet")
    wait_for_app(page)
    assert page.locator("[data-testid='stMetricValue']").first.inner_text() == "62"
    notice = page.locator("[data-testid='stAlert']").first.inner_text()
    assert "valeur inconnue « 2017;DROP TABLE projet » ignorée" in notice
    # No ⋮ menu for readers: its words are English and it names Streamlit's version.
    assert page.locator("[data-testid='stMainMenu']").count() == 0
    assert "Streamlit v" not in page.locator("body").inner_text()
    cookies = {c["name"] for c in page.context.cookies()}
    assert "_streamlit_xsrf" in cookies


def test_the_recorder_catches_outside_requests(browser):
    """The two tests above can fail: a tile, a script and a websocket to another host."""
    context = browser.new_context()
    outside = _record_outside_requests(context)
    page = context.new_page()
    page.set_content(
        '<img src="https://tile.openstreetmap.org/1/0/0.png">'
        '<script src="https://cdn.plot.ly/world_110m.json"></script>'
    )
    page.evaluate("() => { new WebSocket('wss://example.org/stream'); }")
    page.wait_for_timeout(300)
    context.close()
    assert sorted(outside) == ["https://cdn.plot.ly/world_110m.json",
                               "https://tile.openstreetmap.org/1/0/0.png",
                               "wss://example.org/stream"]
