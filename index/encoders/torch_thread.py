"""One thread that runs every PyTorch call of an encoder.

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


class TorchThread:
    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="torch-encoder")

    def run(self, call: Callable[..., T], *args: object, threads: int | None = None) -> T:
        """`call(*args)` on the encoder's thread, on `threads` OpenMP threads (default: the encoder's),
        without autograd bookkeeping."""
        return self._executor.submit(self._call, threads or self.threads, call, *args).result()

    @staticmethod
    def _call(threads: int, call: Callable[..., T], *args: object) -> T:
        torch.set_num_threads(threads)  # ~µs; the team is kept
        with torch.inference_mode():
            return call(*args)
