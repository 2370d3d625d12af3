"""Build posts.jsonl for w27 from the hand-typed src/*.txt files.

Each source line is `labels§text`: labels comma-separated, `-` for none, `IRR` for an
irrelevant post (stored as labels [] and relevant false). The script only shuffles (fixed
seed 27) and numbers.
"""

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SET = "w27"


def main() -> None:
    rows = []
    for src in sorted(HERE.glob("*.txt")):
        for n, line in enumerate(src.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            head, sep, text = line.partition("§")
            if not sep or not text.strip():
                raise SystemExit(f"{src.name}:{n}: expected labels§text")
            head = head.strip()
            if head == "IRR":
                rows.append((text.strip(), [], False))
            elif head == "-":
                rows.append((text.strip(), [], True))
            else:
                rows.append((text.strip(), [x.strip() for x in head.split(",")], True))
    random.Random(27).shuffle(rows)
    out = HERE.parent / "posts.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for i, (text, labels, relevant) in enumerate(rows, 1):
            rec = {"id": f"{SET}-{i:03d}", "text": text, "labels": labels, "relevant": relevant}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} posts to {out}")


if __name__ == "__main__":
    main()
