"""What the browser receives: HTTP files and websocket messages, per page; the map's data.

    python -m bench.transfer

A first visit loads Streamlit's scripts once (HTTP; nginx compresses them with gzip, estimated
here by compressing each body); every page then arrives as websocket messages, counted per page
while a reader goes through the sidebar. The map's own data is also measured without a browser:
the territory choropleth as the app sends it (Plotly figure JSON).
"""

from __future__ import annotations

import gzip

from playwright.sync_api import sync_playwright

from bench.common import CHROMIUM, CHROMIUM_ARGS, page_ready_script, public_server
from bench.reruns import PAGES
from ess import fmt, queries, site, store
from ess.paths import STORE_FILE

KB = 1024


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def map_figure_sizes() -> tuple[int, int]:
    """Bytes of the territory map's figure JSON (with commune borders), raw and gzip."""
    con = store.open_store(STORE_FILE)
    values = queries.run(con, "projets_par_territoire")
    con.close()
    data = site.territory_map(values).to_json().encode()
    return len(data), _gzip_size(data)


def measure() -> tuple[dict, dict[str, tuple[int, int]]]:
    """First visit totals, and per page (websocket bytes, gzip estimate)."""
    http = {"raw": 0, "gzip": 0, "files": 0}
    frames: list[bytes] = []
    per_page = {}
    with public_server() as (_, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})

        def on_response(response):
            try:
                body = response.body()
            except Exception:  # redirects and aborted requests have no body
                return
            http["files"] += 1
            http["raw"] += len(body)
            http["gzip"] += _gzip_size(body)

        def on_socket(ws):
            ws.on("framereceived", lambda payload: frames.append(
                payload if isinstance(payload, bytes) else payload.encode()))

        page.on("response", on_response)
        page.on("websocket", on_socket)
        page.goto(url)
        page.wait_for_function(page_ready_script(), timeout=60_000)
        page.wait_for_timeout(500)
        per_page["vue_ensemble"] = frames[:]
        for name in (p for p in PAGES if p != "vue_ensemble"):
            frames.clear()
            page.locator(f"[data-testid='stSidebarNav'] a[href$='/{name}']").click()
            page.wait_for_url(f"**/{name}**")
            page.wait_for_function(page_ready_script(), timeout=60_000)
            page.wait_for_timeout(500)
            per_page[name] = frames[:]
        browser.close()
    sizes = {name: (sum(map(len, fs)), _gzip_size(b"".join(fs))) for name, fs in per_page.items()}
    return http, sizes


def main(argv: list[str] | None = None) -> None:
    http, pages = measure()
    print("== Ce que reçoit le navigateur")
    print(f"HTTP, toutes les pages visitées : {http['files']} fichiers, "
          f"{fmt.nombre(http['raw'] / KB)} Ko "
          f"(gzip par nginx : {fmt.nombre(http['gzip'] / KB)} Ko)")
    print(f"{'page (websocket)':18} {'brut (Ko)':>10} {'gzip (Ko)':>10}")
    for name, (raw, packed) in pages.items():
        print(f"{name:18} {raw / KB:10.1f} {packed / KB:10.1f}")
    raw, packed = map_figure_sizes()
    print(f"carte des territoires (figure JSON) : {raw / KB:.1f} Ko, gzip {packed / KB:.1f} Ko")


if __name__ == "__main__":
    main()
