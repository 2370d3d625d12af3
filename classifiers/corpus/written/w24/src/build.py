"""Build w24/posts.jsonl from the hand-typed src/*.txt files.

Each source line is `labels§text`: labels comma-separated, `-` for an appropriate
relevant post, `irr` for a post that is not about the school. This script only
shuffles (fixed seed 24) and numbers; it never writes or changes post text.
"""

import json
import random
import sys
from pathlib import Path

ORDER = [
    "pupil",
    "allegation",
    "bullying",
    "offensive",
    "racist",
    "threat",
    "complaint",
    "selfharm",
]
HERE = Path(__file__).resolve().parent


def main() -> int:
    rows = []
    for src in sorted(HERE.glob("*.txt")):
        for n, line in enumerate(src.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            head, sep, text = line.partition("§")
            if not sep or not text.strip():
                print(f"{src.name}:{n}: expected 'labels§text'", file=sys.stderr)
                return 1
            relevant = head != "irr"
            labels = [] if head in ("-", "irr") else head.split(",")
            bad = [x for x in labels if x not in ORDER]
            if bad:
                print(f"{src.name}:{n}: unknown label {bad[0]!r}", file=sys.stderr)
                return 1
            labels = sorted(set(labels), key=ORDER.index)
            rows.append({"text": text.strip(), "labels": labels, "relevant": relevant})
    random.Random(24).shuffle(rows)
    out = HERE.parent / "posts.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(rows, 1):
            fh.write(json.dumps({"id": f"w24-{i:03d}", **row}, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} posts to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
