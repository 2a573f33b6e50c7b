"""The public stack on one machine, without root: N replicas and nginx on loopback ports.

    python deploy/local.py --replicas 2 --port 8080     # then open http://127.0.0.1:8080

nginx runs with `deploy/nginx.conf` unchanged except its ports (listen port and one upstream
line per replica), inside a minimal main configuration whose pid, logs and temporary files
live in a temporary folder. tests/test_proxy.py uses the same functions. Ctrl-C stops all.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ess import serve  # noqa: E402

SITE_CONFIG = ROOT / "deploy" / "nginx.conf"
_UPSTREAM_SERVER = re.compile(r"^(\s*)server 127\.0\.0\.1:\d+ (.*);$", re.MULTILINE)
_LISTEN = re.compile(r"^\s*listen .*;\n", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_config(replica_ports: list[int], listen_port: int) -> str:
    """`deploy/nginx.conf` listening on a loopback port, with one upstream line per replica."""
    text = SITE_CONFIG.read_text(encoding="utf-8")
    servers = _UPSTREAM_SERVER.findall(text)
    listens = _LISTEN.findall(text)
    if not servers or not listens:
        raise ValueError(
            "deploy/nginx.conf : lignes « server 127.0.0.1:… » ou « listen » absentes.")
    indent, options = servers[0]
    upstream = "\n".join(f"{indent}server 127.0.0.1:{p} {options};" for p in replica_ports)
    text = _UPSTREAM_SERVER.sub("", text, count=len(servers) - 1)
    text = _UPSTREAM_SERVER.sub(upstream, text, count=1)
    text = _LISTEN.sub("", text, count=len(listens) - 1)
    return _LISTEN.sub(f"    listen 127.0.0.1:{listen_port};\n", text, count=1)


def main_config(folder: Path, site: Path) -> str:
    """A main nginx configuration that keeps every file nginx writes inside `folder`; its
    access log says which replica served each request of each route (browser)."""
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 512; }}
http {{
    log_format routes '$ess_route|$upstream_addr|$status|$request_uri';
    access_log {folder / "access.log"} routes;
{temp}
    include {site};
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} s'est arrêté (code {process.returncode}).")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} ne répond pas sur /_stcore/health après {timeout:.0f} s.")


def start_replicas(ports: list[int]) -> list[subprocess.Popen]:
    processes = [
        subprocess.Popen(serve.command(port), cwd=ROOT, env=serve.environment(public=True),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for port in ports
    ]
    for port, process in zip(ports, processes):
        wait_until_healthy(f"http://127.0.0.1:{port}", process)
    return processes


def start_nginx(folder: Path, replica_ports: list[int], listen_port: int) -> subprocess.Popen:
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx est absent : apt-get install nginx")
    site = folder / "site.conf"
    site.write_text(site_config(replica_ports, listen_port), encoding="utf-8")
    main = folder / "nginx.conf"
    main.write_text(main_config(folder, site), encoding="utf-8")
    check = subprocess.run([binary, "-t", "-p", str(folder), "-c", str(main)],
                           capture_output=True, text=True)
    if check.returncode:
        raise RuntimeError(f"Configuration nginx refusée :\n{check.stderr}")
    process = subprocess.Popen([binary, "-p", str(folder), "-c", str(main), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_healthy(f"http://127.0.0.1:{listen_port}", process, timeout=15)
    return process


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description="Répliques publiques et nginx sur ce poste")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="port d'écoute de nginx")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # `kill` stops the whole stack too
    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="ess-nginx-") as folder:
        try:
            ports = [free_port() for _ in range(args.replicas)]
            processes += start_replicas(ports)
            processes.append(start_nginx(Path(folder), ports, args.port))
            print(f"{args.replicas} répliques ({', '.join(map(str, ports))}) derrière nginx : "
                  f"http://127.0.0.1:{args.port} ; Ctrl-C pour arrêter.")
            processes[-1].wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop(processes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
