"""The learned stage: TF-IDF word and character n-grams, one calibrated linear model per category.

The shipped model is a file of plain numpy arrays next to this module, loaded once, lazily, from
disk (never the network). Scores are ``sigmoid(a * (x . w + b) + c)``: a logistic regression whose
raw score is Platt-calibrated on held-out folds, so scoring a batch is one sparse product.
"""

from __future__ import annotations

import itertools
import re
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from classifiers.normalise import Normalised

MODEL_PATH = Path(__file__).parent / "policy-model.npz"
MODEL_FORMAT = "schoolwatch-model-1"
# Roster people and the school's own names are replaced by these words before the model sees a
# post, so what it learns is "someone's name here", never a particular school's names.
PUPIL_TOKEN = "xpupilx"
STAFF_TOKEN = "xstaffx"
SCHOOL_TOKEN = "xschoolx"
# The school's own weapon checks ("the knife arch", "a knife crime talk") are masked too: the
# weapon word in them taught the model threat where the posts are about keeping weapons out.
SAFETY_TOKEN = "xsafetyx"
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


class Vectoriser:
    """A fitted vocabulary's TF-IDF transform: the features scikit-learn's ``TfidfVectorizer``
    makes with the shipped options (lower case, sublinear tf, idf, rows scaled to unit length;
    ``tests/classifiers/test_learned.py`` checks them against it), without importing
    scikit-learn, which costs a second or more of every start-up."""

    _TOKEN = re.compile(WORD_FEATURES["token_pattern"])
    _SPACES = re.compile(r"\s\s+")

    def __init__(self, kind: str, vocabulary: list[str], idf: Any) -> None:
        self.kind = kind
        self.vocabulary_ = {term: i for i, term in enumerate(vocabulary)}
        self.idf_ = np.asarray(idf, dtype=np.float64)
        self._names = np.asarray(vocabulary, dtype=str)
        low, high = (WORD_FEATURES if kind == "word" else CHAR_FEATURES)["ngram_range"]
        self._low, self._high = int(low), int(high)
        self._known: dict[str, tuple[int, ...]] = {}

    def get_feature_names_out(self) -> npt.NDArray[np.str_]:
        return self._names

    def terms(self, text: str) -> list[str]:
        text = text.lower()
        low, high = self._low, self._high
        if self.kind == "word":
            tokens = self._TOKEN.findall(text)
            terms = list(tokens) if low == 1 else []
            for n in range(max(low, 2), min(high, len(tokens)) + 1):
                terms += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
            return terms
        terms = []
        for word in self._SPACES.sub(" ", text).split():
            padded = f" {word} "
            for n in range(low, high + 1):
                if len(padded) <= n:  # a short word counts once, whole
                    terms.append(padded)
                    break
                terms += [padded[i : i + n] for i in range(len(padded) - n + 1)]
        return terms

    def columns(self, text: str) -> list[int]:
        """The vocabulary columns of one text's terms, once per occurrence."""
        get = self.vocabulary_.get
        if self.kind == "word":
            return [c for c in map(get, self.terms(text)) if c is not None]
        # Character n-grams never cross a word, so each word's columns are worked out once and
        # remembered: words repeat from post to post far more than they vary.
        known = self._known
        found: list[int] = []
        for word in text.lower().split():
            columns = known.get(word)
            if columns is None:
                if len(known) >= _KNOWN_WORDS:
                    known.clear()
                columns = tuple(c for c in map(get, self.terms(word)) if c is not None)
                known[word] = columns
            found += columns
        return found

    def transform(self, texts: list[str]) -> Any:
        from scipy.sparse import csr_matrix

        found = [self.columns(text) for text in texts]
        lengths = np.fromiter(map(len, found), dtype=np.int64, count=len(texts))
        rows = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
        columns = np.fromiter(itertools.chain.from_iterable(found), dtype=np.int32,
                              count=int(lengths.sum()))  # fmt: skip
        shape = (len(texts), len(self.vocabulary_))
        ones = np.ones(len(columns), dtype=np.float32)
        # Duplicates are summed into counts, and the columns of each row sorted.
        matrix = csr_matrix((ones, (rows, columns)), shape=shape, dtype=np.float32)
        matrix.sum_duplicates()
        data = matrix.data
        np.log(data, data)
        data += 1.0
        data *= self.idf_[matrix.indices]
        row_of = np.repeat(np.arange(len(texts)), np.diff(matrix.indptr))
        squares = np.zeros(len(texts), dtype=np.float64)
        np.add.at(squares, row_of, data.astype(np.float64) ** 2)
        norms = np.sqrt(squares)
        norms[norms == 0.0] = 1.0
        data /= norms[row_of]
        return matrix


_KNOWN_WORDS = 50_000  # words remembered (about 13 MB at most) before starting afresh


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
            # Plain arrays, not fitted objects.
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
        """Plain numpy arrays in a compressed ``.npz``: read back with ``allow_pickle=False``,
        so a model file can hold nothing that runs."""
        state = self.to_state()
        thresholds = state.pop("thresholds")
        arrays = {key: np.asarray(value) for key, value in state.items()}
        arrays["format"] = np.asarray(MODEL_FORMAT)
        arrays["threshold_names"] = np.asarray(list(thresholds), dtype=str)
        arrays["threshold_values"] = np.asarray(list(thresholds.values()), dtype=np.float64)
        with path.open("wb") as handle:
            np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]


def feature_rows(matrix: Any) -> list[tuple[Any, Any]]:
    """Each row of a CSR matrix as ``(columns, values)``: far cheaper than slicing rows out."""
    pointers, columns, values = matrix.indptr, matrix.indices, matrix.data
    return [
        (columns[pointers[i] : pointers[i + 1]], values[pointers[i] : pointers[i + 1]])
        for i in range(matrix.shape[0])
    ]


def _read_npz(path: Path) -> dict[str, Any]:
    with np.load(path, allow_pickle=False) as arrays:
        if "format" not in arrays or str(arrays["format"]) != MODEL_FORMAT:
            raise ModelError(f"model file {path} is not a Schoolwatch model")
        state: dict[str, Any] = {key: arrays[key] for key in arrays.files}
    names, values = state.pop("threshold_names"), state.pop("threshold_values")
    state["thresholds"] = dict(zip([str(n) for n in names], values.tolist(), strict=True))
    state["version"], state["trained_on"] = str(state["version"]), str(state["trained_on"])
    state["categories"] = [str(c) for c in state["categories"]]
    return state


def _read_skops(path: Path) -> dict[str, Any]:
    """A model saved before 2026-12-04 (skops): numpy arrays and builtins only."""
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    unknown = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
    if unknown:
        raise ModelError(f"model file {path} holds untrusted types: {', '.join(unknown)}")
    return cast(dict[str, Any], sio.load(path, trusted=untrusted))


def load_model(path: Path = MODEL_PATH) -> LearnedModel:
    if not path.is_file():
        raise ModelError(f"model file {path} does not exist; run `schoolwatch train` to build it")
    try:
        with zipfile.ZipFile(path) as archive:
            skops_file = "schema.json" in archive.namelist()
        state = _read_skops(path) if skops_file else _read_npz(path)
    except ModelError:
        raise
    except Exception as exc:  # a damaged file fails in many ways
        raise ModelError(f"cannot read model file {path}: {exc}") from None
    try:
        word = Vectoriser("word", [str(t) for t in state["word_vocabulary"]], state["word_idf"])
        char = Vectoriser("char", [str(t) for t in state["char_vocabulary"]], state["char_idf"])
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
