"""The ``jsonl`` source: posts in the classify input format, read from a file.

The cursor is the number of lines already consumed, so lines appended later are picked up
and a re-run reads nothing twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from config import ConfigError, Settings, SourceSettings
from connectors.base import Batch, FetchedPost, Skipped, SourceError

_KEYS = ("path", "platform")


def parse_time(value: Any) -> datetime | None:
    """An ISO-8601 time, or None when absent; a bad one raises ValueError."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError("created_at must be an ISO-8601 string")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"created_at {value[:40]!r} is not an ISO-8601 time") from None


def post_from_json(line: str, default_platform: str) -> FetchedPost:
    """One classify-format line as a post; raises ValueError saying what is wrong."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None
    if not isinstance(item, dict):
        raise ValueError("expected a JSON object")
    post_id, text = item.get("id"), item.get("text")
    if isinstance(post_id, int) and not isinstance(post_id, bool):
        post_id = str(post_id)
    if not isinstance(post_id, str) or not post_id:
        raise ValueError('"id" is required and must be a string')
    if not isinstance(text, str):
        raise ValueError('"text" is required and must be a string')
    platform = item.get("platform") or default_platform
    author, url = item.get("author"), item.get("url")
    return FetchedPost(
        platform=str(platform),
        external_id=post_id,
        text=text,
        author=author if isinstance(author, str) else None,
        url=url if isinstance(url, str) else None,
        created_at=parse_time(item.get("created_at")),
        raw=item,
    )


@dataclass
class JsonlConnector:
    path: Path
    platform: str = "jsonl"

    @classmethod
    def from_settings(cls, source: SourceSettings, settings: Settings) -> JsonlConnector:
        unknown = [k for k in source.options if k not in _KEYS]
        if unknown:
            raise ConfigError(f"source {source.name!r}: unknown key {unknown[0]!r} for type jsonl")
        path = source.path_option("path")
        if path is None:
            raise ConfigError(f'source {source.name!r}: type jsonl needs path = "posts.jsonl"')
        return cls(path=path, platform=str(source.options.get("platform", "jsonl")))

    def fetch(self, cursor: str | None) -> Batch:
        """Read lines after ``cursor``. Raises SourceError (permanent) if the file is unreadable."""
        start = int(cursor) if cursor and cursor.isdigit() else 0
        try:
            raw_lines = self.path.read_bytes().splitlines()
        except FileNotFoundError:
            raise SourceError(f"{self.path} does not exist", permanent=True) from None
        except OSError as exc:
            raise SourceError(f"cannot read {self.path}: {exc}", permanent=True) from None
        posts: list[FetchedPost] = []
        skipped: list[Skipped] = []
        for number, raw_line in enumerate(raw_lines[start:], start=start + 1):
            try:  # a bad byte spoils its own line only
                line = raw_line.decode("utf-8")
            except UnicodeDecodeError as exc:
                skipped.append(
                    Skipped(f"{self.path.name}:{number}", f"not UTF-8 (byte {exc.start})")
                )
                continue
            if not line.strip():
                continue
            try:
                posts.append(post_from_json(line, self.platform))
            except ValueError as exc:
                skipped.append(Skipped(f"{self.path.name}:{number}", str(exc)))
        lines = raw_lines
        return Batch(posts=posts, cursor=str(len(lines)), skipped=skipped)
