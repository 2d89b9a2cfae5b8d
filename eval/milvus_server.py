"""A Milvus standalone server on this machine, for the scale benchmark.

    pip install -e '.[milvus-server]'
    python -m eval.milvus_server [--port 19530] [--dir var/milvus-server]

then, in another shell, with the URI and process id it prints:

    python -m eval.bench_scale --stores milvus --milvus-uri http://127.0.0.1:19530 --milvus-pid PID

The `milvus` package on PyPI carries the Milvus standalone binary (embedded
etcd, local storage; 2.3.5, the newest it has): a real server in its own
process, reached over gRPC as a cluster would be, which is what milvus-lite's
in-process engine cannot show. The service's own Milvus store needs Milvus
2.4 or later (sparse vectors carry its BM25), so this server is for the
benchmark's dense HNSW search only. Its interim index is switched off: a
Milvus 2.3 server otherwise answers from a coarse IVF index built while
rows arrive (recall@10 0.70 at 10⁴ passages, against 1.00 from its HNSW).
Point only loopback clients at it; stop it with Ctrl-C.
"""
from __future__ import annotations

import argparse
import signal
import sys
import time

from qa.settings import REPO_ROOT


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.milvus_server")
    parser.add_argument("--port", type=int, default=19530)
    parser.add_argument("--dir", default=str(REPO_ROOT / "var" / "milvus-server"), help="data and logs")
    args = parser.parse_args(argv)
    try:
        from milvus import default_server
    except ImportError:
        print("Paketet milvus saknas: pip install -e '.[milvus-server]'", file=sys.stderr)
        return 2
    default_server.set_base_dir(args.dir)
    default_server.config.set("queryNode.segcore.interimIndex.enableIndex", "false")
    default_server.listen_port = args.port
    default_server.start()
    print(f"Milvus: uri http://127.0.0.1:{args.port}, pid {default_server.server_proc.pid}", flush=True)
    for stop in (signal.SIGINT, signal.SIGTERM):  # SIGINT too where a shell started this in the background
        signal.signal(stop, lambda *_: sys.exit(0))
    try:
        while default_server.running:
            time.sleep(1)
    finally:
        default_server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
