"""The school-context corpus kept in the repository, and labelled JSONL files in general.

A labelled line is a classify input line plus ``labels`` (a list of categories) and, optionally,
``relevant`` (default: true when it has labels) and ``school`` (a key in ``corpus/schools.json``).

Two kinds of school-context data live here: the template-filled splits (``train``, ``dev``,
``test``) over the schools in ``schools.json``, and ``written/``: sets of posts written one by one
by independent authors, each about a school of its own (a folder with ``school.toml``, the roster
CSVs and ``posts.jsonl``, the layout ``schoolwatch evaluate --config`` reads).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from config import CATEGORIES, Person, Roster, SchoolSettings, load_settings

CORPUS_DIR = Path(__file__).parent / "corpus"
WRITTEN_DIR = CORPUS_DIR / "written"


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
    home: Path | None = None  # a written set's folder: its school.toml says which school

    @property
    def school_key(self) -> str:
        """Posts with the same key are about the same school."""
        return str(self.home) if self.home is not None else self.school


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


def written_sets(folder: Path = WRITTEN_DIR) -> list[Path]:
    """The folders of independently written posts, in name order."""
    return sorted(p.parent for p in folder.glob("*/posts.jsonl"))


def read_written(folder: Path) -> list[LabelledPost]:
    """One written set: its posts belong to the folder's school, each post a group of its own."""
    return [
        dataclasses.replace(post, group=f"{folder.name}:{post.id}", home=folder.resolve())
        for post in read_labelled(folder / "posts.jsonl")
    ]


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


@cache
def written_school(folder: Path) -> CorpusSchool:
    """The school a written set is about, from its ``school.toml``."""
    settings = load_settings(folder / "school.toml", environ={})
    return CorpusSchool(folder.name, settings.school, settings.roster)


def corpus_split(name: str) -> Path:
    return CORPUS_DIR / f"{name}.jsonl"
