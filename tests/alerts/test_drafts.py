from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from alerts.advice import drafts, next_step, urgent_categories
from alerts.drafts import case_drafts
from alerts.facts import CaseFacts, EventFacts, FlagFacts, PostFacts
from alerts.letters import LetterTemplateError, letters
from config.settings import DEFAULT_SEVERITY

REPORTED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _case(categories: tuple[str, ...], platform: str = "x", url: str | None = None,
          **extra: object) -> CaseFacts:  # fmt: skip
    post = PostFacts(
        platform=platform,
        external_id="1",
        text="Mr Okafor at Roose Primary is a liar and a thief",
        author="@someone",
        url=url or f"https://{platform}.example/post/1",
        created_at=datetime(2026, 11, 19, 20, 5, tzinfo=UTC),
        flags=tuple(
            FlagFacts(c, DEFAULT_SEVERITY[c], 0.9, f"rule for {c}", ("liar",)) for c in categories
        ),
    )
    case = CaseFacts(
        school="Roose Community Primary School",
        reference="SW-2026-0007",
        severity="high",
        categories=categories,
        posts=(post,),
        staff_named=("Mr Okafor",),
        signed_by="Mrs S. Whitfield, Headteacher",
        contact_email="head@school.example",
        complaints_procedure="our complaints procedure (school website > Policies)",
    )
    return replace(case, **extra)  # type: ignore[arg-type]


def _routes(case: CaseFacts) -> list[str]:
    return [d.route for d in case_drafts(case)]


@pytest.mark.parametrize(
    ("platform", "name", "reason"),
    [
        ("x", "X (Twitter)", "Violent speech"),
        ("facebook_page", "Facebook", "Credible threat of violence"),
        ("instagram", "Instagram", "Credible threat of violence"),
        ("tiktok", "TikTok", "Violence, abuse and criminal exploitation"),
        ("youtube", "YouTube", "threats against a person"),
        ("reddit", "Reddit", "Threatening violence"),
        ("snapchat", "Snapchat", "Threats, violence or harm"),
        ("bluesky", "Bluesky", "Threats or incitement"),
        ("mastodon", "Mastodon", "It violates server rules (violence)"),
    ],
)
def test_the_platform_report_picks_that_platforms_own_reason(
    platform: str, name: str, reason: str
) -> None:
    report = case_drafts(_case(("threat",), platform))[0]
    assert report.route == "platform" and report.to == name
    assert reason in report.body
    assert f"https://{platform}.example/post/1" in report.body
    assert 'What to quote:\n  "liar"' in report.body
    assert "SW-2026-0007" in report.body


def test_each_category_maps_to_a_distinct_reason_on_a_platform() -> None:
    body = case_drafts(_case(("pupil", "racist"), "tiktok"))[0].body
    assert "Sharing personal information" in body and "Hate speech" in body


def test_a_mastodon_report_goes_to_the_posters_instance_admins() -> None:
    case = _case(("bullying",), "mastodon", url="https://mastodon.example.social/@dad/1099")
    body = case_drafts(case)[0].body
    assert "https://mastodon.example.social/about" in body
    assert "Dear mastodon.example.social moderators" in body


def test_an_imported_post_is_reported_where_its_link_points() -> None:
    case = _case(("bullying",), "jsonl", url="https://www.tiktok.com/@someone/video/1")
    assert case_drafts(case)[0].to == "TikTok"


def test_the_s5_notice_carries_every_field_the_regulations_require() -> None:
    notice = next(d for d in case_drafts(_case(("allegation",))) if d.route == "defamation")
    body = notice.body
    assert "section 5 of the Defamation Act 2013" in body
    assert "Complainant's name: Mr Okafor." in body
    assert "head@school.example" in body
    assert '"Mr Okafor at Roose Primary is a liar and a thief"' in body  # the statement
    assert "Where it was posted: https://x.example/post/1" in body
    assert "Why it is defamatory" in body
    assert "meaning the complainant attributes" in body
    assert "factually inaccurate, or opinions not supported by fact" in body
    assert '"liar"' in body
    assert "do not have sufficient information about the poster" in body
    assert "consent to the operator providing the poster with the complainant's name" in body


def test_no_s5_notice_for_an_allegation_about_a_pupil_and_no_pupils_name_as_the_statement() -> None:
    """s5 is for a defamed adult; a pupil's name (the pupil flag's evidence) is never quoted as
    the inaccurate statement."""
    about_a_pupil = _case(("allegation", "pupil"), staff_named=(), pupils_named=("J.N.",))
    assert "defamation" not in _routes(about_a_pupil)
    post = about_a_pupil.posts[0]
    flags = (FlagFacts("allegation", "high", 0.9, "r", ("a thief",)),
             FlagFacts("pupil", "high", 0.9, "r", ("Jayden Nowak",)))  # fmt: skip
    both = replace(about_a_pupil, staff_named=("Mr Okafor",),
                   posts=(replace(post, flags=flags),))  # fmt: skip
    notice = next(d for d in case_drafts(both) if d.route == "defamation")
    assert '"a thief"' in notice.body and "Jayden Nowak" not in notice.body


def test_a_complaint_gets_a_reply_pointing_to_the_procedure_not_a_takedown() -> None:
    case = _case(("complaint",))
    assert _routes(case) == ["complaint"]
    reply = case_drafts(case)[0].body
    assert "our complaints procedure (school website > Policies)" in reply
    assert reply.rstrip().endswith("Mrs S. Whitfield, Headteacher")
    assert letters(case, today=date(2026, 11, 20)) == []


@pytest.mark.parametrize(
    ("categories", "police"),
    [(("threat",), True), (("racist",), True), (("bullying",), True), (("pupil",), False),
     (("allegation",), False), (("offensive",), False)],
)  # fmt: skip
def test_threats_racism_and_harassment_go_to_the_police(
    categories: tuple[str, ...], police: bool
) -> None:
    assert ("police" in _routes(_case(categories))) is police


def test_a_threat_raised_on_the_models_score_alone_is_no_police_matter() -> None:
    case = _case(("threat", "racist"))
    unsure = tuple(replace(f, severity="high") for f in case.posts[0].flags)
    case = replace(case, posts=(replace(case.posts[0], flags=unsure),))
    assert "police" not in _routes(case)
    advice = next_step(list(case.categories), urgent_categories([("threat", "high")]))
    assert "police" not in advice.lower() and "999" not in advice
    assert "raised for review" in advice


def test_a_selfharm_case_brings_the_dsl_safeguarding_guidance_and_the_platforms_reason() -> None:
    case = _case(("selfharm", "bullying"), platform="tiktok")
    routes = case_drafts(case)
    assert [d.route for d in routes][:2] == ["platform", "welfare"]
    assert "Suicide and self-harm" in routes[0].body
    assert "Childline 0800 1111" in routes[1].body and "999" in routes[1].body
    advice = next_step(["selfharm", "bullying"], {"selfharm"})
    assert advice.startswith("Tell the Designated Safeguarding Lead now")


def test_posh_is_offered_for_harm_but_not_for_a_complaint() -> None:
    posh = next(d for d in case_drafts(_case(("offensive",))) if d.route == "posh")
    assert "harmful posts about Mr Okafor" in posh.body and "0344 381 4772" in posh.body
    pupil = next(d for d in case_drafts(_case(("racist",), staff_named=(), pupils_named=("J.N.",)))
                 if d.route == "posh")  # fmt: skip
    assert "target J.N." in pupil.body and "pupils and families affected" in pupil.body
    assert "posh" not in _routes(_case(("complaint",)))


def test_a_pupils_privacy_has_its_own_request_and_iwf_guidance() -> None:
    routes = _routes(_case(("pupil",), pupils_named=("J.N.",)))
    assert routes[:2] == ["platform", "privacy"] and "iwf" in routes
    privacy = case_drafts(_case(("pupil",), pupils_named=("J.N.",)))[1].body
    assert "identifies a child (J.N.)" in privacy and "Article 17" in privacy


def test_each_route_runs_on_a_clock_from_the_report() -> None:
    for draft in case_drafts(_case(("threat", "allegation")), REPORTED):
        assert draft.clock, draft.route
        assert draft.clock[0].due == REPORTED
    rhc = next(d for d in case_drafts(_case(("threat",)), REPORTED) if d.route == "rhc")
    assert [s.label for s in rhc.clock] == ["now", "+48 h", "+7 days"]
    assert rhc.clock[1].due == REPORTED + timedelta(hours=48) and "eligible" in rhc.clock[1].what
    assert rhc.clock[2].due == REPORTED + timedelta(days=7)


def test_media_addresses_are_listed_with_iwf_guidance() -> None:
    case = _case(("offensive",))
    post = replace(case.posts[0], media_urls=("https://cdn.example/a.jpg",))
    guidance = next(d for d in case_drafts(replace(case, posts=(post,))) if d.route == "iwf")
    assert "https://cdn.example/a.jpg" in guidance.body
    assert "report.iwf.org.uk" in guidance.body and "ceop.police.uk" in guidance.body


def test_the_short_drafts_signature_still_works() -> None:
    result = drafts("twitter", ["threat"], "https://x.com/a/status/1", "SW-2026-0001")
    assert [d.title for d in result][:2] == ["Report to the platform", "Report to the police"]
    assert "Report Harmful Content" in [d.title for d in result]
    assert "Violent speech" in result[0].body and "https://x.com/a/status/1" in result[0].body


def test_the_letters_are_in_the_schools_voice_and_signed() -> None:
    case = _case(("offensive", "allegation"))
    first, warning = letters(case, today=date(2026, 11, 20), parent="Mr and Mrs Smith")
    assert first.route == "first_request" and warning.route == "warning"
    assert "Dear Mr and Mrs Smith," in first.body
    assert "Please remove the post within 48 hours" in first.body
    assert "our complaints procedure (school website > Policies)" in first.body
    assert (
        "In our view the material makes negative or offensive comments about staff or "
        "others connected with the school and makes allegations about staff" in first.body
    )
    assert first.body.rstrip().endswith(
        "Mrs S. Whitfield, Headteacher\nRoose Community Primary School"
    )
    assert "formal warning" in warning.body and "[FILL IN: date]" in warning.body


def test_the_warning_remembers_when_the_parent_was_asked() -> None:
    event = EventFacts(datetime(2026, 11, 21, 10, tzinfo=UTC), "head@school.example", "status",
                       "confirmed -> parent_contacted")  # fmt: skip
    case = _case(("offensive",), events=(event,))
    warning = letters(case, today=date(2026, 11, 28))[1]
    assert "On 21 November 2026 the school asked you to remove" in warning.body


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% if %}", r"letter-warning.txt:1: "),
        ("{{ parents_name }}", r"'parents_name' is undefined"),
    ],
)
def test_a_broken_letter_template_says_where(tmp_path: Path, template: str, message: str) -> None:
    (tmp_path / "letter-warning.txt").write_text(template)
    with pytest.raises(LetterTemplateError, match=message):
        letters(_case(("offensive",)), today=date(2026, 11, 20), letters_dir=tmp_path)


def test_a_school_can_replace_a_letter_with_its_own(tmp_path: Path) -> None:
    (tmp_path / "letter-warning.txt").write_text(
        "Dear {{ parent }}, our own words. {{ reference }}"
    )
    first, warning = letters(_case(("offensive",)), today=date(2026, 11, 20), letters_dir=tmp_path)
    assert warning.body == "Dear [FILL IN: parent's name], our own words. SW-2026-0007"
    assert "Our reference: SW-2026-0007" in first.body


def test_a_letter_template_edited_while_running_is_read_again(tmp_path: Path) -> None:
    template = tmp_path / "letter-warning.txt"
    template.write_text("First words. {{ reference }}")
    _, warning = letters(_case(("offensive",)), today=date(2026, 11, 20), letters_dir=tmp_path)
    assert warning.body == "First words. SW-2026-0007"
    template.write_text("Second words, longer. {{ reference }}")
    os.utime(template, (template.stat().st_atime, template.stat().st_mtime + 5))
    _, warning = letters(_case(("offensive",)), today=date(2026, 11, 20), letters_dir=tmp_path)
    assert warning.body == "Second words, longer. SW-2026-0007"
