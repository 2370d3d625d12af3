"""The ``schoolwatch`` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from classifiers import Classifier, PostInput, Result
from config import ConfigError, Settings, load_settings
from config.settings import SEVERITIES
from monitor.classifier_setup import build_classifier

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from monitor.app import App

# SQLAlchemy, the database models and the mail code are imported by the commands that use them:
# `schoolwatch classify` and `evaluate` start in half the time without them.

log = logging.getLogger("schoolwatch")


SCHOOL_HELP = "the school's slug (its file name in the config folder); needed with several schools"


class UsageError(Exception):
    """Bad input from the user: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see: {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="schoolwatch", description="Watch social media for posts about a school.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    classify = sub.add_parser("classify", help="classify posts: JSONL in, JSONL out")
    classify.add_argument("--config", help="the school's TOML file (or SCHOOLWATCH_CONFIG)")
    classify.add_argument("--input", default="-", help="JSONL file, or - for stdin")
    classify.add_argument("--output", default="-", help="JSONL file, or - for stdout")
    classify.add_argument("--all-relevant", action="store_true",
                          help="treat every post as about the school")  # fmt: skip
    classify.add_argument("--scope", choices=("area", "school"), default="area",
                          help="where the posts were found: 'school' (a search for the school, "
                          "its own channels) or 'area' (a broad source, the default)")  # fmt: skip

    demo = sub.add_parser("demo", help="run the bundled demo school")
    demo.add_argument("--once", action="store_true", help="run one cycle and exit")
    demo.add_argument("--data-dir", help="where the demo keeps its data (default ./var/demo)")

    fetch = sub.add_parser("fetch", help="run one cycle of one source")
    fetch.add_argument("--config")
    fetch.add_argument("--school", help=SCHOOL_HELP)
    fetch.add_argument("--source", required=True, help="the source's name in the config")

    sources = sub.add_parser("sources", help="each configured source and its last cycle")
    sources.add_argument("--config")
    sources.add_argument("--school", help=SCHOOL_HELP)
    sources.add_argument(
        "--coverage",
        action="store_true",
        help="after the table: what each source watches, its calls a day and its blind spots",
    )
    sources.add_argument("--usage", action="store_true",
                         help="after the table: API calls, posts read and estimated cost per "
                         "school, platform and day")  # fmt: skip
    sources.add_argument("--days", type=int, default=7, help="days --usage covers (default 7)")

    export = sub.add_parser("export", help="every stored post as JSONL")
    export.add_argument("--config")
    export.add_argument("--school", help=SCHOOL_HELP)
    export.add_argument("--output", default="-")

    run = sub.add_parser("run", help="the service: scheduled sources, alerts and the review page")
    run.add_argument("--config")
    run.add_argument("--school", help=SCHOOL_HELP)
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--no-web", action="store_true", help="serve only /healthz and /readyz")

    worker = sub.add_parser("worker", help="run queued jobs from PostgreSQL (one of many workers)")
    worker.add_argument("--config")
    worker.add_argument("--school", help="only this school's jobs (default: every school)")
    worker.add_argument("--concurrency", type=_positive, default=1,
                        help="jobs this worker runs at once (default 1)")  # fmt: skip

    status = sub.add_parser("status", help="readiness as JSON: database, sources, outbox")
    status.add_argument("--config")
    status.add_argument("--school", help=SCHOOL_HELP)

    alerts = sub.add_parser("alerts", help="the e-mail outbox")
    alerts_sub = alerts.add_subparsers(dest="alerts_command", required=True, parser_class=_Parser)
    flush = alerts_sub.add_parser("flush", help="send every e-mail still waiting")
    flush.add_argument("--config")
    flush.add_argument("--school", help=SCHOOL_HELP)
    digest = alerts_sub.add_parser("digest", help="queue and send today's digest if it is due")
    digest.add_argument("--config")
    digest.add_argument("--school", help=SCHOOL_HELP)
    digest.add_argument("--force", action="store_true", help="whatever the day and time")

    serve = sub.add_parser("serve", help="serve the review page")
    serve.add_argument("--config")
    serve.add_argument("--school", help=SCHOOL_HELP)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    users = sub.add_parser("users", help="review-page logins")
    users_sub = users.add_subparsers(dest="users_command", required=True, parser_class=_Parser)
    users_add = users_sub.add_parser("add", help="create a login; the password is read from stdin")
    users_add.add_argument("email")
    users_add.add_argument(
        "--role",
        required=True,
        choices=["headteacher", "dsl", "staff", "trust"],
        help="trust: the trust page across schools; to see a school's cases too, "
        "add them to that school as well with a school role and --school",
    )
    users_add.add_argument("--config")
    users_add.add_argument("--school", help=SCHOOL_HELP)

    labels = sub.add_parser("labels", help="reviewers' decisions as training data")
    labels_sub = labels.add_subparsers(dest="labels_command", required=True, parser_class=_Parser)
    labels_export = labels_sub.add_parser("export", help="decided posts as JSONL for training")
    labels_export.add_argument("--config")
    labels_export.add_argument("--school", help=SCHOOL_HELP)
    labels_export.add_argument("--output", default="-")

    from monitor.modelcli import add_parsers
    from monitor.reportcli import add_parser as add_report

    add_parsers(sub)
    add_report(sub)
    return parser


@contextmanager
def _school(args: argparse.Namespace) -> Iterator[App]:
    """The App of the school the command names (``--school``, optional with one school)."""
    from monitor.deployment import Deployment

    deployment = Deployment.open(args.config)
    try:
        yield deployment.school(getattr(args, "school", None))
    finally:
        deployment.close()


def _school_settings(args: argparse.Namespace) -> Settings:
    """The settings of the school the command names, before any database is opened."""
    from config import load_schools

    schools, _single = load_schools(args.config)
    slug = getattr(args, "school", None)
    if slug is None and len(schools) == 1:
        return next(iter(schools.values()))
    if slug not in schools:
        known = ", ".join(sorted(schools))
        hint = "add --school" if slug is None else f"there is no school {slug!r}"
        raise UsageError(f"this deployment has several schools; {hint}, one of: {known}")
    return schools[slug]


@contextmanager
def _open_out(name: str) -> Iterator[IO[str]]:
    if name == "-":
        yield sys.stdout
        return
    try:
        handle = open(name, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise UsageError(f"cannot write {name}: {exc.strerror}") from None
    with handle:
        yield handle


@contextmanager
def _open_in(name: str) -> Iterator[IO[str]]:
    if name == "-":
        yield sys.stdin
        return
    try:
        handle = open(name, encoding="utf-8")  # noqa: SIM115
    except FileNotFoundError:
        raise UsageError(f"input file {name} does not exist") from None
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror}") from None
    with handle:
        yield handle


def cmd_classify(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    classifier = build_classifier(settings)
    try:
        _classify_lines(args, classifier)
    except UnicodeDecodeError as exc:
        where = f"{args.input} is not UTF-8 text (byte {exc.start})"
        raise UsageError(f"{where}; save it as UTF-8") from None
    return 0


def _classify_lines(args: argparse.Namespace, classifier: Classifier) -> None:
    from connectors.jsonl import post_from_json

    with _open_in(args.input) as source, _open_out(args.output) as out:
        batch: list[PostInput] = []
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                post = post_from_json(line, "unknown")
            except ValueError as exc:
                raise UsageError(f"{args.input} line {number}: {exc}") from None
            batch.append(PostInput(post.external_id, post.text, args.scope))
            if len(batch) >= _BATCH:
                _write_results(classifier.classify(batch, args.all_relevant), out)
                batch = []
        _write_results(classifier.classify(batch, args.all_relevant), out)


_BATCH = 256  # posts classified together: the learned stage scores a batch in one product


def _write_results(results: list[Result], out: IO[str]) -> None:
    for result in results:
        out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")


def cmd_fetch(args: argparse.Namespace) -> int:
    from monitor.cycle import run_cycle

    settings = _school_settings(args)
    settings.source(args.source)
    _require_recipients(settings)
    with _school(args) as app:
        report = run_cycle(app, args.source)
    if report.busy:
        print(f"schoolwatch: source {args.source!r} was not run: {report.error}", file=sys.stderr)
        return 1
    if report.error:
        print(f"schoolwatch: source {args.source!r} failed: {report.error}", file=sys.stderr)
        return 2 if report.permanent else 1
    print(
        f"{args.source}: fetched {report.fetched}, new {report.new}, skipped {report.skipped}, "
        f"flagged {report.flagged}, cases opened {len(report.cases_opened)}, "
        f"e-mails {report.emails.summary()}"
    )
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from config import load_schools
    from monitor.sources import format_coverage, format_table, sharing_lines, source_statuses
    from monitor.usage import format_usage, usage_rows

    settings = _school_settings(args)
    if not settings.sources:
        print("no sources are configured: add a [[sources]] table to the config file")
        return 0
    if args.days < 1:
        raise UsageError("--days must be 1 or more")
    schools, _single = load_schools(args.config)
    shared = sharing_lines(args.school or next(iter(schools)), schools)
    with _school(args) as app, app.sessions() as session:
        print(format_table(source_statuses(session, settings)))
        if shared:
            print("\n".join(shared))
        usage = format_usage(usage_rows(session, args.days), args.days) if args.usage else ""
    if usage:
        print()
        print(usage)
    if args.coverage:
        print()
        print(format_coverage(settings))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from monitor.export import export_jsonl

    _school_settings(args)
    with _school(args) as app:
        with app.sessions() as session, _open_out(args.output) as out:
            count = 0
            for line in export_jsonl(session):
                out.write(line + "\n")
                count += 1
        with app.sessions.begin() as session:
            record_cli_export(session, "export_posts", f"{count} posts to {args.output}")
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    from monitor.outbox import relay

    if args.alerts_command == "digest":
        return cmd_digest(args)
    settings = _school_settings(args)
    with _school(args) as app:
        from alerts import sender_from_settings

        report = relay(app.sessions, sender_from_settings(settings), force=True)
    print(report.summary())
    return 0 if report.retrying == 0 and report.failed == 0 else 1


def cmd_run(args: argparse.Namespace) -> int:
    from monitor.service import run_service

    settings = _school_settings(args)
    _require_recipients(settings)
    with _school(args) as app:
        try:
            return run_service(app, args.host, args.port, with_web=not args.no_web)
        except OSError as exc:
            raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def cmd_worker(args: argparse.Namespace) -> int:
    from psycopg import OperationalError as Unreachable

    from config import load_schools
    from monitor.worker import conninfo, open_apps, run_worker

    schools, _single = load_schools(args.config)
    if args.school is not None and args.school not in schools:
        known = ", ".join(sorted(schools))
        raise UsageError(f"there is no school {args.school!r}; the schools are: {known}")
    settings = next(iter(schools.values()))
    conninfo(settings.database_url)  # on SQLite: one line saying workers need PostgreSQL
    for slug, school in schools.items():
        if args.school in (None, slug):
            _require_recipients(school)
    try:
        from monitor.deployment import Deployment

        deployment = Deployment.open(args.config)
        try:
            return run_worker(open_apps(deployment, args.school), args.concurrency)
        finally:
            deployment.close()
    except Unreachable as exc:
        reason = (str(exc).strip().splitlines() or ["no reason given"])[0]
        print(f"schoolwatch: error: cannot use the database: {reason}; "
              "check SCHOOLWATCH_DATABASE_URL", file=sys.stderr)  # fmt: skip
        return 1


def _require_recipients(settings: Settings) -> None:
    """A service with nobody to tell would fail every alert for good: refuse to start it."""
    alerts = settings.alerts
    if not alerts.recipients and not all(alerts.severity_recipients.get(s) for s in SEVERITIES):
        raise UsageError(
            "[alerts] recipients is empty: nobody would receive an alert; add e.g. "
            'recipients = ["head@school.example"] to the config'
        )


def cmd_status(args: argparse.Namespace) -> int:
    from monitor.health import readiness

    _school_settings(args)
    with _school(args) as app:
        report = readiness(app)
    print(json.dumps(report, indent=2))
    return 0 if report["ready"] else 1


def cmd_digest(args: argparse.Namespace) -> int:
    from monitor.digest import send_digest

    _school_settings(args)
    with _school(args) as app:
        report = send_digest(app, force=args.force)
    if report.queued:
        print(f"digest {report.day}: {len(report.cases)} cases queued")
    else:
        print(f"no digest queued: {report.reason}")
    emails = report.emails
    print(emails.summary())
    return 0 if emails.retrying == 0 and emails.failed == 0 else 1


def cmd_demo(args: argparse.Namespace) -> int:
    from monitor.demo import run_demo

    return run_demo(Path(args.data_dir) if args.data_dir else None, once=args.once)


def cmd_serve(args: argparse.Namespace) -> int:
    from monitor.web.serve import serve, serve_deployment

    if args.school is not None:
        _school_settings(args)
    from monitor.deployment import Deployment

    deployment = Deployment.open(args.config)
    try:
        if args.school is not None or deployment.single:
            serve(deployment.school(args.school), args.host, args.port)
        else:
            serve_deployment(deployment, args.host, args.port)
    finally:
        deployment.close()
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    from monitor.web.users import UserError, add_member, add_trust_user

    if args.role != "trust":
        _school_settings(args)
    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass("Password (at least 12 characters): ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    from monitor.deployment import Deployment

    deployment = Deployment.open(args.config)
    try:
        if args.role == "trust":
            message = add_trust_user(deployment, args.email, password)
        else:
            app = deployment.school(args.school)
            with app.sessions.begin() as session:
                message = add_member(session, args.email, args.role, password)
                record_cli_export(session, "add_user", message)
    except UserError as exc:
        raise UsageError(str(exc)) from None
    finally:
        deployment.close()
    print(f"added {message}")
    return 0


def record_cli_export(session: Session, action: str, detail: str) -> None:
    """What the command line exports or changes goes in the audit log too, under the system
    user's name."""
    import getpass

    from models import AuditEvent, utcnow

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    session.add(AuditEvent(actor=f"cli:{who}", action=action, detail=detail, created_at=utcnow()))


def cmd_labels(args: argparse.Namespace) -> int:
    from monitor.labels import export_labels

    _school_settings(args)
    with _school(args) as app:
        with app.sessions() as session, _open_out(args.output) as out:
            count = 0
            for line in export_labels(session):
                out.write(line + "\n")
                count += 1
        with app.sessions.begin() as session:
            record_cli_export(session, "export_labels", f"{count} posts to {args.output}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from monitor.modelcli import cmd_train as train

    return train(args)


def cmd_report(args: argparse.Namespace) -> int:
    from monitor.reportcli import cmd_report as report

    return report(args)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from monitor.modelcli import cmd_evaluate as evaluate

    return evaluate(args)


def cmd_retrain(args: argparse.Namespace) -> int:
    from monitor.modelcli import cmd_retrain as retrain

    return retrain(args)


def cmd_model(args: argparse.Namespace) -> int:
    from monitor.modelcli import cmd_model as model

    return model(args)


COMMANDS = {
    "classify": cmd_classify,
    "train": cmd_train,
    "evaluate": cmd_evaluate,
    "retrain": cmd_retrain,
    "model": cmd_model,
    "demo": cmd_demo,
    "fetch": cmd_fetch,
    "sources": cmd_sources,
    "export": cmd_export,
    "alerts": cmd_alerts,
    "run": cmd_run,
    "worker": cmd_worker,
    "status": cmd_status,
    "serve": cmd_serve,
    "users": cmd_users,
    "labels": cmd_labels,
    "report": cmd_report,
}


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(f"schoolwatch: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        return COMMANDS[args.command](args)
    except (ConfigError, UsageError) as exc:
        print(f"schoolwatch: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last net: one line, the details only when asked for
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            print(f"schoolwatch: error: cannot use the database: {reason}; "
                  "check SCHOOLWATCH_DATABASE_URL", file=sys.stderr)  # fmt: skip
            return 1
        log.debug("unexpected failure", exc_info=True)
        print(f"schoolwatch: error: unexpected failure ({type(exc).__name__}: {exc}); "
              "run again with -v for the details", file=sys.stderr)  # fmt: skip
        return 1
