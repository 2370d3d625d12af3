"""``schoolwatch report``: the yearly report to governors as printable HTML or CSV."""

from __future__ import annotations

import argparse
from typing import Any
from zoneinfo import ZoneInfo

from config import ConfigError, load_settings


def add_parser(sub: Any) -> None:
    report = sub.add_parser("report", help="the yearly report to governors (HTML or CSV)")
    report.add_argument("--config")
    report.add_argument("--year", help="academic year like 2025-26 (default the current one)")
    report.add_argument(
        "--format",
        choices=("html", "csv"),
        default="html",
        help="html: the printable report; csv: one line per case (default html)",
    )
    report.add_argument("--output", default="-", help="file to write, or - for stdout")
    report.add_argument("--governors", action="store_true",
                        help="the governors' version: counts under 5 hidden; with --format csv, "
                        "the report's tables instead of the cases")  # fmt: skip


def cmd_report(args: argparse.Namespace) -> int:
    # Here, not at the top: every command builds this parser, and these bring in the database.
    from models import utcnow
    from monitor.app import App
    from monitor.cli import _open_out, record_cli_export
    from monitor.report import AcademicYear, YearError, build_report
    from monitor.report_output import render_csv, render_file, render_summary_csv

    settings = load_settings(args.config)
    now = utcnow()
    try:
        year = (
            AcademicYear.parse(args.year)
            if args.year
            else AcademicYear.containing(now, ZoneInfo(settings.alerts.timezone))
        )
    except YearError as exc:
        raise ConfigError(f"--year {exc}") from None
    app = App.open(settings)
    try:
        with app.sessions() as session:
            report = build_report(session, year, settings.alerts.timezone, now)
        if args.format == "html":
            text = render_file(report, args.governors, settings.school.name)
        elif args.governors:
            text = render_summary_csv(report, governors=True)
        else:
            text = render_csv(report)
        with _open_out(args.output) as out:
            out.write(text)
        version = "governors" if args.governors else "full"
        with app.sessions.begin() as session:
            record_cli_export(session, "export_report",
                              f"{year.label} {version} {args.format} to {args.output}")  # fmt: skip
    finally:
        app.close()
    return 0
