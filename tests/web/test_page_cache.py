"""The queue and case pages keep what is costly to make for a few seconds: a change made
through the app shows at once, one made elsewhere within ``KEPT_SECONDS``, and each session
still gets its own CSRF token."""

from __future__ import annotations

import re
import threading
import time

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from config import Settings
from models import AuditEvent, Flag, Post
from monitor.app import App
from monitor.web.pagecache import KEPT_SECONDS, REFRESH_AFTER, PageCache, page_cache
from tests.web.conftest import flag_id, login, post_form

_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _clocked(web: Flask) -> Clock:
    clock = Clock()
    with web.app_context():
        page_cache().clock = clock
    return clock


def _flag_classes(html: str) -> list[str]:
    return re.findall(r'<li class="flag ([a-z]+)">', html)


def test_a_decision_shows_on_the_kept_case_page_at_once(
    web: Flask, client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["headteacher"])
    page = f"/cases/{seeded['3']}"
    assert "open" in _flag_classes(client.get(page).get_data(as_text=True))
    fid = flag_id(app, "3")
    assert post_form(client, f"/flags/{fid}/confirm", {"next": page}, token_from=page)[0] == 302
    assert _flag_classes(client.get(page).get_data(as_text=True)) == ["confirmed"]


def test_a_change_made_by_another_process_shows_within_the_kept_time(
    web: Flask, client: FlaskClient, users: dict[str, str], seeded: dict[str, str],
    settings: Settings, app: App,
) -> None:  # fmt: skip
    clock = _clocked(web)
    confirm = f'action="/flags/{flag_id(app, "3")}/confirm"'
    login(client, users["headteacher"])
    case_page = f"/cases/{seeded['3']}"
    assert _flag_classes(client.get(case_page).get_data(as_text=True)) == ["open"]
    assert confirm in client.get("/").get_data(as_text=True)
    worker = App.open(settings)  # another process's sessions: this app hears nothing of them
    try:
        with worker.sessions.begin() as session:
            for flag in session.scalars(select(Flag).join(Post).where(Post.external_id == "3")):
                flag.status = "confirmed"
    finally:
        worker.close()
    start = clock.now
    clock.now = start + REFRESH_AFTER - 1  # still kept
    assert _flag_classes(client.get(case_page).get_data(as_text=True)) == ["open"]
    clock.now = start + KEPT_SECONDS  # never older than documented
    assert _flag_classes(client.get(case_page).get_data(as_text=True)) == ["confirmed"]
    assert confirm not in client.get("/").get_data(as_text=True)


def test_each_session_gets_its_own_token_in_a_kept_case_page(
    web: Flask, users: dict[str, str], seeded: dict[str, str]
) -> None:
    tokens = []
    for _ in range(2):
        client = web.test_client()
        login(client, users["staff"])
        html = client.get(f"/cases/{seeded['3']}").get_data(as_text=True)
        assert "<!--csrf_token-->" not in html
        found = set(_CSRF.findall(html))
        assert len(found) == 1
        tokens.append(found.pop())
    assert tokens[0] != tokens[1]


def test_each_role_sees_its_own_actions_on_a_kept_case_page(
    web: Flask, users: dict[str, str], seeded: dict[str, str]
) -> None:
    pages = {}
    for role in ("staff", "headteacher"):
        client = web.test_client()
        login(client, users[role])
        pages[role] = client.get(f"/cases/{seeded['3']}").get_data(as_text=True)
    assert "Mark as sent</button>" in pages["headteacher"]
    assert "Mark as sent</button>" not in pages["staff"]


def test_concurrent_misses_make_an_entry_once_and_an_old_one_is_made_again_by_one_caller() -> None:
    clock = Clock()
    cache = PageCache(clock)
    made: list[int] = []

    def make() -> int:
        time.sleep(0.05)
        made.append(1)
        return len(made)

    got: list[int] = []
    threads = [threading.Thread(target=lambda: got.append(cache.kept(("k",), int, make)[0]))
               for _ in range(8)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made == [1] and got == [1] * 8
    clock.now += REFRESH_AFTER
    assert cache.claim_refresh(("k",))
    assert cache.kept(("k",), int, make) == (1, False)  # the others use the kept one meanwhile
    cache.put(("k",), cache.generation, 2)
    assert cache.kept(("k",), int, make) == (2, False)
    cache.changed()
    assert cache.kept(("k",), int, make) == (2, True)  # emptied: made again


def test_every_view_of_a_kept_page_is_audited(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    for _ in range(3):
        assert client.get("/").status_code == 200
        assert client.get(f"/cases/{seeded['3']}").status_code == 200
    with app.sessions() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.actor == users["staff"])
        ).all()
    assert actions.count("view_queue") == 3 and actions.count("view_case") == 3


def test_a_starting_server_counts_the_queue_before_anyone_asks(
    web: Flask, seeded: dict[str, str], app: App
) -> None:
    from sqlalchemy import func

    from monitor.web import warm_up
    from monitor.web.views.queue import Summary

    warm_up(web)
    with web.app_context():
        kept = page_cache().get(("open", "", ""))
    assert isinstance(kept, Summary)
    with app.sessions() as session:
        open_posts = session.scalar(
            select(func.count(func.distinct(Flag.post_id))).where(Flag.status == "open")
        )
    assert kept.total == open_posts and kept.total > 0
