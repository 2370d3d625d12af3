"""The settings object: one school's TOML file plus the environment, validated strictly."""

from __future__ import annotations

import csv
import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from config.env import env_secret
from config.errors import ConfigError

CATEGORIES: tuple[str, ...] = (
    "pupil",
    "allegation",
    "bullying",
    "offensive",
    "racist",
    "threat",
    "complaint",
    "selfharm",
)
SEVERITIES: tuple[str, ...] = ("urgent", "high", "medium", "low")
DEFAULT_SEVERITY: dict[str, str] = {
    "threat": "urgent",
    "racist": "urgent",
    "pupil": "high",
    "allegation": "high",
    "bullying": "medium",
    "offensive": "medium",
    "complaint": "low",
    "selfharm": "urgent",
}
DEFAULT_THRESHOLD = 0.5
SOURCE_TYPES: tuple[str, ...] = (
    "reddit",
    "x",
    "bluesky",
    "mastodon",
    "youtube",
    "facebook_page",
    "rss",
    "jsonl",
    "imap",
)
_EVERY = re.compile(r"^(\d+)\s*([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class SchoolSettings:
    name: str
    aliases: tuple[str, ...] = ()
    location: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Person:
    """A pupil or a member of staff on the school's roster."""

    kind: str  # "pupil" | "staff"
    first_name: str
    last_name: str
    aliases: tuple[str, ...] = ()
    year_group: str = ""
    title: str = ""
    role: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self) -> str:
        return f"{self.first_name[:1]}.{self.last_name[:1]}.".upper()

    @property
    def display_name(self) -> str:
        if self.kind == "staff" and self.title:
            return f"{self.title} {self.last_name}"
        return self.full_name


@dataclass(frozen=True)
class Roster:
    pupils: tuple[Person, ...] = ()
    staff: tuple[Person, ...] = ()

    @property
    def people(self) -> tuple[Person, ...]:
        return (*self.pupils, *self.staff)


@dataclass(frozen=True)
class SourceSettings:
    name: str
    type: str
    every_seconds: int
    options: Mapping[str, Any] = field(default_factory=dict)
    base_dir: Path = Path(".")
    # "school": it searches for the school's names or reads the school's own channels, so its
    # posts are about the school unless they say otherwise; "area": a broad local source.
    scope: str = "school"

    def path_option(self, key: str) -> Path | None:
        value = self.options.get(key)
        if value is None:
            return None
        return (self.base_dir / str(value)).resolve()


WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class AlertSettings:
    recipients: tuple[str, ...] = ()
    sender: str = "schoolwatch@localhost"
    base_url: str = "http://127.0.0.1:8000"
    include_pupil_names: bool = False
    # Routing: these severities are e-mailed at once; the rest wait for the daily digest.
    immediate: tuple[str, ...] = ("urgent",)
    severity_recipients: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    category_recipients: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A second channel, by severity: Apprise URLs (Teams, Slack, ntfy, SMS gateways ...), tried
    # independently of SMTP so that one broken mail server cannot silence a threat.
    notify: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    digest_time: tuple[int, int] = (7, 30)
    school_days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    closed_dates: tuple[tuple[date, date], ...] = ()
    timezone: str = "Europe/London"
    group_window_seconds: int = 72 * 3600
    # Letters and drafts, in the school's voice.
    signed_by: str = "The Headteacher"
    contact_email: str = ""
    complaints_procedure: str = (
        "the school's complaints procedure, available from the school office"
    )
    letters_dir: Path | None = None

    def recipients_for(self, severity: str, categories: Iterable[str] = ()) -> tuple[str, ...]:
        """Who hears of a case: by its severity, plus anyone named for one of its categories
        (the DSL for selfharm)."""
        found = list(self.severity_recipients.get(severity) or self.recipients)
        for category in categories:
            found += self.category_recipients.get(category, ())
        return tuple(dict.fromkeys(found))

    def is_school_day(self, day: date) -> bool:
        if WEEKDAYS[day.weekday()] not in self.school_days:
            return False
        return not any(first <= day <= last for first, last in self.closed_dates)


@dataclass(frozen=True)
class RetentionSettings:
    """How long things are kept, in days; the daily retention job enforces it."""

    irrelevant_days: int = 30
    unflagged_days: int = 30
    dismissed_days: int = 30
    closed_case_days: int = 2190
    digest_days: int = 30  # a sent digest quotes many cases' posts: it goes sooner than they do


@dataclass(frozen=True)
class LearningSettings:
    """The weekly learning loop (``schoolwatch retrain`` on a schedule); off unless asked for."""

    retrain: str = "off"  # "off" or "weekly"
    day: str = "sun"  # the weekly run's day and UTC hour: a quiet time on a school machine
    hour: int = 2
    public_data: Path | None = None  # public labelled data to train on too, if the school has it


@dataclass(frozen=True)
class WebSettings:
    proxies: int = 0  # reverse proxies in front whose X-Forwarded-For/-Proto headers are trusted


@dataclass(frozen=True)
class Settings:
    school: SchoolSettings
    roster: Roster
    sources: tuple[SourceSettings, ...]
    alerts: AlertSettings
    thresholds: Mapping[str, float]
    retention: RetentionSettings
    data_dir: Path
    database_url: str
    smtp_url: str | None
    secret_key: str | None
    config_path: Path | None = None
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)
    web: WebSettings = field(default_factory=WebSettings)
    learning: LearningSettings = field(default_factory=LearningSettings)
    # The school's slug in a deployment of several (None: the one-school deployment).
    tenant: str | None = None

    def source(self, name: str) -> SourceSettings:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"unknown source {name!r}; the config defines: {known}")

    def scope_of(self, source_name: str | None) -> str:
        """Where a stored post was found; posts staff add by hand are about the school."""
        for source in self.sources:
            if source.name == source_name:
                return source.scope
        return "school"

    def severity(self, category: str) -> str:
        return DEFAULT_SEVERITY[category]

    def threshold(self, category: str) -> float:
        return self.thresholds.get(category, DEFAULT_THRESHOLD)

    @property
    def outbox_dir(self) -> Path:
        """Each school of a deployment of several has its own: the files are named by the
        e-mail's key, which holds the school's own case reference."""
        outbox = self.data_dir / "outbox"
        return outbox / self.tenant if self.tenant else outbox


_TOP_KEYS = (
    "school", "people", "sources", "alerts", "thresholds", "retention", "web", "learning",
)  # fmt: skip
_LEARNING_KEYS = ("retrain", "day", "hour", "public_data")
_SCHOOL_KEYS = ("name", "aliases", "location")
_PEOPLE_KEYS = ("pupils", "staff")
_RETENTION_KEYS = (
    "irrelevant_days",
    "unflagged_days",
    "dismissed_days",
    "closed_case_days",
    "digest_days",
)
_ALERT_KEYS = (
    "recipients",
    "sender",
    "base_url",
    "include_pupil_names",
    "immediate",
    "severity_recipients",
    "category_recipients",
    "notify",
    "digest_time",
    "school_days",
    "closed_dates",
    "timezone",
    "group_window",
    "signed_by",
    "contact_email",
    "complaints_procedure",
    "letters_dir",
)
_WEB_KEYS = ("proxies",)


def _check_keys(table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = (
                f"; did you mean {close[0]!r}?" if close else f"; valid keys: {', '.join(allowed)}"
            )
            raise ConfigError(f"unknown key {key!r} in {where}{hint}")


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{key}] must be a table")
    return value


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def parse_every(text: str, where: str) -> int:
    match = _EVERY.match(str(text).strip())
    if not match or int(match.group(1)) == 0:
        raise ConfigError(
            f"{where}: every = {text!r} is not a duration; use e.g. '30s', '15m', '1h'"
        )
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def _parse_sources(raw: Any, base_dir: Path) -> tuple[SourceSettings, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError("sources must be an array of tables: write [[sources]] for each source")
    sources: list[SourceSettings] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        where = f"[[sources]] #{index}"
        if not isinstance(item, dict):
            raise ConfigError(f"{where} must be a table")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f'{where} has no name; add name = "..."')
        where = f"source {name!r}"
        if name in seen:
            raise ConfigError(f"{where} is defined twice; source names must be unique")
        seen.add(name)
        kind = item.get("type")
        if kind not in SOURCE_TYPES:
            close = difflib.get_close_matches(str(kind), SOURCE_TYPES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(
                f"{where}: type {kind!r} is not one of {', '.join(SOURCE_TYPES)}{hint}"
            )
        every = parse_every(item.get("every", "15m"), where)
        scope = item.get("scope", _default_scope(kind, item))
        if scope not in SCOPES:
            raise ConfigError(
                f"{where}: scope {scope!r} is not one of {', '.join(SCOPES)} ('school': it "
                "searches for the school or reads its own channels; 'area': a broad local source)"
            )
        options = {k: v for k, v in item.items() if k not in ("name", "type", "every", "scope")}
        sources.append(SourceSettings(name, kind, every, options, base_dir, scope))
    return tuple(sources)


SCOPES = ("school", "area")


def _default_scope(kind: str, item: Mapping[str, Any]) -> str:
    """A news feed or a whole subreddit's comments is a broad source; the other connectors
    search for the school's names or read its own Page, channel or hashtag."""
    if kind == "rss" or (kind == "reddit" and item.get("comment_subreddits")):
        return "area"
    return "school"


_PUPIL_COLUMNS = ("first_name", "last_name", "year_group", "aliases")
_STAFF_COLUMNS = ("title", "first_name", "last_name", "role", "aliases")


def _read_roster(path: Path, kind: str) -> tuple[Person, ...]:
    columns = _PUPIL_COLUMNS if kind == "pupil" else _STAFF_COLUMNS
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ConfigError(f"cannot read the {kind} list {path}: {exc.strerror}") from None
    people: list[Person] = []
    with handle:
        reader = csv.DictReader(handle)
        header = tuple(h.strip() for h in (reader.fieldnames or ()))
        missing = [c for c in columns if c not in header and c != "aliases"]
        if missing:
            raise ConfigError(
                f"{path}:1: the header lacks {', '.join(missing)}; expected {','.join(columns)}"
            )
        for row in reader:
            line = reader.line_num
            values = {
                (k or "").strip(): (v or "").strip() for k, v in row.items() if isinstance(v, str)
            }
            if None in row:
                raise ConfigError(f"{path}:{line}: too many fields; expected {','.join(columns)}")
            first, last = values.get("first_name", ""), values.get("last_name", "")
            if not first or not last:
                raise ConfigError(f"{path}:{line}: first_name and last_name are required")
            aliases = tuple(a.strip() for a in values.get("aliases", "").split(";") if a.strip())
            people.append(
                Person(
                    kind=kind,
                    first_name=first,
                    last_name=last,
                    aliases=aliases,
                    year_group=values.get("year_group", ""),
                    title=values.get("title", ""),
                    role=values.get("role", ""),
                )
            )
    return tuple(people)


def _parse_thresholds(table: Mapping[str, Any]) -> dict[str, float]:
    _check_keys(table, CATEGORIES, "[thresholds]")
    result: dict[str, float] = {}
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ConfigError(f"[thresholds] {key} = {value!r} must be a number from 0 to 1")
        result[key] = float(value)
    return result


def _lists_by(
    table: Mapping[str, Any], key: str, allowed: tuple[str, ...], example: str
) -> dict[str, tuple[str, ...]]:
    """An optional sub-table of ``[alerts]`` whose keys are severities or categories and whose
    values are lists of strings (addresses, URLs)."""
    sub = table.get(key, {})
    if not isinstance(sub, dict):
        raise ConfigError(f"[alerts] {key} must be a table, e.g. {example} = [...]")
    _check_keys(sub, allowed, f"[alerts.{key}]")
    return {name: _str_list(value, f"[alerts.{key}] {name}") for name, value in sub.items()}


def _parse_alerts(table: Mapping[str, Any], base_dir: Path) -> AlertSettings:
    _check_keys(table, _ALERT_KEYS, "[alerts]")
    include = table.get("include_pupil_names", False)
    if not isinstance(include, bool):
        raise ConfigError("[alerts] include_pupil_names must be true or false")
    strings: dict[str, str] = {}
    for key in ("sender", "base_url", "timezone", "signed_by", "contact_email",
                "complaints_procedure"):  # fmt: skip
        value = table.get(key, getattr(AlertSettings, key))
        if not isinstance(value, str) or (key != "contact_email" and not value.strip()):
            raise ConfigError(f"[alerts] {key} must be a non-empty string")
        strings[key] = value.strip()
    try:
        ZoneInfo(strings["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"[alerts] timezone {strings['timezone']!r} is not a known time zone; "
            "use a name like 'Europe/London'"
        ) from None
    immediate = _str_list(table.get("immediate", ["urgent"]), "[alerts] immediate")
    for severity in immediate:
        if severity not in SEVERITIES:
            raise ConfigError(
                f"[alerts] immediate: {severity!r} is not a severity; use {', '.join(SEVERITIES)}"
            )
    severity_recipients = _lists_by(table, "severity_recipients", SEVERITIES, "urgent")
    category_recipients = _lists_by(table, "category_recipients", CATEGORIES, "selfharm")
    notify = _lists_by(table, "notify", SEVERITIES, "urgent")
    for key, urls in notify.items():
        for url in urls:
            if "://" not in url:
                raise ConfigError(
                    f"[alerts.notify] {key}: {url.split(':')[0][:20]!r}... is not an Apprise URL; "
                    "use e.g. ntfy://ntfy.sh/your-topic or msteams://..."
                )
    days = _str_list(table.get("school_days", list(AlertSettings.school_days)),
                     "[alerts] school_days")  # fmt: skip
    days = tuple(d.lower()[:3] for d in days)
    for day in days:
        if day not in WEEKDAYS:
            raise ConfigError(f"[alerts] school_days: {day!r} is not a day; use mon, tue, ... sun")
    window = str(table.get("group_window", "72h"))
    if not _EVERY.match(window.strip()):
        raise ConfigError(
            f"[alerts] group_window = {window!r} is not a duration; use e.g. '72h' or '3d'"
        )
    letters_dir = table.get("letters_dir")
    if letters_dir is not None and not isinstance(letters_dir, str):
        raise ConfigError("[alerts] letters_dir must be a folder path")
    return AlertSettings(
        recipients=_str_list(table.get("recipients", []), "[alerts] recipients"),
        sender=strings["sender"],
        base_url=strings["base_url"].rstrip("/"),
        include_pupil_names=include,
        immediate=immediate,
        severity_recipients=severity_recipients,
        category_recipients=category_recipients,
        notify=notify,
        digest_time=_parse_clock(table.get("digest_time", "07:30")),
        school_days=days,
        closed_dates=_parse_closed(table.get("closed_dates", [])),
        timezone=strings["timezone"],
        group_window_seconds=parse_every(window, "[alerts] group_window"),
        signed_by=strings["signed_by"],
        contact_email=strings["contact_email"],
        complaints_procedure=strings["complaints_procedure"],
        letters_dir=_folder(base_dir, letters_dir, "[alerts] letters_dir"),
    )


def _parse_retention(table: Mapping[str, Any]) -> RetentionSettings:
    _check_keys(table, _RETENTION_KEYS, "[retention]")
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(
                f"[retention] {key} = {value!r} must be a whole number of days, 1 or more"
            )
    return RetentionSettings(**table)


def _folder(base_dir: Path, value: str | None, where: str) -> Path | None:
    if not value:
        return None
    path = (base_dir / value).resolve()
    if not path.is_dir():
        raise ConfigError(
            f"{where} = {value!r}: {path} is not a folder; create it or remove the key"
        )
    return path


def _parse_clock(value: Any) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(value).strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ConfigError(f"[alerts] digest_time = {value!r} is not a time; use e.g. '07:30'")
    return int(match.group(1)), int(match.group(2))


def _parse_closed(value: Any) -> tuple[tuple[date, date], ...]:
    """``["2026-12-21/2027-01-01", "2027-02-16"]``: holidays and closures, no digest then."""
    result: list[tuple[date, date]] = []
    for item in _str_list(value, "[alerts] closed_dates"):
        first, _, last = item.partition("/")
        try:
            start = date.fromisoformat(first.strip())
            end = date.fromisoformat(last.strip()) if last else start
        except ValueError:
            raise ConfigError(
                f"[alerts] closed_dates: {item!r} is not a date or range; "
                "use '2026-12-21' or '2026-12-21/2027-01-01'"
            ) from None
        if end < start:
            raise ConfigError(f"[alerts] closed_dates: {item!r} ends before it starts")
        result.append((start, end))
    return tuple(result)


def _parse_web(table: Mapping[str, Any]) -> WebSettings:
    _check_keys(table, _WEB_KEYS, "[web]")
    proxies = table.get("proxies", 0)
    if isinstance(proxies, bool) or not isinstance(proxies, int) or not 0 <= proxies <= 5:
        raise ConfigError(f"[web] proxies = {proxies!r} must be a whole number from 0 to 5")
    return WebSettings(proxies=proxies)


def _parse_learning(table: Mapping[str, Any], base_dir: Path) -> LearningSettings:
    _check_keys(table, _LEARNING_KEYS, "[learning]")
    retrain = table.get("retrain", "off")
    if retrain not in ("off", "weekly"):
        raise ConfigError(f'[learning] retrain = {retrain!r} must be "off" or "weekly"')
    day = table.get("day", "sun")
    if day not in WEEKDAYS:
        raise ConfigError(f"[learning] day = {day!r} must be one of {', '.join(WEEKDAYS)}")
    hour = table.get("hour", 2)
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ConfigError(f"[learning] hour = {hour!r} must be a whole number from 0 to 23")
    public = table.get("public_data")
    if public is not None and not isinstance(public, str):
        raise ConfigError("[learning] public_data must be a folder path")
    return LearningSettings(retrain, day, hour, base_dir / public if public else None)


def settings_from_mapping(
    data: Mapping[str, Any],
    base_dir: Path,
    environ: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Settings:
    """Build :class:`Settings` from parsed TOML; paths are relative to ``base_dir``."""
    env = dict(os.environ if environ is None else environ)
    _check_keys(data, _TOP_KEYS, "the config file")
    school_table = _table(data, "school", "the config file")
    _check_keys(school_table, _SCHOOL_KEYS, "[school]")
    name = school_table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError('[school] name is required, e.g. name = "Roose Community Primary School"')
    location = school_table.get("location")
    if location is not None and not isinstance(location, str):
        raise ConfigError("[school] location must be a string")
    school = SchoolSettings(
        name=name.strip(),
        aliases=_str_list(school_table.get("aliases", []), "[school] aliases"),
        location=location.strip() if location else None,
    )
    people_table = _table(data, "people", "the config file")
    _check_keys(people_table, _PEOPLE_KEYS, "[people]")
    pupils: tuple[Person, ...] = ()
    staff: tuple[Person, ...] = ()
    if people_table.get("pupils"):
        pupils = _read_roster(base_dir / str(people_table["pupils"]), "pupil")
    if people_table.get("staff"):
        staff = _read_roster(base_dir / str(people_table["staff"]), "staff")

    data_dir = Path(env.get("SCHOOLWATCH_DATA_DIR") or "./var").resolve()
    database_url = env_secret("SCHOOLWATCH_DATABASE_URL", env) or (
        f"sqlite:///{data_dir / 'schoolwatch.db'}"
    )
    return Settings(
        school=school,
        roster=Roster(pupils=pupils, staff=staff),
        sources=_parse_sources(data.get("sources"), base_dir),
        alerts=_parse_alerts(_table(data, "alerts", "the config file"), base_dir),
        thresholds=_parse_thresholds(_table(data, "thresholds", "the config file")),
        retention=_parse_retention(_table(data, "retention", "the config file")),
        data_dir=data_dir,
        database_url=database_url,
        smtp_url=env_secret("SCHOOLWATCH_SMTP_URL", env),
        secret_key=env_secret("SCHOOLWATCH_SECRET_KEY", env),
        config_path=config_path,
        environ=env,
        web=_parse_web(_table(data, "web", "the config file")),
        learning=_parse_learning(_table(data, "learning", "the config file"), base_dir),
    )


def load_settings(path: str | Path | None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read the school's TOML file (or ``SCHOOLWATCH_CONFIG``) and the environment."""
    env = os.environ if environ is None else environ
    if path is None:
        path = env.get("SCHOOLWATCH_CONFIG")
    if not path:
        raise ConfigError("no config file given; pass --config FILE or set SCHOOLWATCH_CONFIG")
    config_path = Path(path)
    if config_path.is_dir():
        from config.schools import one_school

        return one_school(config_path, env)
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {config_path} does not exist; check the path") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {config_path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_path} is not valid TOML: {exc}") from None
    return settings_from_mapping(data, config_path.resolve().parent, env, config_path.resolve())
