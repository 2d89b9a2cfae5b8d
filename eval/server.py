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
from pathlib import Path

from qa.settings import REPO_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(index_dir: Path, **env: str) -> Iterator[str]:
    """Yield the base URL of a server over `index_dir`; stop it afterwards.

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
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still finishing requests abandoned by timed-out clients
            process.kill()
            process.wait()
        log.close()
