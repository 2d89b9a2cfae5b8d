"""The reference encoder: the sentence-transformers model in PyTorch, fp32."""
from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np

from index.encoders import quiet_transformers
from index.encoders.torch_thread import TorchThread


class TorchEncoder:
    name = "torch-fp32"

    def __init__(self, model_dir: Path, threads: int) -> None:
        from sentence_transformers import SentenceTransformer

        quiet_transformers()
        self.thread = TorchThread(threads)
        self.model = self.thread.run(partial(SentenceTransformer, str(model_dir), device="cpu", local_files_only=True))
        self.max_seq_length = int(self.model.max_seq_length)

    def encode(self, texts: Sequence[str], batch_size: int, threads: int | None = None) -> np.ndarray:
        # sentence-transformers sorts the texts by length, so padding stays small.
        vectors = self.thread.run(partial(self.model.encode, list(texts), batch_size=batch_size,
                                          normalize_embeddings=True), threads=threads)
        return np.asarray(vectors, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text)["input_ids"])
