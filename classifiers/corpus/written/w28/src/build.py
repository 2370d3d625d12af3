"""Build posts.jsonl for w28 from the hand-typed src/posts.txt.

Each line is `labels§text`: labels comma-separated, `-` for an appropriate post,
`X` for a post that is not about the school (relevant: false). The script only
shuffles with a fixed seed and numbers the posts.
"""

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 28


def main() -> None:
    rows = []
    for n, line in enumerate((HERE / "posts.txt").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        head, sep, text = line.partition("§")
        if not sep or not text.strip():
            raise SystemExit(f"posts.txt line {n}: expected 'labels§text'")
        if head == "X":
            labels, relevant = [], False
        elif head == "-":
            labels, relevant = [], True
        else:
            labels, relevant = head.split(","), True
        rows.append((labels, relevant, text.strip()))
    random.Random(SEED).shuffle(rows)
    out = HERE.parent / "posts.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for i, (labels, relevant, text) in enumerate(rows, 1):
            obj = {"id": f"w28-{i:03d}", "text": text, "labels": labels, "relevant": relevant}
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} posts to {out}")


if __name__ == "__main__":
    main()
