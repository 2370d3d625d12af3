"""What an e-mail may show of a post: a post kept from a trust's shared search for a pupil that
another member school's roster found cannot have that child's name put into initials here, so its
text and quotes are withheld from e-mails (the review page still shows it)."""

from __future__ import annotations

import pytest

from models import Flag, Post, utcnow
from monitor.casefile import WITHHELD, post_facts

TEXT = "Kayden Osei off the estate is a little thug, someone should sort him out"
THREAT = "someone should sort him out"


def _post(unclaimed: list[str] | None) -> Post:
    start = TEXT.index(THREAT)
    post = Post(platform="x", external_id="1", text=TEXT, author="anon_77",
                url="https://x.example/anon_77/status/1", created_at=utcnow(),
                fetched_at=utcnow(), raw={}, mentions=[], unclaimed=unclaimed)  # fmt: skip
    post.flags = [
        Flag(category="pupil", severity="medium", score=0.5, stage="shared", evidence=[],
             reason="Found by the trust's shared search; not sure which school."),
        Flag(category="threat", severity="medium", score=0.8, stage="patterns",
             evidence=[{"start": start, "end": start + len(THREAT), "text": THREAT}],
             reason=f"Threat of violence: wishing violence on someone ({THREAT!r})"),
    ]  # fmt: skip
    post.images = []
    return post


def test_an_unclaimed_post_kept_for_a_pupil_is_withheld_from_e_mails() -> None:
    facts = post_facts(_post(["pupil", "threat"]), redact=True, pupils=())
    shown = " ".join([facts.text, *(f.reason for f in facts.flags),
                      *(q for f in facts.flags for q in f.quotes)])  # fmt: skip
    assert facts.text == WITHHELD
    assert "Kayden" not in shown and "Osei" not in shown and THREAT not in shown
    assert [f.category for f in facts.flags] == ["pupil", "threat"]  # what was flagged still says


@pytest.mark.parametrize(
    ("unclaimed", "redact"), [(None, True), (["threat"], True), (["pupil", "threat"], False)]
)
def test_other_posts_and_an_opted_in_school_see_the_text(
    unclaimed: list[str] | None, redact: bool
) -> None:
    facts = post_facts(_post(unclaimed), redact=redact, pupils=())
    assert THREAT in facts.text
    threat = next(f for f in facts.flags if f.category == "threat")
    assert threat.quotes == (THREAT,)
