"""ONNX Runtime, fp32 or with int8 weights (dynamic quantisation).

The transformer of the converted model is exported once to
`<model_dir>/onnx/` with PyTorch's own exporter (sentence-transformers'
export goes through optimum-onnx, which pins transformers<4.58; this project
runs 5.x), then quantised with onnxruntime's `quantize_dynamic` for the int8
variant. Pooling and normalisation: index/encoders/pooled.py.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np

from index.encoders.pooled import PooledEncoder

EXPORT_OPSET = 17
# int8 weights with one scale per output channel: vectors at cosine 0.996 of fp32 against 0.985 with
# one scale per tensor (100 questions, 80 passages of the bundled report; retrieval quality: README).
INT8_FILE = "model-int8-per-channel.onnx"


def export_transformer(model_dir: Path, target: Path) -> None:
    """Write the transformer of `model_dir` as ONNX with dynamic batch and length."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from index.encoders.torch_bf16 import LastHidden

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    sample = AutoTokenizer.from_pretrained(str(model_dir))(["query: ett exempel", "passage: ett till"],
                                                           padding=True, return_tensors="pt")
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        LastHidden(model), (sample["input_ids"], sample["attention_mask"]), str(target),
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


class OnnxEncoder(PooledEncoder):
    def __init__(self, model_dir: Path, threads: int, quantized: bool) -> None:
        import onnxruntime as ort

        super().__init__(model_dir)
        self.name = "onnx-int8" if quantized else "onnx-fp32"
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Idle ONNX threads otherwise spin, taking the CPU the request handlers need.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(ensure_onnx(model_dir, quantized)), options,
                                            providers=["CPUExecutionProvider"])

    def hidden(self, input_ids: np.ndarray, attention_mask: np.ndarray, threads: int | None) -> np.ndarray:
        return self.session.run(None, {"input_ids": input_ids, "attention_mask": attention_mask})[0]
