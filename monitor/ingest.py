"""Storing fetched posts: insert-or-ignore, the cursor in the same transaction."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from connectors import Batch, FetchedPost
from models import Post, Source, utcnow
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
    new_ids = insert_posts(session, batch.posts, source.name)
    source.cursor = batch.cursor
    source.last_fetched = len(batch.posts)
    source.last_skipped = len(batch.skipped)
    source.posts_total = (source.posts_total or 0) + len(new_ids)
    if batch.rate_remaining is not None:
        source.rate_remaining = batch.rate_remaining
    return new_ids
