"""The report as people read it: printable HTML with charts, and a CSV of cases.

The governors' version shows every count from 1 to 4 as "fewer than 5", in tables and charts;
where that hides a single figure in a table, the next smallest is hidden too, so the hidden one
cannot be worked out from the total. Times and rates resting on hidden counts are left out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from alerts.render import PLATFORM_LABELS
from monitor.followup import OUTCOME_WORDS
from monitor.report import Report, Speed, in_words

FEWER = "fewer than 5"
SMALL = 5
TEMPLATES = Path(__file__).parent / "web" / "templates"
STYLESHEET = Path(__file__).parent / "web" / "static" / "report.css"
CSV_COLUMNS = (
    "reference", "opened", "category", "severity", "platforms", "status", "outcome",
    "hours_to_first_decision", "hours_to_resolution",
)  # fmt: skip
CATEGORY_WORDS = {
    "pupil": "Naming or commenting on a pupil",
    "allegation": "Allegations about staff or the school",
    "bullying": "Cyber-bullying or harassment",
    "offensive": "Negative or offensive comments",
    "racist": "Racist or religious hatred",
    "threat": "Threats of violence",
    "complaint": "Complaints made on social media",
    "selfharm": "Self-harm or a pupil at risk",
}


def platform_label(code: str) -> str:
    """The platform's name as a table shows it: "X (Twitter)", "News feed"."""
    label = PLATFORM_LABELS.get(code, code)
    for article in ("a ", "an "):
        if label.startswith(article):
            label = label[len(article) :]
    return label[:1].upper() + label[1:]


def hidden(counts: Sequence[int], governors: bool) -> list[bool]:
    """Which counts to hide: none in the Headteacher's version; in the governors', each from 1
    to 4, and if that hides only one, the smallest other non-zero count as well."""
    if not governors:
        return [False] * len(counts)
    hide = [0 < n < SMALL for n in counts]
    if sum(hide) == 1:
        rest = [(n, i) for i, n in enumerate(counts) if n and not hide[i]]
        if rest:
            hide[min(rest)[1]] = True
    return hide


def shown(count: int, hide: bool) -> str:
    return FEWER if hide else str(count)


@dataclass(frozen=True)
class Table:
    title: str
    rows: list[tuple[str, str]]
    chart: Markup | None


def _table(title: str, rows: list[tuple[str, int]], governors: bool, horizontal: bool = True,
           chart_labels: list[str] | None = None) -> Table:  # fmt: skip
    from monitor.report_charts import bar_chart  # matplotlib loads only when a report is drawn

    hide = hidden([n for _, n in rows], governors)
    cells = [(label, shown(n, h)) for (label, n), h in zip(rows, hide, strict=True)]
    bars = [(label, None if h else n) for (label, n), h in zip(rows, hide, strict=True)]
    picture = bar_chart(title, bars, horizontal, chart_labels) if rows else None
    return Table(title, cells, picture)


def _speed(value: Speed, governors: bool) -> dict[str, str]:
    if value.count == 0:
        return {"count": "0", "median": "none yet", "p90": "none yet"}
    if governors and value.count < SMALL:
        return {"count": FEWER, "median": "not shown", "p90": "not shown"}
    return {"count": str(value.count), "median": in_words(value.median),
            "p90": in_words(value.p90)}  # fmt: skip


def _rate(part: int, whole: int, hide: bool) -> str:
    if hide:
        return "not shown"
    if not whole:
        return "none answered yet"
    return f"{round(100 * part / whole)}%"


def view(report: Report, governors: bool) -> dict[str, Any]:
    """Everything the template shows, already suppressed for the governors."""
    incidents = report.incidents
    made = report.generated_at.astimezone(ZoneInfo(report.zone))
    total_hide = governors and 0 < len(incidents) < SMALL
    takedowns = []
    for row in report.takedowns:
        hide = [governors and 0 < n < SMALL for n in (row.asked, row.removed, row.refused)]
        answered = row.removed + row.refused
        takedowns.append({
            "platform": platform_label(row.platform),
            "asked": shown(row.asked, hide[0]),
            "removed": shown(row.removed, hide[1]),
            "refused": shown(row.refused, hide[2]),
            "rate": _rate(row.removed, answered, hide[1] or hide[2]),
        })  # fmt: skip
    # The flags decided are many and name nobody; the dismissed among them may be few.
    flags_hide = [governors and 0 < report.flags_dismissed < SMALL, False]
    return {
        "report": report,
        "governors": governors,
        "year": report.year,
        "generated": f"{made.day} {made:%B %Y at %H:%M}",
        "incidents": shown(len(incidents), total_hide),
        "dismissed": shown(report.dismissed, governors and 0 < report.dismissed < SMALL),
        "months": _table(
            "Incidents by month",
            report.by_month,
            governors,
            horizontal=False,
            chart_labels=[m.strftime("%b %Y") for m in report.year.months()],
        ),
        "categories": _table(
            "Incidents by category",
            [(CATEGORY_WORDS.get(c, c), n) for c, n in report.by_category],
            governors,
        ),
        "platforms": _table(
            "Incidents by platform",
            [(platform_label(p), n) for p, n in report.by_platform],
            governors,
        ),
        "outcomes": _table(
            "Outcomes", [(OUTCOME_WORDS.get(c, c), n) for c, n in report.outcomes], governors
        ),
        "first_decision": _speed(report.to_first_decision, governors),
        "resolution": _speed(report.to_resolution, governors),
        "takedowns": takedowns,
        "flags_decided": shown(report.flags_decided, flags_hide[1]),
        "flags_dismissed": shown(report.flags_dismissed, flags_hide[0]),
        "false_alarms": _rate(report.flags_dismissed, report.flags_decided, flags_hide[0]),
    }


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True)
    )


def render_file(report: Report, governors: bool, school: str) -> str:
    """The report as one self-contained HTML file: its stylesheet inside, nothing fetched."""
    template = _environment().get_template("report-file.html")
    css = STYLESHEET.read_text(encoding="utf-8")
    return template.render(school=school, css=css, **view(report, governors))


def _cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _hours(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def render_csv(report: Report) -> str:
    """One line per case opened in the year: codes, times and counts, never text or names."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    zone = ZoneInfo(report.zone)
    for case in report.cases:
        writer.writerow([_cell(v) for v in (
            case.reference,
            case.opened.astimezone(zone).isoformat(timespec="minutes"),
            ";".join(case.categories),
            case.severity,
            ";".join(case.platforms),
            case.status,
            case.outcome or "",
            _hours(case.hours_to_first_decision),
            _hours(case.hours_to_resolution),
        )])  # fmt: skip
    return out.getvalue()


def render_summary_csv(report: Report, governors: bool) -> str:
    """The report's tables as CSV (table, row, value), suppressed like the page."""
    data = view(report, governors)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("table", "row", "value"))
    writer.writerow(("Totals", "Incidents", data["incidents"]))
    writer.writerow(("Totals", "Dismissed as false alarms", data["dismissed"]))
    for key in ("months", "categories", "platforms", "outcomes"):
        table: Table = data[key]
        for label, value in table.rows:
            writer.writerow((table.title, _cell(label), value))
    for key, title in (("first_decision", "Time to first decision"),
                       ("resolution", "Time to resolution")):  # fmt: skip
        for part in ("count", "median", "p90"):
            writer.writerow((title, part, data[key][part]))
    for row in data["takedowns"]:
        for part in ("asked", "removed", "refused", "rate"):
            writer.writerow(("Takedowns", f"{_cell(row['platform'])}: {part}", row[part]))
    writer.writerow(("False alarms", "Flags decided", data["flags_decided"]))
    writer.writerow(("False alarms", "Flags dismissed", data["flags_dismissed"]))
    writer.writerow(("False alarms", "Rate", data["false_alarms"]))
    return out.getvalue()
