"""Every encoder backend runs the same model: ONNX fp32 gives PyTorch's vectors,
the int8 variants come close, and all count tokens alike."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from index.embedder import Embedder
from index.encoders import ENCODERS, load_encoder
from index.encoders.torch_thread import TorchThread
from qa.settings import Settings

TEXTS = ["Hur många invånare har Västerbotten?", "Regionen satsar på bredband i glesbygden.", "What is Guldmolnet?"]
# Measured: onnx-fp32 1.000, torch-bf16 0.99997; int8 variants 0.97–0.99 on these texts.
CLOSE = {"torch-fp32": 0.9999, "onnx-fp32": 0.9999, "torch-bf16": 0.9999, "torch-int8": 0.95, "onnx-int8": 0.95}


def embedder_for(encoder: str) -> Embedder:
    s = Settings()
    return Embedder(s.model_dir, s.embed_batch_size, encoder, 2, s.query_batch_size)


@pytest.fixture(scope="module")
def reference() -> Embedder:
    return embedder_for("torch-fp32")


@pytest.mark.parametrize("name", ENCODERS)
def test_encoder_vectors_match_pytorch_fp32(name: str, reference: Embedder):
    embedder = embedder_for(name)
    assert embedder.dim == reference.dim and name in embedder.version
    passages = embedder.passages(TEXTS)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert np.all((passages * reference.passages(TEXTS)).sum(axis=1) > CLOSE[name])
    questions = np.stack([embedder.query(t) for t in TEXTS])
    assert np.all((questions * np.stack([reference.query(t) for t in TEXTS])).sum(axis=1) > CLOSE[name])
    assert [embedder.count_tokens(t) for t in TEXTS] == [reference.count_tokens(t) for t in TEXTS]


def test_batched_questions_equal_one_at_a_time(reference: Embedder):
    together = reference.queries(TEXTS)
    alone = np.stack([reference.query(t) for t in TEXTS])
    assert np.allclose(together, alone, atol=1e-5)


def test_unknown_encoder_is_refused_in_swedish():
    with pytest.raises(ValueError, match="Okänd kodare 'gpu'"):
        load_encoder("gpu", Settings().model_dir, 1)


def test_torch_thread_runs_each_call_on_the_threads_asked_for():
    thread = TorchThread(2)
    assert thread.run(torch.get_num_threads) == 2
    assert thread.run(torch.get_num_threads, threads=1) == 1
    assert thread.run(torch.get_num_threads) == 2


def test_a_lone_question_gets_the_lone_question_threads(reference: Embedder, monkeypatch: pytest.MonkeyPatch):
    asked: list[int | None] = []
    real = reference.encoder.encode
    monkeypatch.setattr(reference.encoder, "encode", lambda texts, size, threads=None: asked.append(threads) or
                        real(texts, size, threads))
    monkeypatch.setattr(reference, "lone_query_threads", 1)
    reference.query(TEXTS[0])
    reference.queries(TEXTS)
    assert asked == [1, None]  # alone: its own threads; together: the encoder's share
