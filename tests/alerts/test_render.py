from __future__ import annotations

from alerts import CaseMail, Span, render_case_email
from alerts.render import link

HOSTILE = "<script>alert(1)</script> I'll hurt Mr Okafor at Roose Primary"


def _mail(**changes: object) -> CaseMail:
    fields: dict[str, object] = {
        "school": "Roose <b>Primary</b>",
        "reference": "SW-2026-0001",
        "severity": "urgent",
        "categories": ["threat"],
        "platform": "x",
        "text": HOSTILE,
        "url": "https://x.com/a/status/1",
        "author": "@a",
        "created": "20 Nov 2026 10:00 UTC",
        "flags": [{"category": "threat", "severity": "urgent", "score": 0.9,
                   "reason": "threat of violence: 'hurt'"}],
        "case_url": "https://sw.example/cases/SW-2026-0001",
        "highlights": [Span(31, 35)],
    }  # fmt: skip
    fields.update(changes)
    return CaseMail(**fields)  # type: ignore[arg-type]


def test_the_single_post_form_still_renders_an_urgent_email() -> None:
    email = render_case_email(_mail())
    assert email.subject.startswith("URGENT: [SW-2026-0001] threat post on X (Twitter)")
    assert "<mark>hurt</mark>" in email.html and "&lt;script&gt;" in email.html
    assert "<script>" not in email.html and "<b>Primary</b>" not in email.html
    assert HOSTILE in email.text and "20 Nov 2026 10:00 UTC" in email.text
    for body in (email.text, email.html):
        assert "Report to the platform" in body and "Report to the police" in body
        assert "https://sw.example/cases/SW-2026-0001" in body


def test_only_web_addresses_become_links() -> None:
    assert link(" https://x.com/a ") == "https://x.com/a"
    assert link("javascript:alert(1)") is None and link("data:text/html,x") is None
    email = render_case_email(_mail(url="javascript:alert(1)", case_url="javascript:x"))
    assert 'href="javascript' not in email.html and "javascript:alert(1)" in email.html
