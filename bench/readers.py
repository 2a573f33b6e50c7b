"""Concurrent readers without a browser: Streamlit's own websocket protocol, as the browser
speaks it, so that only the server's work is measured.

    python -m bench.readers [--scenarios 1:0,10:0,30:0,10:3]   # readers:mean pause (s)

Each reader opens a session (the overview), then applies every filter change of
`bench.common.CHANGES` one after the other, by sending the new state of the sidebar's
multiselects: without pause, or after reading for a random time of `pause` seconds on average
(exponential, as independent readers arrive); a change is ready when the server says the script
has finished. The readers run at the same time against one public server. Each change's first
headline figure is checked against the store, so a measured change is a real one.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Common_pb2 import StringArray
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

from bench.common import CHANGES, public_server, rss_mb, summary
from bench.concurrent import cpu_seconds
from ess import fmt, queries, store
from ess.filters import DIMENSIONS, Filtres
from ess.paths import STORE_FILE


def _expected() -> dict[Filtres, str]:
    con = store.open_store(STORE_FILE)
    try:
        return {f: fmt.nombre(queries.run(con, "projets_kpi", f).loc[0, "nb_projets"])
                for f in CHANGES}
    finally:
        con.close()


async def _finished(ws) -> tuple[dict[str, str], list[str]]:
    """Read until the script has finished: (multiselect id per label, metric values)."""
    ids, metrics = {}, []
    while True:
        message = ForwardMsg.FromString(await ws.recv())
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "multiselect":
                ids[element.multiselect.label] = element.multiselect.id
            elif element.WhichOneof("type") == "metric":
                metrics.append(element.metric.body)
        elif kind == "script_finished":
            return ids, metrics


def _rerun(ids: dict[str, str], filtres: Filtres) -> bytes:
    states = WidgetStates(widgets=[
        WidgetState(id=ids[label],
                    string_array_value=StringArray(data=[str(v) for v in getattr(filtres, name)]))
        for name, (label, _) in DIMENSIONS.items()
    ])
    return BackMsg(rerun_script=ClientState(widget_states=states)).SerializeToString()


def _connect(url: str):
    return websockets.connect(f"{url.replace('http', 'ws', 1)}/_stcore/stream",
                              subprotocols=["streamlit"], max_size=None)


async def first_page(url: str) -> list[str]:
    """Open a session on the overview; its headline figures once the script has finished."""
    async with _connect(url) as ws:
        await ws.send(BackMsg(rerun_script=ClientState()).SerializeToString())
        return (await _finished(ws))[1]


async def _reader(url: str, expected: dict[Filtres, str], samples: list[float],
                  pause: float, seed: int) -> None:
    reading = random.Random(seed)
    async with _connect(url) as ws:
        await ws.send(BackMsg(rerun_script=ClientState()).SerializeToString())
        ids, _ = await _finished(ws)
        for filtres in CHANGES:
            if pause:
                await asyncio.sleep(reading.expovariate(1 / pause))
            start = time.perf_counter()
            await ws.send(_rerun(ids, filtres))
            _, metrics = await _finished(ws)
            samples.append((time.perf_counter() - start) * 1000)
            shown = metrics[0] if metrics else "0"  # an empty selection shows no card
            if shown != expected[filtres]:
                raise RuntimeError(
                    f"{filtres} : {shown} projets affichés, {expected[filtres]} attendus")


async def _run(url: str, readers: int, expected, pause: float) -> list[float]:
    samples: list[float] = []
    await asyncio.gather(*(_reader(url, expected, samples, pause, seed)
                           for seed in range(readers)))
    return samples


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenarios", default="1:0,10:0,30:0,10:3",
                        help="lecteurs:pause moyenne en secondes, séparés par des virgules")
    args = parser.parse_args(argv)
    expected = _expected()
    print("== Lecteurs simultanés, protocole websocket de Streamlit (sans navigateur)")
    with public_server() as (process, url):
        for scenario in args.scenarios.split(","):
            readers, pause = int(scenario.split(":")[0]), float(scenario.split(":")[1])
            cpu, start = cpu_seconds(process.pid), time.perf_counter()
            samples = asyncio.run(_run(url, readers, expected, pause))
            elapsed = time.perf_counter() - start
            used = cpu_seconds(process.pid) - cpu
            runs = len(samples) + readers
            print(f"{readers:3d} lecteurs, pause {fmt.nombre(pause)} s : page prête (ms) "
                  f"{summary(samples)} ; {runs / elapsed:.1f} pages/s ; "
                  f"CPU {used / runs * 1000:.0f} ms par page ; "
                  f"mémoire {rss_mb(process.pid):.0f} Mo")


if __name__ == "__main__":
    main()
