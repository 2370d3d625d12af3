"""Build posts.jsonl for set w25 from the hand-typed src/*.txt files.

Each non-blank, non-# line is `labels§text`; labels are comma-separated, `-` means
relevant with no labels, `irr` means not about the school (relevant false, no labels).
The script only shuffles (fixed seed 25) and numbers; it never edits the text.
"""

import json
import random
import sys
from pathlib import Path

KNOWN = {
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


def main() -> int:
    rows = []
    for path in sorted(HERE.glob("*.txt")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            head, sep, text = line.partition("§")
            if not sep or not text.strip():
                print(f"{path.name}:{lineno}: expected labels§text", file=sys.stderr)
                return 1
            if head == "-":
                labels, relevant = [], True
            elif head == "irr":
                labels, relevant = [], False
            else:
                labels = head.split(",")
                bad = [lab for lab in labels if lab not in KNOWN]
                if bad or len(set(labels)) != len(labels):
                    print(f"{path.name}:{lineno}: bad labels {head!r}", file=sys.stderr)
                    return 1
                relevant = True
            rows.append((labels, text.strip(), relevant))
    texts = [r[1] for r in rows]
    if len(set(texts)) != len(texts):
        print("duplicate post text", file=sys.stderr)
        return 1
    random.Random(25).shuffle(rows)
    out = HERE.parent / "posts.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for i, (labels, text, relevant) in enumerate(rows, 1):
            obj = {"id": f"w25-{i:03d}", "text": text, "labels": labels, "relevant": relevant}
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} posts to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
