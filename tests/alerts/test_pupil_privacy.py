"""Pupils' names stay out of e-mails however a post writes them: in addresses, handles,
hashtags, decorated or drawn-out words, possessives and %-escapes."""

from __future__ import annotations

import re

import pytest

from config import Settings
from monitor.app import App
from tests.monitor.test_routing import _alerts, _cycle, _emails, _post

THREAT = "I'll hurt {} at Roose Primary"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("text", "author"),
    [
        ("https://www.instagram.com/amelia.hartley2016/ " + THREAT.format("her"), "@x"),
        (THREAT.format("https://x.com/Jayden%5FNowak"), "@x"),
        (THREAT.format("#JaydenNowak"), "@x"),
        (THREAT.format("nowak_j2015"), "@x"),
        (THREAT.format("Jaydens mum"), "@x"),
        (THREAT.format("Ameliaaa"), "@x"),
        (THREAT.format("HARTLEY, AMELIA"), "@x"),
        (THREAT.format("Mr Okafor"), "@amelia.hartley"),
    ],
)
def test_no_form_of_a_pupils_name_reaches_an_email(
    app: App, settings: Settings, text: str, author: str
) -> None:
    _alerts(app, settings, immediate=("urgent", "high", "medium", "low"))
    _cycle(app, settings, _post("1", text, author) | {"url": f"https://x.com/{author}/status/1"})
    [email] = _emails(app)
    for part in (email.subject, email.body_text, email.body_html):
        assert not re.search(r"(?i)jayden|nowak|amelia|hartley", part), part
    assert "Roose Primary" in email.body_text and ("J.N." in email.body_text
                                                   or "A.H." in email.body_text)  # fmt: skip
