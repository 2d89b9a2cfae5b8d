"""Run the real service (`qa serve`) in a child process on a loopback port,
for the latency benchmark and the end-to-end tests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from qa.settings import REPO_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by `pid` and its live descendants (uvicorn's workers).

    CPU time per request, unlike requests per second, barely moves when other
    jobs share the machine: it lets benchmarks on a busy machine still compare.
    """
    ticks, parent = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while we looked
            continue
        parent[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, grown = {pid}, True
    while grown:
        children = {child for child, ppid in parent.items() if ppid in tree} - tree
        tree |= children
        grown = bool(children)
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Server:
    url: str
    pid: int

    def cpu_s(self) -> float:
        return process_tree_cpu_s(self.pid)


@contextmanager
def running_server(index_dir: Path, **env: str) -> Iterator[str]:
    """Yield the base URL of a server over `index_dir`; stop it afterwards."""
    with started_server(index_dir, **env) as server:
        yield server.url


@contextmanager
def started_server(index_dir: Path, **env: str) -> Iterator[Server]:
    """A server over `index_dir` (its URL and process), stopped afterwards.

    The server's output goes to a file, never a pipe: nobody reads a pipe while
    the server runs, and once its 64 KiB fill up (an access-log line per
    request, ~1,000 requests) every write blocks and the server stops answering.
    """
    port = free_port()
    environment = {**os.environ, "QA_INDEX_DIR": str(index_dir), **env}
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "serve", "--no-build", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # the model loads in ~5 s, but much slower on a busy machine
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"server exited: {log.read().decode(errors='replace')}")
            try:
                urllib.request.urlopen(url + "/health", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield Server(url, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still finishing requests abandoned by timed-out clients
            process.kill()
            process.wait()
        log.close()
