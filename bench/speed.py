"""Classify speed: 20,000 realistic posts through `schoolwatch classify` in one process.

Builds a school with a full-size roster (300 pupils, 40 staff), fills the corpus templates for it,
then times the command end to end (start-up and model load included) and reads its peak RSS.

    .venv/bin/python bench/speed.py [--posts 20000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import OTHER_SCHOOLS, T, _fill  # noqa: E402

FIRST = [
    "Oliver",
    "Amelia",
    "Noah",
    "Isla",
    "Leo",
    "Ava",
    "Arthur",
    "Mia",
    "Muhammad",
    "Freya",
    "Harry",
    "Lily",
    "Oscar",
    "Grace",
    "Jack",
    "Sophia",
    "Theo",
    "Ella",
    "Archie",
    "Evie",
    "Priya",
    "Kacper",
    "Zainab",
    "Tomasz",
    "Chidi",
    "Aaliyah",
    "Reuben",
    "Maja",
    "Yusuf",
    "Nia",
]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
        "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
        "Khan", "Nowak", "Okafor", "Murphy", "Hughes", "Edwards", "Kowalski", "Begum", "Ali",
        "Clarke", "Jackson", "Lewis"]  # fmt: skip


def build_school(folder: Path, rng: random.Random) -> dict[str, object]:
    pupils = [[rng.choice(FIRST), rng.choice(LAST), str(rng.randint(1, 6)), ""] for _ in range(300)]
    titles = ["Mr", "Mrs", "Miss", "Ms"]
    staff = [
        [rng.choice(titles), rng.choice(FIRST), rng.choice(LAST), "Teacher", ""] for _ in range(40)
    ]
    (folder / "pupils.csv").write_text(
        "first_name,last_name,year_group,aliases\n"
        + "".join(f"{a},{b},{c},\n" for a, b, c, _ in pupils)
    )
    (folder / "staff.csv").write_text(
        "title,first_name,last_name,role,aliases\n"
        + "".join(f"{t},{a},{b},{r},\n" for t, a, b, r, _ in staff)
    )
    (folder / "school.toml").write_text(
        '[school]\nname = "Fernhill Primary School"\naliases = ["Fernhill Primary", "Fernhill"]\n'
        'location = "Stockport"\n\n[people]\npupils = "pupils.csv"\nstaff = "staff.csv"\n'
    )
    aliases = ["Fernhill Primary", "Fernhill"]
    return {"name": "Fernhill Primary School", "aliases": aliases, "location": "Stockport",
            "pupils": pupils, "staff": staff}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20000)
    args = parser.parse_args()
    rng = random.Random(1)
    schoolwatch = Path(sys.executable).parent / "schoolwatch"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        school = build_school(folder, rng)
        posts = folder / "posts.jsonl"
        with posts.open("w") as out:
            for i in range(args.posts):
                template = rng.choice(T)[3]
                text = _fill(template, school, rng)
                out.write(json.dumps({"id": str(i), "text": text, "platform": "x"}) + "\n")
        one = folder / "one.jsonl"
        one.write_text(posts.read_text().splitlines()[0] + "\n")
        command = [str(schoolwatch), "classify", "--config", str(folder / "school.toml")]
        started = time.perf_counter()
        subprocess.run([*command, "--input", str(one), "--output", str(folder / "o1")], check=True)
        startup = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run([*command, "--input", str(posts), "--output", str(folder / "out.jsonl")],
                       check=True)  # fmt: skip
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        flagged = sum(1 for line in (folder / "out.jsonl").open() if '"category"' in line)
    print(f"posts {args.posts}; other schools in stream: {len(OTHER_SCHOOLS)}")
    print(f"start-up with model load (1 post): {startup:.2f} s")
    print(f"classify {args.posts} posts: {elapsed:.1f} s = {args.posts / elapsed:,.0f} posts/s "
          f"(start-up included)")  # fmt: skip
    print(f"peak RSS: {peak_mb:.0f} MB; posts flagged: {flagged}")


if __name__ == "__main__":
    main()
