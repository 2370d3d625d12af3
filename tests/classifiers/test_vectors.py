"""Word-piece vectors: tokenising, pooling, distilling, and their place in the learned model."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from classifiers.corpus import corpus_split
from classifiers.distil import distil, read_safetensors
from classifiers.learned import load_model
from classifiers.training import build_model
from classifiers.vectors import PieceTokeniser, StaticVectors, load_static_vectors, words

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "teach", "##er", "##ers", "the", "head", "!", "k"]


def test_words_split_punctuation_fold_case_and_strip_accents() -> None:
    assert words("The HEAD’s café!!") == ["the", "head", "’", "s", "cafe", "!", "!"]


def test_pieces_take_the_longest_known_piece_first() -> None:
    tokeniser = PieceTokeniser(VOCAB)
    assert tokeniser.ids("teachers") == [4, 6]
    assert tokeniser.ids("Teacher the head!") == [4, 5, 7, 8, 9]
    assert tokeniser.ids("xyz") == [1]  # no piece fits: unknown, as BERT does


def test_a_text_becomes_the_unit_length_mean_of_its_pieces() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(VOCAB), 4)).astype(np.float32)
    static = StaticVectors(np.asarray(VOCAB), vectors)
    out = static.transform(["the head", "head the", "", "teachers"])
    assert out.shape == (4, 4)
    expected = vectors[7] + vectors[8]
    assert np.allclose(out[0], expected / np.linalg.norm(expected), atol=1e-6)
    assert np.allclose(out[0], out[1])  # order does not matter
    assert np.allclose(out[2], 0)  # an empty text has no direction, and no NaN
    assert np.isclose(np.linalg.norm(out[3]), 1, atol=1e-6)


def test_a_mismatched_table_is_refused() -> None:
    with pytest.raises(ValueError, match="one row per vocabulary piece"):
        StaticVectors(np.asarray(VOCAB), np.zeros((3, 4)))


def test_the_shipped_vectors_place_related_words_together() -> None:
    static = load_static_vectors()
    kill, murder, banana = static.transform(["kill", "murder", "banana"])
    immigrants, foreigners, sandwich = static.transform(["immigrants", "foreigners", "sandwich"])
    assert kill @ murder > kill @ banana + 0.3
    assert immigrants @ foreigners > immigrants @ sandwich + 0.3


def _tiny_bert(folder: Path, vocab: list[str], hidden: int = 8, inner: int = 16) -> None:
    rng = np.random.default_rng(1)
    shapes = {
        "embeddings.word_embeddings.weight": (len(vocab), hidden),
        "embeddings.position_embeddings.weight": (8, hidden),
        "embeddings.token_type_embeddings.weight": (2, hidden),
        "embeddings.LayerNorm.weight": (hidden,),
        "embeddings.LayerNorm.bias": (hidden,),
    }
    for part in ("query", "key", "value"):
        shapes[f"encoder.layer.0.attention.self.{part}.weight"] = (hidden, hidden)
        shapes[f"encoder.layer.0.attention.self.{part}.bias"] = (hidden,)
    shapes |= {
        "encoder.layer.0.attention.output.dense.weight": (hidden, hidden),
        "encoder.layer.0.attention.output.dense.bias": (hidden,),
        "encoder.layer.0.attention.output.LayerNorm.weight": (hidden,),
        "encoder.layer.0.attention.output.LayerNorm.bias": (hidden,),
        "encoder.layer.0.intermediate.dense.weight": (inner, hidden),
        "encoder.layer.0.intermediate.dense.bias": (inner,),
        "encoder.layer.0.output.dense.weight": (hidden, inner),
        "encoder.layer.0.output.dense.bias": (hidden,),
        "encoder.layer.0.output.LayerNorm.weight": (hidden,),
        "encoder.layer.0.output.LayerNorm.bias": (hidden,),
    }
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    blob = b""
    for name, shape in shapes.items():
        data = rng.normal(size=shape).astype(np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(shape),
                        "data_offsets": [len(blob), len(blob) + len(data)]}  # fmt: skip
        blob += data
    encoded = json.dumps(header).encode()
    (folder / "model.safetensors").write_bytes(struct.pack("<Q", len(encoded)) + encoded + blob)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n")
    config = {"hidden_size": hidden, "num_attention_heads": 2, "num_hidden_layers": 1}
    (folder / "config.json").write_text(json.dumps(config))


def test_distilling_reads_safetensors_and_gives_one_unit_vector_per_piece(tmp_path: Path) -> None:
    _tiny_bert(tmp_path, VOCAB)
    tensors = read_safetensors(tmp_path / "model.safetensors")
    assert tensors["encoder.layer.0.intermediate.dense.weight"].shape == (16, 8)
    vocab, vectors = distil(tmp_path, dimensions=3)
    assert vocab == VOCAB
    assert vectors.shape == (len(VOCAB), 3)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert len({tuple(np.round(v, 4)) for v in vectors}) == len(VOCAB)  # each piece its own


def test_a_model_with_vectors_round_trips_through_skops(tmp_path: Path) -> None:
    model = build_model(None, [corpus_split("dev")], None, "v-1", folds=0,
                        dense=load_static_vectors())  # fmt: skip
    path = tmp_path / "v.skops"
    model.save(path)
    loaded = load_model(path)
    assert loaded.dense is not None and loaded.dense.dimensions == model.dense.dimensions  # type: ignore[union-attr]
    texts = ["I will batter the xstaffx", "lovely nativity xpupilx"]
    assert np.allclose(loaded.scores(texts), model.scores(texts), atol=1e-3)
    assert loaded.coef.shape[0] == model.coef.shape[0]
    assert "word-piece vectors" in loaded.trained_on
