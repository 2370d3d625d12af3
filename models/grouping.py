"""Keys that group posts into one incident: who wrote them, and which conversation they are in."""

from __future__ import annotations

from typing import Any

# Where platforms keep the id of the conversation a post belongs to, in their raw payloads.
_THREAD_PATHS: tuple[tuple[str, ...], ...] = (
    ("thread",),
    ("thread_id",),
    ("conversation_id",),  # X
    ("link_id",),  # Reddit comments: the submission
    ("reply", "root", "uri"),  # Bluesky
    ("record", "reply", "root", "uri"),
    ("in_reply_to_id",),  # Mastodon: the parent
    ("snippet", "videoId"),  # YouTube comments
    ("videoId",),
    ("parent_id",),
)


def thread_key(raw: dict[str, Any] | None) -> str | None:
    """The conversation a post belongs to, if its payload says."""
    for path in _THREAD_PATHS:
        value: Any = raw
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str | int) and str(value):
            return str(value)[:300]
    return None


# Placeholders platforms show for an account that is gone: many people, never one author.
_NOBODY = frozenset({"[deleted]", "u/[deleted]", "[removed]", "deleted", "unknown", "anonymous"})


def author_key(author: str | None) -> str | None:
    """A handle compared without case or a leading @; None for a deleted or unknown account,
    so unrelated posts never group under "[deleted]"."""
    key = (author.strip().lstrip("@").lower()[:300] or None) if author else None
    return None if key in _NOBODY else key
