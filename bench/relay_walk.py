"""How many jobs a minute the workers' schedule defers for N schools, and how long one
deployment-wide relay and digest walk of N schools takes on PostgreSQL (issue #16: the relay and
the digest as one job each rather than one per school).

    .venv/bin/python bench/relay_walk.py --schools 500 --database postgresql://postgres@127.0.0.1/test

It makes a fresh database of its own (dropped at the end) and a config folder of N schools as
the trust simulation does; the outboxes are empty, so a walk is the per-school cost of looking.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scratch import scratch_database  # noqa: E402
from bench.trust_sim import make_schools  # noqa: E402
from bench.trust_worker_sim import make_folder  # noqa: E402


def per_minute(database: str, folder: Path) -> Counter[str]:
    """The periodic jobs ticking every minute, by task, for the deployment in ``folder``."""
    from config import load_schools
    from monitor.worker import queue_app, schedule, schedule_deployment

    schools, _single = load_schools(folder, {"SCHOOLWATCH_DATABASE_URL": database})
    queue = queue_app(database)  # registers only: nothing is sent to the database
    for slug, settings in schools.items():
        schedule(queue, slug, settings)
    schedule_deployment(queue)
    minute: Counter[str] = Counter()
    for periodic in queue.periodic_registry.periodic_tasks.values():
        if periodic.cron.startswith("* * * * *"):
            minute[periodic.task.name] += 1
    return minute


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1/test")
    args = parser.parse_args()
    from monitor import jobs
    from monitor.deployment import Deployment

    base = Path(tempfile.mkdtemp(prefix="sw-relay-walk-"))
    folder = base / "schools"
    make_folder(make_schools(args.schools), folder, "15m")
    minute = per_minute(args.database, folder)
    print(f"{args.schools} schools: {sum(minute.values())} jobs a minute "
          f"({', '.join(f'{n} {t}' for t, n in sorted(minute.items()))})")  # fmt: skip
    with scratch_database(args.database, "sw_walk_") as url:
        env = {"SCHOOLWATCH_DATABASE_URL": url, "SCHOOLWATCH_DATA_DIR": str(base / "data")}
        deployment = Deployment.open(folder, env)
        try:
            started = time.monotonic()
            jobs.serve(deployment.apps())
            print(f"opening {args.schools} schools' Apps: {time.monotonic() - started:.1f} s")
            for what, walk in (("relay", jobs.relay_all), ("digest", jobs.digest_all)):
                for attempt in (1, 2):
                    started = time.monotonic()
                    done = walk()
                    print(f"{what} walk {attempt}: {len(done)} schools in "
                          f"{time.monotonic() - started:.2f} s")  # fmt: skip
        finally:
            deployment.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
