"""Benchmark: how long building the bundled report's index takes, stage by stage.

    python -m eval.bench_ingest [PATH]

Builds into a temporary directory (the served index is not touched) and
prints parse / chunk / embed passages / embed sentences / write index
seconds, plus peak memory. Numbers in the README come from this script.
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from qa.engine import Engine
from qa.settings import get_settings


def main(argv: list[str]) -> int:
    settings = get_settings()
    source = Path(argv[0]) if argv else settings.default_source
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        engine = Engine(settings.model_copy(update={"index_dir": Path(tmp)}))
        engine.embedder  # noqa: B018 - load the model outside the timed stages
        load_s = time.perf_counter() - start
        result = engine.ingest(source)
    total = sum(result.timings.values())
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{source.name}: {result.pages} sidor, {result.chunks} avsnitt "
          f"(chunk_tokens {settings.chunk_tokens}, overlap {settings.chunk_overlap})")
    print(f"  load model       {load_s:7.1f} s")
    for stage, seconds in result.timings.items():
        print(f"  {stage.removesuffix('_s'):<16} {seconds:7.1f} s")
    print(f"  total build      {total:7.1f} s   peak memory {peak_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
