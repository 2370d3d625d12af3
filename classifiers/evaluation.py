"""Per-category precision, recall and F1 for labelled posts, plus the false-alarm figures."""

from __future__ import annotations

from dataclasses import dataclass

from classifiers.corpus import LabelledPost
from classifiers.types import Result
from config import CATEGORIES


@dataclass(frozen=True)
class CategoryScore:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass(frozen=True)
class Scores:
    per_category: dict[str, CategoryScore]
    posts: int
    appropriate: int  # relevant posts with no labels
    appropriate_flagged: int
    irrelevant: int
    irrelevant_flagged: int

    @property
    def micro(self) -> CategoryScore:
        return CategoryScore(
            sum(s.tp for s in self.per_category.values()),
            sum(s.fp for s in self.per_category.values()),
            sum(s.fn for s in self.per_category.values()),
        )

    @property
    def appropriate_flag_rate(self) -> float:
        return self.appropriate_flagged / self.appropriate if self.appropriate else 0.0

    def table(self) -> str:
        lines = [f"{'category':<11} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}"]
        for category in CATEGORIES:
            s = self.per_category[category]
            lines.append(f"{category:<11} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} "
                         f"{s.support:>8d}")  # fmt: skip
        m = self.micro
        lines.append(f"{'micro':<11} {m.precision:>9.3f} {m.recall:>7.3f} {m.f1:>6.3f} "
                     f"{m.support:>8d}")  # fmt: skip
        lines.append(f"posts {self.posts}; appropriate posts flagged {self.appropriate_flagged}/"
                     f"{self.appropriate} ({self.appropriate_flag_rate:.1%}); irrelevant posts "
                     f"flagged {self.irrelevant_flagged}/{self.irrelevant}")  # fmt: skip
        return "\n".join(lines)


def score_results(pairs: list[tuple[LabelledPost, Result]]) -> Scores:
    counts = {c: [0, 0, 0] for c in CATEGORIES}
    appropriate = appropriate_flagged = irrelevant = irrelevant_flagged = 0
    for post, result in pairs:
        predicted = {f.category for f in result.flags}
        for category in CATEGORIES:
            if category in predicted and category in post.labels:
                counts[category][0] += 1
            elif category in predicted:
                counts[category][1] += 1
            elif category in post.labels:
                counts[category][2] += 1
        if not post.relevant:
            irrelevant += 1
            irrelevant_flagged += bool(predicted)
        elif not post.labels:
            appropriate += 1
            appropriate_flagged += bool(predicted)
    return Scores(
        {c: CategoryScore(*v) for c, v in counts.items()},
        len(pairs),
        appropriate,
        appropriate_flagged,
        irrelevant,
        irrelevant_flagged,
    )
