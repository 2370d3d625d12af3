"""Hostile long posts through the classifier: each must take at most 0.5 s.

spaCy's affix search is quadratic in a space-free token; the classifier bounds what it tokenises
(classifiers/normalise.py). Times one post at a time, after a warm-up, on the demo school.

    .venv/bin/python bench/long_input.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from classifiers import PostInput
from monitor.app import build_classifier
from monitor.demo import demo_settings

LIMIT = 0.5


def hostile_posts() -> dict[str, str]:
    rng = random.Random(12)
    punctuation = "!?.,;:-_()[]{}'\"*&^%$#@~`|/\\<>+="
    return {
        "10,000 '!'": "!" * 10_000,
        "'!?' x 5,000": "!?" * 5_000,
        "10,000 random punctuation": "".join(rng.choice(punctuation) for _ in range(10_000)),
        "10,000 'a'": "a" * 10_000,
        "threat + 9,950 '.'": "I will hurt the Roose Primary head " + "." * 9_950,
        "10,000 random letters and digits, no spaces": "".join(
            rng.choice("abcdefghij0123456789") for _ in range(10_000)
        ),
        "1,000,000 characters of words": ("Roose Primary is rubbish " * 40_000),
    }


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        classifier = build_classifier(demo_settings(Path(folder)))
        classifier.classify([PostInput("warm", "Roose Primary warm-up post")])
        worst = 0.0
        for name, text in hostile_posts().items():
            started = time.perf_counter()
            classifier.classify([PostInput("1", text)])
            seconds = time.perf_counter() - started
            worst = max(worst, seconds)
            print(f"{name:45s} {len(text):>9,d} chars  {seconds:6.3f} s")
    print(f"slowest {worst:.3f} s (limit {LIMIT} s): {'ok' if worst <= LIMIT else 'TOO SLOW'}")
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
