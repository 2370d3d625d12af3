from __future__ import annotations

from typing import Any

import pytest

from models.grouping import author_key, thread_key


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"id": "2", "conversation_id": "1"}, "1"),  # X
        ({"link_id": "t3_abc", "parent_id": "t1_x"}, "t3_abc"),  # Reddit comment
        ({"reply": {"root": {"uri": "at://did:plc:a/app.bsky.feed.post/1"}}},
         "at://did:plc:a/app.bsky.feed.post/1"),  # Bluesky
        ({"in_reply_to_id": 109}, "109"),  # Mastodon
        ({"snippet": {"videoId": "dQw4w9WgXcQ"}}, "dQw4w9WgXcQ"),  # YouTube comment
        ({"thread": "school-gates"}, "school-gates"),  # an imported line
        ({"id": "1", "text": "no thread here"}, None),
        ({"reply": "not a table"}, None),
        (None, None),
    ],
)  # fmt: skip
def test_the_thread_comes_from_the_platforms_payload(raw: dict[str, Any] | None,
                                                      key: str | None) -> None:  # fmt: skip
    assert thread_key(raw) == key


@pytest.mark.parametrize("author", ["[deleted]", "u/[deleted]", "@[removed]", None, ""])
def test_a_deleted_or_unknown_account_is_nobody_to_group_by(author: str | None) -> None:
    assert author_key(author) is None
    assert author_key("@Roose_Dad") == "roose_dad"
