"""PyTorch with bf16 weights, traced once with TorchScript: the fast encoder on CPUs with AMX.

This project's machines (Intel Xeon, AMX and AVX-512 BF16) multiply bf16
matrices in hardware, through oneDNN, several times faster than fp32; the
vectors stay at cosine 0.99997 of fp32 on questions and passages of the
bundled report (tests/test_encoders.py checks > 0.9999). Measured on 2
threads here: a passage 17 ms against 64 ms (torch-fp32) and 129 ms
(onnx-fp32); one question 5.4 ms against 9.3 ms (onnx-fp32), where tracing
matters: the eager model spends ~3 ms of a short question in Python between
layers. On a CPU without bf16 arithmetic oneDNN emulates it and this encoder
is slower than onnx-fp32: choose that one there (README, Encoder).
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import torch

from index.encoders import quiet_transformers
from index.encoders.pooled import PooledEncoder
from index.encoders.torch_thread import TorchThread


class LastHidden(torch.nn.Module):
    """The transformer's last hidden states from named inputs: exporters and tracers pass positional
    arguments, which the model's own forward misreads."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


class TorchBf16Encoder(PooledEncoder):
    name = "torch-bf16"

    def __init__(self, model_dir: Path, threads: int) -> None:
        super().__init__(model_dir)
        self.thread = TorchThread(threads)
        # Traced on a padded batch, so the graph keeps the attention mask's path; checked against
        # fp32 on other batch sizes and lengths (tests/test_encoders.py).
        sample = self.tokenizer(["query: ett exempel", "passage: ett något längre exempel"], padding=True,
                                return_tensors="pt")
        self.module = self.thread.run(self._load, model_dir, sample["input_ids"], sample["attention_mask"])

    @staticmethod
    def _load(model_dir: Path, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.nn.Module:
        from transformers import AutoModel

        quiet_transformers()
        model = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="sdpa")
        module = LastHidden(model.to(torch.bfloat16)).eval()
        with warnings.catch_warnings():
            # transformers' mask code reads tensor values as Python booleans while tracing; what they
            # decide holds for every input here (tests/test_encoders.py), so the warnings say nothing.
            warnings.simplefilter("ignore", torch.jit.TracerWarning)
            warnings.filterwarnings("ignore", ".*is_gradient_checkpointing", FutureWarning)  # the tracer probing
            return torch.jit.freeze(torch.jit.trace(module, (input_ids, attention_mask), strict=False))

    def hidden(self, input_ids: np.ndarray, attention_mask: np.ndarray, threads: int | None) -> np.ndarray:
        return self.thread.run(self._forward, torch.from_numpy(input_ids), torch.from_numpy(attention_mask),
                               threads=threads).numpy()

    def _forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.module(input_ids, attention_mask).float()
