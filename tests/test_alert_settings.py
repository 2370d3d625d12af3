from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from config import ConfigError, load_settings

EXTRA = """
immediate = ["urgent", "high"]
digest_time = "16:05"
school_days = ["Monday", "wed"]
closed_dates = ["2026-12-21/2027-01-01", "2027-02-16"]
timezone = "Europe/Dublin"
group_window = "2d"
signed_by = "Mrs S. Whitfield, Headteacher"
contact_email = "head@school.example"
complaints_procedure = "our complaints procedure"
letters_dir = "letters"

[alerts.severity_recipients]
urgent = ["head@school.example", "dsl@school.example"]
"""


def _with(school_dir: Path, extra: str) -> Path:
    path = school_dir / "school.toml"
    text = path.read_text().replace('sender = "schoolwatch@school.example"\n',
                                    'sender = "schoolwatch@school.example"\n' + extra)  # fmt: skip
    path.write_text(text)
    return path


def test_it_reads_routing_digest_and_letter_settings(school_dir: Path) -> None:
    (school_dir / "letters").mkdir()
    alerts = load_settings(_with(school_dir, EXTRA), {}).alerts
    assert alerts.immediate == ("urgent", "high")
    assert alerts.digest_time == (16, 5) and alerts.timezone == "Europe/Dublin"
    assert alerts.school_days == ("mon", "wed")
    assert alerts.group_window_seconds == 2 * 86400
    assert alerts.recipients_for("urgent") == ("head@school.example", "dsl@school.example")
    assert alerts.recipients_for("low") == ("head@school.example",)
    assert alerts.letters_dir == (school_dir / "letters").resolve()
    assert alerts.is_school_day(date(2026, 11, 23))  # a Monday
    assert not alerts.is_school_day(date(2026, 11, 24))  # a Tuesday
    assert not alerts.is_school_day(date(2026, 12, 28)) and not alerts.is_school_day(
        date(2027, 2, 16)
    )


def test_the_defaults_email_urgent_cases_and_digest_at_0730_on_weekdays(
    school_dir: Path,
) -> None:
    alerts = load_settings(school_dir / "school.toml", {}).alerts
    assert alerts.immediate == ("urgent",) and alerts.digest_time == (7, 30)
    assert alerts.school_days == ("mon", "tue", "wed", "thu", "fri")
    assert alerts.timezone == "Europe/London" and not alerts.include_pupil_names


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('digest_time = "7.30"\n', r"digest_time = '7.30' is not a time; use e.g. '07:30'"),
        ('immediate = ["critical"]\n', r"'critical' is not a severity"),
        ('timezone = "Mars/Olympus"\n', r"'Mars/Olympus' is not a known time zone"),
        ('school_days = ["funday"]\n', r"'fun' is not a day"),
        ('closed_dates = ["2026-13-01"]\n', r"'2026-13-01' is not a date or range"),
        ('closed_dates = ["2027-01-02/2026-12-21"]\n', r"ends before it starts"),
        ('group_window = "soon"\n', r"group_window = 'soon' is not a duration; use e.g. '72h'"),
        ("[alerts.severity_recipients]\nurgnt = []\n", r"did you mean 'urgent'"),
        ('digest_tme = "07:30"\n', r"unknown key 'digest_tme' in \[alerts\]; did you mean"),
        ('letters_dir = "nowhere"\n', r"letters_dir = 'nowhere': .* is not a folder"),
    ],
)
def test_a_bad_alert_setting_says_what_is_wrong(school_dir: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(_with(school_dir, extra), {})


def test_a_selfharm_case_also_goes_to_the_recipients_named_for_it(school_dir: Path) -> None:
    extra = '[alerts.category_recipients]\nselfharm = ["dsl@school.example"]\n'
    alerts = load_settings(_with(school_dir, extra), {}).alerts
    assert alerts.recipients_for("urgent", ["threat"]) == ("head@school.example",)
    assert alerts.recipients_for("urgent", ["selfharm", "bullying"]) == (
        "head@school.example",
        "dsl@school.example",
    )


def test_the_second_channel_takes_apprise_urls_by_severity(school_dir: Path) -> None:
    extra = '[alerts.notify]\nurgent = ["ntfy://ntfy.example/roose-alerts"]\n'
    alerts = load_settings(_with(school_dir, extra), {}).alerts
    assert alerts.notify == {"urgent": ("ntfy://ntfy.example/roose-alerts",)}


@pytest.mark.parametrize(
    ("extra", "message"),
    [('[alerts.notify]\nurgent = ["teams-channel"]\n', "not an Apprise URL"),
     ('[alerts.notify]\nurgnet = ["ntfy://x/y"]\n', "did you mean 'urgent'")],
)  # fmt: skip
def test_a_bad_second_channel_is_one_clear_error(
    school_dir: Path, extra: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(_with(school_dir, extra), {})
