"""The legal and privacy routes: a child's privacy request and a Defamation Act 2013 s5 notice."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from alerts.drafting import D7, FILL, H48, NOW, by_platform, cited, clock, posted, where
from alerts.facts import CaseFacts, Draft
from alerts.platforms import platform_report


def privacy_drafts(case: CaseFacts, reported_at: datetime | None = None) -> list[Draft]:
    """A child's personal information: the platform's privacy route, as the child's school."""
    if "pupil" not in case.categories:
        return []
    result: list[Draft] = []
    for key, posts in by_platform(case).items():
        report = platform_report(key, posts[0].url)
        children = ", ".join(case.pupils_named) or "a pupil"
        body = "\n".join(
            [
                f"Where: {report.privacy}.",
                "Posts:",
                *[f"  - {posted(p)}" for p in posts],
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
    if case.pupils_named and not case.staff_named:
        return []  # about a pupil: their privacy and the host's own rules are the route, not s5
    result: list[Draft] = []
    complainant = case.staff_named[0] if len(case.staff_named) == 1 else None
    for key, posts in by_platform(case).items():
        report = platform_report(key, posts[0].url)
        # Only the allegation's own words: never another flag's evidence, such as a pupil's name.
        alleged = [replace(p, flags=tuple(f for f in p.flags if f.category == "allegation"))
                   for p in posts]  # fmt: skip
        quotes = cited(alleged) or [FILL.format("the words complained of")]
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
                "4. Where it was posted: " + "; ".join(where(p) for p in posts) + ".",
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
