"""The learned stage: TF-IDF word and character n-grams, one calibrated linear model per category.

The shipped model is a skops file next to this module, loaded once, lazily, from disk (never the
network). Scores are ``sigmoid(a * (x . w + b) + c)``: a logistic regression whose raw score is
Platt-calibrated on held-out folds, stored as plain arrays so scoring a batch is one sparse product.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from classifiers.normalise import Normalised

MODEL_PATH = Path(__file__).parent / "policy-model.skops"
# Roster people and the school's own names are replaced by these words before the model sees a
# post, so what it learns is "someone's name here", never a particular school's names.
PUPIL_TOKEN = "xpupilx"
STAFF_TOKEN = "xstaffx"
SCHOOL_TOKEN = "xschoolx"
_TRUSTED_PREFIXES = ("numpy.", "builtins.")


WORD_FEATURES: dict[str, Any] = {
    "analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b\w[\w']*\b",
    "sublinear_tf": True,
}  # fmt: skip
CHAR_FEATURES: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (2, 5), "sublinear_tf": True}


def vectoriser(kind: str, vocabulary: list[str] | None = None, **fit_options: Any) -> Any:
    """A TF-IDF vectoriser of the shipped kind, empty (to fit) or with a stored vocabulary."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    options = WORD_FEATURES if kind == "word" else CHAR_FEATURES
    if vocabulary is not None:
        fit_options["vocabulary"] = {term: i for i, term in enumerate(vocabulary)}
    return TfidfVectorizer(dtype=np.float32, **options, **fit_options)


def _vocabulary(fitted: Any) -> npt.NDArray[np.str_]:
    return np.asarray(fitted.get_feature_names_out(), dtype=str)


def feature_matrix(word: Any, char: Any, texts: list[str]) -> tuple[Any, Any]:
    """TF-IDF word and character features side by side, and the word part alone."""
    from scipy.sparse import hstack

    words = word.transform(texts).tocsr()
    return hstack([words, char.transform(texts)]).tocsr(), words


class ModelError(Exception):
    """The model file is missing, unreadable or holds something we do not trust."""


def masked_text(norm: Normalised, spans: list[tuple[int, int, str]]) -> str:
    """The normalised text with each original-text span ``(start, end, token)`` replaced."""
    if not spans:
        return norm.text
    token_at: dict[int, str] = {}
    for start, end, token in spans:
        for offset in range(start, end):
            token_at.setdefault(offset, token)
    out: list[str] = []
    last: str | None = None
    for char, offset in zip(norm.text, norm.index, strict=True):
        replacement = token_at.get(offset)
        if replacement is None:
            out.append(char)
            last = None
        elif replacement != last:
            out.append(f" {replacement} ")
            last = replacement
    return "".join(out)


@dataclass(frozen=True)
class LearnedModel:
    version: str
    categories: tuple[str, ...]
    word: Any  # fitted sklearn TfidfVectorizer
    char: Any
    coef: npt.NDArray[np.float32]  # (n_features, n_categories)
    intercept: npt.NDArray[np.float64]
    calibration: npt.NDArray[np.float64]  # (n_categories, 2): a, c
    trained_on: str = ""
    thresholds: Mapping[str, float] = field(default_factory=dict)  # tuned on the dev split

    def features(self, texts: list[str]) -> tuple[Any, Any]:
        """The feature matrix the coefficients apply to, and its word-feature part."""
        return feature_matrix(self.word, self.char, texts)

    def explain(self, word_row: Any, category: str, top: int = 3) -> list[str]:
        """The words (unigrams and bigrams) of one post's word features that push ``category``
        up most; ``word_row`` is that post's ``(columns, values)`` from :func:`feature_rows`."""
        column = self.categories.index(category)
        columns, values = word_row
        weights = self.coef[columns, column] * values
        names = self._word_names()
        order = np.argsort(-weights, kind="stable")[:top]
        return [str(names[columns[i]]) for i in order if weights[i] > 0]

    def _word_names(self) -> Any:
        names = self.__dict__.get("_names")
        if names is None:
            names = self.word.get_feature_names_out()
            object.__setattr__(self, "_names", names)
        return names

    def scores(self, texts: list[str]) -> npt.NDArray[np.float64]:
        """Calibrated probabilities, shape ``(len(texts), len(categories))``."""
        return self.score_batch(texts)[0]

    def score_batch(self, texts: list[str]) -> tuple[npt.NDArray[np.float64], Any]:
        """Calibrated probabilities and the word-feature rows (for :meth:`explain`)."""
        if not texts:
            return np.zeros((0, len(self.categories))), None
        features, words = self.features(texts)
        raw = np.asarray(features @ self.coef, dtype=np.float64) + self.intercept
        z = raw * self.calibration[:, 0] + self.calibration[:, 1]
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64), words

    def to_state(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "categories": list(self.categories),
            # Plain arrays, not fitted objects: skops stores them in a few compact files.
            "word_vocabulary": _vocabulary(self.word),
            "word_idf": np.asarray(self.word.idf_, dtype=np.float64),
            "char_vocabulary": _vocabulary(self.char),
            "char_idf": np.asarray(self.char.idf_, dtype=np.float64),
            "coef": self.coef,
            "intercept": self.intercept,
            "calibration": self.calibration,
            "trained_on": self.trained_on,
            "thresholds": dict(self.thresholds),
        }

    def save(self, path: Path) -> None:
        import skops.io as sio

        sio.dump(self.to_state(), path, compression=8)


def feature_rows(matrix: Any) -> list[tuple[Any, Any]]:
    """Each row of a CSR matrix as ``(columns, values)``: far cheaper than slicing rows out."""
    pointers, columns, values = matrix.indptr, matrix.indices, matrix.data
    return [
        (columns[pointers[i] : pointers[i + 1]], values[pointers[i] : pointers[i + 1]])
        for i in range(matrix.shape[0])
    ]


def load_model(path: Path = MODEL_PATH) -> LearnedModel:
    import skops.io as sio

    if not path.is_file():
        raise ModelError(f"model file {path} does not exist; run `schoolwatch train` to build it")
    try:
        untrusted = sio.get_untrusted_types(file=path)
        unknown = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
        if unknown:
            raise ModelError(f"model file {path} holds untrusted types: {', '.join(unknown)}")
        state = sio.load(path, trusted=untrusted)
    except ModelError:
        raise
    except Exception as exc:  # skops raises many kinds for a damaged file
        raise ModelError(f"cannot read model file {path}: {exc}") from None
    try:
        word = vectoriser("word", [str(t) for t in state["word_vocabulary"]])
        word.idf_ = np.asarray(state["word_idf"])
        char = vectoriser("char", [str(t) for t in state["char_vocabulary"]])
        char.idf_ = np.asarray(state["char_idf"])
    except (KeyError, ValueError) as exc:
        raise ModelError(f"model file {path} is not a Schoolwatch model: {exc}") from None
    return LearnedModel(
        version=str(state["version"]),
        categories=tuple(state["categories"]),
        word=word,
        char=char,
        coef=np.asarray(state["coef"], dtype=np.float32),
        intercept=np.asarray(state["intercept"], dtype=np.float64),
        calibration=np.asarray(state["calibration"], dtype=np.float64),
        trained_on=str(state.get("trained_on", "")),
        thresholds={str(k): float(v) for k, v in dict(state.get("thresholds", {})).items()},
    )


_lock = threading.Lock()
_loaded: dict[Path, LearnedModel] = {}


def shipped_model(path: Path = MODEL_PATH) -> LearnedModel:
    """The model at ``path``, read from disk the first time it is asked for."""
    with _lock:
        if path not in _loaded:
            _loaded[path] = load_model(path)
        return _loaded[path]
