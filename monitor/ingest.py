"""Storing fetched posts: insert-or-ignore, the cursor in the same transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from connectors import Batch, FetchedPost
from models import EvidenceImage, Post, Source, utcnow
from models.grouping import author_key, thread_key
from models.tenancy import school_of


def content_hash(post: FetchedPost) -> str:
    canonical = json.dumps(
        {"platform": post.platform, "id": post.external_id, "text": post.text,
         "author": post.author, "url": post.url},
        sort_keys=True, ensure_ascii=False,
    )  # fmt: skip
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _insert(session: Session) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT DO NOTHING."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def source_row(session: Session, name: str, source_type: str) -> Source:
    """The source's row, made on its first cycle; two processes starting together both get it."""
    row = session.scalar(select(Source).where(Source.name == name))
    if row is None:
        insert = (
            postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        )
        session.execute(
            insert(Source)
            .values(name=name, type=source_type, last_fetched=0, last_skipped=0,
                    consecutive_failures=0, posts_total=0)
            .on_conflict_do_nothing(index_elements=["school_id", "name"])
        )  # fmt: skip
        row = session.scalars(select(Source).where(Source.name == name)).one()
    return row


# Column widths, the same rules on SQLite (which would store anything) and PostgreSQL (which
# refuses): a longer id is stored as its hash, so it still deduplicates; other fields are cut.
ID_WIDTH, PLATFORM_WIDTH, PERSON_WIDTH = 200, 40, 300
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


def clean_text(value: str) -> str:
    """Text any database stores: no NUL characters, no lone surrogates."""
    value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def _clean(value: str | None, width: int | None = None) -> str | None:
    if value is None:
        return None
    value = clean_text(value)
    return value[:width] if width else value


def stored_id(external_id: str) -> str:
    external_id = clean_text(external_id)
    if len(external_id) <= ID_WIDTH:
        return external_id
    return "sha256:" + hashlib.sha256(external_id.encode("utf-8")).hexdigest()


def _as_utc(value: datetime | None, now: datetime) -> datetime | None:
    """In UTC; a time before 1990 or more than a day ahead is a platform's error, not a time."""
    if value is None:
        return None
    try:
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    if value < EARLIEST or value - now > timedelta(days=1):
        return None
    return value


def clean_raw(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    """The payload as JSON both databases take: NaN and infinities become null, NUL characters
    and lone surrogates go; a payload too deep or too odd to copy is dropped (the post stays)."""
    if raw is None:
        return None
    try:
        text = json.dumps(raw, ensure_ascii=True, default=str).replace("\\u0000", "")
        cleaned = json.loads(text, parse_constant=lambda _: None)
        text = json.dumps(cleaned, ensure_ascii=False).encode("utf-8", "replace").decode()
        return dict(json.loads(text)) if isinstance(cleaned, dict) else None
    except (RecursionError, TypeError, ValueError):
        return None


def _row(post: FetchedPost, source_name: str, now: datetime) -> dict[str, Any]:
    raw = clean_raw(post.raw)
    clean = replace(
        post,
        platform=_clean(post.platform, PLATFORM_WIDTH) or "unknown",
        external_id=stored_id(post.external_id),
        author=_clean(post.author, PERSON_WIDTH),
        url=_clean(post.url),
        text=clean_text(post.text),
    )
    return {
        "platform": clean.platform,
        "external_id": clean.external_id,
        "source_name": source_name,
        "author": clean.author,
        "url": clean.url,
        "text": clean.text,
        "created_at": _as_utc(post.created_at, now),
        "fetched_at": now,
        "raw": raw,
        "content_sha256": content_hash(clean),
        "author_key": author_key(clean.author),
        "thread_key": thread_key(raw),
    }


def insert_posts(
    session: Session,
    posts: list[FetchedPost],
    source_name: str,
    unclaimed: Sequence[list[str]] | None = None,
) -> list[int]:
    """Insert posts not seen before; return the ids of the new rows only. ``unclaimed``, one
    entry per post, marks a shared search's posts that no member school could be named for
    (``Post.unclaimed``)."""
    if not posts:
        return []
    now = utcnow()
    school_id = school_of(session)  # a Core insert, which the session's tenancy events skip
    marks = list(unclaimed) if unclaimed is not None else [None] * len(posts)
    if len(marks) != len(posts):
        raise ValueError("insert_posts: one unclaimed entry per post")
    unique: dict[tuple[str, str], dict[str, Any]] = {}
    for post, mark in zip(posts, marks, strict=True):
        row = _row(post, source_name, now) | {"school_id": school_id, "unclaimed": mark}
        unique.setdefault((row["platform"], row["external_id"]), row)
    statement = (
        _insert(session)(Post)
        .on_conflict_do_nothing(index_elements=["school_id", "platform", "external_id"])
        .returning(Post.id)
    )
    # One cached statement, sent by SQLAlchemy in batches ("insertmanyvalues").
    connection = session.connection()
    result = connection.execute(statement, list(unique.values()))
    new_ids = sorted(result.scalars().all())
    _store_images(session, posts, new_ids, now)
    return new_ids


def _store_images(
    session: Session, posts: list[FetchedPost], new_ids: list[int], now: datetime
) -> None:
    """The screenshots of the posts just inserted; a post seen before keeps its first ones."""
    with_images = {
        (_clean(p.platform, PLATFORM_WIDTH) or "unknown", stored_id(p.external_id)): p
        for p in posts
        if p.attachments
    }
    if not with_images or not new_ids:
        return
    rows = session.execute(
        select(Post.id, Post.platform, Post.external_id).where(Post.id.in_(new_ids))
    ).all()
    for post_id, platform, external_id in rows:
        post = with_images.pop((platform, external_id), None)
        if post is None:
            continue
        kept = {item.sha256: item for item in post.attachments}
        session.add_all(
            EvidenceImage(post_id=post_id, sha256=item.sha256, filename=clean_text(item.filename),
                          content_type=item.content_type, size=len(item.data), data=item.data,
                          ocr_text=clean_text(item.ocr_text), created_at=now)
            for item in kept.values()
        )  # fmt: skip
    session.flush()


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
