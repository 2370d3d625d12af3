"""Takedown and escalation drafts for one case, pre-filled and with each route's clock. Pure.

``case_drafts(case, reported_at)`` gives every route that applies to the case's categories; each
route's ``clock`` counts from when the school reports (reported -> +48 h -> +7 days).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from alerts.facts import CaseFacts, ClockStep, Draft, PostFacts
from alerts.platforms import instance_host, platform_key, platform_report

HARMFUL = frozenset({"pupil", "allegation", "bullying", "offensive", "racist", "threat"})
POLICE = frozenset({"threat", "racist", "bullying"})
H48 = timedelta(hours=48)
D7 = timedelta(days=7)
NOW = timedelta(0)
FILL = "[FILL IN: {}]"

POSH = "Professionals Online Safety Helpline (POSH): helpline@saferinternet.org.uk, 0344 381 4772"
RHC = "Report Harmful Content: reportharmfulcontent.com"
IWF = "Internet Watch Foundation: report.iwf.org.uk"
CEOP = "CEOP (National Crime Agency): ceop.police.uk"


def clock(reported_at: datetime | None, *steps: tuple[timedelta, str]) -> tuple[ClockStep, ...]:
    return tuple(
        ClockStep(after, what, reported_at + after if reported_at else None)
        for after, what in steps
    )


def _where(post: PostFacts) -> str:
    return post.url or FILL.format("the post's address (its link)")


def _quotes(posts: list[PostFacts]) -> list[str]:
    seen: list[str] = []
    for post in posts:
        for flag in post.flags:
            for quote in flag.quotes:
                if quote and quote not in seen:
                    seen.append(quote)
    return seen


def _posted(post: PostFacts) -> str:
    by = f" by {post.author}" if post.author else ""
    when = f" on {post.created_at:%d %B %Y at %H:%M} UTC" if post.created_at else ""
    return f"{_where(post)}{by}{when}"


def _by_platform(case: CaseFacts) -> dict[str, list[PostFacts]]:
    groups: dict[str, list[PostFacts]] = {}
    for post in case.posts:
        groups.setdefault(platform_key(post.platform, post.url), []).append(post)
    return groups


def _cats(case: CaseFacts, posts: list[PostFacts]) -> list[str]:
    found = {f.category for p in posts for f in p.flags} or set(case.categories)
    return [c for c in case.categories if c in found and c in HARMFUL]


def platform_drafts(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    """The platform's own report, one per platform the case's posts are on."""
    result: list[Draft] = []
    for key, posts in _by_platform(case).items():
        cats = _cats(case, posts)
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
            *[f"  - {_posted(p)}" for p in posts],
        ]
        quotes = _quotes(posts)
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


def privacy_drafts(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    """A child's personal information: the platform's privacy route, as the child's school."""
    if "pupil" not in case.categories:
        return []
    result: list[Draft] = []
    for key, posts in _by_platform(case).items():
        report = platform_report(key, posts[0].url)
        children = ", ".join(case.pupils_named) or "a pupil"
        body = "\n".join(
            [
                f"Where: {report.privacy}.",
                "Posts:",
                *[f"  - {_posted(p)}" for p in posts],
                "Text to add:",
                f"  This content identifies a child ({children}) who attends {case.school}, a "
                "primary school, without the consent of the child's parents. The child is under "
                "18. We ask you to remove it under your privacy policy and the UK GDPR (Article "
                "17, the right to erasure, which applies with particular weight to children's "
                "data). The child's parent can confirm this request. "
                f"Our reference: {case.reference}.",
                "Note: a platform may ask for the parent to make or confirm the request; "
                "the school can support them.",
            ]
        )
        result.append(
            Draft("privacy", f"A child's privacy ({report.name})", body, to=report.privacy,
                  clock=clock(reported_at, (NOW, "send the privacy request"),
                              (H48, "no answer? ask the parent to submit it too"),
                              (D7, "still up? Report Harmful Content, then the ICO (ico.org.uk)")))
        )  # fmt: skip
    return result


def defamation_notice(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    """A notice of complaint under s5 Defamation Act 2013 with the 2013 Regulations' fields."""
    if "allegation" not in case.categories:
        return []
    result: list[Draft] = []
    complainant = case.staff_named[0] if len(case.staff_named) == 1 else None
    for key, posts in _by_platform(case).items():
        report = platform_report(key, posts[0].url)
        quotes = _quotes(posts) or [FILL.format("the words complained of")]
        name = complainant or FILL.format("full name of the person defamed")
        email = case.contact_email or FILL.format("the complainant's e-mail address")
        body = "\n".join(
            [
                f"To: the operator of {report.name} ({report.legal}).",
                "NOTICE OF COMPLAINT under section 5 of the Defamation Act 2013 and the "
                "Defamation (Operators of Websites) Regulations 2013.",
                f"1. Complainant's name: {name}.",
                f"2. E-mail address at which the complainant can be contacted: {email}.",
                "3. The statement complained of:",
                *[f'   "{p.text}"' for p in posts],
                "4. Where it was posted: " + "; ".join(_where(p) for p in posts) + ".",
                "5. Why it is defamatory of the complainant: it makes a factual allegation about "
                f"{name}, a member of staff at {case.school}, that is untrue and has caused or is "
                "likely to cause serious harm to their reputation, including among the parents "
                "of pupils at the school.",
                "6. The meaning the complainant attributes to the statement: "
                + FILL.format(f"e.g. that {name} has done what the post says"),
                "7. The parts of the statement the complainant believes are factually "
                "inaccurate, or opinions not supported by fact:",
                *[
                    f'   - "{q}": '
                    + FILL.format("factually inaccurate / opinion not supported by fact, and why")
                    for q in quotes
                ],  # fmt: skip
                "8. The complainant confirms that they do not have sufficient information about "
                "the poster to bring proceedings against that person.",
                "9. The complainant " + FILL.format("does / does not") + " consent to the "
                "operator providing the poster with the complainant's name and e-mail address.",
                f"Our reference: {case.reference}.",
                "Before sending: s5 is for posters who cannot be identified; if you know the "
                "parent, use the policy's letters first. The notice is the defamed person's "
                "(a school or its governing body usually cannot sue in defamation). Take legal "
                "advice (your local authority's or trust's legal service).",
            ]
        )
        result.append(
            Draft("defamation", f"Defamation Act 2013 s5 notice ({report.name})", body,
                  to=report.legal,
                  clock=clock(reported_at, (NOW, "send the notice; keep a copy"),
                              (H48, "the operator should have told the poster or removed it"),
                              (D7, "the poster's 5 days and the operator's 48 h have passed: "
                                   "still up? take legal advice")))
        )  # fmt: skip
    return result


def posh_draft(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    harmful = set(case.categories) & HARMFUL
    if not harmful or not (case.staff_named or harmful & {"allegation", "offensive"}):
        return []
    staff = ", ".join(case.staff_named) or "a member of staff"
    post = case.first_post
    body = "\n".join(
        [
            f"Send to: {POSH}. For school staff and the professionals who work with children.",
            f"Subject: {case.school}: harmful posts about {staff} ({case.reference})",
            f"We are {case.school}. Posts on social media target {staff}. We have reported them "
            "to the platform" + (f" ({_where(post)})" if post else "") + " and ask for your help "
            "to have them removed and for advice on supporting the staff affected.",
            "Give: each post's address, when it was reported to the platform and any report "
            "number, and our reference.",
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
    urls = ", ".join(_where(p) for p in case.posts)
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
    if not set(case.categories) & POLICE:
        return []
    why = []
    if "threat" in case.categories:
        why.append("a threat of violence")
    if "racist" in case.categories:
        why.append("a racist incident (a hate incident)")
    if "bullying" in case.categories:
        why.append("possible harassment")
    body = "\n".join(
        [
            "Call 999 if anyone is in immediate danger; otherwise 101, or your force's online "
            "form (police.uk).",
            f"Say: we are {case.school} and want to report {' and '.join(why)} posted online.",
            "Posts:",
            *[f"  - {_posted(p)}" for p in case.posts],
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
