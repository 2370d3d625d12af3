"""Our learned stage's recipe on public benchmarks, on their published splits.

Same features as the shipped model (normalised text; TF-IDF word 1-2 and char_wb 2-5 n-grams)
with a logistic regression, trained only on each benchmark's own training part:
- HateXplain: official train split -> official test split, 3 classes, macro-F1 (BERT 0.674)
- Complaints (Preotiuc-Pietro 2019): stratified 10-fold CV, macro-F1 (transformers up to 0.87)
- Vicomtech Stormfront: balanced sampled_train -> sampled_test, accuracy (paper 0.79)

    .venv/bin/python bench/public_benchmarks.py [--data-dir ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np
from scipy.sparse import hstack
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from classifiers.learned import vectoriser
from classifiers.normalise import normalise
from classifiers.training import hatexplain_rows, hatexplain_split


def _features(train: list[str], test: list[str]) -> tuple[object, object]:
    word = vectoriser("word", min_df=2, max_features=40000)
    char = vectoriser("char", min_df=3, max_features=60000)
    train_n = [normalise(t).text for t in train]
    test_n = [normalise(t).text for t in test]
    x_train = hstack([word.fit_transform(train_n), char.fit_transform(train_n)]).tocsr()
    x_test = hstack([word.transform(test_n), char.transform(test_n)]).tocsr()
    return x_train, x_test


def _fit_predict(train: list[str], y: list[int], test: list[str], c: float) -> np.ndarray:
    x_train, x_test = _features(train, test)
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    model.fit(x_train, y)
    return np.asarray(model.predict(x_test))


def hatexplain(data_dir: Path) -> float:
    split = hatexplain_split(data_dir)
    rows = hatexplain_rows(data_dir)
    train = [(t, c) for pid, t, c in rows if split.get(pid) == "train"]
    test = [(t, c) for pid, t, c in rows if split.get(pid) == "test"]
    predicted = _fit_predict(
        [t for t, _ in train], [c for _, c in train], [t for t, _ in test], 2.0
    )
    print(f"  HateXplain: train {len(train)}, test {len(test)} (posts with a majority label)")
    return float(f1_score([c for _, c in test], predicted, average="macro"))


def complaints(data_dir: Path) -> float:
    with (data_dir / "preotiuc2019_complaints-data.csv").open(encoding="utf-8") as handle:
        rows = [(r[1], int(r[2])) for r in csv.reader(handle)]
    texts = np.array([t for t, _ in rows], dtype=object)
    labels = np.array([y for _, y in rows])
    scores = []
    for train, test in StratifiedKFold(10, shuffle=True, random_state=0).split(texts, labels):
        predicted = _fit_predict(list(texts[train]), list(labels[train]), list(texts[test]), 4.0)
        scores.append(f1_score(labels[test], predicted, average="macro"))
    print(f"  Complaints: {len(rows)} tweets, folds {', '.join(f'{s:.3f}' for s in scores)}")
    return float(np.mean(scores))


def vicomtech(data_dir: Path) -> float:
    with (data_dir / "vicomtech2018_stormfront_hate.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["label"] in ("hate", "noHate")]
    train = [r for r in rows if r["split"] == "sampled_train"]
    test = [r for r in rows if r["split"] == "sampled_test"]
    predicted = _fit_predict([r["text"] for r in train], [r["label"] == "hate" for r in train],
                             [r["text"] for r in test], 4.0)  # fmt: skip
    print(f"  Vicomtech: train {len(train)}, test {len(test)}")
    return float(accuracy_score([r["label"] == "hate" for r in test], predicted))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--data-dir", default=str(Path(__file__).resolve().parents[2] / "shared" / "data")
    )
    data_dir = Path(parser.parse_args().data_dir)
    for name, run, reference in (
        ("HateXplain test, 3-class macro-F1", hatexplain, "BERT 0.674, TF-IDF+LR about 0.654"),
        (
            "Complaints 10-fold macro-F1",
            complaints,
            "transformers up to 0.87, TF-IDF+LR about 0.84",
        ),
        ("Vicomtech balanced test accuracy", vicomtech, "paper 0.79, TF-IDF+LR about 0.785"),
    ):
        started = time.perf_counter()
        value = run(data_dir)
        print(
            f"{name}: {value:.3f} (published: {reference}) [{time.perf_counter() - started:.0f} s]"
        )


if __name__ == "__main__":
    main()
