"""Build posts.jsonl from src/posts.txt: shuffle with a fixed seed and number. Nothing else."""

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
rows = []
for line in (HERE / "posts.txt").read_text(encoding="utf-8").splitlines():
    if not line.strip() or line.startswith("#"):
        continue
    lab, text = line.split("§", 1)
    if lab == "X":
        rows.append((text, [], False))
    elif lab == "-":
        rows.append((text, [], True))
    else:
        rows.append((text, lab.split(","), True))
random.Random(2626).shuffle(rows)
with (HERE.parent / "posts.jsonl").open("w", encoding="utf-8") as f:
    for i, (text, labels, rel) in enumerate(rows, 1):
        f.write(
            json.dumps(
                {"id": f"w26-{i:03d}", "text": text, "labels": labels, "relevant": rel},
                ensure_ascii=False,
            )
            + "\n"
        )
print(len(rows))
