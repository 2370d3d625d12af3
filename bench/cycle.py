"""One cycle of N new posts end to end (ingest, classify, cases, outbox) on SQLite or PostgreSQL.

    .venv/bin/python bench/cycle.py --posts 10000 --database sqlite
    .venv/bin/python bench/cycle.py --posts 10000 --database postgresql://postgres@127.0.0.1:5432/test

For PostgreSQL it creates and drops a database of its own on that server.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scratch import scratch_school  # noqa: E402
from bench.synthetic import make_posts, write_jsonl  # noqa: E402
from classifiers import PostInput  # noqa: E402
from config import load_settings  # noqa: E402
from monitor.app import App  # noqa: E402
from monitor.cycle import run_cycle  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--database", default="sqlite")
    args = parser.parse_args()
    with scratch_school("sw-bench-", args.database) as (work, env):
        write_jsonl(work / "posts.jsonl", make_posts(args.posts))
        started = time.perf_counter()
        app = App.open(load_settings(work / "school.toml", env))
        # A running service has its model loaded after its first cycle; load it here too.
        app.classifier.classify([PostInput("warm-up", "Roose Primary")])
        opened = time.perf_counter() - started
        idle = rss_mb()
        started = time.perf_counter()
        report = run_cycle(app, "demo-posts", send=True)
        elapsed = time.perf_counter() - started
        after = rss_mb()
        app.close()
    backend = "sqlite" if args.database == "sqlite" else "postgresql"
    cases = len(report.cases_opened)
    print(
        f"backend={backend} posts={report.new} flagged={report.flagged} cases={cases} "
        f"emails={report.emails.sent} start={opened:.2f}s cycle={elapsed:.2f}s "
        f"rate={report.new / elapsed:.0f} posts/s rss_idle={idle:.0f}MB rss_after={after:.0f}MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
