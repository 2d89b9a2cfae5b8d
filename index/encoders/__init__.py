"""Encoder backends: what turns texts into unit vectors.

One module per implementation, all reading the same converted model folder
(index/convert_model.py) and the same tokenizer, so they differ only in how
the transformer runs. `index/embedder.py` adds the e5 prefixes and is what
the rest of the code uses; the manifest records the encoder, so vectors of
two encoders are never mixed in one search. Speed and retrieval quality of
each are in the README (`python -m eval.bench_encoders`).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    name: str  # as in Settings.encoder and the manifest
    max_seq_length: int  # model tokens; longer texts are truncated

    def encode(self, texts: Sequence[str], batch_size: int, threads: int | None = None) -> np.ndarray:
        """One float32 unit vector per text (texts already carry their prompt); `threads`: for this
        call only (None: the encoder's own; ONNX Runtime's session keeps its own and ignores it)."""
        ...

    def count_tokens(self, text: str) -> int:
        """Model tokens of `text`, special tokens included."""
        ...


def quiet_transformers() -> None:
    """No progress bars or notices from transformers while a model loads: `qa serve` and `qa ingest`
    say what they do themselves."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


ENCODERS = ("torch-fp32", "torch-int8", "torch-bf16", "onnx-fp32", "onnx-int8")


def load_encoder(name: str, model_dir: Path, threads: int) -> Encoder:
    """The encoder called `name` over the converted model in `model_dir`, on `threads` threads."""
    if name == "torch-fp32":
        from index.encoders.torch_fp32 import TorchEncoder

        return TorchEncoder(model_dir, threads)
    if name == "torch-int8":
        from index.encoders.torch_int8 import TorchInt8Encoder

        return TorchInt8Encoder(model_dir, threads)
    if name == "torch-bf16":
        from index.encoders.torch_bf16 import TorchBf16Encoder

        return TorchBf16Encoder(model_dir, threads)
    if name in ("onnx-fp32", "onnx-int8"):
        from index.encoders.onnx_runtime import OnnxEncoder

        return OnnxEncoder(model_dir, threads, quantized=name == "onnx-int8")
    raise ValueError(f"Okänd kodare '{name}': välj en av {', '.join(ENCODERS)} (QA_ENCODER).")
