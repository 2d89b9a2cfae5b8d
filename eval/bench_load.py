"""Load benchmark: many people asking at once.

    python -m eval.bench_load [--url URL] [--clients 1 50] [--seconds 60] [--setups 1x2 2x1] [--client python wrk]
                              [--publish]

Without --url it copies the configured index (build it first with `qa
ingest`) to a temporary directory and starts `qa serve` on it, with the
question cache off so that repeated questions do not flatter the figures.
Each client count runs in turn for the same time; every client sends POST
/ask (k=5) with the evaluation set's questions, one after another over a
kept-alive connection, so N clients means N requests in flight. A request
that is not a 200 within --timeout seconds (default 2, as wrk's) is an error.

--setups compares server set-ups side by side in one invocation: each
"WxT" starts W server processes with T encoder threads each (T 0: the
cores shared among the processes, the default), one after another on the
same copy of the index.

Each row also gives the server's CPU time per request (its process and
workers, read from /proc around the measured part): on a machine that other
jobs share, req/s and latencies move with their load, CPU per request hardly.

--publish: halfway through the last run a new version of every report is
published (a copy of the current one, switched in through CURRENT, as
`qa ingest` does) and the server told to reload; the errors column then
counts the requests that failed across the swap.

--client picks the load generator, each in turn against the same server:
`python` (default), a few lines of asyncio over raw HTTP/1.1, or `wrk`
(Debian's, driven by eval/wrk_ask.lua), which as C code takes less of the
CPU that the server needs on a small machine (~3 ms a request for the
asyncio client, measured as the CPU the server did not get).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from eval.metrics import percentile
from eval.questions import load_questions
from eval.server import started_server
from index.catalog import Catalog
from qa.settings import get_settings

WARM_UP_S = 3.0
WRK_SCRIPT = Path(__file__).with_name("wrk_ask.lua")


@dataclass
class Run:
    clients: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    published: str = ""
    server_cpu_s: float | None = None  # the server's CPU time over the run (None: a server elsewhere)
    client: str = "python"
    answered: int = 0  # requests answered 200 (the python client also keeps each one's latency)
    percentiles_ms: dict[int, float] = field(default_factory=dict)  # wrk reports these, not each latency

    def fail(self, why: str) -> None:
        self.errors[why] = self.errors.get(why, 0) + 1

    def row(self) -> dict[str, float]:
        took = {p: self.percentiles_ms.get(p) or percentile(self.latencies_ms, p) for p in (50, 95, 99)}
        answered = self.answered or len(self.latencies_ms)
        return {"clients": self.clients, "requests": answered, "req/s": answered / self.seconds,
                "p50 ms": took[50], "p95 ms": took[95], "p99 ms": took[99], "errors": sum(self.errors.values()),
                "cpu ms/req": self.server_cpu_s * 1000 / max(answered + sum(self.errors.values()), 1)
                if self.server_cpu_s is not None else float("nan")}


async def post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, body: bytes) -> int:
    writer.write(b"POST /ask HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                 % (host.encode(), len(body), body))
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def client(url: str, bodies: list[bytes], first: int, until: float, timeout: float, run: Run | None) -> None:
    """One person asking question after question until `until`; `run` None: warm-up, nothing recorded."""
    parts = urlsplit(url)
    connection = None
    i = first
    while time.monotonic() < until:
        body = bodies[i % len(bodies)]
        i += 1
        start = time.perf_counter()
        try:
            if connection is None:
                connection = await asyncio.wait_for(asyncio.open_connection(parts.hostname, parts.port), timeout)
            status = await asyncio.wait_for(post(*connection, parts.netloc, body), timeout)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError) as error:
            if run is not None:
                run.fail("timeout" if isinstance(error, asyncio.TimeoutError) else type(error).__name__)
            if connection is not None:
                connection[1].close()
            connection = None
            continue
        if run is None:
            continue
        if status == 200:
            run.latencies_ms.append((time.perf_counter() - start) * 1000)
        else:
            run.fail(f"HTTP {status}")
    if connection is not None:
        connection[1].close()


async def drive(url: str, bodies: list[bytes], clients: int, seconds: float, timeout: float,
                halfway: asyncio.Future | None = None, cpu_s: Callable[[], float] | None = None) -> Run:
    """`cpu_s`: the server's CPU seconds so far, read around the measured part."""
    run = Run(clients, seconds)
    spread = len(bodies) // clients
    warm_until = time.monotonic() + WARM_UP_S
    await asyncio.gather(*(client(url, bodies, c * spread, warm_until, timeout, None) for c in range(clients)))
    until = time.monotonic() + seconds
    tasks = [client(url, bodies, c * spread, until, timeout, run) for c in range(clients)]
    if halfway is not None:
        tasks.append(halfway(run, seconds / 2))
    cpu_before = cpu_s() if cpu_s else None
    await asyncio.gather(*tasks)
    if cpu_s:
        run.server_cpu_s = cpu_s() - cpu_before
    return run


async def drive_wrk(url: str, bodies: list[bytes], clients: int, seconds: float, timeout: float,
                    halfway: asyncio.Future | None = None, cpu_s: Callable[[], float] | None = None) -> Run:
    """The same run with Debian's wrk as the clients: a C load generator takes a small share of the
    2 cores that the asyncio client shares with the server (eval/wrk_ask.lua)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk saknas: apt-get install wrk (Debians paket), eller kör med --client python.")
    run = Run(clients, seconds, client="wrk")
    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl") as lines:
        lines.write(b"\n".join(bodies) + b"\n")
        lines.flush()

        async def wrk(duration: float) -> list[str]:
            process = await asyncio.create_subprocess_exec(
                "wrk", f"-t{min(clients, 2)}", f"-c{clients}", f"-d{round(duration)}s", f"--timeout={round(timeout)}s",
                "-s", str(WRK_SCRIPT), url, env={**os.environ, "BODIES": lines.name},
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            output = (await process.communicate())[0].decode()
            result = [line.split()[1:] for line in output.splitlines() if line.startswith("RESULT")]
            if not result:
                raise RuntimeError(f"wrk gav inget resultat:\n{output}")
            return result[0]

        await wrk(WARM_UP_S)
        cpu_before = cpu_s() if cpu_s else None
        results = await asyncio.gather(wrk(seconds), *([halfway(run, seconds / 2)] if halfway else []))
    if cpu_s:
        run.server_cpu_s = cpu_s() - cpu_before
    requests, connect, read, write, status, timeouts, *micros = map(int, results[0])
    run.answered = requests - status
    run.percentiles_ms = {p: us / 1000 for p, us in zip((50, 95, 99), micros)}
    run.errors = {why: count for why, count in (("connect", connect), ("read", read), ("write", write),
                                                ("HTTP-status", status), ("timeout", timeouts)) if count}
    return run


DRIVERS = {"python": drive, "wrk": drive_wrk}


def publish_copies(index_dir: Path) -> list[str]:
    """A new version of every report (a copy of the current one), made current as a build does."""
    catalog = Catalog(index_dir)
    versions = []
    for report in catalog.reports():
        staged = catalog.staging_dir(report)
        shutil.copytree(catalog.current(report), staged)
        versions.append(catalog.publish(report, staged, secrets.token_hex(4)))
    return versions


def publisher(url: str, index_dir: Path, token: str):
    async def publish_halfway(run: Run, after_s: float) -> None:
        await asyncio.sleep(after_s)
        versions = await asyncio.to_thread(publish_copies, index_dir)
        run.published = ", ".join(versions)
        request = urllib.request.Request(url + "/admin/reload", b"", {"Authorization": f"Bearer {token}"})
        try:  # the server's own watcher reloads it too (QA_RELOAD_INTERVAL_S)
            reply = await asyncio.to_thread(lambda: json.load(urllib.request.urlopen(request, timeout=after_s)))
            run.published += f" (omladdat: {', '.join(reply['reloaded']) or 'inget'})"
        except OSError as error:
            run.published += f" (POST /admin/reload svarade inte: {error})"
    return publish_halfway


def format_rows(runs: list[Run]) -> str:
    rows = [run.row() for run in runs]
    header = "".join(f"{name:>11}" for name in rows[0])
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append("".join(f"{value:>11.0f}" if isinstance(value, int) else f"{value:>11.1f}"
                             for value in row.values()))
    return "\n".join(lines)


def measure(url: str, bodies: list[bytes], args: argparse.Namespace, index_dir: Path | None, token: str,
            cpu_s: Callable[[], float] | None, client: str) -> list[Run]:
    """Each client count in turn against one server; --publish acts in the last run."""
    runs = []
    for position, clients in enumerate(args.clients):
        last = position == len(args.clients) - 1
        halfway = publisher(url, index_dir, token) if args.publish and last else None
        runs.append(asyncio.run(DRIVERS[client](url, bodies, clients, args.seconds, args.timeout, halfway, cpu_s)))
        print(f"{clients} klienter klart ({client})", file=sys.stderr, flush=True)
    return runs


def report(label: str, runs: list[Run]) -> None:
    print(label)
    print(format_rows(runs))
    for run in runs:
        if run.errors:
            print(f"  {run.clients} klienter, fel: {run.errors}")
        if run.published:
            print(f"  {run.clients} klienter: ny indexversion publicerad mitt i körningen: {run.published}")
    if len(runs) > 1 and runs[0].row()["req/s"]:
        print(f"genomströmning {runs[-1].clients} / {runs[0].clients} klienter: "
              f"{runs[-1].row()['req/s'] / runs[0].row()['req/s']:.2f}×")


def setup(text: str) -> tuple[int, int | None]:
    """"2x1": two server processes, one encoder thread each; "2": the settings' encoder threads
    ("2x0": the cores shared among the processes)."""
    workers, _, threads = text.partition("x")
    return int(workers), int(threads) if threads else None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_load")
    parser.add_argument("--url", help="a running server (otherwise one is started on a copy of the index)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--setups", type=setup, nargs="+", default=[(get_settings().workers, None)],
                        help="server processes x encoder threads each, run in turn, e.g. 1x2 2x1 (default: settings)")
    parser.add_argument("--client", nargs="+", choices=sorted(DRIVERS), default=["python"],
                        help="the load generator(s), each in turn against the same server: python (asyncio) or wrk")
    parser.add_argument("--publish", action="store_true", help="publish a new index version halfway through the last run")
    args = parser.parse_args(argv)
    if args.publish and args.url:
        parser.error("--publish needs the server this script starts (it writes to that server's index)")

    bodies = [json.dumps({"question": q.question, "k": 5}).encode() for q in load_questions()]
    head = f"POST /ask (k=5), {args.seconds:.0f} s per körning, timeout {args.timeout:.0f} s"
    if args.url:
        for client in args.client:
            report(f"{head}, {client}, server {args.url}", measure(args.url, bodies, args, None, "", None, client))
        return 0
    token = secrets.token_hex(8)
    for workers, threads in args.setups:
        encoder = {} if threads is None else {"QA_ENCODER_THREADS": str(threads)}
        with tempfile.TemporaryDirectory() as tmp:
            index_dir = Path(tmp) / "index"
            shutil.copytree(get_settings().index_dir, index_dir)
            with started_server(index_dir, QA_WORKERS=str(workers), QA_QUERY_CACHE_SIZE="0", QA_ADMIN_TOKEN=token,
                                **encoder) as server:
                for client in args.client:
                    runs = measure(server.url, bodies, args, index_dir, token, server.cpu_s, client)
                    report(f"{head}, {client}, {workers} serverprocess(er) × "
                           f"{'standard' if threads is None else threads} kodartrådar, frågecache av", runs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
