"""Where one review-page request spends its time: cProfile and the SQL statements of the queue's
first page and a case page, over the Flask test client, on a database `queue_load.py --keep`
filled.

    .venv/bin/python bench/profile_pages.py --database \\
        postgresql://postgres@127.0.0.1:5432/sw_bench_perf13 [--page queue|case] [--warm N]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402

from bench.queue_load import EMAIL, PASSWORD  # noqa: E402
from bench.scratch import DEMO  # noqa: E402
from config import load_settings  # noqa: E402
from monitor.app import App  # noqa: E402
from monitor.web import create_app  # noqa: E402

TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--page", choices=("queue", "case"), default="queue")
    parser.add_argument("--warm", type=int, default=1, help="requests before the profiled one")
    parser.add_argument("--repeat", type=int, default=20, help="requests profiled")
    parser.add_argument("--lines", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="a pstats key: cumulative, tottime")
    args = parser.parse_args()
    env = {"SCHOOLWATCH_SECRET_KEY": "bench", "SCHOOLWATCH_DATA_DIR": "/tmp/sw-profile",
           "SCHOOLWATCH_DATABASE_URL": args.database}  # fmt: skip
    core = App.open(load_settings(DEMO / "school.toml", env), slug="school")
    web = create_app(core)
    client = web.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True))
    assert token is not None
    reply = client.post("/login", data={"csrf_token": token.group(1), "email": EMAIL,
                                        "password": PASSWORD})  # fmt: skip
    assert reply.status_code == 302, reply.status_code
    path = "/" if args.page == "queue" else "/cases/SW-2026-00000"
    for _ in range(args.warm):
        assert client.get(path).status_code == 200
    statements: list[tuple[float, str]] = []
    started: dict[int, float] = {}

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        started[id(cursor)] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        took = time.perf_counter() - started.pop(id(cursor), time.perf_counter())
        statements.append((took, " ".join(statement.split())[:160]))

    event.listen(core.engine, "before_cursor_execute", before)
    event.listen(core.engine, "after_cursor_execute", after)
    assert client.get(path).status_code == 200
    event.remove(core.engine, "before_cursor_execute", before)
    event.remove(core.engine, "after_cursor_execute", after)
    print(f"{len(statements)} statements, {sum(t for t, _ in statements) * 1000:.1f} ms of SQL")
    for took, statement in statements:
        print(f"  {took * 1000:6.2f} ms  {statement}")
    wall = time.perf_counter()
    for _ in range(args.repeat):
        client.get(path)
    wall = time.perf_counter() - wall
    print(f"{args.repeat} requests: {wall / args.repeat * 1000:.1f} ms each")
    profile = cProfile.Profile()
    wall = time.perf_counter()
    profile.enable()
    for _ in range(args.repeat):
        client.get(path)
    profile.disable()
    wall = time.perf_counter() - wall
    print(f"{args.repeat} requests: {wall / args.repeat * 1000:.1f} ms each (under profile)")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.lines)
    print(out.getvalue())
    core.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
