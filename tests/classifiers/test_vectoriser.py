"""Our inference-time TF-IDF transform against scikit-learn's, on the shipped vocabulary."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from classifiers.learned import Vectoriser, shipped_model, vectoriser

ROOT = Path(__file__).resolve().parents[2]


def _texts() -> list[str]:
    lines = (ROOT / "monitor" / "demo" / "posts.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    return texts + [
        "",
        "   ",
        "a",
        "I'll  batter\t\thim\n\nat   the gate",
        "xpupilx and xstaffx at xschoolx 😡😡 K Y S",
        "Ünïcödé ÇAPS don't won't o'clock",
        "x" * 300,
    ]


def test_the_transform_matches_scikit_learns_for_the_shipped_vocabulary() -> None:
    model = shipped_model()
    texts = _texts()
    for ours in (model.word, model.char):
        assert isinstance(ours, Vectoriser)
        theirs = vectoriser(ours.kind, [str(t) for t in ours.get_feature_names_out()])
        theirs.idf_ = ours.idf_
        expected = theirs.transform(texts).tocsr()
        got = ours.transform(texts)
        assert got.shape == expected.shape and got.dtype == expected.dtype
        assert np.array_equal(got.indptr, expected.indptr), ours.kind
        assert np.array_equal(got.indices, expected.indices), ours.kind
        np.testing.assert_allclose(got.data, expected.data, rtol=1e-6, atol=1e-7)


def test_remembered_words_give_the_same_features_as_a_first_reading(monkeypatch) -> None:
    import classifiers.learned as learned

    model = shipped_model()
    texts = _texts()
    fresh = Vectoriser(
        "char", [str(t) for t in model.char.get_feature_names_out()], model.char.idf_
    )
    first = fresh.transform(texts)
    again = fresh.transform(list(reversed(texts)))  # every word now read from what was remembered
    assert np.array_equal(again[::-1].toarray(), first.toarray())
    monkeypatch.setattr(learned, "_KNOWN_WORDS", 3)  # forgets and starts afresh many times
    small = Vectoriser(
        "char", [str(t) for t in model.char.get_feature_names_out()], model.char.idf_
    )
    assert np.array_equal(small.transform(texts).toarray(), first.toarray())
    assert len(small._known) <= 3
