"""The learning loop's pure part: a candidate model from the shipped data plus one school's
decisions, measured against the model in force, and the rule that decides between them.

The school's decisions are split once and for all by a hash of each post's near-duplicate key:
the held-back part is never trained on in any retrain, and reposts of one post (a retweet, the
same text with another link or emoji) always fall on the same side.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifiers.corpus import LabelledPost, read_labelled, read_written
from classifiers.evaluation import Scores
from classifiers.learned import LearnedModel
from classifiers.training import (
    CORPUS_WEIGHT,
    SAFETY,
    Example,
    _row,
    corpus_examples,
    default_corpus,
    evaluate_posts,
    fit,
    shared_examples,
)
from classifiers.types import PostInput
from config import Roster, SchoolSettings

DEV_SET = Path(__file__).resolve().parents[1] / "eval" / "dev-3"
HELD_BACK_PERCENT = 30
MIN_DECISIONS = 20  # fewer, and the held-back part is too small to say anything
# A decision on this school's own post weighs twice a corpus post: it is the wording the model
# will meet here, judged by the people who apply the policy here.
SCHOOL_WEIGHT = 2 * CORPUS_WEIGHT
SCHOOL_SET = "school held-back"
DEV_SET_NAME = "dev-3"
_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|\brt\b|\d+|[^\w\s]|_", re.IGNORECASE)


def near_duplicate_key(text: str) -> str:
    """The words of a post without links, handles, numbers, punctuation and emoji: reposts of
    one post share it."""
    words = _NOISE.sub(" ", text.lower()).split()
    return " ".join(words)[:120]


def is_held_back(post: LabelledPost) -> bool:
    digest = hashlib.sha256(near_duplicate_key(post.text).encode()).hexdigest()
    return int(digest[:8], 16) % 100 < HELD_BACK_PERCENT


def split_decisions(posts: list[LabelledPost]) -> tuple[list[LabelledPost], list[LabelledPost]]:
    """(to train on, held back); near-duplicates always land together."""
    train = [p for p in posts if not is_held_back(p)]
    held = [p for p in posts if is_held_back(p)]
    return train, held


def school_examples(
    posts: list[LabelledPost], school: SchoolSettings, roster: Roster
) -> list[Example]:
    """The school's decided posts as the model sees them, its own names masked."""
    from classifiers.pipeline import Classifier, ClassifierSettings

    reader = Classifier(ClassifierSettings(school, roster, use_model=False))
    return [
        Example(
            reader.prepare(PostInput(p.id, p.text, "school"), all_relevant=True).model_text,
            _row(p.labels),
            SCHOOL_WEIGHT,
            f"school:{near_duplicate_key(p.text)}",
        )
        for p in posts
        if p.relevant
    ]


def shipped_examples(public_data: Path | None) -> list[Example]:
    """What the shipped model was trained on: the corpus (train and dev splits, written sets)
    and, when the folder is given, the public data."""
    corpus, dev = default_corpus()
    posts: list[LabelledPost] = []
    for path in [*corpus, dev]:
        posts += read_written(path) if path.is_dir() else read_labelled(path)
    examples = corpus_examples(posts)
    return examples + (shared_examples(public_data) if public_data is not None else [])


def fit_candidate(
    base: list[Example],
    school: list[Example],
    current: LearnedModel,
    version: str,
    trained_on: str,
) -> LearnedModel:
    """A model on ``base`` plus ``school`` with the current model's vocabularies and idf (not
    fitted again: the slow half of training) and its thresholds (no cross-validation)."""
    model = fit(base + school, version, trained_on, vectorisers=(current.word, current.char))
    return dataclasses.replace(model, thresholds=dict(current.thresholds))


def dev_posts(folder: Path = DEV_SET) -> list[LabelledPost]:
    return read_written(folder)


def measure(
    model: LearnedModel,
    held: list[LabelledPost],
    school: tuple[SchoolSettings, Roster],
    thresholds: Mapping[str, float],
    dev: list[LabelledPost],
) -> dict[str, Scores]:
    """The model on the school's held-back decisions (under the school's thresholds) and on the
    development set (each post with its own set's school)."""
    found = {DEV_SET_NAME: evaluate_posts(dev, model)}
    if held:
        found[SCHOOL_SET] = evaluate_posts(
            held, model, school=school, config_thresholds=dict(thresholds), scope="school"
        )
    return found


def figures(scores: Scores) -> dict[str, Any]:
    """JSON-ready figures for the index and the page."""
    return {
        "micro_f1": round(scores.micro.f1, 4),
        "posts": scores.posts,
        "appropriate": scores.appropriate,
        "appropriate_flagged": scores.appropriate_flagged,
        "categories": {
            c: {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                "support": s.support,
            }
            for c, s in scores.per_category.items()
        },  # fmt: skip
    }


@dataclass(frozen=True)
class Verdict:
    promote: bool
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def judge(current: Mapping[str, Scores], candidate: Mapping[str, Scores]) -> Verdict:
    """Promote only if, on every set, no safety category loses recall and micro-F1 does not
    fall. The reasons name each loss, or say what was gained."""
    losses: list[str] = []
    gains: list[str] = []
    for name in sorted(current):
        now, new = current[name], candidate[name]
        for category in SAFETY:
            before, after = now.per_category[category], new.per_category[category]
            if before.support and after.recall < before.recall - 1e-9:
                losses.append(f"{category} recall on {name} falls from {before.recall:.2f} to "
                              f"{after.recall:.2f}")  # fmt: skip
        if new.micro.f1 < now.micro.f1 - 1e-9:
            losses.append(f"micro-F1 on {name} falls from {now.micro.f1:.3f} to "
                          f"{new.micro.f1:.3f}")  # fmt: skip
        else:
            gains.append(f"micro-F1 on {name} {now.micro.f1:.3f} -> {new.micro.f1:.3f}")
    if losses:
        return Verdict(False, tuple(losses))
    safety = ", ".join(SAFETY)
    return Verdict(True, (f"no safety category ({safety}) loses recall", *gains))
