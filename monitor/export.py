"""Every stored post as JSONL, with its flags (as ``classify`` prints them) and case."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import Post


def export_rows(session: Session) -> Iterator[dict[str, Any]]:
    query = (
        select(Post).options(selectinload(Post.flags), selectinload(Post.case)).order_by(Post.id)
    )
    for post in session.scalars(query.execution_options(yield_per=500)):
        yield {
            "platform": post.platform,
            "external_id": post.external_id,
            "text": post.text,
            "author": post.author,
            "url": post.url,
            "created_at": post.created_at.isoformat() if post.created_at else None,
            "flags": [
                {
                    "category": f.category,
                    "score": round(f.score, 4),
                    "severity": f.severity,
                    "evidence": f.evidence,
                    "reason": f.reason,
                    "stage": f.stage,
                }
                for f in post.flags
            ],  # fmt: skip
            "case": post.case.reference if post.case else None,
        }


def export_jsonl(session: Session) -> Iterator[str]:
    for row in export_rows(session):
        yield json.dumps(row, ensure_ascii=False)
