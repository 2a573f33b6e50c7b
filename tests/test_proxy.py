"""The public stack of deploy/: two replicas behind nginx with deploy/nginx.conf, on loopback."""

import contextlib
import os
import urllib.request
from collections import defaultdict

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
                      "location /_stcore/stream", "location = /_stcore/health"):
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
        # A filter change: a message over the proxied websocket, answered by the same replica.
        page.locator("[data-testid='stMultiSelect']").first.click()
        page.get_by_role("option", name="2017").click()
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
    # Sticky: the page, its scripts and its websocket all reached one replica.
    assert len(_routes(folder)[route]) == 1


def test_readers_of_a_stopped_replica_go_to_the_other(browser, built_store, tmp_path):
    with _stack(tmp_path) as (url, ports, replicas):
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        try:
            page.goto(f"{url}/?annees=2017")
            wait_for_app(page)
            assert page.locator("[data-testid='stMetricValue']").first.inner_text() == "17"
            route = next(c["value"] for c in context.cookies() if c["name"] == "ess_route")
            (served,) = _routes(tmp_path)[route]
            stopped = ports.index(int(served.rsplit(":", 1)[1]))
            replicas[stopped].terminate()
            replicas[stopped].wait(timeout=10)
            # The open tab reconnects through nginx, which sends its route to the other replica.
            page.wait_for_function(
                "() => document.querySelector('[data-testid=\"stApp\"]')"
                ".dataset.testConnectionState === 'CONNECTED'", timeout=30_000)
            page.reload()  # the same browser, the same route cookie
            wait_for_app(page)
            assert page.locator("[data-testid='stMetricValue']").first.inner_text() == "17"
        finally:
            context.close()
        assert _routes(tmp_path)[route] >= {served, f"127.0.0.1:{ports[1 - stopped]}"}
