"""A trust of 500 schools x 7 sources on one PostgreSQL database, run by 1, 2 and 4 workers.

    .venv/bin/python bench/trust_sim.py --schools 500 --minutes 3 --workers 1,2,4 \\
        --database postgresql://postgres@127.0.0.1:5432/test

What it stands in for, and how to swap the real parts in:
- Tenancy: every school has its own Settings and App, all on one database; source names carry
  the school's id (``s042-x``) so they stay unique. The tenancy branch's ``schools`` table and
  ``school_id`` replace that prefix.
- Workers: ``WORKERS`` processes take (school, source) jobs from a shared counter, round-robin
  over all 3,500, and run each with ``run_cycle``, which holds the source's PostgreSQL advisory
  lock (``monitor/locks.py``; here with no wait, so a busy source is skipped and counted).
  ``schoolwatch worker`` with procrastinate replaces ``_worker``'s loop: the job body is
  ``_job`` (``run_cycle(app, source)``).
- Platforms: a simulated connector per source type sleeps a network delay and returns a few
  posts (a few per cent harmful) naming its school; nothing touches the network. E-mails go to
  a local aiosmtpd server.

It measures cycles per minute, end-to-end latency from the fetch to the urgent e-mail accepted
by the SMTP server (the schedule's wait before a cycle is not in it), API calls per school per
day with and without shared searches (from ``monitor.sharing.plan`` over the same schools), and
database bytes per stored post, flag and case (``pg_total_relation_size``), extrapolated to a
school's year at a stated post rate.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import random
import socket
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from bench.scratch import scratch_database  # noqa: E402
from config import Settings, SourceSettings  # noqa: E402
from config.settings import settings_from_mapping  # noqa: E402
from connectors import Batch, FetchedPost  # noqa: E402
from connectors.coverage import calls_a_day  # noqa: E402

SOURCE_TYPES = ("x", "reddit", "bluesky", "mastodon", "youtube", "facebook_page", "rss")
EVERY = "15m"
SCHOOLS_PER_AREA = 10
_STEMS = ("Brack", "Ulver", "Dal", "Ask", "Lind", "Kirk", "Haver", "Pen", "Ur", "Thorn", "Ald",
          "Cart", "Gras", "Hawks", "Sil", "Brough", "Mill", "Wyn", "Ash", "Els", "Rav",
          "Stain")  # fmt: skip
_ENDS = ("holt", "by", "ton", "wick", "thwaite", "mere", "dale", "ford", "ham", "side", "stead",
         "combe", "field", "worth", "ley", "bury")  # fmt: skip
_KINDS = ("Primary School", "Academy", "CofE Primary School", "High School", "Junior School")
_FIRST = ("Sarah", "David", "Emma", "James", "Claire", "Mark", "Helen", "Paul")
_LAST = ("Whitfield", "Okafor", "Pryce", "Ashworth", "Shah", "Nowak", "Dobson", "Hartley")
BENIGN = (
    "Well done {school} on the summer fair, the choir were brilliant",
    "Does anyone know what time {school} finishes on Friday?",
    "{school} closed on Monday for staff training, don't forget",
    "Great sports day at {school} today, thanks to all the staff",
    "Parents evening at {school} next week, book a slot",
    "Is the breakfast club at {school} on over half term?",
    "Thank you {staff} for everything this year, {school} is lucky to have you",
)
HARMFUL = (  # about half urgent (threats), half not (complaints, insults, allegations)
    "{school} never answer emails and nobody there listens, shocking",
    "{staff} at {school} is useless and pathetic",
    "If {staff} does that again I'll batter him outside {school}",
    "Someone should stab {staff} from {school} on the way home",
)
HARMFUL_SHARE = 0.04


@dataclass(frozen=True)
class SimSchool:
    id: int
    name: str
    short: str
    town: str
    area: int

    @property
    def key(self) -> str:
        return f"s{self.id:03d}"

    @property
    def subreddit(self) -> str:
        return f"Area{self.area:02d}"


def make_schools(count: int, seed: int = 16) -> list[SimSchool]:
    rng = random.Random(seed)
    schools: list[SimSchool] = []
    used: set[str] = set()
    towns = [
        f"{rng.choice(_STEMS)}{rng.choice(_ENDS)}" for _ in range(count // SCHOOLS_PER_AREA + 1)
    ]
    while len(schools) < count:
        short = f"{rng.choice(_STEMS)}{rng.choice(_ENDS)} {rng.choice(_STEMS)}{rng.choice(_ENDS)}"
        if short in used:
            continue
        used.add(short)
        area = len(schools) // SCHOOLS_PER_AREA
        name = f"{short} {rng.choice(_KINDS)}"
        schools.append(SimSchool(len(schools), name, short, towns[area], area))
    return schools


def school_settings(school: SimSchool, env: dict[str, str], base: Path) -> Settings:
    sources = []
    for kind in SOURCE_TYPES:
        item: dict[str, Any] = {"name": f"{school.key}-{kind}", "type": kind, "every": EVERY}
        if kind == "reddit":
            item.update(subreddits=[school.subreddit], comment_subreddits=[school.subreddit])
        if kind == "rss":
            item["url"] = f"https://news.example/{school.area}/feed.xml"
        sources.append(item)
    data = {
        "school": {"name": school.name, "aliases": [school.short], "location": school.town},
        "alerts": {"recipients": [f"head@{school.key}.example"],
                   "sender": f"schoolwatch@{school.key}.example"},
        "sources": sources,
    }  # fmt: skip
    return settings_from_mapping(data, base, env)


class SimConnector:
    """A platform that answers after a network delay with a few posts naming the school."""

    delay = 0.15
    posts_per_cycle = 1.5

    def __init__(self, source: SourceSettings, settings: Settings) -> None:
        self.source = source
        self.school = settings.school
        self.rng = random.Random(f"{source.name}-{os.getpid()}-{time.time_ns()}")

    @classmethod
    def from_settings(cls, source: SourceSettings, settings: Settings) -> SimConnector:
        return cls(source, settings)

    def fetch(self, cursor: str | None) -> Batch:
        started = datetime.now(UTC)
        time.sleep(self.rng.expovariate(1 / self.delay))
        n = int(cursor or 0)
        posts = []
        for i in range(_poisson(self.rng, self.posts_per_cycle)):
            harmful = self.rng.random() < HARMFUL_SHARE
            template = self.rng.choice(HARMFUL if harmful else BENIGN)
            name = self.rng.choice(self.school.names)
            staff = f"{self.rng.choice(('Mr', 'Mrs', 'Ms'))} {self.rng.choice(_LAST)}"
            body = template.format(school=name, staff=staff)
            external = f"{self.source.name}-{n}-{i}-{self.rng.getrandbits(32):08x}"
            author = f"@{self.source.name}_{self.rng.randrange(400)}"
            posts.append(FetchedPost(platform=self.source.type, external_id=external, text=body,
                                     author=author, url=f"https://{self.source.type}.example/{external}",
                                     created_at=started, raw={"id": external}))  # fmt: skip
        return Batch(posts, str(n + 1))


def _poisson(rng: random.Random, mean: float) -> int:
    count, total = 0, rng.expovariate(1.0)
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count


# ---------------------------------------------------------------------------------------------
def _job(app: Any, source_name: str) -> Any:
    """One (school, source) job: what a procrastinate ``cycle(school, source)`` task runs."""
    from monitor.cycle import run_cycle

    return run_cycle(app, source_name, send=True)


def _worker(
    index: int, db_url: str, env: dict[str, str], base: str, count: int, counter: Any,
    ready: Any, start_at: Any, minutes: float, results: Any, delay: float, rate: float,
) -> None:  # fmt: skip
    import bench.trust_sim as sim
    import connectors
    import monitor.cycle
    from classifiers import PostInput
    from models import create_db_engine
    from models.tenancy import school_sessions
    from monitor.app import App, school_row

    for kind in SOURCE_TYPES:
        connectors.REGISTRY[kind] = "bench.trust_sim.SimConnector"
    sim.SimConnector.delay, sim.SimConnector.posts_per_cycle = delay, rate
    monitor.cycle.BUSY_WAIT = 0.0  # a source another worker holds is skipped, not waited for
    engine = create_db_engine(db_url)
    schools = make_schools(count)
    apps = []
    for school in schools:  # each school's App sees its own rows only, as the real worker's does
        settings = school_settings(school, env, Path(base))
        school_id = school_row(engine, school.key, settings.school.name)
        apps.append(App(settings, engine, school_sessions(engine, school_id)))
    for app in apps:  # a running worker has each school's classifier built after its first job
        app.classifier.classify([PostInput("warm-up", app.settings.school.name)])
    jobs = [(i, f"{s.key}-{kind}") for kind in SOURCE_TYPES for i, s in enumerate(schools)]
    ready.wait()
    while start_at.value == 0.0 or time.time() < start_at.value:
        time.sleep(0.01)
    deadline = start_at.value + minutes * 60
    done = busy = errors = new = flagged = 0
    seconds: list[float] = []
    while time.time() < deadline:
        with counter.get_lock():
            j = counter.value
            counter.value += 1
        school, source = jobs[j % len(jobs)]
        started = time.perf_counter()
        report = _job(apps[school], source)
        seconds.append(time.perf_counter() - started)
        if report.busy:
            busy += 1
        elif report.error:
            errors += 1
        else:
            done += 1
            new += report.new
            flagged += report.flagged
    results.put({"worker": index, "cycles": done, "busy": busy, "errors": errors, "new": new,
                 "flagged": flagged, "seconds": seconds})  # fmt: skip
    engine.dispose()


class _Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[float, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        subject = ""
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("subject:"):
                subject = line[8:].strip()
                break
        with self.lock:
            self.received.append((time.time(), subject))
        return "250 OK"


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


GROWTH_TABLES = ("posts", "flags", "cases", "case_events", "case_steps", "outbox", "audit_events",
                 "sources", "case_sequences")  # fmt: skip


def run_once(args: argparse.Namespace, workers: int) -> dict[str, Any]:
    from aiosmtpd.controller import Controller

    from models import create_db_engine, upgrade_schema

    scratch = ExitStack()  # the scratch database, dropped when this run ends
    db_url = scratch.enter_context(scratch_database(args.database, "sw_trust_"))
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    base = tempfile.mkdtemp(prefix="sw-trust-")
    env = {"SCHOOLWATCH_DATA_DIR": base, "SCHOOLWATCH_DATABASE_URL": db_url,
           "SCHOOLWATCH_SMTP_URL": f"smtp://127.0.0.1:{port}"}  # fmt: skip
    procs: list[Any] = []
    try:
        engine = create_db_engine(db_url)
        upgrade_schema(engine)
        with engine.connect() as connection:
            empty = connection.execute(text("SELECT pg_database_size(current_database())")).scalar()
        engine.dispose()
        ctx = mp.get_context("spawn")
        counter, start_at = ctx.Value("q", 0), ctx.Value("d", 0.0)
        ready, results = ctx.Barrier(workers + 1), ctx.Queue()
        procs = [ctx.Process(target=_worker, args=(i, db_url, env, base, args.schools, counter,
                                                   ready, start_at, args.minutes, results,
                                                   args.delay, args.posts_per_cycle))
                 for i in range(workers)]  # fmt: skip
        for proc in procs:
            proc.start()
        setup = time.perf_counter()
        ready.wait(timeout=1800)
        setup = time.perf_counter() - setup
        start_at.value = time.time() + 1.0
        stats = [results.get(timeout=args.minutes * 60 + 600) for _ in procs]
        for proc in procs:
            proc.join()
        time.sleep(0.5)
        engine = create_db_engine(db_url)
        with engine.connect() as connection:
            measured = _measure(connection)
            measured["db_bytes"] = measured["db_size"] - int(empty or 0)
        engine.dispose()
    finally:
        for proc in procs:  # a worker left running after a failure here must not outlive us
            if proc.is_alive():
                proc.terminate()
        controller.stop()
        scratch.close()
    seconds = [s for st in stats for s in st["seconds"]]
    cycles = sum(st["cycles"] for st in stats)
    return {
        "workers": workers, "setup_s": setup, "cycles": cycles,
        "cycles_per_min": cycles / args.minutes, "busy": sum(st["busy"] for st in stats),
        "errors": sum(st["errors"] for st in stats), "new": sum(st["new"] for st in stats),
        "cycle_p50": _percentile(seconds, 50), "cycle_p95": _percentile(seconds, 95),
        "smtp_received": len(inbox.received), **measured,
    }  # fmt: skip


def _measure(connection: Any) -> dict[str, Any]:
    latencies = [
        float(row[0])
        for row in connection.execute(text(
            "SELECT EXTRACT(EPOCH FROM (MIN(o.sent_at) - MIN(p.created_at))) FROM cases c "
            "JOIN outbox o ON o.case_id = c.id AND o.status = 'sent' "
            "JOIN posts p ON p.case_id = c.id WHERE c.severity = 'urgent' GROUP BY c.id"
        ))
    ]  # fmt: skip
    counts = {t: int(connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0)
              for t in ("posts", "flags", "cases", "outbox")}  # fmt: skip
    sizes = {t: int(connection.execute(text(f"SELECT pg_total_relation_size('{t}')")).scalar() or 0)
             for t in GROWTH_TABLES}  # fmt: skip
    size = int(
        connection.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0
    )
    return {"latencies": latencies, "urgent_cases": len(latencies),
            "latency_p50": _percentile(latencies, 50), "latency_p95": _percentile(latencies, 95),
            "latency_max": max(latencies) if latencies else float("nan"),
            "counts": counts, "sizes": sizes, "db_size": size}  # fmt: skip


def api_calls(schools: list[SimSchool], env: dict[str, str], base: Path) -> dict[str, float]:
    """Calls a school makes a day on a quiet day (one page a fetch), alone and with shared
    searches, from the planner over the same schools' configs."""
    from monitor.sharing import SHARED, plan, searches_from_settings

    alone = {kind: 0 for kind in SOURCE_TYPES}
    searches = []
    for school in schools:
        settings = school_settings(school, env, base)
        searches += searches_from_settings(school.key, settings)
        for source in settings.sources:
            alone[source.type] += calls_a_day(source, len(settings.school.names))[0]
    cycles = 86_400 // (15 * 60)
    shared = {kind: float(n) for kind, n in alone.items() if kind not in SHARED}
    fetches = plan(searches)
    shared["x"] = float(cycles * sum(1 for f in fetches if f.platform == "x"))
    # Each Reddit read is a token request and one listing, as connectors/coverage.py counts it.
    shared["reddit"] = float(cycles * 2 * sum(1 for f in fetches if f.platform == "reddit"))
    n = len(schools)
    return {
        "alone_total": sum(alone.values()) / n, "shared_total": sum(shared.values()) / n,
        "alone_x": alone["x"] / n, "shared_x": shared["x"] / n,
        "alone_reddit": alone["reddit"] / n, "shared_reddit": shared["reddit"] / n,
        "x_fetches": sum(1 for f in fetches if f.platform == "x"),
        "reddit_fetches": sum(1 for f in fetches if f.platform == "reddit"),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument(
        "--delay",
        type=float,
        default=SimConnector.delay,
        help="mean simulated network delay of a fetch, seconds (exponential)",
    )
    parser.add_argument(
        "--posts-per-cycle",
        type=float,
        default=SimConnector.posts_per_cycle,
        help="mean posts a fetch returns (Poisson)",
    )
    parser.add_argument("--posts-per-school-day", type=float, default=20.0,
                        help="the stated rate for the yearly growth figure")  # fmt: skip
    args = parser.parse_args()
    env = {"SCHOOLWATCH_DATA_DIR": tempfile.gettempdir()}
    calls = api_calls(make_schools(args.schools), env, Path(tempfile.gettempdir()))
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"schools={args.schools} sources={len(SOURCE_TYPES)} every={EVERY} "
          f"delay~{args.delay}s posts/cycle~{args.posts_per_cycle} "
          f"harmful={HARMFUL_SHARE:.0%}")  # fmt: skip
    print(f"API calls per school per day (quiet day): alone {calls['alone_total']:.0f} "
          f"(X {calls['alone_x']:.0f}, Reddit {calls['alone_reddit']:.0f}); shared "
          f"{calls['shared_total']:.1f} (X {calls['shared_x']:.1f} from {calls['x_fetches']} "
          f"queries, Reddit {calls['shared_reddit']:.1f} from {calls['reddit_fetches']} "
          "reads)")  # fmt: skip
    for workers in (int(w) for w in args.workers.split(",")):
        r = run_once(args, workers)
        c, s = r["counts"], r["sizes"]
        post_bytes = s["posts"] / max(1, c["posts"])
        flag_bytes = s["flags"] / max(1, c["flags"])
        case_bytes = (s["cases"] + s["case_events"] + s["case_steps"] + s["outbox"]) / max(
            1, c["cases"]
        )
        per_post_all = r["db_bytes"] / max(1, c["posts"])
        year = per_post_all * args.posts_per_school_day * 365
        print(f"workers={workers} setup={r['setup_s']:.0f}s cycles={r['cycles']} "
              f"cycles/min={r['cycles_per_min']:.0f} busy={r['busy']} errors={r['errors']} "
              f"cycle p50={r['cycle_p50']:.2f}s p95={r['cycle_p95']:.2f}s | urgent cases="
              f"{r['urgent_cases']} smtp={r['smtp_received']} latency p50={r['latency_p50']:.1f}s "
              f"p95={r['latency_p95']:.1f}s max={r['latency_max']:.1f}s | posts={c['posts']} "
              f"flags={c['flags']} cases={c['cases']} bytes/post={post_bytes:.0f} "
              f"bytes/flag={flag_bytes:.0f} bytes/case={case_bytes:.0f} db growth/post="
              f"{per_post_all:.0f} B -> {year / 1e6:.1f} MB per school per year at "
              f"{args.posts_per_school_day:g} posts a day")  # fmt: skip
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
