"""The yearly report for the Headteacher and the DSL: the page (full or governors' version)
and the cases as CSV. Every view and download goes in the audit log."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, render_template, request

from models import utcnow
from monitor.report import AcademicYear, Report, YearError, build_report
from monitor.report_output import render_csv, view
from monitor.web.auth import requires
from monitor.web.common import audit, core, db
from monitor.workflow import LEADERS

bp = Blueprint("report", __name__)
YEARS_BACK = 6  # academic years offered in the page's menu


def _report() -> Report:
    settings = core().settings
    zone = ZoneInfo(settings.alerts.timezone)
    now = utcnow()
    asked = request.args.get("year", "")
    try:
        year = AcademicYear.parse(asked) if asked else AcademicYear.containing(now, zone)
    except YearError as exc:
        abort(400, str(exc))
    return build_report(db(), year, settings.alerts.timezone, now)


@bp.get("/report")
@requires(*sorted(LEADERS))
def show() -> str:
    report = _report()
    governors = request.args.get("governors") == "1"
    current = AcademicYear.containing(utcnow(), ZoneInfo(report.zone)).start
    years = [AcademicYear(current - i).label for i in range(YEARS_BACK)]
    if report.year.label not in years:
        years.insert(0, report.year.label)
    page = render_template("report.html", school=core().settings.school.name, years=years,
                           **view(report, governors))  # fmt: skip
    audit("view_report", "report", report.year.label, "governors" if governors else "full")
    db().commit()
    return page


@bp.get("/report/cases.csv")
@requires(*sorted(LEADERS))
def cases_csv() -> Response:
    report = _report()
    data = render_csv(report)
    audit("export_report", "report", report.year.label, f"csv, {len(report.cases)} cases")
    db().commit()
    name = f"schoolwatch-cases-{report.year.label}.csv"
    return Response(data, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
