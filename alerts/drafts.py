"""Takedown and escalation drafts for one case, pre-filled and with each route's clock. Pure.

``case_drafts(case, reported_at)`` gives every route that applies to the case's categories; each
route's ``clock`` counts from when the school reports (reported -> +48 h -> +7 days).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from alerts.drafting import (
    D7,
    FILL,
    H48,
    HARMFUL,
    NOW,
    by_platform,
    cited,
    clock,
    harmful_categories,
    police_categories,
    posted,
    where,
)
from alerts.facts import CaseFacts, Draft
from alerts.legal import defamation_notice, privacy_drafts
from alerts.platforms import instance_host, platform_report

POSH = "Professionals Online Safety Helpline (POSH): helpline@saferinternet.org.uk, 0344 381 4772"
RHC = "Report Harmful Content: reportharmfulcontent.com"
IWF = "Internet Watch Foundation: report.iwf.org.uk"
CEOP = "CEOP (National Crime Agency): ceop.police.uk"


def platform_drafts(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    """The platform's own report, one per platform the case's posts are on."""
    result: list[Draft] = []
    for key, posts in by_platform(case).items():
        cats = harmful_categories(case, posts)
        if not cats:
            continue
        report = platform_report(key, posts[0].url)
        reasons = list(dict.fromkeys(report.reasons.get(c, "Harassment") for c in cats))
        host = instance_host(posts[0].url)
        where = report.how
        if key == "mastodon" and host:
            where += f". The moderators of {host}: see https://{host}/about"
        lines = [
            f"Where: {report.name}: {where}.",
            f"Reason to choose: {'; '.join(reasons)}.",
            "Posts:",
            *[f"  - {posted(p)}" for p in posts],
        ]
        quotes = cited(posts)
        if quotes:
            lines += ["What to quote:", *[f'  "{q}"' for q in quotes]]
        lines += [
            "Text to add:",
            f"  This content breaks your rules ({'; '.join(reasons).lower()}). It targets members "
            f"of a primary school community, {case.school}, including children and staff. "
            f"Please remove it. Our reference: {case.reference}.",
        ]
        if key == "mastodon":
            lines.append("  To the instance's admin: " + _mastodon_admin_note(host, case))
        result.append(
            Draft(
                "platform",
                "Report to the platform" + (f" ({report.name})" if len(result) else ""),
                "\n".join(lines),
                to=report.name,
                clock=clock(
                    reported_at,
                    (NOW, f"report it on {report.name}; note the date and any report number"),
                    (H48, "still up? report to Report Harmful Content (route below)"),
                    (D7, "still up? take advice (police, POSH, legal) and record it on the case"),
                ),
            )
        )
    return result


def _mastodon_admin_note(host: str | None, case: CaseFacts) -> str:
    server = host or "the poster's server"
    return (
        f"Dear {server} moderators, one of your users has posted content about {case.school} "
        "that breaks your server rules (details above). We ask you to remove it and to act "
        f"on the account under your rules. Reference {case.reference}."
    )


def posh_draft(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    """POSH helps school staff with posts about themselves, their school or their pupils."""
    if not set(case.categories) & HARMFUL:
        return []
    people = [*case.staff_named, *case.pupils_named]
    about = ", ".join(people) if people else "our school community"
    support = "the staff affected" if case.staff_named else "the pupils and families affected"
    post = case.first_post
    body = "\n".join(
        [
            f"Send to: {POSH} (Monday to Friday, 10am to 4pm). A helpline for school staff and "
            "everyone who works with children; it can escalate to the platforms.",
            f"Subject: {case.school}: harmful posts about {about} ({case.reference})",
            f"We are {case.school}. Posts on social media target {about}. We reported them to "
            "the platform" + (f" ({where(post)})" if post else "") + " and ask for your help "
            f"to have them removed and for advice on supporting {support}.",
            "Give: each post's address, when it was reported to the platform and any report "
            "number, the platform's answer, and our reference. POSH suggests allowing the "
            "platform 48 hours first, unless a child is at risk.",
        ]
    )
    return [
        Draft("posh", "Professionals Online Safety Helpline (POSH)", body, to=POSH,
              clock=clock(reported_at, (NOW, "after the platform report, e-mail or call POSH"),
                          (H48, "no answer? call the helpline"),
                          (D7, "record POSH's advice on the case")))
    ]  # fmt: skip


def rhc_draft(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    if not set(case.categories) & HARMFUL:
        return []
    urls = ", ".join(where(p) for p in case.posts)
    body = "\n".join(
        [
            f"Where: {RHC} (UK; for content still up 48 hours after a report to the platform).",
            f"Give: the posts' addresses ({urls}), the date you reported each to the platform, "
            "the platform's answer if any, and the category (bullying or harassment, threats, "
            "hate speech, impersonation, ...).",
            f"Say: we are {case.school}; the content targets our school community; the platform "
            f"has not removed it. Our reference: {case.reference}.",
        ]
    )
    return [
        Draft("rhc", "Report Harmful Content", body, to=RHC,
              clock=clock(reported_at, (NOW, "report to the platform first"),
                          (H48, "now eligible: report here if the post is still up"),
                          (D7, "no outcome? chase, and consider POSH or the police")))
    ]  # fmt: skip


def police_draft(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    matters = police_categories(case)
    if not matters:
        return []
    why = []
    if "threat" in matters:
        why.append("a threat of violence")
    if "racist" in matters:
        why.append("a racist incident (a hate incident)")
    if "bullying" in matters:
        why.append("possible harassment")
    body = "\n".join(
        [
            "Call 999 if anyone is in immediate danger; otherwise 101, or your force's online "
            "form (police.uk).",
            f"Say: we are {case.school} and want to report {' and '.join(why)} posted online.",
            "Posts:",
            *[f"  - {posted(p)}" for p in case.posts],
            f"Give our reference {case.reference} and offer the evidence pack (download it "
            "from the case page). Note the crime or incident reference number on the case.",
        ]
    )
    return [
        Draft("police", "Report to the police", body, to="999 / 101 / police.uk",
              clock=clock(reported_at, (NOW, "report; write the incident number on the case"),
                          (H48, "no contact? call 101 with the incident number"),
                          (D7, "ask the officer in charge for an update")))
    ]  # fmt: skip


def welfare_guidance(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    """For the DSL: a child who may be at risk, or a post urging someone to self-harm."""
    if "selfharm" not in case.categories:
        return []
    body = "\n".join(
        [
            "For the Designated Safeguarding Lead, today:",
            "  - if a child is in immediate danger, call 999;",
            "  - identify the child the post is about or by, and follow the school's safeguarding "
            "procedure (speak to the child, tell the parents unless that would put the child at "
            "risk, record it);",
            "  - if the post urges someone to harm themselves, treat it as bullying as well, and "
            "report it to the platform as self-harm content (draft above);",
            "  - give the child and family the helplines: Childline 0800 1111, Samaritans 116 123, "
            "Papyrus HOPELINE247 0800 068 4141, Shout (text SHOUT to 85258).",
            "Posts:",
            *[f"  - {posted(p)}" for p in case.posts],
            f"Our reference: {case.reference}.",
        ]
    )
    return [
        Draft("welfare", "Safeguarding: a child's welfare", body, to="the DSL",
              clock=clock(reported_at, (NOW, "speak to the child today and record it"),
                          (H48, "check in with the child and the family again")))
    ]  # fmt: skip


def iwf_guidance(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    """Where a post names a pupil or carries images: what to do if they are sexual."""
    media = [u for p in case.posts for u in p.media_urls]
    if "pupil" not in case.categories and not media:
        return []
    lines = [
        "If any image or video in or linked from these posts may show a child in a sexual way:",
        "  - do not open it again, download, screenshot, copy, forward or print it: doing so "
        "can be an offence, even to report it;",
        f"  - report the address only to the {IWF} (anonymous), and tell the police (999/101);",
        f"  - if a child is being groomed or sexually abused online, report to {CEOP};",
        "  - tell the DSL and follow the school's safeguarding procedure.",
        "Schoolwatch never downloads or stores media: the evidence pack keeps the addresses only.",
    ]
    if media:
        lines += ["Media addresses in these posts (not opened):", *[f"  - {u}" for u in media]]
    return [
        Draft("iwf", "Images of children: IWF and CEOP guidance", "\n".join(lines),
              to=f"{IWF}; {CEOP}",
              clock=clock(reported_at, (NOW, "report at once if it applies")))
    ]  # fmt: skip


def complaint_reply(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    """A complaint is answered, not taken down: point the parent to the complaints procedure."""
    if "complaint" not in case.categories:
        return []
    body = "\n".join(
        [
            "A private reply to the parent (not a takedown):",
            "",
            "Dear " + FILL.format("parent's name") + ",",
            "",
            f"We have seen your comments about {case.school} on social media. We take every "
            "concern seriously and want to resolve it with you. Social media is not the place "
            "where we can look into it properly, and comments there can affect children and "
            "staff who cannot reply.",
            "",
            f"Please raise your concern with us directly, through {case.complaints_procedure}. "
            "You are welcome to contact the school office to arrange a meeting with me.",
            "",
            "Yours sincerely,",
            case.signed_by,
        ]
    )
    return [
        Draft("complaint", "Suggested reply: the complaints procedure", body, to="the parent",
              clock=clock(reported_at, (NOW, "reply privately"),
                          (D7, "no contact? follow up by phone or letter")))
    ]  # fmt: skip


ROUTES: tuple[Callable[[CaseFacts, datetime | None], list[Draft]], ...] = (
    platform_drafts,
    welfare_guidance,
    privacy_drafts,
    defamation_notice,
    police_draft,
    posh_draft,
    rhc_draft,
    iwf_guidance,
    complaint_reply,
)


def case_drafts(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    """Every route that applies to ``case``, in the order the Headteacher would use them."""
    return [draft for route in ROUTES for draft in route(case, reported_at)]
