"""The school-context corpus kept in the repository, and labelled JSONL files in general.

A labelled line is a classify input line plus ``labels`` (a list of categories) and, optionally,
``relevant`` (default: true when it has labels) and ``school`` (a key in ``corpus/schools.json``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from config import CATEGORIES, Person, Roster, SchoolSettings

CORPUS_DIR = Path(__file__).parent / "corpus"


class LabelledDataError(ValueError):
    """A labelled file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class LabelledPost:
    id: str
    text: str
    labels: frozenset[str]
    relevant: bool
    school: str = ""
    group: str = ""  # posts filled from one template share a group; folds keep groups whole


@dataclass(frozen=True)
class CorpusSchool:
    key: str
    school: SchoolSettings
    roster: Roster


def read_labelled(path: Path) -> list[LabelledPost]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise LabelledDataError(f"labelled file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelledDataError(f"cannot read labelled file {path}: {exc}") from None
    posts: list[LabelledPost] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelledDataError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise LabelledDataError(f"{where}: needs an object with a 'text' string")
        labels = data.get("labels")
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise LabelledDataError(f"{where}: needs a 'labels' list of category names")
        unknown = sorted(set(labels) - set(CATEGORIES))
        if unknown:
            raise LabelledDataError(
                f"{where}: unknown label {unknown[0]!r}; use {', '.join(CATEGORIES)}"
            )
        relevant = data.get("relevant", True)
        if not isinstance(relevant, bool):
            raise LabelledDataError(f"{where}: 'relevant' must be true or false")
        posts.append(
            LabelledPost(
                id=str(data.get("id", number)),
                text=data["text"],
                labels=frozenset(labels),
                relevant=relevant or bool(labels),
                school=str(data.get("school", "")),
                group=f"{path.name}:{data.get('template', number)}",
            )
        )
    return posts


@cache
def corpus_schools() -> dict[str, CorpusSchool]:
    raw = json.loads((CORPUS_DIR / "schools.json").read_text(encoding="utf-8"))
    schools: dict[str, CorpusSchool] = {}
    for entry in raw:
        pupils = tuple(
            Person("pupil", first, last, tuple(a for a in [alias] if a), year_group=year)
            for first, last, year, alias in entry["pupils"]
        )
        staff = tuple(
            Person("staff", first, last, tuple(a for a in [alias] if a), title=title, role=role)
            for title, first, last, role, alias in entry["staff"]
        )
        school = SchoolSettings(entry["name"], tuple(entry["aliases"]), entry["location"])
        schools[entry["key"]] = CorpusSchool(entry["key"], school, Roster(pupils, staff))
    return schools


def corpus_split(name: str) -> Path:
    return CORPUS_DIR / f"{name}.jsonl"
