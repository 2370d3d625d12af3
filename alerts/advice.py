"""What the policy says to do next, and the drafts that route needs, per case. Pure."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from alerts.drafts import case_drafts
from alerts.facts import CaseFacts, Draft, FlagFacts, PostFacts
from alerts.platforms import PLATFORMS, platform_report

__all__ = ["PLATFORMS", "Draft", "drafts", "next_step", "platform_report", "urgent_categories"]


def next_step(categories: list[str], urgent: Collection[str] | None = None) -> str:
    """The policy's next step. ``urgent`` names the categories raised as urgent on words a
    person can see; a threat or racist flag from the model's score alone never sends the
    Headteacher to the police (``None``: every category counts, for callers without flags)."""
    cats = set(categories)
    sure = cats if urgent is None else cats & set(urgent)
    steps: list[str] = []
    if "selfharm" in sure:
        steps.append(
            "Tell the Designated Safeguarding Lead now and follow the school's safeguarding "
            "procedure: a child may be at risk, or someone is urging a child to harm themselves. "
            "If a child is in immediate danger, call 999. Ask the platform to remove the post "
            "(draft below) and check on the child today."
        )
    if sure & {"threat", "racist"}:
        steps.append(
            "Contact the police now (999 if anyone is in immediate danger, otherwise 101): the "
            "policy says to involve them where a post threatens violence or has a racial element. "
            "Then ask the platform to remove the post."
        )
    elif cats & {"threat", "racist", "selfharm"} - sure:
        steps.append(
            "A member of staff should read this post today: the classifier scored it as a "
            "possible threat, racist or self-harm post but found no such words it could point to, "
            "so it is raised for review, not as an emergency. Decide on the case page."
        )
    if steps:
        return " ".join(steps)
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


def urgent_categories(flags: Iterable[tuple[str, str]]) -> set[str]:
    """From ``(category, severity)`` pairs: the categories raised as urgent."""
    return {category for category, severity in flags if severity == "urgent"}


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
