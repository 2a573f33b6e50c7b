"""Staff sign-in: an OpenID Connect provider on loopback, signed into through Chromium; staff
mode refused on another address without it; no request leaving the machine at start-up."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest
from oidc_provider_mock import User

from conftest import NO_SECRETS, _free_port, wait_for_app
from deploy.local import wait_until_healthy
from ess import serve, signin
from ess.importer import archive
from ess.paths import ROOT
from oidc_provider import provider, register_client

FIXTURES = Path(__file__).parent / "fixtures" / "import"
AGENT = User(sub="c.agent", claims={"email": "camille.agent@lillemetropole.fr",
                                    "name": "Camille Agent"})
COMPLETE = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
            "client_id": "observatoire-ess", "client_secret": "s",
            "server_metadata_url": "https://sso.example/.well-known/openid-configuration"}
REFUSED = "Le mode agents, avec sa page d'import, ne démarre pas sur l'adresse"
# A developer's own sign-in configuration would change what staff mode does.
without_local_secrets = pytest.mark.skipif(
    (ROOT / ".streamlit" / "secrets.toml").exists(),
    reason="un .streamlit/secrets.toml existe sur ce poste : la connexion y est configurée")


# --- Which addresses staff mode accepts ------------------------------------------------------

@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_needs_no_sign_in(address):
    assert signin.refusal(address, {}) is None


@pytest.mark.parametrize("address, shown", [("0.0.0.0", "« 0.0.0.0 »"), ("::", "« :: »"),
                                            ("10.0.0.5", "« 10.0.0.5 »"),
                                            ("", "« toutes les interfaces »")])
def test_other_addresses_need_the_sign_in(address, shown):
    problem = signin.refusal(address, {})
    assert problem.startswith(f"{REFUSED} {shown} sans connexion des agents : configurez la "
                              "section [auth] de .streamlit/secrets.toml")
    assert signin.refusal(address, COMPLETE) is None


def test_an_incomplete_auth_section_names_what_is_missing():
    section = {k: v for k, v in COMPLETE.items() if k not in ("client_secret", "cookie_secret")}
    assert signin.refusal("127.0.0.1", section) == (
        "La section [auth] de .streamlit/secrets.toml est incomplète : cookie_secret, "
        "client_secret manquant(s). ")


def test_the_example_secrets_file_has_every_setting():
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text("utf-8"))
    assert signin.missing(example["auth"]) == []
    assert example["auth"]["redirect_uri"].endswith("/oauth2callback")


def _serve(*args: str, home: Path) -> subprocess.CompletedProcess:
    # HOME: a secrets file of the developer's (~/.streamlit/secrets.toml) stays out of the test.
    return subprocess.run([sys.executable, "-m", "ess", "serve", *args], cwd=ROOT,
                          env={**os.environ, "HOME": str(home)}, capture_output=True, text=True,
                          timeout=60)


@without_local_secrets
def test_serve_refuses_staff_mode_on_every_interface_without_sign_in(tmp_path):
    refused = _serve("--address", "0.0.0.0", "--port", str(_free_port()), home=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"{REFUSED} « 0.0.0.0 » sans connexion des agents")
    assert "Traceback" not in refused.stderr


def test_make_run_listens_on_loopback():
    # Run alone even under `make test`: no inherited flags, no « Entering directory » lines.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    dry = subprocess.run(["make", "--no-print-directory", "-n", "-W", "data/ess.duckdb", "run"],
                         cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    assert dry.stdout.strip().splitlines()[-1].endswith(
        "-m ess serve --port 8501 --address 127.0.0.1")


# --- The app's own guard and the sign-in page (AppTest) -------------------------------------

def test_app_on_every_interface_without_sign_in_shows_only_a_refusal(app, monkeypatch):
    from streamlit import config

    previous = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        app.run()
    finally:
        config.set_option("server.address", previous)
    assert not app.exception
    assert [e.value for e in app.error] == [signin.refusal("0.0.0.0", {})]
    assert not app.sidebar.get("multiselect") and not app.button and not app.metric


def test_app_through_a_proxy_without_sign_in_shows_only_a_refusal(app, monkeypatch):
    monkeypatch.setattr("ess.signin.reached_through_proxy", lambda: True)
    app.run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        "Le mode agents, avec sa page d'import, ne s'ouvre pas à travers un proxy sans "
        "connexion des agents : configurez la section [auth] de .streamlit/secrets.toml, ou "
        "corrigez ce fichier s'il existe (modèle : .streamlit/secrets.toml.example, voir "
        "deploy/README.md)."]
    assert not app.metric and not app.sidebar.get("multiselect")


def test_a_proxied_browser_gets_only_the_refusal_from_a_loopback_server(browser):
    """A loopback staff server without sign-in, put behind a proxy: the headers it adds reach
    the app through Streamlit's websocket (st.context.headers)."""
    port = _free_port()
    process = subprocess.Popen(serve.command(port, public=False)
                               + ["--secrets.files", str(NO_SECRETS)], cwd=ROOT,
                               env=serve.environment(public=False),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process)
        refused = "Observatoire ESS de la MEL"
        for headers, expected in (({}, "Importer des résultats"),
                                  ({"X-Forwarded-For": "203.0.113.7"}, refused),
                                  ({"X-Real-IP": "203.0.113.7"}, refused)):
            context = browser.new_context(locale="fr-FR", extra_http_headers=headers)
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port}/importer")
            wait_for_app(page)
            assert page.locator("h1").first.inner_text() == expected
            if headers:
                page.get_by_text("ne s'ouvre pas à travers un proxy").wait_for()
                assert page.locator("input[type=file]").count() == 0
            else:
                page.locator("input[type=file]").first.wait_for(state="attached")
            context.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_signed_out_agents_see_only_the_sign_in(app, monkeypatch):
    monkeypatch.setattr("ess.signin.auth_section", lambda: COMPLETE)
    app.user = {"is_logged_in": False}
    app.run()
    assert not app.exception
    assert app.title[0].value == "Observatoire ESS de la MEL — espace des agents"
    assert [b.label for b in app.button] == ["Se connecter avec le compte MEL"]
    assert not app.metric and not app.sidebar.get("multiselect")


def test_signed_in_agents_see_their_account_and_every_staff_page(app, monkeypatch):
    monkeypatch.setattr("ess.signin.auth_section", lambda: COMPLETE)
    app.user = {"is_logged_in": True, **AGENT.claims, "sub": AGENT.sub}
    app.run()
    assert not app.exception
    assert app.metric[0].value == "62"
    assert app.sidebar.text[0].value == "Connecté : camille.agent@lillemetropole.fr"
    assert [b.label for b in app.sidebar.button][0] == "Se déconnecter"
    app.switch_page("pages/importer.py").run()
    assert not app.exception and app.title[0].value == "Importer des résultats"


def test_public_mode_never_signs_in(app, monkeypatch):
    monkeypatch.setattr("ess.settings.MODE", "public")
    monkeypatch.setattr("ess.signin.auth_section", lambda: COMPLETE)
    app.user = {"is_logged_in": False}
    app.run()
    assert not app.exception
    assert app.metric[0].value == "62"
    labels = [b.label for b in app.button] + [b.label for b in app.sidebar.button]
    assert "Se connecter avec le compte MEL" not in labels and "Se déconnecter" not in labels


# --- Who the import journal names ------------------------------------------------------------

def test_without_sign_in_on_loopback_the_page_names_the_system_account(app, live, monkeypatch):
    monkeypatch.setenv("ESS_USER", "Nom choisi")  # no longer trusted by the page
    monkeypatch.setattr("ess.ui.data.STORE_FILE", live)
    monkeypatch.setattr("ess.paths.STORE_FILE", live)
    app.run()
    app.switch_page("pages/importer.py").run()
    name = "petit_cp1252_pointvirgule.csv"
    app.get("file_uploader")[0].set_value((name, (FIXTURES / name).read_bytes(), "text/csv"))
    app.run()
    identity = f"{signin.system_account()} (compte système, sans connexion)"
    assert f"Le journal des imports enregistrera : {identity}" in [t.value for t in app.text]
    next(b for b in app.button if b.label == "Importer les 3 projets").click().run()
    assert not app.exception
    assert archive.journal(live)[-1]["user"] == identity


def test_the_command_line_names_the_system_account_and_says_so(live, monkeypatch, capsys):
    from ess.cli import main

    monkeypatch.setenv("ESS_USER", "Nom choisi")
    assert main(["import", str(FIXTURES / "petit_cp1252_pointvirgule.csv"),
                 "--target", str(live)]) == 0
    identity = f"{signin.system_account()} (compte système, ligne de commande)"
    assert archive.journal(live)[-1]["user"] == identity
    said = (f"Journal des imports : au nom de « {identity} » ; la ligne de commande ne passe "
            "pas par la connexion des agents.\n")
    assert capsys.readouterr().out.endswith(said)
    assert main(["rollback", "--target", str(live)]) == 0
    assert capsys.readouterr().out.endswith(said)
    assert [(e["action"], e["user"]) for e in archive.journal(live)] == [
        ("import", identity), ("rollback", identity)]


# --- Through a real OpenID Connect provider, in Chromium -------------------------------------

def _only_loopback(context, outside: list[str]) -> None:
    """Requests to anything but this machine are noted and aborted (the provider's page links
    a stylesheet on a CDN)."""
    def route(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:")) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()
    context.route("**/*", route)


@pytest.fixture
def signed_app(live, tmp_path):
    """Staff mode on a private store, whose sign-in goes to a provider on loopback."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with provider([AGENT]) as issuer:
        client_id, client_secret = register_client(issuer, f"{url}/oauth2callback")
        secrets_file = tmp_path / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "{url}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
            f'client_id = "{client_id}"\n'
            f'client_secret = "{client_secret}"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
            encoding="utf-8")
        process = subprocess.Popen(
            serve.command(port, public=False) + ["--secrets.files", str(secrets_file)],
            cwd=ROOT, env={**serve.environment(public=False), "ESS_STORE": str(live)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_healthy(url, process)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_sign_in_through_the_provider_then_import_in_its_name(browser, signed_app, live,
                                                             tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="fr-FR")
    outside: list[str] = []
    _only_loopback(context, outside)
    page = context.new_page()
    shots = tmp_path
    try:
        # Signed out: the sign-in only, even at the import page's address.
        page.goto(f"{signed_app}/importer")
        page.get_by_role("button", name="Se connecter avec le compte MEL").wait_for()
        assert page.get_by_text("Importer des résultats").count() == 0
        assert page.locator("input[type=file]").count() == 0
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
        page.screenshot(path=shots / "1_connexion.png", full_page=True)
        page.keyboard.press("Escape")  # Streamlit's « page not found » box, over the page
        page.locator("[role='dialog']").wait_for(state="detached")

        # The provider's form; refusing there leaves the agent signed out.
        page.get_by_role("button", name="Se connecter avec le compte MEL").click()
        page.get_by_role("button", name="Deny").wait_for()
        assert page.url.startswith("http://127.0.0.1:") and "/oauth2/authorize" in page.url
        page.screenshot(path=shots / "2_fournisseur.png", full_page=True)
        page.get_by_role("button", name="Deny").click()
        page.get_by_role("button", name="Se connecter avec le compte MEL").wait_for()
        assert page.locator("input[type=file]").count() == 0

        # Signed in with the provider's account: every staff page, the import included.
        page.get_by_role("button", name="Se connecter avec le compte MEL").click()
        page.get_by_role("button", name=AGENT.sub).click()
        page.get_by_text("Connecté : camille.agent@lillemetropole.fr").wait_for()
        wait_for_app(page)
        page.wait_for_selector("[data-testid='stMetricValue']")
        assert page.locator("[data-testid='stMetricValue']").first.inner_text() == "62"
        page.screenshot(path=shots / "3_connecte.png", full_page=True)
        page.goto(f"{signed_app}/importer")
        wait_for_app(page)
        # The results' uploader comes first; the roadmap's follows it.
        page.locator("input[type=file]").first.set_input_files(
            FIXTURES / "petit_cp1252_pointvirgule.csv")
        identity = "camille.agent@lillemetropole.fr (compte MEL c.agent)"
        page.get_by_text(f"Le journal des imports enregistrera : {identity}").wait_for()
        page.get_by_role("button", name="Importer les 3 projets").click()
        page.get_by_text("Import de petit_cp1252_pointvirgule.csv terminé").wait_for()
        page.screenshot(path=shots / "4_import.png", full_page=True)
        entry = archive.journal(live)[-1]
        assert (entry["action"], entry["file"], entry["rows"], entry["user"]) == (
            "import", "petit_cp1252_pointvirgule.csv", 3, identity)

        # Signed out again: the sign-in only.
        page.get_by_role("button", name="Se déconnecter").click()
        page.get_by_role("button", name="End session").click()  # the provider's own sign-out
        page.get_by_role("button", name="Se connecter avec le compte MEL").wait_for()
        page.screenshot(path=shots / "5_deconnecte.png", full_page=True)
        assert all(url.startswith("https://cdn.jsdelivr.net/") for url in outside), outside
    finally:
        context.close()


# --- Nothing leaves the machine at start-up --------------------------------------------------

@pytest.fixture
def outside_world():
    """A listener standing for the internet: every process it is given as proxy reaches it
    instead of going out. The list of what it received."""
    received: list[bytes] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(2)
                try:
                    received.append(connection.recv(4096))
                except OSError:
                    received.append(b"")
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    proxy = f"http://127.0.0.1:{listener.getsockname()[1]}"
    yield proxy, received
    stop.set()
    thread.join(5)
    listener.close()


def test_no_request_leaves_at_start_up(browser, outside_world, tmp_path):
    """`python -m ess serve`, staff mode with sign-in, on every interface: accepted, and the
    case where Streamlit's banner would ask an outside service for the machine's address."""
    proxy, received = outside_world
    secrets_file = tmp_path / ".streamlit" / "secrets.toml"  # ~/.streamlit/, read by Streamlit
    secrets_file.parent.mkdir()
    secrets_file.write_text("[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in COMPLETE.items()),
                            encoding="utf-8")
    port = _free_port()
    environment = {**os.environ, "HOME": str(tmp_path), "NO_PROXY": "", "no_proxy": "",
                   **{name: proxy for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                                               "http_proxy", "https_proxy", "all_proxy")}}
    process = subprocess.Popen(
        [sys.executable, "-m", "ess", "serve", "--address", "0.0.0.0", "--port", str(port)],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    context = browser.new_context(locale="fr-FR")
    outside: list[str] = []
    _only_loopback(context, outside)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}")
        page.get_by_role("button", name="Se connecter avec le compte MEL").wait_for()
        time.sleep(2)  # what start-up might still send in the background
    finally:
        context.close()
        process.terminate()
        log = process.communicate(timeout=10)[0].decode()
    assert received == [] and outside == []
    assert log.startswith(f"Observatoire ESS (mode agents) : http://0.0.0.0:{port}\n")
    assert "External URL" not in log and "Usage" not in log
