"""Build posts.jsonl for set w23 from the hand-typed src/*.txt files.

Each source line is `labels§text`: labels comma-separated, empty for an appropriate post, or
`irrelevant` for a post that is not about the school. The script only shuffles (fixed seed) and
numbers.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

SET = "w23"
SEED = 23
LABELS = {
    "pupil",
    "allegation",
    "bullying",
    "offensive",
    "racist",
    "threat",
    "complaint",
    "selfharm",
}
HERE = Path(__file__).resolve().parent


def read_source() -> list[tuple[list[str], str, bool]]:
    rows: list[tuple[list[str], str, bool]] = []
    for path in sorted(HERE.glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            head, sep, text = line.partition("§")
            text = text.strip()
            if not sep or not text:
                sys.exit(f"{path.name}:{number}: expected 'labels§text'")
            names = [n.strip() for n in head.split(",") if n.strip()]
            if names == ["irrelevant"]:
                rows.append(([], text, False))
                continue
            unknown = set(names) - LABELS
            if unknown or len(set(names)) != len(names):
                sys.exit(f"{path.name}:{number}: bad labels {names}")
            rows.append((names, text, True))
    return rows


def main() -> None:
    rows = read_source()
    texts = Counter(text for _, text, _ in rows)
    duplicated = [t for t, n in texts.items() if n > 1]
    if duplicated:
        sys.exit(f"duplicate text: {duplicated[0]}")
    random.Random(SEED).shuffle(rows)
    out = HERE.parent / "posts.jsonl"
    with out.open("w", encoding="utf-8") as handle:
        for index, (labels, text, relevant) in enumerate(rows, 1):
            post_id = f"{SET}-{index:03d}"
            post = {"id": post_id, "text": text, "labels": labels, "relevant": relevant}
            handle.write(json.dumps(post, ensure_ascii=False) + "\n")
    counts = Counter(label for labels, _, _ in rows for label in labels)
    appropriate = sum(1 for labels, _, rel in rows if rel and not labels)
    irrelevant = sum(1 for _, _, rel in rows if not rel)
    print(f"{len(rows)} posts; appropriate {appropriate}; irrelevant {irrelevant}")
    print(" · ".join(f"{k} {v}" for k, v in counts.most_common()))
    per = Counter(len(labels) for labels, _, rel in rows if rel)
    print("labels per relevant post:", dict(sorted(per.items())))


if __name__ == "__main__":
    main()
