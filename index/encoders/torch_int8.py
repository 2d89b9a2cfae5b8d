"""PyTorch with dynamic int8 quantisation of the Linear layers.

Weights are int8, activations are quantised on the fly per batch; the
vectors differ from fp32 (cosine 0.96–0.97 measured on questions), which is
why its retrieval quality is measured, not assumed (README, Encoder).
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

import torch

from index.encoders.torch_fp32 import TorchEncoder


class TorchInt8Encoder(TorchEncoder):
    name = "torch-int8"

    def __init__(self, model_dir: Path, threads: int) -> None:
        super().__init__(model_dir, threads)
        self.thread.run(partial(torch.ao.quantization.quantize_dynamic, self.model, {torch.nn.Linear},
                                dtype=torch.qint8, inplace=True))
