"""What the benchmarks share: percentiles, a server to measure, its memory, a browser."""

from __future__ import annotations

import contextlib
import math
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from deploy.local import free_port, wait_until_healthy
from ess import serve
from ess.filters import Filtres
from ess.paths import ROOT

# Filter changes a reader makes: each is a new combination for the query cache.
CHANGES = [
    Filtres(annees=(2017,)),
    Filtres(annees=(2015, 2016)),
    Filtres(territoires=("lillois",)),
    Filtres(territoires=("roubaisien", "est")),
    Filtres(formes=("association",)),
    Filtres(axes=(1, 3)),
    Filtres(activites=("numerique", "art-culture")),
    Filtres(annees=(2018,), formes=("entreprise-cooperative-sociale",)),
    Filtres(axes=(2,), territoires=("lillois", "couronne-nord")),
    Filtres(annees=(2016, 2017), activites=("solidarite-cohesion",)),
    Filtres(territoires=("tourquennois", "lys", "couronne-sud")),
    Filtres(),
]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's, as in the tests


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0-100)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(samples: list[float]) -> str:
    return (f"p50 {statistics.median(samples):7.1f}  p95 {percentile(samples, 95):7.1f}  "
            f"max {max(samples):7.1f}  (n={len(samples)})")


def timed(function, repeat: int = 1) -> list[float]:
    """Durations of `repeat` calls, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _status(pid: int | str, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} absent pour le processus {pid}")


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    return _status(pid, "VmRSS")


def peak_rss_mb() -> float:
    """Peak resident memory of this process since it started (VmHWM; unlike ru_maxrss, it
    does not inherit the high-water mark of the parent that forked it)."""
    return _status("self", "VmHWM")


@contextlib.contextmanager
def public_server(store: Path | None = None, script: Path | None = None):
    """A public-mode server (as in production) on a free port; yields (process, URL).

    `script` replaces app.py (the floor of `bench.browser`), with the same options."""
    env = serve.environment(public=True)
    if store is not None:
        env["ESS_STORE"] = str(store)
    port = free_port()
    command = serve.command(port)
    if script is not None:
        command[command.index(str(ROOT / "app.py"))] = str(script)
    process = subprocess.Popen(command, cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url, process)
        yield process, url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def page_ready_script() -> str:
    """JavaScript condition: Streamlit has finished running the page and shows a title."""
    return ("() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
            " return app && app.dataset.testScriptState === 'notRunning'"
            " && document.querySelector('[data-testid=\"stMainBlockContainer\"] h1'); }")


def kpi_is(value: str) -> str:
    """JavaScript condition: the first headline figure shows `value` and the run is over."""
    return ("() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
            " const kpi = document.querySelector('[data-testid=\"stMetricValue\"]');"
            " return app && app.dataset.testScriptState === 'notRunning'"
            f" && kpi && kpi.innerText === '{value}'; }}")

