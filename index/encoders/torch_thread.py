"""One thread that runs every PyTorch call of the process's encoders.

PyTorch runs a model's operations on an OpenMP team that belongs to the thread
that calls it; a second calling thread gets a second team, and on 2 cores the
two teams' waiting threads spin against each other. Measured with torch-bf16,
one question: 5.7 ms called from the main thread alone, 17–21 ms once the
service's batcher thread had called it as well (libgomp, seeing more of its
threads than cores, stops letting them spin between operations), 6–7 ms from
any thread through this one. So everything an encoder does with PyTorch,
loading the model included, runs here. OpenMP's thread count is per calling
thread too, and FAISS, which shares the OpenMP runtime, sets 1 for its own;
here it is set for each call, on this thread.
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import torch

T = TypeVar("T")


# The one thread of the process, shared by every torch encoder in it (the benchmarks load several:
# with one thread each, three teams made torch-bf16's question 17 ms instead of 5.8).
_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="torch")


class TorchThread:
    """An encoder's way onto the process's one PyTorch thread, with its own thread count."""

    def __init__(self, threads: int) -> None:
        self.threads = threads

    def run(self, call: Callable[..., T], *args: object, threads: int | None = None) -> T:
        """`call(*args)` on the encoder's thread, on `threads` OpenMP threads (default: the encoder's),
        without autograd bookkeeping."""
        return _THREAD.submit(self._call, threads or self.threads, call, *args).result()

    @staticmethod
    def _call(threads: int, call: Callable[..., T], *args: object) -> T:
        torch.set_num_threads(threads)  # ~µs; the team is kept
        with torch.inference_mode():
            return call(*args)
