"""The public stack of deploy/: two replicas behind nginx with deploy/nginx.conf, on loopback."""

import contextlib
import http.client
import os
import re
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict

import pytest

from conftest import wait_for_app
from deploy.local import free_port, nginx_binary, site_config, start_nginx, start_replicas, stop

NB = "\u00a0"


@contextlib.contextmanager
def _stack(folder):
    """Two public replicas and nginx; yields (proxy URL, replica ports, replica processes)."""
    if nginx_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("nginx est absent : .ci/run doit l'installer (apt-get install nginx).")
        pytest.skip("nginx absent sur ce poste (apt-get install nginx) : test du proxy sauté.")
    ports = [free_port(), free_port()]
    replicas = start_replicas(ports)
    processes = list(replicas)
    try:
        listen = free_port()
        processes.append(start_nginx(folder, ports, listen))
        yield f"http://127.0.0.1:{listen}", ports, replicas
    finally:
        stop(processes)


@pytest.fixture(scope="module")
def stack(built_store, tmp_path_factory):
    """(proxy URL, replica ports, nginx folder with its access log)."""
    folder = tmp_path_factory.mktemp("nginx")
    with _stack(folder) as (url, ports, _):
        yield url, ports, folder


def _routes(folder) -> dict[str, set[str]]:
    """Per route (browser), the replicas that served it, from nginx's access log."""
    served = defaultdict(set)
    for line in (folder / "access.log").read_text().splitlines():
        route, upstreams, *_ = line.split("|")
        # "a, b" when nginx tried a first replica, then the next one
        served[route].update(u for u in upstreams.split(", ") if u != "-")
    return served


def test_generated_configuration_keeps_the_shipped_one():
    text = site_config([9001, 9002, 9003], 9000)
    assert "listen 127.0.0.1:9000;" in text
    assert text.count("listen ") == 1
    for port in (9001, 9002, 9003):
        assert f"server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" in text
    for directive in ("hash $ess_route consistent;", "proxy_set_header Upgrade $http_upgrade;",
                      "location = /_stcore/stream", "location = /_stcore/health"):
        assert directive in text


def test_health_check_and_headers_through_the_proxy(stack):
    url, _, _ = stack
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
        assert response.status == 200
        assert response.read() == b"ok"
    with urllib.request.urlopen(url, timeout=5) as response:
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("ess_route=") and "HttpOnly" in cookie
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["Server"] == "nginx"  # no version number
        assert response.headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains")
        permissions = response.headers["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in permissions
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def _status(method: str, url: str, data: bytes | None = None, headers: dict | None = None):
    """(status, body) of one request, errors included."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


UPLOAD = (b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
          b"Content-Type: text/csv\r\n\r\n" + b"a;b\r\n" * 1000 + b"\r\n--x--\r\n")


def _upstreams(folder, uri: str) -> set[str]:
    """The replicas nginx asked for `uri` (« - »: none, nginx answered itself)."""
    for _ in range(20):  # nginx logs a request just after answering it
        lines = (folder / "access.log").read_text().splitlines()
        found = {line.split("|")[1] for line in lines if line.split("|")[3] == uri}
        if found:
            return found
        time.sleep(0.1)
    return set()


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "OPTIONS", "GET"])
def test_no_upload_through_the_proxy_nor_on_a_replica(stack, method):
    url, ports, folder = stack
    headers = {"Content-Type": "multipart/form-data; boundary=x"}
    body = UPLOAD if method in ("PUT", "POST") else None
    uri = f"/_stcore/upload_file/session-{method}/fichier"
    # Streamlit's own handler would answer 204 (stored), 400 (unknown session) or 403 (XSRF).
    assert _status(method, url + uri, body, headers)[0] == 404
    assert _upstreams(folder, uri) == {"-"}  # refused by nginx itself
    replica = _status(method, f"http://127.0.0.1:{ports[0]}{uri}", body, headers)
    assert replica == (404, b"Not Found")  # and by Streamlit in public mode


def test_metrics_are_not_public(stack):
    url, ports, folder = stack
    for path in ("/_stcore/metrics", "/_stcore/metrics?families=session_events"):
        assert _status("GET", url + path)[0] == 404
        assert _upstreams(folder, path) == {"-"}
        assert _status("GET", f"http://127.0.0.1:{ports[0]}{path}") == (404, b"Not Found")


@pytest.mark.parametrize("path", ["/", "/projets", "/_stcore/host-config", "/_stcore/stream"])
def test_a_reader_only_reads(stack, path):
    url, _, _ = stack
    assert _status("POST", url + path, b"x")[0] == 403
    assert _status("PUT", url + path, b"x")[0] == 403


def test_new_readers_spread_over_both_replicas(stack):
    url, ports, folder = stack
    for _ in range(24):  # 24 first visits: each gets its own random route
        urllib.request.urlopen(url, timeout=5).close()
    used = set().union(*_routes(folder).values())
    assert used == {f"127.0.0.1:{p}" for p in ports}


def test_overview_through_the_proxy_with_a_filter_change(browser, stack, tmp_path):
    url, ports, folder = stack
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    statuses: Counter = Counter()
    page.on("response", lambda r: statuses.update([r.status]))
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text
            else None)
    try:
        page.goto(url)
        wait_for_app(page)
        page.wait_for_selector("[data-testid='stMetricValue']")
        values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
        assert values[0] == "62"
        assert values[2].replace(NB, " ") == "483 ETP"
        page.wait_for_selector(".js-plotly-plot .main-svg")
        # The interface script ran under the Content-Security-Policy (its hash is allowed).
        page.wait_for_function("document.documentElement.lang === 'fr'", timeout=30_000)
        # A filter change: a message over the proxied websocket, answered by the same replica.
        page.locator("[data-testid='stMultiSelect']").first.click()
        page.get_by_role("option", name="2017 (17)").click()
        page.keyboard.press("Escape")
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMetricValue\"]').innerText === '17'",
            timeout=30_000,
        )
        assert page.url.endswith("?annees=2017")
        page.screenshot(path=tmp_path / "proxy.png", full_page=True)
        route = next(c["value"] for c in context.cookies() if c["name"] == "ess_route")
    finally:
        context.close()
    assert sockets == [f"{url.replace('http', 'ws')}/_stcore/stream"]
    assert blocked == []  # the Content-Security-Policy lets the whole dashboard work
    # A first visit (every script, font and figure) and a filter change stay within the limits.
    assert sum(statuses.values()) > 30
    assert statuses[429] == statuses[503] == 0
    # Sticky: the page, its scripts and its websocket all reached one replica.
    assert len(_routes(folder)[route]) == 1


def _burst(url: str, path: str, count: int, source: str, method: str = "GET") -> list[int]:
    """Statuses of `count` requests in a row from the loopback address `source` (each test its
    own address: nginx limits per address, and the other tests keep their allowance)."""
    split = urllib.parse.urlsplit(url)
    statuses = []
    for _ in range(count):
        connection = http.client.HTTPConnection(split.hostname, split.port, timeout=10,
                                                source_address=(source, 0))
        try:
            connection.request(method, path)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        finally:
            connection.close()
    return statuses


def _static_file(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        page = response.read().decode()
    return "/" + re.search(r'(static/css/[^"]+\.css)', page).group(1).lstrip("./")


@pytest.mark.parametrize("path, burst, source", [
    ("/", 60, "127.0.0.11"),
    ("/projets?annees=2017", 60, "127.0.0.12"),
    ("/_stcore/host-config", 60, "127.0.0.13"),
    ("/_stcore/health", 60, "127.0.0.14"),
    ("static", 200, "127.0.0.15"),
    ("/_stcore/stream", 20, "127.0.0.16"),
])
def test_a_burst_beyond_the_limit_is_refused(stack, path, burst, source):
    url, _, _ = stack
    path = _static_file(url) if path == "static" else path
    statuses = _burst(url, path, 3 * burst, source, method="HEAD" if "static" in path else "GET")
    assert 429 not in statuses[:burst + 1], statuses[:burst + 1]  # the allowance passes at once
    assert statuses.count(429) >= burst // 2  # then nginx refuses, without asking a replica


CONNECTION = "() => document.querySelector('[data-testid=\"stApp\"]').dataset.testConnectionState"


def test_a_tab_whose_replica_dies_keeps_its_view(browser, built_store, tmp_path):
    """kill -9 of the replica serving an open tab: nginx sends the tab to the other replica, and
    the tab's next navigation, a reload and a new filter still hold its filters."""
    with _stack(tmp_path) as (url, ports, replicas):
        context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        try:
            page.goto(f"{url}/emplois?annees=2017&repartition=territoire")
            wait_for_app(page)
            # Everything drawn (its scripts loaded) before the replica goes.
            page.wait_for_selector("[data-testid='stMetricValue']")
            page.wait_for_selector(".js-plotly-plot .main-svg")
            route = next(c["value"] for c in context.cookies() if c["name"] == "ess_route")
            (served,) = _routes(tmp_path)[route]
            killed = ports.index(int(served.rsplit(":", 1)[1]))
            replicas[killed].send_signal(signal.SIGKILL)
            replicas[killed].wait(timeout=10)
            # The open tab notices, then reconnects through nginx to the other replica.
            page.wait_for_function(f"{CONNECTION} !== 'CONNECTED'", timeout=30_000)
            page.wait_for_function(f"{CONNECTION} === 'CONNECTED'", timeout=60_000)
            wait_for_app(page)
            assert "annees=2017" in page.url and "repartition=territoire" in page.url
            # The next navigation, in the sidebar as a reader goes.
            page.locator("[data-testid='stSidebarNav'] a[href$='/']").first.click()
            page.wait_for_function(
                "() => document.querySelector('[data-testid=\"stMetricValue\"]')"
                "?.innerText === '17'", timeout=30_000)
            assert page.url.endswith("/?annees=2017")
            page.reload()  # the same browser, the same route cookie
            wait_for_app(page)
            assert page.locator("[data-testid='stMetricValue']").first.inner_text() == "17"
        finally:
            context.close()
        assert _routes(tmp_path)[route] >= {served, f"127.0.0.1:{ports[1 - killed]}"}
