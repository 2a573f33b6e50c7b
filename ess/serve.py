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
    # No upload widget exists in public mode; keep Streamlit's upload endpoint as small as it goes.
    "server.maxUploadSize": "1",
    # Production: no file watching (CPU, inotify handles) and no rerun on save.
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    # No remote control of the app besides a browser, no serving of a static/ folder.
    "server.enableAgentApi": "false",
    "server.enableStaticServing": "false",
    # Bounds the query caches of all sessions together (hostile filter combinations).
    "server.maxCacheDataSize": "256mb",
    # Readers see no rerun/clear-cache/deploy menu, no traceback, no outside help links.
    "client.toolbarMode": "viewer",
    "client.showErrorDetails": "none",
    "client.showErrorLinks": "false",
    "browser.gatherUsageStats": "false",
    "global.developmentMode": "false",
}


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
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.cli import main

    # Seeing a `pages/` folder, Streamlit runs a fresh server's first session in its old
    # multipage mode: a sub-page runs alone, with a menu of file names, before app.py and its
    # sign-in (ess.ui.page._ensure_frame reruns such a page through app.py; the import page
    # checks the sign-in itself). From the start, app.py's page list is the only one.
    PagesManager.uses_pages_directory = False
    main(prog_name="streamlit")
