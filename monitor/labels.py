"""Reviewers' decisions as training data: one JSONL line per decided post, newest decision wins."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Post, TrainingLabel


def export_labels(session: Session) -> Iterator[str]:
    """``{"id", "text", "labels"}`` lines (and ``"relevant": false`` for a post dismissed as
    not about the school), the format ``schoolwatch train`` reads; notes skipped, and a post whose
    decisions were all undone is undecided again."""
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
        decision = latest[post_id]
        line: dict[str, object] = {"id": f"{post.platform}:{post.external_id}",
                                   "text": post.text, "labels": list(decision.labels)}  # fmt: skip
        if not decision.labels and decision.reason == "not_our_school":
            line["relevant"] = False  # said by a reviewer: not about this school at all
        yield json.dumps(line, ensure_ascii=False)
