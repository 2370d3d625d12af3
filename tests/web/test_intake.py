from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from models import AuditEvent, Case, Flag, OutboxEmail, Post
from monitor.app import App
from tests.web.conftest import login, post_form

THREAT = "Whoever is on the gate at Roose Primary tomorrow, I will batter Mr Okafor"


def test_a_pasted_post_goes_through_classification_and_opens_a_case(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    status, location = post_form(
        client, "/intake",
        {"url": "https://www.tiktok.com/@someone/video/1", "seen_on": "tiktok", "text": THREAT},
        token_from="/intake",
    )  # fmt: skip
    assert status == 302 and location.startswith("/cases/SW-")
    with app.sessions() as session:
        post = session.scalar(select(Post))
        assert post is not None
        assert (post.platform, post.source_name) == ("manual", f"manual:{users['staff']}")
        assert post.raw == {"submitted_by": users["staff"], "seen_on": "tiktok"}
        assert post.case is not None and "threat" in post.case.categories
        assert session.scalar(select(OutboxEmail)) is not None  # the same case flow: e-mail queued
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "intake"))
    html = client.get(location).get_data(as_text=True)
    assert "seen on tiktok" in html and f"submitted by {users['staff']}" in html


def test_the_same_post_submitted_twice_is_stored_once(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    data = {"url": "https://www.tiktok.com/@someone/video/1", "seen_on": "tiktok", "text": THREAT}
    first = post_form(client, "/intake", data, token_from="/intake")[1]
    second = post_form(client, "/intake", data, token_from="/intake")[1]
    assert first == second
    with app.sessions() as session:
        assert len(session.scalars(select(Post)).all()) == 1


def test_a_harmless_post_is_stored_without_a_case(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    data = {"url": "https://snapchat.example/s/1", "seen_on": "snapchat",
            "text": "Lovely nativity at Roose Primary today"}  # fmt: skip
    status, location = post_form(client, "/intake", data, token_from="/intake")
    assert (status, location) == (302, "/intake")
    assert "No part of the policy was flagged" in client.get("/intake").get_data(as_text=True)
    with app.sessions() as session:
        post = session.scalar(select(Post))
        assert post is not None and post.case_id is None and post.relevant is True


def test_intake_refuses_a_non_web_address_and_an_empty_text(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    for data in ({"url": "javascript:alert(1)", "seen_on": "other", "text": THREAT},
                 {"url": "https://x.example/1", "seen_on": "other", "text": ""},
                 {"url": "https://x.example/1", "seen_on": "myspace", "text": THREAT}):  # fmt: skip
        status, _ = post_form(client, "/intake", data, token_from="/intake")
        assert status == 200  # the form again, with its errors
    with app.sessions() as session:
        assert session.scalar(select(Post)) is None


def test_intake_without_a_csrf_token_is_refused(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    response = client.post("/intake", data={"url": "https://x.example/1", "seen_on": "other",
                                            "text": THREAT})  # fmt: skip
    assert response.status_code == 400
    with app.sessions() as session:
        assert session.scalar(select(Post)) is None


def test_staff_raise_a_case_on_their_own_judgement_whatever_the_classifier_says(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    quiet = "Saw him at the Roose Primary gates again this morning, you know who I mean"
    data = {"url": "https://tiktok.example/v/9", "seen_on": "tiktok", "text": quiet,
            "raise_as": "threat"}  # fmt: skip
    status, location = post_form(client, "/intake", data, token_from="/intake")
    assert status == 302 and "/cases/SW-" in location
    with app.sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.severity == "urgent" and "threat" in case.categories
        [flag] = [f for f in session.scalars(select(Flag)) if f.category == "threat"]
        assert (flag.status, flag.severity) == ("confirmed", "urgent")
        email = session.scalars(select(OutboxEmail)).one()
        assert email.kind == "urgent"
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "intake_raised"))
