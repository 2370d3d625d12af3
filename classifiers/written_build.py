"""Build a written set's ``posts.jsonl`` from its hand-typed ``src/*.txt`` (read in name order).

Each line is ``labels§text``: labels comma-separated, ``-`` (or nothing) for an appropriate post,
``X`` (older sets: ``IRR``, ``irr``, ``irrelevant``) for a post that is not about the school
(relevant: false); blank lines and lines starting with ``#`` are skipped. The builder only checks
the labels, refuses a post written twice, shuffles with the set's seed and numbers the posts
``<set>-001`` onwards.

    python -m classifiers.written_build classifiers/corpus/written/w29 --seed 29
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from config import CATEGORIES

_NOT_ABOUT = ("X", "IRR", "irr", "irrelevant")


def read_source(path: Path) -> list[tuple[list[str], bool, str]]:
    rows: list[tuple[list[str], bool, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        head, sep, text = line.partition("§")
        if not sep or not text.strip():
            raise ValueError(f"{path} line {number}: expected 'labels§text'")
        head = head.strip()
        if head in _NOT_ABOUT:
            rows.append(([], False, text.strip()))
        elif head in ("-", ""):
            rows.append(([], True, text.strip()))
        else:
            labels = [label.strip() for label in head.split(",")]
            unknown = [label for label in labels if label not in CATEGORIES]
            if unknown:
                raise ValueError(f"{path} line {number}: unknown label {unknown[0]!r}")
            rows.append((labels, True, text.strip()))
    return rows


def build(folder: Path, seed: int) -> int:
    sources = sorted((folder / "src").glob("*.txt"))
    if not sources:
        raise ValueError(f"{folder / 'src'} holds no .txt source")
    rows = [row for source in sources for row in read_source(source)]
    seen: set[str] = set()
    for _, _, text in rows:
        if text in seen:
            raise ValueError(f"{folder.name}: the same post twice: {text[:60]!r}")
        seen.add(text)
    random.Random(seed).shuffle(rows)
    with (folder / "posts.jsonl").open("w", encoding="utf-8") as out:
        for index, (labels, relevant, text) in enumerate(rows, 1):
            post = {"id": f"{folder.name}-{index:03d}", "text": text, "labels": labels,
                    "relevant": relevant}  # fmt: skip
            out.write(json.dumps(post, ensure_ascii=False) + "\n")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args(argv)
    try:
        count = build(args.folder, args.seed)
    except (OSError, ValueError) as exc:
        print(f"written_build: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {count} posts to {args.folder / 'posts.jsonl'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
