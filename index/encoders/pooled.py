"""What every encoder that runs the bare transformer shares: tokenising, mean pooling, unit length.

The sentence-transformers model folder describes the same steps in its modules
(mean pooling over the attention mask, then normalisation); an encoder that
runs the transformer itself, outside sentence-transformers, implements only
`hidden`, and gets the same vectors for the same hidden states.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np


class PooledEncoder:
    name: str

    def __init__(self, model_dir: Path) -> None:
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self.max_seq_length = int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])
        self.dim = int(json.loads((model_dir / "config.json").read_text())["hidden_size"])

    def hidden(self, input_ids: np.ndarray, attention_mask: np.ndarray, threads: int | None) -> np.ndarray:
        """The transformer's last hidden states, float32, (batch, tokens, dim)."""
        raise NotImplementedError

    def encode(self, texts: Sequence[str], batch_size: int, threads: int | None = None) -> np.ndarray:
        order = np.argsort([-len(t) for t in texts], kind="stable")  # similar lengths together: less padding
        batches = [self._encode_batch([texts[i] for i in order[start : start + batch_size]], threads)
                   for start in range(0, len(texts), batch_size)]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if batches:
            out[order] = np.concatenate(batches)
        return out

    def _encode_batch(self, texts: list[str], threads: int | None) -> np.ndarray:
        tokens = self.tokenizer(texts, padding=True, truncation=True, max_length=self.max_seq_length,
                                return_tensors="np")
        mask = tokens["attention_mask"].astype(np.int64)
        hidden = self.hidden(tokens["input_ids"].astype(np.int64), mask, threads)
        summed = (hidden * mask[..., None]).sum(axis=1)
        mean = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return (mean / np.linalg.norm(mean, axis=1, keepdims=True)).astype(np.float32)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text)["input_ids"])
