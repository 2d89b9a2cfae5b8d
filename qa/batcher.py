"""Questions that arrive together are embedded together.

Embedding one question alone costs ~12 ms on 2 cores (onnx-fp32); 32 at
once, in length-sorted groups of `query_batch_size`, ~7 ms each (README,
Encoder; with PyTorch the gap was 27 against 10 ms). The service's routes run in FastAPI's thread pool,
so under load many threads want a question vector at the same moment: each
calls `query()`, which queues the question and waits; one worker thread
takes what has queued (up to `max_size`, waiting at most `max_wait_ms` after
the first for more), embeds it in one pass and hands every caller its
vector. Scoring, ranking and highlighting stay in the caller's thread, per
question. The event loop never waits on the model.

A repeated question (the web page's examples, a reloaded page) is answered
from a small LRU cache without embedding it again.
"""
from __future__ import annotations

import queue
import threading
import time
from collections import OrderedDict, deque
from concurrent.futures import Future

import numpy as np

from index.embedder import Embedder


class QueryCache:
    """The vectors of the most recently asked questions."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str) -> np.ndarray | None:
        with self._lock:
            vector = self._vectors.get(text)
            if vector is not None:
                self._vectors.move_to_end(text)
            return vector

    def put(self, text: str, vector: np.ndarray) -> None:
        if self.size <= 0:
            return
        vector.setflags(write=False)  # shared by every caller that asks the same
        with self._lock:
            self._vectors[text] = vector
            self._vectors.move_to_end(text)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)


class QuestionBatcher:
    """An Embedder whose `query()` joins a micro-batch; everything else is the wrapped embedder's."""

    def __init__(self, embedder: Embedder, max_size: int, max_wait_ms: float, cache_size: int) -> None:
        self.embedder = embedder
        self.max_size = max_size
        self.max_wait_s = max_wait_ms / 1000
        self.cache = QueryCache(cache_size)
        self.batch_sizes: deque[int] = deque(maxlen=1000)  # recent batch sizes, for benchmarks and tests
        self._queue: queue.SimpleQueue[tuple[str, Future[np.ndarray]]] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._last: list[tuple[str, Future[np.ndarray]]] = []  # the batch before, read by the worker only

    def __getattr__(self, name: str) -> object:
        return getattr(self.embedder, name)

    def query(self, text: str) -> np.ndarray:
        cached = self.cache.get(text)
        if cached is not None:
            return cached
        future: Future[np.ndarray] = Future()
        self._ensure_worker()
        self._queue.put((text, future))
        return future.result()

    def _ensure_worker(self) -> None:
        with self._start_lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="question-batcher", daemon=True)
                self._worker.start()

    def _run(self) -> None:
        while True:
            self._embed(self._gather())

    def _gather(self) -> list[tuple[str, Future[np.ndarray]]]:
        """The first waiting question and whatever joins it within the bounds. The wait is spent only
        while questions arrive together: after a lone question, the next one that finds nothing queued
        goes at once, so one person asking never waits for company that is not coming."""
        batch = [self._queue.get()]
        together = len(self._last) > 1 or not self._queue.empty()
        deadline = time.monotonic() + (self.max_wait_s if together else 0.0)
        while len(batch) < self.max_size:
            try:
                batch.append(self._queue.get(timeout=max(deadline - time.monotonic(), 0)))
            except queue.Empty:
                break
        self._last = batch
        return batch

    def _embed(self, batch: list[tuple[str, Future[np.ndarray]]]) -> None:
        texts = list(dict.fromkeys(text for text, _ in batch))  # the same question twice is embedded once
        try:
            vectors = self.embedder.queries(texts)
        except Exception as error:  # every caller hears it; the worker lives on
            for _, future in batch:
                future.set_exception(error)
            return
        self.batch_sizes.append(len(texts))
        by_text = dict(zip(texts, vectors))
        for text, vector in by_text.items():
            self.cache.put(text, vector)
        for text, future in batch:
            future.set_result(by_text[text])
