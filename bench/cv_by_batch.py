"""Template-grouped cross-validation of rules + model, split by when the templates were written.

The rule families were written from the errors on the original corpus templates, so the overall
cross-validated figure is in-sample for them. The templates of the second added batch were written
after the rules were frozen: their out-of-fold figures are the fairer estimate for new wording.

    .venv/bin/python bench/cv_by_batch.py --data-dir ../shared/data   # about 2.5 minutes
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import T_MORE, T  # noqa: E402

from classifiers.corpus import corpus_split, read_labelled  # noqa: E402
from classifiers.learned import MODEL_PATH, load_model  # noqa: E402
from classifiers.training import (  # noqa: E402
    classify_posts,
    corpus_examples,
    fit,
    shared_examples,
)
from classifiers.types import Result  # noqa: E402
from config import CATEGORIES  # noqa: E402

SECOND_BATCH = 37  # the last templates of T_MORE, written after the rules were frozen


def _report(name: str, rows: list[tuple[set[str], bool, set[str]]]) -> None:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    appropriate = appropriate_flagged = 0
    for wanted, relevant, got in rows:
        if relevant and not wanted:
            appropriate += 1
            appropriate_flagged += bool(got)
        for c in wanted & got:
            tp[c] += 1
        for c in wanted - got:
            fn[c] += 1
        for c in got - wanted:
            fp[c] += 1
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{name}: {len(rows)} posts, micro P {t / max(t + f, 1):.3f} R {t / max(t + n, 1):.3f} "
          f"F1 {2 * t / max(2 * t + f + n, 1):.3f}; appropriate flagged "
          f"{appropriate_flagged}/{appropriate}")  # fmt: skip
    for c in CATEGORIES:
        print(f"  {c:10s} P {tp[c] / max(tp[c] + fp[c], 1):.3f} "
              f"R {tp[c] / max(tp[c] + fn[c], 1):.3f} (support {tp[c] + fn[c]})")  # fmt: skip


def main() -> None:
    from sklearn.model_selection import GroupKFold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--model", type=Path, default=MODEL_PATH, help="thresholds from here")
    args = parser.parse_args()
    thresholds = load_model(args.model).thresholds
    posts, templates = [], []
    for split in ("train", "dev"):
        path = corpus_split(split)
        posts += read_labelled(path)
        lines = path.read_text(encoding="utf-8").splitlines()
        templates += [int(json.loads(line)["template"]) for line in lines if line.strip()]
    shared = shared_examples(args.data_dir)
    groups = [p.group or p.id for p in posts]
    results: dict[int, Result] = {}
    for fit_rows, held_rows in GroupKFold(3).split(posts, groups=groups):
        model = fit(corpus_examples([posts[i] for i in fit_rows]) + shared, "cv", "")
        model = dataclasses.replace(model, thresholds=thresholds)
        held = [posts[i] for i in held_rows]
        for i, result in zip(held_rows, classify_posts(held, model, {}), strict=True):
            results[int(i)] = result
    first_batch = len(T)
    second_batch = len(T) + len(T_MORE) - SECOND_BATCH
    rows = [
        (set(p.labels), p.relevant, {f.category for f in results[i].flags})
        for i, p in enumerate(posts)
    ]
    _report("all train+dev", rows)
    _report(
        "original templates", [r for r, t in zip(rows, templates, strict=True) if t < first_batch]
    )
    _report(
        "batch 1 (after the first rules)",
        [r for r, t in zip(rows, templates, strict=True) if first_batch <= t < second_batch],
    )
    _report("batch 2 (after the rules were frozen)",
            [r for r, t in zip(rows, templates, strict=True) if t >= second_batch])  # fmt: skip


if __name__ == "__main__":
    main()
