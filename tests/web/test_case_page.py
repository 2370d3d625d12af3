"""The case page's drafts and letters, and the evidence pack downloads (ZIP and printable page)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from config import Settings
from models import AuditEvent, Case, CaseEvent, Post
from monitor.app import App
from monitor.cycle import run_cycle
from monitor.web import create_app
from monitor.web.views.present import when
from tests.web.conftest import HOSTILE, login, post_form

HOSTILE_HANDLE = '"><svg onload=alert(7)>'
MORE_POSTS = [
    {"id": "5", "text": "Mr Okafor at Roose Primary steals from the school fund, everyone knows it",
     "platform": "x", "url": "https://x.example/5", "author": "@teller"},
    {"id": "6", "text": "Three weeks and still no reply from Roose Primary about my emails. "
     "Not good enough", "platform": "x", "url": "https://x.example/6", "author": "@parent"},
    {"id": "7", "text": "I will batter Mrs Whitfield at Roose Primary", "platform": "x",
     "author": HOSTILE_HANDLE, "url": "https://x.example/7?a=<b>&b=1"},
]  # fmt: skip


@pytest.fixture
def cases(app: App, settings: Settings, seeded: dict[str, str]) -> dict[str, str]:
    """The sample posts plus an allegation and a complaint; external id -> case reference."""
    path = settings.source("imported").path_option("path")
    assert path is not None
    with path.open("a") as handle:
        handle.write("".join(json.dumps(p) + "\n" for p in MORE_POSTS))
    run_cycle(app, "imported", send=False)
    with app.sessions() as session:
        rows = session.execute(select(Post.external_id, Case.reference).join(Case)).all()
    return {external_id: reference for external_id, reference in rows}


def _routes(html: str) -> list[str]:
    return re.findall(r'class="draft route-([a-z_]+)"', html)


def _draft(html: str, route: str) -> str:
    """The HTML of the first draft of ``route`` on the page."""
    return html.split(f'class="draft route-{route}"', 1)[1].split("</div>", 1)[0]


def _letters(html: str) -> list[str]:
    return re.findall(r'<textarea id="letter-([a-z_]+)"', html)


@pytest.mark.parametrize(
    ("post", "route", "words"),
    [
        ("3", "police", "To: 999 / 101 / police.uk"),
        ("2", "privacy", "UK GDPR (Article 17"),
        ("5", "defamation", "NOTICE OF COMPLAINT under section 5 of the Defamation Act 2013"),
        ("6", "complaint", "through the school&#39;s complaints procedure"),
    ],
)
def test_each_route_draft_appears_on_the_case_page_of_a_matching_case(
    client: FlaskClient, users: dict[str, str], cases: dict[str, str],
    post: str, route: str, words: str,
) -> None:  # fmt: skip
    login(client, users["staff"])
    response = client.get(f"/cases/{cases[post]}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert route in _routes(html)
    draft = _draft(html, route)
    assert words in draft
    assert '<ol class="clock">' in draft and "<strong>now</strong>" in draft
    assert re.search(r'<pre id="(draft-\d+)">', draft) and 'class="copy"' in draft


def test_a_complaint_gets_the_suggested_reply_and_no_takedown_or_letters(
    client: FlaskClient, users: dict[str, str], cases: dict[str, str]
) -> None:
    login(client, users["headteacher"])
    html = client.get(f"/cases/{cases['6']}").get_data(as_text=True)
    assert _routes(html) == ["complaint"]
    assert _letters(html) == []
    assert "Report to the platform" not in html and "Letters to the parent" not in html


def test_a_harmful_case_offers_both_policy_letters_as_editable_text_with_copy_buttons(
    client: FlaskClient, users: dict[str, str], cases: dict[str, str]
) -> None:
    login(client, users["staff"])
    html = client.get(f"/cases/{cases['5']}").get_data(as_text=True)
    assert _letters(html) == ["first_request", "warning"]
    for kind in ("first_request", "warning"):
        assert f'data-copy="letter-{kind}"' in html
    letter = re.search(r'<textarea id="letter-first_request"[^>]*>\n(.*?)</textarea>', html, re.S)
    assert letter is not None
    assert "Roose Community Primary School" in letter.group(1)
    assert "[FILL IN: parent&#39;s name]" in letter.group(1)
    copy_targets = re.findall(r'data-copy="([^"]+)"', html)
    assert len(copy_targets) == len(set(copy_targets))
    assert all(f'id="{t}"' in html for t in copy_targets)


def test_the_clocks_start_when_the_case_moves_to_takedown_requested(
    client: FlaskClient, users: dict[str, str], cases: dict[str, str], app: App
) -> None:
    login(client, users["dsl"])
    reference = cases["3"]
    before = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "clock starts when the case is marked <em>Takedown requested</em>" in before
    assert "<time>" not in before.split('class="drafts"')[1].split('class="timeline"')[0]
    for target in ("confirmed", "takedown_requested"):
        assert post_form(client, f"/cases/{reference}/move", {"status": target})[0] == 302
    with app.sessions() as session:
        moved = session.scalars(
            select(CaseEvent.created_at)
            .where(CaseEvent.detail.like("%-> takedown_requested%"))
            .order_by(CaseEvent.id)
        ).all()[-1]
    after = client.get(f"/cases/{reference}").get_data(as_text=True)
    with client.application.app_context():  # times as the school reads them: Europe/London
        started, h48, d7 = (when(moved + d) for d in (timedelta(0), timedelta(hours=48),
                                                       timedelta(days=7)))  # fmt: skip
    assert started.endswith(("GMT", "BST")) and f"Clocks started {started}" in after
    police = _draft(after, "police")
    assert f"<strong>+48 h</strong> <time>{h48}</time>" in police
    assert f"<strong>+7 days</strong> <time>{d7}</time>" in police


def test_the_evidence_zip_downloads_as_an_attachment_with_matching_sums_and_is_audited(
    client: FlaskClient, users: dict[str, str], cases: dict[str, str], app: App
) -> None:
    login(client, users["dsl"])
    reference = cases["2"]
    response = client.get(f"/cases/{reference}/evidence.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{reference}-evidence.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    sums = archive.read(f"{reference}/SHA256SUMS").decode("utf-8").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in sums)
    files = {n.removeprefix(f"{reference}/") for n in archive.namelist()} - {"SHA256SUMS"}
    assert set(listed) == files
    for name, digest in listed.items():
        assert hashlib.sha256(archive.read(f"{reference}/{name}")).hexdigest() == digest, name
    texts = [n for n in archive.namelist() if n.endswith("/text.txt")]
    assert archive.read(texts[0]).decode() == "Jayden Nowak at Roose Primary again"
    with app.sessions() as session:
        exported = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export_evidence")
        ).all()
    assert [(e.actor, e.object_id, e.detail) for e in exported] == [
        (users["dsl"], reference, "zip")
    ]


def test_the_printable_pack_escapes_a_hostile_post_and_allows_only_its_own_stylesheet(
    client: FlaskClient, users: dict[str, str], cases: dict[str, str], app: App
) -> None:
    login(client, users["headteacher"])
    reference = cases["4"]
    response = client.get(f"/cases/{reference}/evidence.html")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript:' not in html
    assert HOSTILE not in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe" not in csp
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"style-src 'self' 'sha256-{digest}';" in csp
    assert len(re.findall(r"<style", html)) == 1 and 'style="' not in html
    with app.sessions() as session:
        audited = session.scalar(select(AuditEvent).where(AuditEvent.action == "export_evidence"))
    assert audited is not None
    assert (audited.actor, audited.object_id, audited.detail) == (
        users["headteacher"], reference, "html",
    )  # fmt: skip


@pytest.mark.parametrize("page", ["", "/evidence.html", "/evidence.zip"])
def test_a_hostile_handle_and_address_stay_text_on_the_case_page_and_in_the_pack(
    client: FlaskClient, users: dict[str, str], cases: dict[str, str], page: str
) -> None:
    login(client, users["dsl"])
    reference = cases["7"]
    response = client.get(f"/cases/{reference}{page}")
    assert response.status_code == 200
    if page.endswith(".zip"):
        archive = zipfile.ZipFile(io.BytesIO(response.data))
        html = archive.read(f"{reference}/index.html").decode("utf-8")
    else:
        html = response.get_data(as_text=True)
    assert "&#34;&gt;&lt;svg onload=alert(7)&gt;" in html
    assert "<svg" not in html and "<b>" not in html
    assert "https://x.example/7?a=&lt;b&gt;&amp;b=1" in html


def test_other_pages_keep_the_strict_stylesheet_policy(
    client: FlaskClient, users: dict[str, str], cases: dict[str, str]
) -> None:
    login(client, users["headteacher"])
    client.get(f"/cases/{cases['4']}/evidence.html")
    csp = client.get(f"/cases/{cases['4']}").headers["Content-Security-Policy"]
    assert "style-src 'self';" in csp and "sha256" not in csp


def test_the_case_page_escapes_a_hostile_post_inside_the_drafts(
    client: FlaskClient, users: dict[str, str], cases: dict[str, str]
) -> None:
    login(client, users["staff"])
    html = client.get(f"/cases/{cases['4']}").get_data(as_text=True)
    drafts = html.split('class="drafts"')[1].split('class="timeline"')[0]
    assert "javascript:alert(3)" in drafts  # cited as text in the drafts
    assert "<script" not in html.replace('<script src="/static/app.js" defer></script>', "")
    assert "<img" not in html


def test_staff_see_the_drafts_but_may_not_download_the_evidence_pack(
    client: FlaskClient, users: dict[str, str], cases: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    reference = cases["3"]
    html = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "police" in _routes(html)
    assert "evidence.zip" not in html and "evidence.html" not in html
    assert "the headteacher or the DSL can download it" in html
    assert client.get(f"/cases/{reference}/evidence.zip").status_code == 403
    assert client.get(f"/cases/{reference}/evidence.html").status_code == 403
    with app.sessions() as session:
        exported = select(AuditEvent).where(AuditEvent.action == "export_evidence")
        assert session.scalar(exported) is None


def test_leaders_see_both_download_links(
    client: FlaskClient, users: dict[str, str], cases: dict[str, str]
) -> None:
    login(client, users["headteacher"])
    reference = cases["3"]
    html = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert f'href="/cases/{reference}/evidence.zip"' in html
    assert f'href="/cases/{reference}/evidence.html"' in html


@pytest.mark.parametrize("suffix", ["", "/evidence.zip", "/evidence.html"])
def test_without_a_login_the_case_and_its_pack_redirect_to_the_login_page(
    client: FlaskClient, cases: dict[str, str], suffix: str
) -> None:
    path = f"/cases/{cases['3']}{suffix}"
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next={path}"


def test_an_unknown_case_has_no_evidence_pack(client: FlaskClient, users: dict[str, str]) -> None:
    login(client, users["headteacher"])
    assert client.get("/cases/SW-1999-0001/evidence.zip").status_code == 404
    assert client.get("/cases/SW-1999-0001/evidence.html").status_code == 404


@pytest.fixture
def broken_letters(app: App, settings: Settings, tmp_path: Path) -> Iterator[FlaskClient]:
    """A second app on the same database whose school's warning letter has a syntax error."""
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "letter-warning.txt").write_text("Dear {{ parent\n")
    other = App.open(replace(settings, alerts=replace(settings.alerts, letters_dir=folder)))
    web = create_app(other)
    web.config["TESTING"] = True
    yield web.test_client()
    other.close()


def test_a_broken_letter_template_is_one_clear_line_and_the_other_drafts_still_show(
    broken_letters: FlaskClient, users: dict[str, str], cases: dict[str, str]
) -> None:
    login(broken_letters, users["headteacher"])
    response = broken_letters.get(f"/cases/{cases['3']}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "police" in _routes(html) and _letters(html) == []
    error = re.search(r'<p class="error" role="alert">([^<]*)</p>', html)
    assert error is not None
    assert error.group(1).startswith("The school's letter template cannot be used: ")
    assert "letters/letter-warning.txt:1: unexpected end of template" in error.group(1)
