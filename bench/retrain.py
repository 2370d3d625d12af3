"""How long the training half of ``schoolwatch retrain`` takes, and its peak memory.

    .venv/bin/python bench/retrain.py --data-dir ../shared/data
    .venv/bin/python bench/retrain.py --no-public-data

A written set's posts stand in for a school's decisions (200 posts; the held-back 30 % is left
out as retrain does). Each step is timed; peak resident memory is read from the kernel.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classifiers.corpus import WRITTEN_DIR, read_written, written_school  # noqa: E402
from classifiers.learned import shipped_model  # noqa: E402
from classifiers.retrain import (  # noqa: E402
    dev_posts,
    fit_candidate,
    measure,
    school_examples,
    shipped_examples,
    split_decisions,
)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default=str(Path(__file__).resolve().parents[2] / "shared"
                                                  / "data"))  # fmt: skip
    parser.add_argument("--no-public-data", action="store_true")
    parser.add_argument("--school", default="w1", help="written set standing in for decisions")
    args = parser.parse_args()
    steps: list[tuple[str, float]] = []
    started = last = time.monotonic()

    def step(name: str) -> None:
        nonlocal last
        now = time.monotonic()
        steps.append((name, now - last))
        last = now

    current = shipped_model()
    step("load the model in force")
    public = None if args.no_public_data else Path(args.data_dir)
    base = shipped_examples(public)
    step(f"read the shipped data ({len(base)} examples)")
    folder = WRITTEN_DIR / args.school
    school = written_school(folder)
    train, held = split_decisions(read_written(folder))
    mine = school_examples(train, school.school, school.roster)
    step(f"read the school's decisions ({len(train)} to train on, {len(held)} held back)")
    candidate = fit_candidate(base, mine, current, "bench", "bench")
    step("fit the candidate (vectorisers reused, no cross-validation)")
    dev = dev_posts()
    for model in (current, candidate):
        measure(model, held, (school.school, school.roster), {}, dev)
    step("measure both models on the held-back part and dev-3")
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{len(__import__('os').sched_getaffinity(0))} cores")  # fmt: skip
    for name, seconds in steps:
        print(f"{seconds:8.1f} s  {name}")
    print(f"{time.monotonic() - started:8.1f} s  total; peak memory {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
