"""A trust of N schools x 7 sources served by real ``schoolwatch worker`` processes.

    .venv/bin/python bench/trust_worker_sim.py --schools 500 --minutes 3 --workers 1,2,4

Unlike ``bench/trust_sim.py`` (its own worker loop, simulated connectors), everything here is
the shipped path: a config FOLDER of ``<slug>.toml`` files (one deployment, ``monitor/
deployment.py``), 1, 2 or 4 ``python -m monitor worker --config FOLDER`` subprocesses
(procrastinate on a fresh PostgreSQL database per run, created and dropped here), and a local
aiosmtpd server that timestamps every message it receives.

Each school's 7 sources are ``jsonl`` sources (one file each, ``platform`` set to x, reddit,
bluesky, ...), so nothing touches the network. A feeder thread in this process appends posts to
random files at ``--posts-per-minute`` (a few per cent harmful, about half of those urgent
threats) and notes when it appended each urgent one. Every source runs ``--every`` (1 minute by
default), so a few minutes see many cycles.

It reports: worker start-up time (until each logs "started"), cycles per minute (succeeded
``schoolwatch.cycle`` jobs in procrastinate_events during the run), end-to-end latency from the
append of an urgent post to the first URGENT e-mail to that school received after it
(p50/p95/max; the wait for the source's next tick is in it), RSS per worker process (peak of
samples), load average, and database bytes per stored post (pg_total_relation_size), extrapolated
to a school's year at ``--posts-per-school-day``. API calls per school per day, alone and with
shared searches, come from the planner (``monitor.sharing.plan``) via ``trust_sim.api_calls``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.scratch import scratch_database  # noqa: E402
from bench.trust_sim import (  # noqa: E402
    _FIRST,
    _LAST,
    BENIGN,
    GROWTH_TABLES,
    SOURCE_TYPES,
    SimSchool,
    _percentile,
    api_calls,
    make_schools,
)

THREATS = (
    "If {staff} does that again I'll batter him outside {school}",
    "Someone should stab {staff} from {school} on the way home",
    "I will kill {staff} after school at {school}",
)
NOT_URGENT = (
    "{school} never answer emails and nobody there listens, shocking",
    "{staff} at {school} is useless and pathetic",
)


def school_toml(school: SimSchool, every: str) -> str:
    sources = "".join(
        f'\n[[sources]]\nname = "{kind}"\ntype = "jsonl"\nplatform = "{kind}"\n'
        f'every = "{every}"\npath = "{school.key}-{kind}.jsonl"\n'
        for kind in SOURCE_TYPES
    )
    return (
        f'[school]\nname = "{school.name}"\naliases = ["{school.short}"]\n'
        f'location = "{school.town}"\n\n[people]\npupils = "{school.key}-pupils.csv"\n'
        f'staff = "{school.key}-staff.csv"\n\n[alerts]\n'
        f'recipients = ["head@{school.key}.example"]\n'
        f'sender = "schoolwatch@{school.key}.example"\n{sources}'
    )


def staff_of(school: SimSchool) -> list[tuple[str, str, str]]:
    rng = random.Random(school.id)
    return [(rng.choice(("Mr", "Mrs", "Ms")), rng.choice(_FIRST), rng.choice(_LAST))
            for _ in range(3)]  # fmt: skip


def make_folder(schools: list[SimSchool], folder: Path, every: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for school in schools:
        (folder / f"{school.key}.toml").write_text(school_toml(school, every))
        rng = random.Random(-school.id)
        pupils = "".join(f"{rng.choice(_FIRST)},{rng.choice(_LAST)},{rng.randrange(1, 7)},\n"
                         for _ in range(4))  # fmt: skip
        (folder / f"{school.key}-pupils.csv").write_text(
            "first_name,last_name,year_group,aliases\n" + pupils
        )
        staff = "".join(f"{t},{f},{last},Teacher,\n" for t, f, last in staff_of(school))
        (folder / f"{school.key}-staff.csv").write_text(
            "title,first_name,last_name,role,aliases\n" + staff
        )
        for kind in SOURCE_TYPES:
            (folder / f"{school.key}-{kind}.jsonl").write_text("")


class Feeder:
    """Appends posts to random sources' files at a steady rate; notes each urgent append."""

    def __init__(self, schools: list[SimSchool], folder: Path, per_minute: float,
                 harmful: float, seed: int = 16) -> None:  # fmt: skip
        self.schools, self.folder = schools, folder
        self.per_minute, self.harmful = per_minute, harmful
        self.rng = random.Random(seed)
        self.urgent: list[tuple[float, str]] = []  # (append time, slug)
        self.appended = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _line(self, school: SimSchool, kind: str) -> tuple[str, bool]:
        rng = self.rng
        title, _, last = rng.choice(staff_of(school))
        urgent = False
        if rng.random() < self.harmful:
            urgent = rng.random() < 0.5
            template = rng.choice(THREATS if urgent else NOT_URGENT)
        else:
            template = rng.choice(BENIGN)
        body = template.format(school=rng.choice((school.name, school.short)),
                               staff=f"{title} {last}")  # fmt: skip
        post = {"id": uuid.uuid4().hex[:16], "text": body, "platform": kind,
                "author": f"@user{rng.randrange(10_000)}",
                "url": f"https://{kind}.example/{self.appended}"}  # fmt: skip
        return json.dumps(post) + "\n", urgent

    def _run(self) -> None:
        while not self.stop.wait(self.rng.expovariate(self.per_minute / 60)):
            school = self.rng.choice(self.schools)
            kind = self.rng.choice(SOURCE_TYPES)
            line, urgent = self._line(school, kind)
            with (self.folder / f"{school.key}-{kind}.jsonl").open("a") as handle:
                handle.write(line)
            if urgent:
                self.urgent.append((time.time(), school.key))
            self.appended += 1


class _Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[float, list[str], str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        subject = ""
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("subject:"):
                subject = line[8:].strip()
                break
        with self.lock:
            self.received.append((time.time(), list(envelope.rcpt_tos), subject))
        return "250 OK"


def latencies(urgent: list[tuple[float, str]], received: list[tuple[float, list[str], str]]
              ) -> tuple[list[float], int]:  # fmt: skip
    """For each urgent append, seconds to the first URGENT e-mail to its school after it;
    and how many got none before the run ended."""
    by_school: dict[str, list[float]] = {}
    for at, recipients, subject in received:
        if "urgent" in subject.lower():
            for recipient in recipients:
                slug = recipient.split("@", 1)[1].removesuffix(".example")
                by_school.setdefault(slug, []).append(at)
    found: list[float] = []
    missed = 0
    for at, slug in urgent:
        later = [t for t in by_school.get(slug, []) if t >= at]
        if later:
            found.append(min(later) - at)
        else:
            missed += 1
    return found, missed


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _table_sizes(connection: Any) -> dict[str, int]:
    query = text("SELECT pg_total_relation_size(to_regclass(:t))")
    return {t: int(connection.execute(query, {"t": t}).scalar() or 0) for t in GROWTH_TABLES}


def _sizes(db_url: str) -> dict[str, int]:
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            return _table_sizes(connection)
    finally:
        engine.dispose()


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def run_once(args: argparse.Namespace, workers: int, schools: list[SimSchool]) -> dict[str, Any]:
    from aiosmtpd.controller import Controller

    scratch = ExitStack()  # the scratch database, dropped when this run ends
    db_url = scratch.enter_context(scratch_database(args.database, "sw_trustw_"))
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    base = Path(tempfile.mkdtemp(prefix="sw-trustw-"))
    folder = base / "schools"
    make_folder(schools, folder, args.every)
    env = {**os.environ, "SCHOOLWATCH_DATA_DIR": str(base / "data"),
           "SCHOOLWATCH_DATABASE_URL": db_url,
           "SCHOOLWATCH_SMTP_URL": f"smtp://127.0.0.1:{port}"}  # fmt: skip
    procs: list[subprocess.Popen[bytes]] = []
    logs = [base / f"worker{i}.log" for i in range(workers)]
    feeder = Feeder(schools, folder, args.posts_per_minute, args.harmful)
    rss: dict[int, float] = {}
    result: dict[str, Any] = {"workers": workers}
    try:
        started = time.time()
        for log in logs:
            with log.open("wb") as out:
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "monitor", "worker", "--config", str(folder),
                     "--concurrency", str(args.concurrency)],
                    env=env, stdout=out, stderr=subprocess.STDOUT,
                ))  # fmt: skip
            time.sleep(1.0)  # the first one migrates the database under its lock
        while not all("started:" in log.read_text() for log in logs):
            if any(p.poll() is not None for p in procs):
                raise RuntimeError("a worker exited at start-up: " + logs[0].read_text()[-2000:])
            if time.time() - started > args.startup_limit:
                raise RuntimeError(f"workers not started after {args.startup_limit}s")
            for p in procs:
                rss[p.pid] = max(rss.get(p.pid, 0.0), rss_mb(p.pid))
            time.sleep(1.0)
        result["startup_s"] = time.time() - started
        before = _sizes(db_url)  # the schema, the schools and their sources: not growth
        t0 = time.time()
        feeder.thread.start()
        loads = []
        while time.time() - t0 < args.minutes * 60:
            time.sleep(5.0)
            loads.append(os.getloadavg()[0])
            for p in procs:
                rss[p.pid] = max(rss.get(p.pid, 0.0), rss_mb(p.pid))
        feeder.stop.set()
        t1 = time.time()
        time.sleep(args.drain)  # e-mails of the last urgent posts may still come
        result["load_avg"] = sum(loads) / max(1, len(loads))
        result["load_max"] = max(loads, default=0.0)
    except BaseException:
        _stop(procs)
        controller.stop()
        scratch.close()
        raise
    finally:
        feeder.stop.set()
    _stop(procs)
    controller.stop()
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            window = {"t0": t0, "t1": t1}
            cycles = connection.execute(text(
                "SELECT count(*) FROM procrastinate_events e JOIN procrastinate_jobs j "
                "ON j.id = e.job_id WHERE j.task_name = 'schoolwatch.cycle' AND "
                "e.type = 'succeeded' AND e.at BETWEEN to_timestamp(:t0) AND to_timestamp(:t1)"
            ), window).scalar()  # fmt: skip
            todo = connection.execute(text(
                "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'schoolwatch.cycle' "
                "AND status = 'todo'"
            )).scalar()  # fmt: skip
            failed = connection.execute(text(
                "SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'"
            )).scalar()  # fmt: skip
            counts = {t: int(connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0)
                      for t in ("posts", "flags", "cases", "outbox")}  # fmt: skip
            sizes = _table_sizes(connection)
            fetch_to_mail = [float(row[0]) for row in connection.execute(text(
                "SELECT EXTRACT(EPOCH FROM (MIN(o.sent_at) - MIN(p.fetched_at))) FROM cases c "
                "JOIN outbox o ON o.case_id = c.id AND o.status = 'sent' "
                "JOIN posts p ON p.case_id = c.id WHERE c.severity = 'urgent' GROUP BY c.id"
            ))]  # fmt: skip
    finally:
        engine.dispose()
        scratch.close()
    found, missed = latencies(feeder.urgent, inbox.received)
    tracebacks = sum(log.read_text().count("Traceback") for log in logs)
    result.update(
        cycles=int(cycles or 0), cycles_per_min=int(cycles or 0) / ((t1 - t0) / 60),
        todo_left=int(todo or 0), failed_jobs=int(failed or 0), appended=feeder.appended,
        urgent_appended=len(feeder.urgent), urgent_missed=missed,
        latency_p50=_percentile(found, 50), latency_p95=_percentile(found, 95),
        latency_max=max(found, default=float("nan")), smtp=len(inbox.received),
        rss_mb=sorted(rss.values()), counts=counts, sizes=sizes,
        growth={t: sizes[t] - before[t] for t in sizes},
        fetch_p50=_percentile(fetch_to_mail, 50), fetch_p95=_percentile(fetch_to_mail, 95),
        fetch_max=max(fetch_to_mail, default=float("nan")), tracebacks=tracebacks,
    )  # fmt: skip
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--concurrency", type=int, default=1, help="--concurrency of each worker")
    parser.add_argument("--every", default="1m", help="every source's `every`")
    parser.add_argument("--posts-per-minute", type=float, default=200.0,
                        help="posts the feeder appends a minute, over all schools")  # fmt: skip
    parser.add_argument("--harmful", type=float, default=0.04, help="share of harmful posts")
    parser.add_argument("--drain", type=float, default=30.0,
                        help="seconds the workers run on after the feeder stops")  # fmt: skip
    parser.add_argument("--startup-limit", type=float, default=1200.0)
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--posts-per-school-day", type=float, default=20.0,
                        help="the stated rate for the yearly growth figure")  # fmt: skip
    args = parser.parse_args()
    schools = make_schools(args.schools)
    calls = api_calls(schools, {"SCHOOLWATCH_DATA_DIR": tempfile.gettempdir()},
                      Path(tempfile.gettempdir()))  # fmt: skip
    print(f"{os.cpu_count()} cores; schools={args.schools} sources={len(SOURCE_TYPES)} "
          f"every={args.every} feeder={args.posts_per_minute:g} posts/min "
          f"harmful={args.harmful:.0%} minutes={args.minutes:g}")  # fmt: skip
    print(f"API calls per school per day (planner, 15m sources, quiet day): alone "
          f"{calls['alone_total']:.0f} (X {calls['alone_x']:.0f}, Reddit "
          f"{calls['alone_reddit']:.0f}); shared {calls['shared_total']:.1f} (X "
          f"{calls['shared_x']:.1f}, Reddit {calls['shared_reddit']:.1f})")  # fmt: skip
    sys.stdout.flush()
    for workers in (int(w) for w in args.workers.split(",")):
        try:
            r = run_once(args, workers, schools)
        except RuntimeError as exc:
            print(f"workers={workers}: {exc}")
            continue
        c, s = r["counts"], r["growth"]
        total = sum(s.values())
        per_post = total / max(1, c["posts"])
        year_mb = per_post * args.posts_per_school_day * 365 / 1e6
        print(f"workers={workers} startup={r['startup_s']:.0f}s cycles={r['cycles']} "
              f"cycles/min={r['cycles_per_min']:.0f} (due {args.schools * len(SOURCE_TYPES)}"
              f"/min at 1m) todo_left={r['todo_left']} failed={r['failed_jobs']} "
              f"tracebacks={r['tracebacks']} | appended={r['appended']} urgent="
              f"{r['urgent_appended']} no_mail={r['urgent_missed']} smtp={r['smtp']} latency "
              f"p50={r['latency_p50']:.1f}s p95={r['latency_p95']:.1f}s max="
              f"{r['latency_max']:.1f}s (from the fetch: p50={r['fetch_p50']:.1f}s "
              f"p95={r['fetch_p95']:.1f}s max={r['fetch_max']:.1f}s) | rss MB="
              f"{[round(m) for m in r['rss_mb']]} load avg="
              f"{r['load_avg']:.1f} max={r['load_max']:.1f} | posts={c['posts']} flags="
              f"{c['flags']} cases={c['cases']} growth={total / 1e6:.2f} MB "
              f"-> {per_post:.0f} B/post -> {year_mb:.1f} MB per school per year at "
              f"{args.posts_per_school_day:g} posts a day")  # fmt: skip
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
