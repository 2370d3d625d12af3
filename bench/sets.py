"""The classifier on labelled sets, one row a set and a pooled row: what `schoolwatch evaluate`
prints for one set, summed over many (a set is a folder with `posts.jsonl` and `school.toml`).

    .venv/bin/python bench/sets.py eval/holdout-2 eval/holdout-3 [--model F] [--scope area]

Recall is given with its counts (found/labelled) for the safety categories, so figures from
different runs can be pooled by hand; "appropriate" and "irrelevant" are the posts of each kind
that got any flag at all.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from classifiers.corpus import LabelledPost, read_labelled
from classifiers.evaluation import CategoryScore, Scores, score_results
from classifiers.learned import LearnedModel, load_model, shipped_model
from classifiers.pipeline import Classifier, ClassifierSettings
from classifiers.types import PostInput, Result
from config import load_settings

SAFETY = ("threat", "racist", "pupil", "selfharm")


def classify_set(
    folder: Path, model: LearnedModel, scope: str
) -> list[tuple[LabelledPost, Result]]:
    posts = read_labelled(folder / "posts.jsonl")
    settings = load_settings(folder / "school.toml", environ={})
    classifier = Classifier(
        ClassifierSettings(settings.school, settings.roster, dict(settings.thresholds)), model
    )
    results = classifier.classify([PostInput(p.id, p.text, scope) for p in posts])
    return list(zip(posts, results, strict=True))


def _recall(score: CategoryScore) -> str:
    return f"{score.recall:.2f} ({score.tp}/{score.support})" if score.support else ""


def row(name: str, scores: Scores) -> str:
    cells = [name, f"{scores.micro.f1:.3f}"]
    cells += [_recall(scores.per_category[c]) for c in (*SAFETY, "complaint")]
    cells.append(f"{scores.appropriate_flagged} / {scores.appropriate}")
    cells.append(f"{scores.irrelevant_flagged} / {scores.irrelevant}")
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "sets", nargs="+", type=Path, help="folders with posts.jsonl and school.toml"
    )
    parser.add_argument("--model", type=Path, help="a model file (default: the shipped model)")
    parser.add_argument("--scope", choices=("school", "area"), default="school")
    args = parser.parse_args()
    print("| set | micro-F1 | threat | racist | pupil | selfharm | complaint | appropriate "
          "flagged | irrelevant flagged |")  # fmt: skip
    print("| --- " * 9 + "|")
    model = load_model(args.model) if args.model else shipped_model()
    pooled: list[tuple[LabelledPost, Result]] = []
    for folder in args.sets:
        pairs = classify_set(folder, model, args.scope)
        pooled += pairs
        print(row(folder.name, score_results(pairs)))
    if len(args.sets) > 1:
        print(row(f"pooled, {len(pooled)} posts", score_results(pooled)))


if __name__ == "__main__":
    main()
