"""``schoolwatch worker`` on PostgreSQL: the queue's own cost per job, and N sources shared by W
worker processes.

1. Overhead: J relay jobs with an empty outbox (each does one query) deferred at once and run by
   one in-process worker: jobs per second, so the queue's cost per job is known.
2. Sharing: S jsonl sources of P synthetic posts each; W real ``schoolwatch worker`` processes
   started together on a fresh database; the wall time until every source's first cycle has
   succeeded (start-up, schema, model load in each worker, then the cycles).

    .venv/bin/python bench/workers.py --database postgresql://postgres@127.0.0.1:5432/test \
        --jobs 300 --sources 8 --posts 500 --workers 1 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402

from bench.scratch import scratch_school  # noqa: E402
from bench.synthetic import make_posts  # noqa: E402
from config import load_settings  # noqa: E402
from models import CaseSequence, utcnow  # noqa: E402
from monitor import jobs  # noqa: E402
from monitor.app import App  # noqa: E402
from monitor.worker import conninfo, ensure_schema, queue_app  # noqa: E402


def overhead(database: str, count: int) -> float:
    with scratch_school("sw-bench-workers-", database) as (folder, env):
        app = App.open(load_settings(folder / "school.toml", env))
        school = jobs.register(app)
        url = env["SCHOOLWATCH_DATABASE_URL"]
        queue = queue_app(url)
        ensure_schema(queue, url)

        async def run() -> float:
            async with queue.open_async():
                deferrer = queue.configure_task("schoolwatch.relay")
                for _ in range(count):
                    await deferrer.defer_async(school=school)
                started = time.perf_counter()
                await queue.run_worker_async(wait=False, install_signal_handlers=False)
                return time.perf_counter() - started

        seconds = asyncio.run(run())
        app.close()
    return count / seconds


def sharing(
    database: str, sources: int, posts: int, workers: int, keep_logs: bool = False
) -> float:
    with scratch_school("sw-bench-workers-", database) as (folder, env):
        with (folder / "school.toml").open("a") as toml:
            for number in range(sources):
                lines = make_posts(posts, seed=number, prefix=f"s{number}")
                path = folder / f"source{number}.jsonl"
                path.write_text("".join(json.dumps(line) + "\n" for line in lines))
                toml.write(f'\n[[sources]]\nname = "bench{number}"\ntype = "jsonl"\n'
                           f'every = "1h"\npath = "{path.name}"\n')  # fmt: skip
        # The year's case counter exists before the workers start: its first insert races
        # between two processes (a duplicate key, retried 15 to 30 s later), which would time
        # the retry instead of the sharing. Reported; monitor/cases.py's next_reference to fix.
        app = App.open(load_settings(folder / "school.toml", env))
        with app.sessions.begin() as session:
            session.add(CaseSequence(year=utcnow().year, last=0))
        app.close()
        command = [
            sys.executable,
            "-m",
            "monitor",
            "worker",
            "--config",
            str(folder / "school.toml"),
        ]
        started = time.perf_counter()
        logs = [(folder / f"worker{n}.log").open("wb") for n in range(workers)]
        processes = [
            subprocess.Popen(
                command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
            )  # fmt: skip
            for log in logs
        ]
        query = ("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'schoolwatch.cycle' "
                 "AND args->>'source' LIKE 'bench%' AND status = 'succeeded'")  # fmt: skip
        try:
            while True:
                time.sleep(0.2)
                try:
                    with psycopg.connect(conninfo(env["SCHOOLWATCH_DATABASE_URL"])) as db:
                        row = db.execute(query).fetchone()
                except psycopg.errors.UndefinedTable:
                    continue
                if row is not None and row[0] >= sources:
                    return time.perf_counter() - started
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=120)
            if keep_logs:
                for log in logs:
                    log.close()
                    print(Path(log.name).read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a PostgreSQL URL (its server is used)")
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--sources", type=int, default=8)
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--logs", action="store_true", help="print the workers' logs")
    parser.add_argument("--no-overhead", action="store_true", help="skip the overhead part")
    args = parser.parse_args()
    if not args.no_overhead:
        print(f"overhead: {overhead(args.database, args.jobs):.0f} jobs/s "
              f"({args.jobs} no-op relay jobs, one worker, concurrency 1)")  # fmt: skip
    for workers in args.workers:
        seconds = sharing(args.database, args.sources, args.posts, workers, args.logs)
        print(f"{workers} worker(s): {args.sources} sources x {args.posts} posts "
              f"in {seconds:.1f} s from start")  # fmt: skip


if __name__ == "__main__":
    main()
