"""Hostile long posts through the classifier: each must take well under half a second.

spaCy's tokenizer searches a token's prefixes and suffixes in time that grows with the square of
its length; the normaliser cuts symbol runs and splits very long words so that never happens.

    .venv/bin/python bench/long_input.py [--chars 10000]
"""

from __future__ import annotations

import argparse
import time

from classifiers import Classifier, ClassifierSettings, PostInput
from config import SchoolSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=10_000)
    n = parser.parse_args().chars
    shapes = {
        "one symbol": "!" * n,
        "two symbols": "!?" * (n // 2),
        "letter and symbol": "a!" * (n // 2),
        "spaced symbols": "! " * (n // 2),
        "emoji": "\U0001f602" * n,
        "one long word": "ab" * (n // 2),
        "a long address": "https://x.com/" + "a/" * (n // 2),
        "ordinary words": ("Roose Primary is awful and nobody listens " * n)[:n],
    }
    classifier = Classifier(ClassifierSettings(SchoolSettings("Roose Community Primary School")))
    classifier.classify([PostInput("warm", "warm up the model and the tokenizer")])
    worst = 0.0
    for name, text in shapes.items():
        started = time.perf_counter()
        classifier.classify([PostInput("1", text, "school")])
        took = time.perf_counter() - started
        worst = max(worst, took)
        print(f"{name:18} {len(text):>7} chars  {took:.3f} s")
    print(f"slowest {worst:.3f} s (aim <= 0.5 s)")


if __name__ == "__main__":
    main()
