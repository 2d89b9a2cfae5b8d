"""Run the real service (`qa serve`) in a child process on a loopback port,
for the latency benchmark and the end-to-end tests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
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
    """Yield the base URL of a server over `index_dir`; stop it afterwards."""
    port = free_port()
    environment = {**os.environ, "QA_INDEX_DIR": str(index_dir), **env}
    process = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "serve", "--no-build", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # the model loads in ~5 s, but much slower on a busy machine
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {process.stdout.read().decode(errors='replace')}")
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
        process.wait(timeout=10)
