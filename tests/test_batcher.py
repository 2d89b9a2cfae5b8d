"""The question batcher: questions asked together are embedded in one pass,
each caller gets its own vector, repeats come from the cache (fake embedder)."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from qa.batcher import QueryCache, QuestionBatcher


class FakeEmbedder:
    """A vector per text that depends only on the text; records each pass."""

    name = "fake"
    dim = 4

    def __init__(self, delay: threading.Event | None = None) -> None:
        self.passes: list[list[str]] = []
        self.delay = delay

    def queries(self, texts: list[str]) -> np.ndarray:
        if self.delay is not None:
            self.delay.wait(5)
        if "fel" in texts:
            raise RuntimeError("modellen kraschade")
        self.passes.append(list(texts))
        return np.array([[len(t), sum(map(ord, t)) % 97, 1.0, 0.0] for t in texts], dtype=np.float32)


def expected(text: str) -> np.ndarray:
    return FakeEmbedder().queries([text])[0]


def test_questions_waiting_together_share_one_pass_and_each_gets_its_own_vector():
    release = threading.Event()
    fake = FakeEmbedder(delay=release)
    batcher = QuestionBatcher(fake, max_size=8, max_wait_ms=50, cache_size=0)
    questions = [f"fråga nummer {i}" for i in range(20)]
    with ThreadPoolExecutor(20) as pool:
        futures = [pool.submit(batcher.query, q) for q in questions]
        release.set()
        vectors = [f.result(timeout=10) for f in futures]
    for question, vector in zip(questions, vectors):
        assert np.array_equal(vector, expected(question))
    assert sum(len(p) for p in fake.passes) == 20
    assert max(len(p) for p in fake.passes) == 8  # bounded size
    assert len(fake.passes) <= 5  # not one pass per question


def test_a_lone_question_waits_at_most_the_bounded_time():
    fake = FakeEmbedder()
    batcher = QuestionBatcher(fake, max_size=32, max_wait_ms=5, cache_size=0)
    assert np.array_equal(batcher.query("ensam"), expected("ensam"))
    assert fake.passes == [["ensam"]]


def test_one_person_asking_never_waits_for_company():
    fake = FakeEmbedder()
    batcher = QuestionBatcher(fake, max_size=32, max_wait_ms=2000, cache_size=0)
    start = time.monotonic()
    for question in ("första", "andra", "tredje"):
        batcher.query(question)
    assert time.monotonic() - start < 1.0  # each would otherwise wait the 2 s for company
    assert fake.passes == [["första"], ["andra"], ["tredje"]]


def test_a_repeated_question_is_not_embedded_again():
    fake = FakeEmbedder()
    batcher = QuestionBatcher(fake, max_size=32, max_wait_ms=0, cache_size=2)
    first = batcher.query("Vad är Guldmolnet?")
    again = batcher.query("Vad är Guldmolnet?")
    assert np.array_equal(first, again) and fake.passes == [["Vad är Guldmolnet?"]]
    with pytest.raises(ValueError):
        again[0] = 0  # shared between callers: read-only


def test_cache_forgets_the_least_recently_used():
    cache = QueryCache(2)
    for text in ("a", "b"):
        cache.put(text, np.zeros(2, dtype=np.float32))
    assert cache.get("a") is not None  # a is now the most recent
    cache.put("c", np.zeros(2, dtype=np.float32))
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("c") is not None


def test_a_failing_pass_reaches_every_caller_and_the_batcher_lives_on():
    batcher = QuestionBatcher(FakeEmbedder(), max_size=32, max_wait_ms=0, cache_size=0)
    with pytest.raises(RuntimeError, match="kraschade"):
        batcher.query("fel")
    assert np.array_equal(batcher.query("rätt"), expected("rätt"))


def test_everything_but_query_is_the_wrapped_embedders():
    batcher = QuestionBatcher(FakeEmbedder(), max_size=32, max_wait_ms=0, cache_size=0)
    assert batcher.name == "fake" and batcher.dim == 4
