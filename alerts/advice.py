"""What the policy says to do next, and the drafts that route needs, per case. Pure."""

from __future__ import annotations

from alerts.drafts import case_drafts
from alerts.facts import CaseFacts, Draft, FlagFacts, PostFacts
from alerts.platforms import PLATFORMS, platform_report

__all__ = ["PLATFORMS", "Draft", "drafts", "next_step", "platform_report"]


def next_step(categories: list[str]) -> str:
    cats = set(categories)
    if cats & {"threat", "racist"}:
        return (
            "Contact the police now (999 if anyone is in immediate danger, otherwise 101): the "
            "policy says to involve them where a post threatens violence or has a racial element. "
            "Then ask the platform to remove the post."
        )
    if cats & {"pupil", "bullying", "allegation", "offensive"}:
        return (
            "First step under the policy: speak to the parent, ask them to remove the post and "
            "explain the school's concerns. If the post is not removed, ask the platform to "
            "remove it (draft below) and consider a written warning."
        )
    return (
        "Reply privately, pointing the parent to the school's complaints procedure; a complaint "
        "is not a reason for a takedown."
    )


def drafts(platform: str, categories: list[str], url: str | None, reference: str) -> list[Draft]:
    """The drafts for a one-post case known only by its platform, categories and URL."""
    post = PostFacts(
        platform=platform,
        external_id="",
        text="",
        url=url,
        flags=tuple(FlagFacts(c, "", 0.0, "") for c in categories),
    )
    case = CaseFacts(
        school="the school",
        reference=reference,
        severity="",
        categories=tuple(categories),
        posts=(post,),
    )
    return case_drafts(case)
