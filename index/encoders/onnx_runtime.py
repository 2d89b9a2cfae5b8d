"""ONNX Runtime, fp32 or with int8 weights (dynamic quantisation).

The transformer of the converted model is exported once to
`<model_dir>/onnx/` with PyTorch's own exporter (sentence-transformers'
export goes through optimum-onnx, which pins transformers<4.58; this project
runs 5.x), then quantised with onnxruntime's `quantize_dynamic` for the int8
variant. Mean pooling over the attention mask and normalisation are done
here, as in the sentence-transformers model's modules.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np

EXPORT_OPSET = 17
# int8 weights with one scale per output channel: vectors at cosine 0.996 of fp32 against 0.985 with
# one scale per tensor (100 questions, 80 passages of the bundled report; retrieval quality: README).
INT8_FILE = "model-int8-per-channel.onnx"


def export_transformer(model_dir: Path, target: Path) -> None:
    """Write the transformer of `model_dir` as ONNX with dynamic batch and length."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

    class LastHidden(torch.nn.Module):
        """Named inputs only: the exporter passes positional arguments, which the model's forward misreads."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    sample = AutoTokenizer.from_pretrained(str(model_dir))(["query: ett exempel", "passage: ett till"],
                                                           padding=True, return_tensors="pt")
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        LastHidden(), (sample["input_ids"], sample["attention_mask"]), str(target),
        input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
        opset_version=EXPORT_OPSET, dynamo=False,
    )


def ensure_onnx(model_dir: Path, quantized: bool) -> Path:
    """The ONNX file for `model_dir`, made on first use. Written under a temporary
    name and renamed, so server processes starting together never read half a file."""
    folder = model_dir / "onnx"
    source = (model_dir / "VERSION").read_text()  # written by index/embedder.ensure_model
    if (folder / "VERSION").is_file() and (folder / "VERSION").read_text() != source:
        shutil.rmtree(folder)  # exported from an earlier conversion of the model
    folder.mkdir(exist_ok=True)
    plain = folder / "model.onnx"
    if not plain.is_file():
        partial = folder / f"model.{os.getpid()}.partial.onnx"
        export_transformer(model_dir, partial)
        partial.replace(plain)
    (folder / "VERSION").write_text(source)
    if not quantized:
        return plain
    int8 = folder / INT8_FILE
    if not int8.is_file():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        partial = folder / f"{int8.stem}.{os.getpid()}.partial.onnx"
        quantize_dynamic(str(plain), str(partial), op_types_to_quantize=["MatMul"], per_channel=True,
                         weight_type=QuantType.QInt8)
        partial.replace(int8)
    return int8


class OnnxEncoder:
    def __init__(self, model_dir: Path, threads: int, quantized: bool) -> None:
        import json

        import onnxruntime as ort
        from transformers import AutoTokenizer

        self.name = "onnx-int8" if quantized else "onnx-fp32"
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self.max_seq_length = int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])
        self.dim = int(json.loads((model_dir / "config.json").read_text())["hidden_size"])
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Idle ONNX threads otherwise spin, taking the CPU the request handlers need.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(ensure_onnx(model_dir, quantized)), options,
                                            providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        order = np.argsort([-len(t) for t in texts], kind="stable")  # similar lengths together: less padding
        batches = [self._encode_batch([texts[i] for i in order[start : start + batch_size]])
                   for start in range(0, len(texts), batch_size)]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if batches:
            out[order] = np.concatenate(batches)
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        tokens = self.tokenizer(texts, padding=True, truncation=True, max_length=self.max_seq_length,
                                return_tensors="np")
        mask = tokens["attention_mask"].astype(np.int64)
        hidden = self.session.run(None, {"input_ids": tokens["input_ids"].astype(np.int64), "attention_mask": mask})[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        mean = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return (mean / np.linalg.norm(mean, axis=1, keepdims=True)).astype(np.float32)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text)["input_ids"])
