"""Reviewers' decisions as training data: one JSONL line per decided post, newest decision wins."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Post, TrainingLabel


def export_labels(session: Session) -> Iterator[str]:
    """``{"id", "text", "labels"}`` lines, the format ``schoolwatch train`` reads; notes skipped,
    and a post whose decisions were all undone is undecided again."""
    latest: dict[int, TrainingLabel] = {}
    rows = session.scalars(
        select(TrainingLabel).where(TrainingLabel.decision != "note").order_by(TrainingLabel.id)
    )
    for row in rows:
        latest[row.post_id] = row
        if row.decision == "undo" and row.reason == "undecided":  # every decision undone
            del latest[row.post_id]
    for post_id in sorted(latest):
        post = session.get(Post, post_id)
        if post is None:
            continue
        line = {"id": f"{post.platform}:{post.external_id}", "text": post.text,
                "labels": list(latest[post_id].labels)}  # fmt: skip
        yield json.dumps(line, ensure_ascii=False)
