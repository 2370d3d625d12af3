"""What classifiers take and return: plain, JSON-ready dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Where a post was found. "school": by a search for the school's names or on the school's own
# channels (its Page, its YouTube, its hashtag), so it is about the school unless it says
# otherwise. "area": a broad source (a town subreddit, a local hashtag, a news feed), where
# something must tie it to the school.
SCOPES = ("school", "area")


@dataclass(frozen=True)
class PostInput:
    id: str
    text: str
    scope: str = "area"


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Mention:
    """A roster person found in a post; ``own_child`` marks a parent's "my son ..."."""

    key: str
    kind: str
    display: str
    initials: str
    start: int
    end: int
    how: str
    own_child: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "display": self.display,
            "initials": self.initials,
            "start": self.start,
            "end": self.end,
            "how": self.how,
            "own_child": self.own_child,
        }


@dataclass(frozen=True)
class Flag:
    category: str
    score: float
    severity: str
    evidence: tuple[Evidence, ...]
    reason: str
    stage: str

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "score": round(self.score, 4),
            "severity": self.severity,
            "evidence": [e.to_json() for e in self.evidence],
            "reason": self.reason,
            "stage": self.stage,
        }


@dataclass(frozen=True)
class Result:
    id: str
    relevant: bool
    flags: tuple[Flag, ...] = ()
    mentions: tuple[Mention, ...] = field(default=())
    relevance: str = ""  # why the post is, or is not, taken to be about the school

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "relevant": self.relevant,
            "flags": [f.to_json() for f in self.flags],
        }
