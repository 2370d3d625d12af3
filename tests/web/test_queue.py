from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from models import AuditEvent, Flag, Post, User, utcnow
from monitor.app import App
from tests.web.conftest import flag_id, login, password_hash


def _order(html: str) -> list[str]:
    return re.findall(r'class="case-link" href="/cases/([^"]+)"', html)


def test_the_queue_lists_urgent_flags_first_then_the_newest(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    html = client.get("/").get_data(as_text=True)
    # 3 (urgent, 1 Nov) and 4 (urgent, 1 Oct) before 2 (high, though newest, 20 Nov)
    assert _order(html) == [seeded["3"], seeded["4"], seeded["2"]]
    assert "open: 3" in html


def test_each_item_shows_evidence_reason_platform_link_and_people(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    html = client.get("/").get_data(as_text=True)
    assert "<mark>Jayden Nowak</mark>" in html
    assert "names a pupil on the roster" in html
    assert 'href="https://reddit.example/2"' in html
    assert "Reddit" in html
    assert "Jayden Nowak (pupil)" in html
    assert "Mr Okafor (staff)" in html


def test_the_queue_filters_by_category_platform_and_status(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    assert _order(client.get("/?category=pupil").get_data(as_text=True)) == [seeded["2"]]
    assert _order(client.get("/?platform=x").get_data(as_text=True)) == [seeded["3"], seeded["4"]]
    assert _order(client.get("/?status=confirmed").get_data(as_text=True)) == []
    assert len(_order(client.get("/?status=all").get_data(as_text=True))) == 3
    # unknown values fall back to the defaults rather than erroring
    assert len(_order(client.get("/?status=bogus&category=nope").get_data(as_text=True))) == 3


def test_viewing_the_queue_is_audited(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    client.get("/?category=threat")
    with app.sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "view_queue"))
    assert event is not None and event.actor == users["staff"]
    assert "category=threat" in (event.detail or "")


def test_a_hostile_post_renders_inert(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    for path in ("/", f"/cases/{seeded['4']}"):
        html = client.get(path).get_data(as_text=True)
        assert '<script>alert("x")' not in html, path
        assert "<img src=x" not in html, path
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html, path
        assert "&lt;img src=x onerror=alert(2)&gt;" in html, path
        assert "<mark>I&#39;ll batter</mark>" in html, path
        assert 'href="javascript:' not in html, path
        # the only scripts are files from this site
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>'], path


def test_the_queue_pages_in_sql_with_urgent_posts_first_on_page_one(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    now = utcnow()
    with app.sessions.begin() as session:
        for n in range(120):
            post = Post(platform="x", external_id=f"bulk{n}", text=f"Roose Primary post {n}",
                        content_sha256="0" * 64, fetched_at=now,
                        created_at=now - timedelta(minutes=n), relevant=True)  # fmt: skip
            severity = "urgent" if n in (70, 110) else "low"
            post.flags.append(Flag(category="threat" if severity == "urgent" else "complaint",
                                   score=0.9, severity=severity, evidence=[], reason="r",
                                   stage="patterns", model_version="t", status="open",
                                   created_at=now))  # fmt: skip
            session.add(post)
    login(client, users["staff"])
    first = client.get("/").get_data(as_text=True)
    assert "120 posts, page 1 of 3" in first
    texts = re.findall(r"Roose Primary post (\d+)", first)
    assert texts[:2] == ["70", "110"] and texts[2:5] == ["0", "1", "2"]
    assert len(set(texts)) == 50
    last = client.get("/?page=3").get_data(as_text=True)
    assert len(set(re.findall(r"Roose Primary post (\d+)", last))) == 20
    assert 'rel="prev"' in last and 'rel="next"' not in last
    only = client.get("/?category=threat").get_data(as_text=True)
    assert "2 posts" in only and "page 1 of" not in only


def test_the_queue_says_when_posts_are_quarantined(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    with app.sessions.begin() as session:
        session.add(Post(platform="x", external_id="odd", text="?", content_sha256="0" * 64,
                         fetched_at=utcnow(), classified_at=utcnow(),
                         quarantine="the classifier failed on it (RuntimeError)"))  # fmt: skip
    login(client, users["staff"])
    assert "1 post could not be classified" in client.get("/").get_data(as_text=True)


def test_every_page_together_lists_each_post_once_urgent_ones_first_across_pages(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    """Urgent posts fill more than a page: the pages read in turn give every post once, urgent
    newest first and then the rest newest first, with or without a platform filter."""
    now = utcnow()
    urgent = {n for n in range(130) if n % 2 == 0 and n < 120}  # 60 urgent, 70 others
    with app.sessions.begin() as session:
        for n in range(130):
            post = Post(platform="x" if n % 3 else "reddit", external_id=f"p{n}",
                        text=f"Roose Primary post {n}", content_sha256="0" * 64,
                        fetched_at=now, created_at=now - timedelta(minutes=n),
                        relevant=True)  # fmt: skip
            for severity in ("urgent", "low") if n in urgent else ("low",):
                post.flags.append(Flag(category="threat" if severity == "urgent" else "complaint",
                                       score=0.9, severity=severity, evidence=[], reason="r",
                                       stage="patterns", model_version="t", status="open",
                                       created_at=now))  # fmt: skip
            session.add(post)
    login(client, users["staff"])
    for platform, kept in (("", range(130)), ("x", [n for n in range(130) if n % 3])):
        expected = [n for n in kept if n in urgent] + [n for n in kept if n not in urgent]
        seen: list[int] = []
        for page in range(1, -(-len(expected) // 50) + 1):
            html = client.get(f"/?page={page}&platform={platform}").get_data(as_text=True)
            seen += [int(n) for n in re.findall(r"Roose Primary post (\d+)", html)]
        assert seen == expected, platform


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html))


def test_a_kept_queue_page_carries_each_sessions_own_csrf_token_and_undo_buttons(
    web_clients: tuple[FlaskClient, FlaskClient], users: dict[str, str],
    seeded: dict[str, str], app: App,
) -> None:  # fmt: skip
    """Two staff see the same list, kept rendered once: each page's forms hold that session's
    token, which the decisions accept, and only the one who decided sees its undo button."""
    first, second = web_clients
    with app.sessions.begin() as session:
        session.add(User(email="other@school.example", password_hash=password_hash(),
                         role="staff", active=True, created_at=utcnow()))  # fmt: skip
    login(first, users["staff"])
    login(second, "other@school.example")
    mine, theirs = (c.get("/?status=all").get_data(as_text=True) for c in (first, second))
    assert len(_tokens(mine)) == 1 and len(_tokens(theirs)) == 1
    assert _tokens(mine) != _tokens(theirs) and "csrf_token-->" not in mine
    confirmed = '<span class="status">confirmed</span>'
    assert confirmed not in mine and confirmed not in theirs
    fid = flag_id(app, "2")
    reply = first.post(f"/flags/{fid}/confirm", data={"csrf_token": _tokens(mine).pop()})
    assert reply.status_code == 302
    borrowed = {"csrf_token": _tokens(mine).pop(), "reason": "not_relevant"}
    refused = second.post(f"/flags/{fid}/dismiss", data=borrowed)
    assert refused.status_code == 400  # another session's token
    mine, theirs = (c.get("/?status=all").get_data(as_text=True) for c in (first, second))
    assert "Undo confirm" in mine and "Undo confirm" not in theirs
    assert confirmed in theirs  # not the page kept from before the decision
    assert mine.count(confirmed) == theirs.count(confirmed)


def test_post_text_cannot_take_the_csrf_tokens_place(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    with app.sessions.begin() as session:
        post = Post(platform="x", external_id="slot", text="Roose Primary <!--csrf_token--> x",
                    content_sha256="0" * 64, relevant=True, fetched_at=utcnow())  # fmt: skip
        post.flags.append(Flag(category="complaint", score=0.9, severity="low", evidence=[],
                               reason="r", stage="patterns", model_version="t",
                               created_at=utcnow()))  # fmt: skip
        session.add(post)
    login(client, users["staff"])
    html = client.get("/").get_data(as_text=True)
    assert "Roose Primary &lt;!--csrf_token--&gt; x" in html
    assert len(_tokens(html)) == 1
