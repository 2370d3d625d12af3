"""Storing fetched posts: insert-or-ignore, the cursor in the same transaction."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from connectors import Batch, FetchedPost
from models import Post, QuarantinedPost, Source, utcnow
from models.grouping import author_key, thread_key


def content_hash(post: FetchedPost) -> str:
    canonical = json.dumps(
        {"platform": post.platform, "id": post.external_id, "text": post.text,
         "author": post.author, "url": post.url},
        sort_keys=True, ensure_ascii=False,
    )  # fmt: skip
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def source_row(session: Session, name: str, source_type: str) -> Source:
    row = session.scalar(select(Source).where(Source.name == name))
    if row is None:
        row = Source(name=name, type=source_type, last_fetched=0, last_skipped=0,
                     consecutive_failures=0, posts_total=0)  # fmt: skip
        session.add(row)
        session.flush()
    return row


# The same rules on SQLite and PostgreSQL: whatever PostgreSQL would refuse, SQLite is not given.
ID_LIMIT, AUTHOR_LIMIT, PLATFORM_LIMIT, URL_LIMIT = 200, 300, 40, 4000
EARLIEST, LATEST = datetime(1990, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def short_id(external_id: str) -> str:
    """An id too long for the column (a 273-character RSS guid) keeps its start and a hash of all
    of it: stable, so the same item is still recognised the next time it is fetched."""
    if len(external_id) <= ID_LIMIT:
        return external_id
    digest = hashlib.sha256(external_id.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{external_id[: ID_LIMIT - 66]}#{digest}"


def problem(post: FetchedPost) -> str | None:
    """Why a post cannot be stored as it is, or None."""
    if not post.platform or len(post.platform) > PLATFORM_LIMIT:
        return f"platform is empty or longer than {PLATFORM_LIMIT} characters"
    if not post.external_id:
        return "id is empty"
    if post.author is not None and len(post.author) > AUTHOR_LIMIT:
        return f"author is longer than {AUTHOR_LIMIT} characters"
    if post.url is not None and len(post.url) > URL_LIMIT:
        return f"url is longer than {URL_LIMIT} characters"
    fields = {"id": post.external_id, "platform": post.platform, "text": post.text,
              "author": post.author or "", "url": post.url or ""}  # fmt: skip
    for name, value in fields.items():
        found = _UNSTORABLE.search(value)
        if found:
            what = "a NUL character" if found.group() == "\x00" else "a lone surrogate"
            return f"{name} holds {what} at position {found.start()}"
    when = _as_utc(post.created_at) if post.created_at else None
    if when is not None and not EARLIEST <= when < LATEST:
        return f"created_at {when.date().isoformat()} is outside {EARLIEST.year}-{LATEST.year}"
    if post.raw is not None:
        try:
            raw = json.dumps(post.raw, allow_nan=False, ensure_ascii=False)
        except (ValueError, TypeError, RecursionError) as exc:
            return f"raw payload cannot be stored: {exc}"
        if _UNSTORABLE.search(raw) or "\\u0000" in raw:
            return "raw payload holds a NUL character or a lone surrogate"
    return None


def quarantine(session: Session, source_name: str, post: FetchedPost, reason: str,
               post_id: int | None = None) -> None:  # fmt: skip
    """Record a post that cannot be stored; one re-read by a source without a cursor (a feed)
    is recorded once."""
    _record(session, source_name, post.platform, short_id(post.external_id), reason, post_id)


def _record(session: Session, source_name: str, platform: str, external_id: str, reason: str,
            post_id: int | None = None) -> None:  # fmt: skip
    platform = _UNSTORABLE.sub("?", platform)[:PLATFORM_LIMIT] or "?"
    external_id = _UNSTORABLE.sub("?", external_id)[:ID_LIMIT] or "?"
    known = select(QuarantinedPost.id).where(
        QuarantinedPost.source_name == source_name,
        QuarantinedPost.platform == platform,
        QuarantinedPost.external_id == external_id,
    )
    if session.scalar(known.limit(1)) is not None:
        return
    session.add(
        QuarantinedPost(source_name=source_name, platform=platform, external_id=external_id,
                        post_id=post_id, reason=reason, created_at=utcnow())
    )  # fmt: skip


def _as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _row(post: FetchedPost, source_name: str, now: datetime) -> dict[str, Any]:
    return {
        "platform": post.platform,
        "external_id": post.external_id,
        "source_name": source_name,
        "author": post.author,
        "url": post.url,
        "text": post.text,
        "created_at": _as_utc(post.created_at),
        "fetched_at": now,
        "raw": post.raw,
        "content_sha256": content_hash(post),
        "author_key": author_key(post.author),
        "thread_key": thread_key(post.raw),
    }


def insert_posts(session: Session, posts: list[FetchedPost], source_name: str) -> list[int]:
    """Insert posts not seen before; return the ids of the new rows only."""
    if not posts:
        return []
    now = utcnow()
    unique: dict[tuple[str, str], dict[str, Any]] = {}
    for post in posts:
        unique.setdefault((post.platform, post.external_id), _row(post, source_name, now))
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Post)
        .on_conflict_do_nothing(index_elements=["platform", "external_id"])
        .returning(Post.id)
    )
    # One cached statement, sent by SQLAlchemy in batches ("insertmanyvalues").
    connection = session.connection()
    result = connection.execute(statement, list(unique.values()))
    return sorted(result.scalars().all())


def store_batch(session: Session, source: Source, batch: Batch) -> list[int]:
    """Store a batch and advance the source's cursor; the caller commits both together."""
    good: list[FetchedPost] = []
    for post in batch.posts:
        reason = problem(post)
        if reason is None:
            good.append(dataclasses.replace(post, external_id=short_id(post.external_id)))
        else:
            quarantine(session, source.name, post, reason)
    for item in batch.skipped:  # an item the connector could not read is quarantined as well
        _record(session, source.name, source.type, item.where, item.reason)
    new_ids = insert_posts(session, good, source.name)
    source.cursor = batch.cursor
    source.last_fetched = len(batch.posts)
    source.last_skipped = len(batch.skipped)
    source.posts_total = (source.posts_total or 0) + len(new_ids)
    if batch.rate_remaining is not None:
        source.rate_remaining = batch.rate_remaining
    return new_ids
