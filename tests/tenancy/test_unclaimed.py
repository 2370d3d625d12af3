"""A shared search's post that names none of its schools clearly is never dropped: X's answer is
replayed through a shared fetch of two schools (SQLite and PostgreSQL); a threat among such
posts reaches both schools' review queues, marked and demoted, with no urgent e-mail; the rest is
kept unflagged by both and counted on the trust page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Case, Flag, OutboxEmail, Post, User, utcnow
from monitor.deployment import Deployment
from monitor.retention import purge
from monitor.sharing import RelevanceJudge, deployment_fetches, run_shared
from monitor.trust import trust_view
from monitor.unclaimed import NOTE, UNSURE_SEVERITY
from monitor.usage import ApiCosts
from monitor.web.trust import create_deployment_app
from monitor.web.users import add_trust_user
from tests.conftest import PUPILS, SCHOOL_TOML, STAFF
from tests.connectors.harnesses import X, _x_id, iso
from tests.connectors.replay import Replay, replay
from tests.tenancy.test_routes import _get, _login
from tests.tenancy.test_shared_worker import SCHOOL, X_SOURCE
from tests.web.conftest import PASSWORD, password_hash

TEXTS = {
    1: "Roose Primary nativity was lovely",
    2: "Abbotsmead Academy's new head has no idea",
    4: "Stuck on Roose Road again",
    # Found by the search but naming neither school: no school claims it.
    6: "someone should set fire to that school with the teachers inside <b>tonight</b> #barrow",
}
HEADS = {"roose": "head@school.example", "abbots": "head@abbots.example"}


@pytest.fixture
def trust(tmp_path: Path, environ: dict[str, str]) -> Iterator[Deployment]:
    """Roose and Abbotsmead each search X by their names: one shared search serves both."""
    folder = tmp_path / "schools"
    folder.mkdir()
    (folder / "roose.toml").write_text(SCHOOL_TOML + X_SOURCE.format(name="x-search"))
    (folder / "abbots.toml").write_text(
        SCHOOL.format(name="Abbotsmead Academy", alias="Abbotsmead", slug="abbots")
        + X_SOURCE.format(name="x-abbots")
    )
    (folder / "pupils.csv").write_text(PUPILS)
    (folder / "staff.csv").write_text(STAFF)
    (folder / "none-pupils.csv").write_text("first_name,last_name,year_group,aliases\n")
    (folder / "none-staff.csv").write_text("title,first_name,last_name,role,aliases\n")
    (folder / "posts.jsonl").write_text("")
    deployment = Deployment.open(folder, {**environ, **X.env})
    for slug, head in HEADS.items():
        with deployment.app(slug).sessions.begin() as session:
            session.add(User(email=head, password_hash=password_hash(), role="headteacher",
                             active=True, created_at=utcnow()))  # fmt: skip
    yield deployment
    deployment.close()


@pytest.fixture
def mock() -> Iterator[Replay]:
    with replay() as active:
        yield active


def _fetch_once(deployment: Deployment, mock: Replay) -> int:
    """One run of the shared fetch on X's replayed answer; the posts it found unclaimed."""
    items = [{"id": _x_id(n), "text": text, "author_id": f"22449949{n}", "created_at": iso(n),
              "edit_history_tweet_ids": [_x_id(n)]} for n, text in TEXTS.items()]  # fmt: skip
    mock.add("GET", X.pattern, X.page(items, None))
    [fetch] = deployment_fetches(deployment.schools)
    apps = {slug: deployment.app(slug) for slug in fetch.schools}
    judges = {slug: RelevanceJudge(app.settings.school, app.settings.roster)
              for slug, app in apps.items()}  # fmt: skip
    report = run_shared(fetch, apps, judges, {**X.env}, ApiCosts())
    assert report.error is None
    assert (report.fetched, report.unclaimed, report.unsure) == (4, 2, 1)
    return report.unclaimed


def test_an_unclaimed_threat_reaches_every_schools_queue_marked_and_demoted(
    trust: Deployment, mock: Replay
) -> None:
    _fetch_once(trust, mock)
    for slug, own in (("roose", TEXTS[1]), ("abbots", TEXTS[2])):
        with trust.app(slug).sessions() as session:
            kept = {p.text: p.unclaimed for p in session.scalars(select(Post))}
            assert kept == {own: None, TEXTS[4]: [], TEXTS[6]: ["threat"]}
            [case] = session.scalars(select(Case)).all()
            assert (case.severity, case.categories) == (UNSURE_SEVERITY, ["threat"])
            assert [p.text for p in case.posts] == [TEXTS[6]]
            flags = session.scalars(select(Flag)).all()
            assert [(f.category, f.severity) for f in flags] == [("threat", UNSURE_SEVERITY)]
            assert flags[0].reason.startswith(NOTE)
            # The rest is kept unflagged; no e-mail at once on a guess (the digest has it).
            assert session.scalars(select(OutboxEmail)).all() == []
    root = create_deployment_app(trust, {"TESTING": True})
    for slug, head in HEADS.items():
        client = root.test_client()
        _login(client, head)
        status, page = _get(client, f"/s/{slug}/")
        assert status == 200
        assert "not sure which school" in page
        assert "&lt;b&gt;tonight&lt;/b&gt;" in page and "<b>tonight</b>" not in page
        assert "Stuck on Roose Road" not in page  # kept, not queued


def test_unclaimed_posts_are_stored_once_and_counted_on_the_trust_page(
    trust: Deployment, mock: Replay
) -> None:
    _fetch_once(trust, mock)
    _fetch_once(trust, mock)  # the same answer again: nothing stored or opened twice
    ids = {slug: trust.app(slug).school_id for slug in HEADS}
    for slug in HEADS:
        with trust.app(slug).sessions() as session:
            assert len(session.scalars(select(Post)).all()) == 3
            assert len(session.scalars(select(Case)).all()) == 1
    with trust.aggregates()() as session:
        view = trust_view(session)
    assert (view.unclaimed.posts, view.unclaimed.unsure) == (2, 1)
    assert view.unclaimed.by_school == {ids["roose"]: (2, 1), ids["abbots"]: (2, 1)}
    add_trust_user(trust, "lead@trust.example", PASSWORD)
    client = create_deployment_app(trust, {"TESTING": True}).test_client()
    _login(client, "lead@trust.example")
    status, page = _get(client, "/trust")
    assert status == 200
    section = page.split("Posts the shared searches could not place", 1)[1]
    assert "<strong>2</strong> such posts, of which <strong>1</strong>" in section
    assert "<td>2</td><td>1</td>" in section
    assert "Stuck on" not in page and "set fire" not in page  # counts only
    roose = trust.app("roose")
    purge(roose, utcnow() + timedelta(days=31))  # the rest goes as unflagged posts do
    with roose.sessions() as session:
        assert list(session.scalars(select(Post.text))) == [TEXTS[6]]  # kept with its case
