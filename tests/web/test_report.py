"""The governors' report: every figure against the database, the year's edges in school time,
small counts hidden for governors, the CSV, the page's role gate and CSP, and the audit log."""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from config import Settings
from models import AuditEvent, Case, CaseEvent, CaseStep, Flag, Post
from monitor.app import App
from monitor.cli import main
from monitor.report import AcademicYear, Report, YearError, build_report, in_words
from monitor.report_output import (
    CSV_COLUMNS,
    FEWER,
    platform_label,
    render_csv,
    render_file,
    view,
)
from tests.web.conftest import login
from tests.web.report_year import AUTHOR, LONDON, PUPIL, SPECS, TEXT, seed_year

YEAR = AcademicYear(2025)
NOW = datetime(2026, 12, 4, 6, 0, tzinfo=UTC)


@pytest.fixture
def year(app: App) -> App:
    with app.sessions.begin() as session:
        seed_year(session)
    return app


def _report(app: App, year: AcademicYear = YEAR) -> Report:
    with app.sessions() as session:
        return build_report(session, year, "Europe/London", NOW)


def _in_year(moment: datetime) -> bool:
    return date(2025, 9, 1) <= moment.astimezone(LONDON).date() <= date(2026, 8, 31)


def _nearest_rank_p90(values: list[float]) -> float:
    ordered = sorted(values)
    return next(v for v in ordered if sum(x <= v for x in ordered) >= 0.9 * len(ordered))


def _expected(app: App) -> dict[str, object]:
    """The figures worked out here from the rows themselves, in plain Python."""
    with app.sessions() as session:
        cases = [c for c in session.scalars(select(Case)) if _in_year(c.created_at)]
        posts = session.execute(select(Post.case_id, Post.platform)).all()
        flags = session.execute(select(Post.case_id, Flag.status, Flag.created_at)
                                .join(Post, Flag.post_id == Post.id)).all()  # fmt: skip
        events = session.execute(
            select(CaseEvent.case_id, CaseEvent.action, CaseEvent.detail, CaseEvent.created_at)
        ).all()
        steps = {s.case_id for s in session.scalars(select(CaseStep))}
    incidents = [c for c in cases if c.status != "dismissed"]
    platforms = {c.id: sorted({p for cid, p in posts if cid == c.id}) for c in cases}
    detected = {
        c.id: min([c.created_at] + [at for cid, _, at in flags if cid == c.id]) for c in cases
    }
    decisions = ("confirm", "dismiss", "recategorise", "status")
    first = {}
    resolved = {}
    for c in cases:
        mine = [(at, a, d) for cid, a, d, at in events if cid == c.id]
        times = [at for at, a, _ in mine if a in decisions]
        if times:
            first[c.id] = min(times) - detected[c.id]
        ends = [at for at, a, d in mine if a == "status" and "-> resolved" in (d or "")]
        if ends and c.status == "resolved":
            resolved[c.id] = max(ends) - detected[c.id]
    hour = timedelta(hours=1)
    takedowns: dict[str, list[int]] = {}
    for c in incidents:
        if c.id in steps or c.outcome in ("removed", "refused"):
            for p in platforms[c.id]:
                row = takedowns.setdefault(p, [0, 0, 0])
                row[0] += 1
                row[1] += c.outcome == "removed"
                row[2] += c.outcome == "refused"
    decided = [s for _, s, at in flags if _in_year(at) and s in ("confirmed", "dismissed")]
    first_hours = [first[c.id] / hour for c in cases if c.id in first]
    resolved_hours = [resolved[c.id] / hour for c in incidents if c.id in resolved]
    return {
        "references": sorted(c.reference for c in cases),
        "incidents": len(incidents),
        "dismissed": len(cases) - len(incidents),
        "categories": Counter(cat for c in incidents for cat in c.categories),
        "platforms": Counter(p for c in incidents for p in platforms[c.id]),
        "months": Counter(c.created_at.astimezone(LONDON).strftime("%B %Y") for c in incidents),
        "outcomes": Counter(c.outcome or "not recorded yet" for c in incidents),
        "first": (len(first_hours), statistics.median(first_hours), _nearest_rank_p90(first_hours)),
        "resolved": (
            len(resolved_hours),
            statistics.median(resolved_hours),
            _nearest_rank_p90(resolved_hours),
        ),  # fmt: skip
        "takedowns": {p: tuple(row) for p, row in takedowns.items()},
        "flags": (len(decided), decided.count("dismissed")),
        "first_by_case": {c.reference: first.get(c.id) for c in cases},
        "resolved_by_case": {c.reference: resolved.get(c.id) for c in cases},
    }


def test_every_figure_matches_the_database(year: App) -> None:
    report = _report(year)
    want = _expected(year)
    assert sorted(c.reference for c in report.cases) == want["references"]
    assert len(report.incidents) == want["incidents"] == 11
    assert report.dismissed == want["dismissed"] == 1
    assert dict(report.by_category) == want["categories"]
    assert dict(report.by_category)["complaint"] == 7
    assert dict(report.by_platform) == want["platforms"]
    assert dict(report.by_platform) == {"facebook": 6, "x": 5, "reddit": 1}
    months = dict(report.by_month)
    assert list(months) == [d.strftime("%B %Y") for d in YEAR.months()]
    assert months == {m: want["months"].get(m, 0) for m in months}  # type: ignore[attr-defined]
    assert months["February 2026"] == 0 and months["August 2026"] == 1
    assert dict(report.outcomes) == want["outcomes"]
    first = report.to_first_decision
    resolved = report.to_resolution
    assert (first.count, first.median, first.p90) == pytest.approx(want["first"])
    assert (resolved.count, resolved.median, resolved.p90) == pytest.approx(want["resolved"])
    assert {t.platform: (t.asked, t.removed, t.refused) for t in report.takedowns} == want[
        "takedowns"
    ]
    assert (report.flags_decided, report.flags_dismissed) == want["flags"] == (14, 2)
    assert report.false_alarm_rate == pytest.approx(2 / 14)
    hour = timedelta(hours=1)
    for line in report.cases:
        expected_first = want["first_by_case"][line.reference]  # type: ignore[index]
        expected_end = want["resolved_by_case"][line.reference]  # type: ignore[index]
        assert line.hours_to_first_decision == (
            None if expected_first is None else pytest.approx(expected_first / hour)
        )
        assert line.hours_to_resolution == (
            None if expected_end is None else pytest.approx(expected_end / hour)
        )


def test_the_detection_clock_starts_at_the_first_flag_and_a_proposal_is_no_decision(
    year: App,
) -> None:
    lines = {line.reference: line for line in _report(year).cases}
    # The flag came 10 minutes before the case: two hours from the flag, not 1 h 50.
    assert lines["SW-2025-0001"].hours_to_first_decision == pytest.approx(2)
    assert lines["SW-2025-0004"].hours_to_first_decision == pytest.approx(0.25)
    # Resolved, reopened, resolved again: the last resolution counts.
    assert lines["SW-2026-0001"].hours_to_resolution == pytest.approx(240)
    assert lines["SW-2026-0004"].first_decision is None


def test_the_page_shows_the_figures_in_plain_words(
    year: App, client: FlaskClient, users: dict[str, str]
) -> None:
    login(client, users["headteacher"])
    html = client.get("/report?year=2025-26").get_data(as_text=True)
    report = _report(year)
    assert '<td id="incidents">11</td>' in html
    assert in_words(report.to_first_decision.median) in html
    assert in_words(report.to_resolution.p90) in html
    assert "14%" in html  # 2 of 14 flags dismissed
    for label, count in report.by_month:
        assert f'<th scope="row">{label}</th><td>{count}</td>' in html


@pytest.mark.parametrize(
    ("moment", "label"),
    [
        (datetime(2025, 8, 31, 22, 59, tzinfo=UTC), "2024-25"),  # 23:59 BST on 31 August
        (datetime(2025, 8, 31, 23, 0, tzinfo=UTC), "2025-26"),  # midnight BST, 1 September
        (datetime(2026, 8, 31, 22, 59, 59, tzinfo=UTC), "2025-26"),
        (datetime(2026, 8, 31, 23, 0, tzinfo=UTC), "2026-27"),
    ],
)
def test_the_academic_year_turns_at_midnight_school_time(moment: datetime, label: str) -> None:
    assert AcademicYear.containing(moment, LONDON).label == label


def test_the_year_holds_the_cases_opened_from_1_september_to_31_august(year: App) -> None:
    inside = {c.reference for c in _report(year).cases}
    assert "SW-2025-0001" in inside  # 00:30 on 1 September 2025, 23:30 UTC the day before
    assert "SW-2026-0006" in inside  # 23:59 on 31 August 2026
    assert "SW-2025-0000" not in inside  # 23:59 on 31 August 2025
    assert "SW-2026-0007" not in inside  # midnight on 1 September 2026
    earlier = {c.reference for c in _report(year, AcademicYear(2024)).cases}
    later = {c.reference for c in _report(year, AcademicYear(2026)).cases}
    assert earlier == {"SW-2025-0000"} and later == {"SW-2026-0007"}


@pytest.mark.parametrize("text", ["2025-27", "2025", "25-26", "2025/26", ""])
def test_a_year_not_written_like_2025_26_is_refused(text: str) -> None:
    with pytest.raises(YearError):
        AcademicYear.parse(text)


def _hidden_ok(rows: list[tuple[str, str]], counts: dict[str, int]) -> None:
    primary = [label for label, _ in rows if 0 < counts[label] < 5]
    for label, value in rows:
        if label in primary:
            assert value == FEWER, label
    secondary = [label for label, value in rows if value == FEWER and label not in primary]
    assert len(secondary) == (1 if len(primary) == 1 else 0), rows
    for label, value in rows:
        if value != FEWER:
            assert value == str(counts[label]), label


def test_the_governors_version_hides_counts_under_5_in_tables_and_charts(year: App) -> None:
    report = _report(year)
    full, governors = view(report, False), view(report, True)
    named = [(platform_label(p), n) for p, n in report.by_platform]
    for key, source in (("months", report.by_month), ("platforms", named)):
        _hidden_ok(governors[key].rows, dict(source))
        assert FEWER not in str(full[key].rows)
    platforms = dict(governors["platforms"].rows)
    # reddit's 1 is hidden, and so is x's 5, or 12 - 6 - 5 would give it away.
    assert platforms == {"Facebook": "6", "X (Twitter)": FEWER, "Reddit": FEWER}
    categories = dict(governors["categories"].rows)
    assert categories["Complaints made on social media"] == "7"
    assert categories["Threats of violence"] == FEWER
    chart = str(governors["platforms"].chart)
    assert chart.count('fill="#1a4d8f"') == 1  # one bar drawn: facebook's
    assert chart.count(FEWER) == 2
    assert str(full["platforms"].chart).count('fill="#1a4d8f"') == 3
    month_chart = str(governors["months"].chart)
    drawn = sum(1 for _, n in report.by_month if n == 0 or n >= 5)
    assert month_chart.count('fill="#1a4d8f"') == drawn
    assert governors["incidents"] == "11"
    assert governors["flags_dismissed"] == FEWER and governors["false_alarms"] == "not shown"
    assert governors["flags_decided"] == "14"
    html = render_file(report, True, "Roose")
    assert '<td id="incidents">11</td>' in html
    assert "SW-20" not in html  # no case reference in the governors' version


def test_the_csv_has_one_line_per_case_and_no_text_or_names(year: App) -> None:
    report = _report(year)
    text = render_csv(report)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["reference"] for r in rows] == [c.reference for c in report.cases]
    want = _expected(year)
    first = rows[0]
    assert first["opened"] == "2025-09-01T00:30+01:00"
    assert first["category"] == "complaint" and first["platforms"] == "facebook"
    assert first["outcome"] == "resolved_with_parent"
    assert first["hours_to_first_decision"] == "2.0"
    assert first["hours_to_resolution"] == "30.0"
    by_ref = {r["reference"]: r for r in rows}
    assert by_ref["SW-2025-0003"]["platforms"] == "facebook;x"
    assert by_ref["SW-2026-0004"]["hours_to_first_decision"] == ""
    for reference, hours in want["first_by_case"].items():  # type: ignore[attr-defined]
        if hours is not None:
            assert float(by_ref[reference]["hours_to_first_decision"]) == pytest.approx(
                hours / timedelta(hours=1), abs=0.05
            )
    for leak in (PUPIL, "Jayden", "Nowak", AUTHOR, TEXT[:20], "HYPERLINK"):
        assert leak not in text
        assert leak not in render_file(report, False, "Roose")


def test_only_the_headteacher_and_the_dsl_see_the_report(
    year: App, web_clients: tuple[FlaskClient, FlaskClient], users: dict[str, str]
) -> None:
    staff, leader = web_clients
    login(staff, users["staff"])
    assert staff.get("/report").status_code == 403
    assert staff.get("/report/cases.csv").status_code == 403
    assert 'href="/report"' not in staff.get("/").get_data(as_text=True)
    for role in ("headteacher", "dsl"):
        client = leader.application.test_client()
        login(client, users[role])
        assert client.get("/report").status_code == 200
        assert 'href="/report"' in client.get("/").get_data(as_text=True)
        assert client.get("/report/cases.csv").status_code == 200
    login(leader, users["headteacher"])
    assert leader.get("/report?year=2025-27").status_code == 400


def test_the_page_renders_under_the_strict_csp(
    year: App, client: FlaskClient, users: dict[str, str]
) -> None:
    login(client, users["dsl"])
    response = client.get("/report?year=2025-26&governors=1")
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "sha256-" not in csp
    assert "style-src 'self';" in csp and "script-src 'self';" in csp
    html = response.get_data(as_text=True)
    assert html.count("<svg") == 4
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son\w+=", html)
    assert "<!--" not in html and "<metadata" not in html and "<?xml" not in html
    assert 'xlink:href="http' not in html and 'href="http' not in html


def test_each_view_and_download_goes_in_the_audit_log(
    year: App, client: FlaskClient, users: dict[str, str]
) -> None:
    login(client, users["headteacher"])
    client.get("/report?year=2025-26&governors=1")
    client.get("/report/cases.csv?year=2025-26")
    with year.sessions() as session:
        rows = session.execute(
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.object_id, AuditEvent.detail)
            .where(AuditEvent.object_type == "report").order_by(AuditEvent.id)
        ).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [
        (users["headteacher"], "view_report", "2025-26", "governors"),
        (users["headteacher"], "export_report", "2025-26", "csv, 12 cases"),
    ]


def test_the_command_writes_the_report_and_the_cases_and_logs_the_export(
    year: App, settings: Settings, school_dir: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for key, value in (("SCHOOLWATCH_DATA_DIR", str(settings.data_dir)),
                       ("SCHOOLWATCH_DATABASE_URL", settings.database_url)):  # fmt: skip
        monkeypatch.setenv(key, value)
    config = str(school_dir / "school.toml")
    page = tmp_path / "report.html"
    assert main(["report", "--config", config, "--year", "2025-26", "--governors",
                 "--output", str(page)]) == 0  # fmt: skip
    html = page.read_text()
    assert "report to governors" in html and FEWER in html and "<script" not in html
    assert main(["report", "--config", config, "--year", "2025-26", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS) and len(lines) == 13
    assert main(["report", "--config", config, "--year", "2025-26", "--format", "csv",
                 "--governors"]) == 0  # fmt: skip
    summary = capsys.readouterr().out
    assert "SW-20" not in summary and f"Incidents by platform,Reddit,{FEWER}" in summary
    assert main(["report", "--config", config, "--year", "2025-2026"]) == 2
    assert "2025-26" in capsys.readouterr().err
    with year.sessions() as session:
        details = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "export_report")
        ).all()
    assert details == [
        f"2025-26 governors html to {page}",
        "2025-26 full csv to -",
        "2025-26 governors csv to -",
    ]


def test_every_case_in_the_fixture_is_a_real_spec() -> None:
    assert len({s.reference for s in SPECS}) == len(SPECS)


def test_a_year_with_no_cases_still_makes_a_report(app: App) -> None:
    report = _report(app, AcademicYear(2020))
    assert report.cases == [] and report.false_alarm_rate is None
    for governors in (False, True):
        html = render_file(report, governors, "Roose")
        assert '<td id="incidents">0</td>' in html and "None this year." in html
        assert html.count("<svg") == 1  # the months, all at 0
    assert render_csv(report) == ",".join(CSV_COLUMNS) + "\n"


def test_a_chart_label_is_text_never_markup_or_a_formula() -> None:
    from monitor.report_charts import bar_chart

    svg = str(bar_chart("Platforms", [('<script>alert("x")</script>', 6), ("$x^2$", None)]))
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert "$x^2$" in svg and " style=" not in svg and "<style" not in svg
    assert svg.startswith("<svg") and "<title>Platforms</title>" in svg
