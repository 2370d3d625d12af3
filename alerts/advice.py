"""What the policy says to do next, and the drafts that route needs, per case. Pure."""

from __future__ import annotations

from dataclasses import dataclass

# Where each platform takes reports, and the reason to pick there for each category.
PLATFORM_REPORTS: dict[str, tuple[str, dict[str, str]]] = {
    "x": (
        "X (Twitter): the post's ... menu > Report post, or help.x.com/forms",
        {
            "threat": "Violent speech",
            "racist": "Hate",
            "bullying": "Abuse and harassment",
            "pupil": "Privacy (private information of a minor)",
            "offensive": "Abuse and harassment",
            "allegation": "Abuse and harassment",
        },
    ),
    "reddit": (
        "Reddit: Report under the post, or reddit.com/report",
        {
            "threat": "Threatening violence",
            "racist": "Hate",
            "bullying": "Harassment",
            "pupil": "Sharing personal information",
            "offensive": "Harassment",
            "allegation": "Harassment",
        },
    ),
    "facebook": (
        "Facebook: the post's ... menu > Report post",
        {
            "threat": "Violence",
            "racist": "Hate speech",
            "bullying": "Bullying or harassment",
            "pupil": "Privacy violation (a child)",
            "offensive": "Bullying or harassment",
            "allegation": "Bullying or harassment",
        },
    ),
}
_GENERIC = (
    "the platform's own report button on the post",
    {
        "threat": "Violence or threats",
        "racist": "Hate speech",
        "bullying": "Bullying or harassment",
        "pupil": "Privacy: a child's personal information",
        "offensive": "Harassment",
        "allegation": "Harassment",
    },
)
_PLATFORM_ALIASES = {"twitter": "x", "facebook_page": "facebook"}


@dataclass(frozen=True)
class Draft:
    route: str
    title: str
    body: str


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
    cats = [c for c in categories if c != "complaint"]
    result: list[Draft] = []
    where = url or "(no link: paste the post's address)"
    if cats:
        key = _PLATFORM_ALIASES.get(platform, platform)
        how, reasons = PLATFORM_REPORTS.get(key, _GENERIC)
        reason_list = "; ".join(sorted({reasons.get(c, "Harassment") for c in cats}))
        result.append(
            Draft(
                "platform",
                "Report to the platform",
                f"Where: {how}.\nReason to choose: {reason_list}.\nPost: {where}\n"
                f"Text to add: This post breaks your rules ({reason_list.lower()}). It concerns "
                f"a school community and its children. Please remove it. "
                f"Our reference: {reference}.",
            )
        )
    if set(cats) & {"threat", "racist", "bullying"}:
        result.append(
            Draft(
                "police",
                "Report to the police",
                "Call 999 if anyone is in immediate danger; otherwise 101 or your force's online "
                f"form. Give the post's address ({where}), when it was seen, and our reference "
                f"{reference}. Keep the evidence pack from the review page.",
            )
        )
    if set(cats) & {"offensive", "allegation", "bullying", "threat", "racist"}:
        result.append(
            Draft(
                "posh",
                "Professionals Online Safety Helpline (POSH)",
                "For school staff targeted online: helpline@saferinternet.org.uk, 0344 381 4772. "
                f"Give the post's address ({where}) and what has been reported to the platform.",
            )
        )
        result.append(
            Draft(
                "rhc",
                "Report Harmful Content",
                "If the platform has not acted 48 hours after your report, use "
                "reportharmfulcontent.com with the platform report's date and the post's address "
                f"({where}).",
            )
        )
    return result
