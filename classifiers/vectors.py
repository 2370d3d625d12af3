"""A post as the mean of static word-piece vectors (see ``classifiers/distil.py``).

The vectors let the learned stage score wording it never saw in training by its meaning: an
insult, a threat or a complaint in other words than the corpus used.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

STATIC_VECTORS = Path(__file__).parent / "lexicons" / "static-vectors.npz"


class PieceTokeniser:
    """BERT's uncased word-piece tokenisation: accents stripped, punctuation split off, then the
    longest known piece first, ``##`` marking a piece inside a word."""

    def __init__(self, vocabulary: list[str]) -> None:
        self._ids = {piece: i for i, piece in enumerate(vocabulary)}
        self._unknown = self._ids.get("[UNK]", 0)
        self.word_ids = lru_cache(maxsize=65536)(self._word_ids)

    def _word_ids(self, word: str) -> tuple[int, ...]:
        if word in self._ids:
            return (self._ids[word],)
        found: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self._ids:
                    found.append(self._ids[piece])
                    break
                end -= 1
            if end == start:
                return (self._unknown,)
            start = end
        return tuple(found)

    def ids(self, text: str) -> list[int]:
        out: list[int] = []
        for word in words(text):
            out.extend(self.word_ids(word))
        return out


def words(text: str) -> list[str]:
    """Lower-cased words and single punctuation marks, accents stripped."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        text = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    found: list[str] = []
    current: list[str] = []
    for char in text.lower():
        if char.isalnum():
            current.append(char)
            continue
        if current:
            found.append("".join(current))
            current = []
        if not char.isspace():
            found.append(char)
    if current:
        found.append("".join(current))
    return found


class StaticVectors:
    """Word-piece vectors; :meth:`transform` gives each text the unit-length mean of its pieces."""

    def __init__(self, vocabulary: npt.NDArray[np.str_], vectors: npt.NDArray[np.floating]) -> None:
        if vectors.ndim != 2 or len(vocabulary) != vectors.shape[0]:
            raise ValueError("static vectors need one row per vocabulary piece")
        self.vocabulary = vocabulary
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self._tokeniser = PieceTokeniser([str(p) for p in vocabulary])

    @property
    def dimensions(self) -> int:
        return int(self.vectors.shape[1])

    def transform(self, texts: list[str]) -> npt.NDArray[np.float32]:
        from scipy.sparse import csr_matrix

        pointers = [0]
        columns: list[int] = []
        for text in texts:
            columns.extend(self._tokeniser.ids(text))
            pointers.append(len(columns))
        counts = csr_matrix(
            (np.ones(len(columns), dtype=np.float32), columns, pointers),
            shape=(len(texts), len(self.vocabulary)),
        )
        summed = np.asarray(counts @ self.vectors, dtype=np.float32)
        norms = np.linalg.norm(summed, axis=1, keepdims=True)
        return np.asarray(summed / np.maximum(norms, 1e-9), dtype=np.float32)


def load_static_vectors(path: Path = STATIC_VECTORS) -> StaticVectors:
    with np.load(path, allow_pickle=False) as data:
        return StaticVectors(data["vocabulary"], data["vectors"])
