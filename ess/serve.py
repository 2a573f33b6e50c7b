"""Launch the dashboard: `python -m ess serve [--public] [--port N] [--address IP]`.

Streamlit reads `.streamlit/config.toml` (theme, shared defaults) in both modes; for the public
deployment the options below override it on Streamlit's command line, which takes precedence
over every config file and environment variable. `make run-public`, the replicas behind nginx
(`deploy/`), the tests and the benchmarks all start the public mode through `command()`, so the
hardening lives in this one place.
"""

from __future__ import annotations

import os
import sys

from ess.paths import ROOT

PUBLIC_OPTIONS = {
    "server.headless": "true",
    "server.enableXsrfProtection": "true",
    "server.enableCORS": "true",
    # No upload widget exists in public mode, and `close_public_endpoints` removes the upload
    # route; should a future Streamlit bring it back, nothing but an empty file fits.
    "server.maxUploadSize": "0",
    # Production: no file watching (CPU, inotify handles) and no rerun on save.
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    # No remote control of the app besides a browser, no serving of a static/ folder.
    "server.enableAgentApi": "false",
    "server.enableStaticServing": "false",
    # Bounds the query caches of all sessions together (hostile filter combinations).
    "server.maxCacheDataSize": "256mb",
    # Readers see no menu at all (its words are English and it names Streamlit's version), no
    # traceback, no outside help links.
    "client.toolbarMode": "minimal",
    "client.showErrorDetails": "none",
    "client.showErrorLinks": "false",
    "browser.gatherUsageStats": "false",
    "global.developmentMode": "false",
}

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def command(port: int, address: str = "127.0.0.1", public: bool = True) -> list[str]:
    """The `streamlit run` command line for one server (one replica), through this module."""
    options = {"server.port": str(port), "server.address": address, "server.headless": "true"}
    if public:
        options.update(PUBLIC_OPTIONS)
    argv = [sys.executable, "-m", "ess.serve", "run", str(ROOT / "app.py")]
    for name, value in options.items():
        argv += [f"--{name}", value]
    return argv


def environment(public: bool = True) -> dict[str, str]:
    """The environment of a server: `ESS_MODE` decides which pages exist."""
    return {**os.environ, "ESS_MODE": "public" if public else "staff"}


def close_public_endpoints() -> None:
    """Streamlit's server without its upload and metrics endpoints: each answers 404.

    Streamlit serves `/_stcore/upload_file/…` (PUT, to any open session: an attack held 1 GB
    of uploads in a replica) and `/_stcore/metrics` (sessions, caches, memory) whatever the
    app registers, and no option turns them off. Their routes are replaced by refusals with
    the same paths, for every method; without them the requests would fall through to Streamlit's
    static files, which answer a GET with the app's page. nginx refuses both as well
    (deploy/nginx.conf).
    """
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from streamlit.web.server.starlette import starlette_app

    async def refused(request) -> PlainTextResponse:
        return PlainTextResponse("Not Found", status_code=404)

    def refusing(create):
        def routes(*args, **kwargs):
            paths = dict.fromkeys(r.path for r in create(*args, **kwargs))
            return [Route(path, refused, methods=METHODS) for path in paths]
        return routes

    for name in ("create_upload_routes", "create_metrics_routes"):
        if not hasattr(starlette_app, name):  # a Streamlit upgrade moved it: do not start open
            raise SystemExit(f"streamlit.web.server.starlette.starlette_app.{name} est absent : "
                             "adaptez ess/serve.py à cette version de Streamlit.")
        setattr(starlette_app, name, refusing(getattr(starlette_app, name)))


def serve(port: int, address: str, public: bool) -> int:
    """Replace this process by the Streamlit server (same PID for supervisors and monitoring);
    returns only when staff mode refuses to start (2)."""
    os.chdir(ROOT)  # Streamlit reads .streamlit/ (config, secrets) from the working directory
    if not public:
        from ess import signin

        problem = signin.refusal(address, signin.auth_section())
        if problem:
            print(problem, file=sys.stderr)
            return 2
    argv = command(port, address, public)
    # Streamlit's own banner is off (.streamlit/config.toml): it may ask the internet.
    mode = "public" if public else "agents"
    shown = f"[{address}]" if ":" in address else address
    print(f"Observatoire ESS (mode {mode}) : http://{shown}:{port}", flush=True)
    os.execve(argv[0], argv, environment(public))


if __name__ == "__main__":
    # `streamlit run`, after importing the libraries every page needs (pandas, DuckDB, Plotly,
    # Shapely: one to two seconds), so that the first reader after a start does not wait for
    # them. Only modules without Streamlit calls: the app's own run in Streamlit's runtime.
    import ess.charts  # noqa: F401
    import ess.maps  # noqa: F401
    import ess.queries  # noqa: F401
    import gc

    from ess import settings
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.cli import main

    # Seeing a `pages/` folder, Streamlit runs a fresh server's first session in its old
    # multipage mode: a sub-page runs alone, with a menu of file names, before app.py and its
    # sign-in (ess.ui.page._ensure_frame reruns such a page through app.py; the import page
    # checks the sign-in itself). From the start, app.py's page list is the only one.
    PagesManager.uses_pages_directory = False
    if settings.is_public():
        close_public_endpoints()
    # The libraries' objects live as long as the process: out of the collector's sight, a
    # full collection does not go through them again (tens of milliseconds each time).
    gc.freeze()
    main(prog_name="streamlit")
