"""The review page under load: the queue's first page and a case page, many clients at once.

Fills a database with N flagged posts (one case per 100 posts), serves the review page with
waitress on a free local port, logs in C clients and has each fetch the queue and a case page
R times, then prints p50 and p95 latencies.

    .venv/bin/python bench/queue_load.py --posts 100000 --clients 20 \
        --database postgresql://postgres@127.0.0.1:5432/test

For PostgreSQL it creates and drops a database of its own on that server; `--database sqlite`
uses a temporary file. `--keep NAME` instead fills the PostgreSQL database NAME the first time
and reuses it (not dropped) on later runs with the same `--posts`, which saves the fill.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402
from sqlalchemy import event, func, insert, select, text  # noqa: E402
from waitress import create_server  # noqa: E402

from bench.scratch import scratch_school  # noqa: E402
from config import load_settings  # noqa: E402
from models import Case, Flag, Post, utcnow  # noqa: E402
from monitor.app import App  # noqa: E402
from monitor.web import create_app, warm_up  # noqa: E402
from monitor.web.serve import THREADS  # noqa: E402
from monitor.web.users import create_user  # noqa: E402

EMAIL, PASSWORD = "loadtest@roose.example", "correct horse battery staple 42"
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
SEVERITY = {"threat": "urgent", "pupil": "high", "offensive": "medium", "complaint": "low"}


def filled(app: App, posts: int) -> bool:
    """Whether a kept database already holds this bench's posts (refused if another count)."""
    with app.sessions() as session:
        there = session.scalar(select(func.count()).select_from(Post)
                               .where(Post.source_name == "bench")) or 0  # fmt: skip
    if there and there != posts:
        raise SystemExit(f"the kept database holds {there} bench posts, not {posts}: "
                         "give another --keep name")  # fmt: skip
    return there == posts


def fill(app: App, posts: int) -> str:
    """N posts with a flag each, one case per 100; returns one case's reference."""
    now = utcnow()
    categories = list(SEVERITY)
    with app.sessions.begin() as session:
        session.execute(insert(Case), [
            {"reference": f"SW-2026-{n:05d}", "status": "new", "severity": "urgent",
             "categories": ["threat"], "created_at": now, "updated_at": now}
            for n in range(posts // 100)
        ])  # fmt: skip
        case_ids = list(session.scalars(select(Case.id).order_by(Case.id)))
        for start in range(0, posts, 5000):
            rows = [
                {"platform": "x", "external_id": f"bench{n}", "source_name": "bench",
                 "text": f"Roose Primary post number {n}, Mr Okafor is useless",
                 "created_at": now - timedelta(minutes=n), "fetched_at": now,
                 "content_sha256": "0" * 64, "relevant": True, "classified_at": now,
                 "case_id": case_ids[n // 100] if n // 100 < len(case_ids) else None}
                for n in range(start, min(posts, start + 5000))
            ]  # fmt: skip
            ids = session.execute(insert(Post).returning(Post.id), rows).scalars().all()
            session.execute(insert(Flag), [
                {"post_id": pid, "category": categories[i % 4],
                 "severity": SEVERITY[categories[i % 4]], "score": 0.9, "evidence": [],
                 "reason": "bench", "stage": "patterns", "model_version": "bench",
                 "status": "open", "created_at": now}
                for i, pid in enumerate(ids)
            ])  # fmt: skip
        create_user(session, EMAIL, "headteacher", PASSWORD)
    return "SW-2026-00000"


def client(base: str) -> requests.Session:
    session = requests.Session()
    token = TOKEN.search(session.get(f"{base}/login", timeout=30).text)
    assert token is not None
    form = {"csrf_token": token.group(1), "email": EMAIL, "password": PASSWORD}
    reply = session.post(f"{base}/login", data=form, timeout=30, allow_redirects=False)
    assert reply.status_code == 302, reply.status_code
    return session


ready: Any = None  # each client process's barrier: all start at once


def _start(barrier: Any) -> None:
    global ready
    ready = barrier


def run_client(
    base: str, cookies: dict[str, str], reference: str, rounds: int
) -> dict[str, list[float]]:
    """One client, logged in by the parent: wait for the others, then fetch the queue and a
    case page in turn. Also returns the CPU seconds the client itself spent (``cpu``)."""
    session = requests.Session()
    session.cookies.update(cookies)
    ready.wait()
    cpu = time.process_time()
    timings: dict[str, list[float]] = {"queue": [], "case": []}
    for _ in range(rounds):
        for name, path in (("queue", "/"), ("case", f"/cases/{reference}")):
            started = time.perf_counter()
            assert session.get(f"{base}{path}", timeout=120).status_code == 200
            timings[name].append(time.perf_counter() - started)
    timings["cpu"] = [time.process_time() - cpu]
    return timings


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--database", default="sqlite")
    parser.add_argument(
        "--keep", default="", metavar="NAME", help="fill database NAME once, reuse it"
    )
    parser.add_argument(
        "--threads", type=int, default=0, help=f"server threads (default {THREADS}, as serve)"
    )
    args = parser.parse_args()
    if args.keep and args.database == "sqlite":
        parser.error("--keep needs a PostgreSQL --database")
    bench_env = {"SCHOOLWATCH_SECRET_KEY": "bench"}
    with scratch_school("sw-queue-", args.database, bench_env, keep=args.keep) as (work, env):
        app = App.open(load_settings(work / "school.toml", env))
        try:
            measure(app, args)
        finally:
            app.close()
    return 0


def measure(app: App, args: argparse.Namespace) -> None:
    """Fill the database, serve the review page, and print each page's latencies."""
    started = time.monotonic()
    reference = "SW-2026-00000"
    if args.keep and filled(app, args.posts):
        print(f"reusing the {args.posts} posts kept in {args.keep}")
    else:
        fill(app, args.posts)
        print(f"filled {args.posts} posts in {time.monotonic() - started:.0f} s")
    if args.database != "sqlite":  # as autovacuum would soon after: a planner without
        with app.engine.connect() as connection:  # statistics guesses; a table grows slowly
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE")
            )
    # As `schoolwatch serve` runs it: more threads than that only queue on the interpreter lock.
    threads = args.threads or THREADS
    web = create_app(app)
    warm_up(web)  # as `schoolwatch serve` does before it listens
    server = create_server(web, host="127.0.0.1", port=0, threads=threads)
    base = f"http://127.0.0.1:{server.effective_port}"
    stopping = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:  # waitress's select() on the socket that close() below shut
            if not stopping.is_set():
                raise

    serving = threading.Thread(target=run, daemon=True)
    serving.start()
    # The clients run in processes of their own, so their Python never competes with the
    # server's for one interpreter lock (a browser is not in the server's process either).
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(args.clients)
    with context.Pool(args.clients, initializer=_start, initargs=(barrier,)) as pool:
        # logged in one after another here: the login throttle is not what is measured
        logins = [client(base).cookies.get_dict() for _ in range(args.clients)]
        jobs = [(base, cookies, reference, args.rounds) for cookies in logins]
        connects = [0]
        event.listen(app.engine, "connect", lambda *_: connects.__setitem__(0, connects[0] + 1))
        server_cpu, wall = time.process_time(), time.monotonic()
        results = pool.starmap(run_client, jobs)
        server_cpu, wall = time.process_time() - server_cpu, time.monotonic() - wall
    timings: dict[str, list[float]] = {"queue": [], "case": []}
    client_cpu = 0.0
    for result in results:
        client_cpu += sum(result.pop("cpu"))
        for name, values in result.items():
            timings[name] += values
    stopping.set()
    server.task_dispatcher.shutdown()
    server.close()
    serving.join(timeout=10)
    for name, values in timings.items():
        # each client's values are in round order; the first round starts with nothing kept
        by_round = [values[i :: args.rounds] for i in range(args.rounds)]
        p95s = [statistics.quantiles(r, n=20)[18] * 1000 for r in by_round if len(r) > 1]
        print(f"{name} p95 by round:", " ".join(f"{p:.0f}" for p in p95s))
        cuts = statistics.quantiles(values, n=20)
        print(f"{name}: {len(values)} requests, p50 {statistics.median(values) * 1000:.0f} ms, "
              f"p95 {cuts[18] * 1000:.0f} ms")  # fmt: skip
    # On a small machine the clients share the server's cores: say how much they took.
    print(f"{wall:.1f} s of load: server process {server_cpu:.1f} CPU s, "
          f"the {args.clients} clients {client_cpu:.1f} CPU s; "
          f"{connects[0]} database connections opened")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
