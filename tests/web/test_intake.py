from __future__ import annotations

import hashlib
import io
import json
import zipfile

from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from config import Settings
from models import AuditEvent, Case, EvidenceImage, Flag, OutboxEmail, Post
from monitor.app import App
from monitor.casefile import evidence_html, evidence_zip
from tests.screenshots import render_post
from tests.web.conftest import csrf_token, login, post_form

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


def _upload(
    client: FlaskClient, files: list[tuple[bytes, str]], **fields: str
) -> tuple[int, str, str]:
    """POST the intake form with screenshots; status, Location and the page's text."""
    data: dict[str, object] = {"csrf_token": csrf_token(client, "/intake"), "seen_on": "snapchat",
                               **fields}  # fmt: skip
    data["screenshots"] = [(io.BytesIO(content), name) for content, name in files]
    response = client.post("/intake", data=data, content_type="multipart/form-data")
    return (response.status_code, response.headers.get("Location", ""),
            response.get_data(as_text=True))  # fmt: skip


def test_a_screenshot_is_read_classified_and_kept_with_its_case(
    client: FlaskClient, users: dict[str, str], app: App, settings: Settings
) -> None:
    login(client, users["staff"])
    picture = render_post(THREAT)
    status, location, _ = _upload(client, [(picture, "snap.png")])
    assert status == 302 and location.startswith("/cases/SW-")
    with app.sessions() as session:
        post = session.scalars(select(Post)).one()
        assert "I will batter Mr Okafor" in " ".join(post.text.split())
        assert post.url is None and post.raw is not None
        assert post.raw["screenshots"] == [
            {"filename": "snap.png", "sha256": hashlib.sha256(picture).hexdigest()}
        ]
        assert post.case is not None and "threat" in post.case.categories
        [image] = post.images
        assert (image.data, image.content_type) == (picture, "image/png")
        assert image.sha256 == hashlib.sha256(picture).hexdigest()
        uploads = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "intake_upload")
        ).all()
        assert len(uploads) == 1 and image.sha256 in (uploads[0].detail or "")
        reference = post.case.reference
    html = client.get(location).get_data(as_text=True)
    assert "<mark>I will batter</mark> Mr Okafor" in html and image.sha256 in html
    shown = client.get(f"/posts/{post.id}/images/{image.sha256}")
    assert (shown.status_code, shown.mimetype, shown.data) == (200, "image/png", picture)
    with app.sessions() as session:
        pack = evidence_zip(session, reference, settings)
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        names = archive.namelist()
        [kept] = [n for n in names if n.endswith(".png")]
        assert archive.read(kept) == picture
        sums = archive.read(f"{reference}/SHA256SUMS").decode()
        assert f"{image.sha256}  {kept.split('/', 1)[1]}" in sums
        case_json = json.loads(archive.read(f"{reference}/case.json"))
        [shot] = case_json["posts"][0]["screenshots"]
        assert shot["sha256"] == image.sha256 and "Okafor" in shot["ocr_text"]
    with app.sessions() as session:
        page = evidence_html(session, reference, settings)
    assert image.sha256 in page and "Text read from screenshot 1 (OCR)" in page


def test_an_upload_larger_than_the_limit_is_refused_with_a_page_that_says_so(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    token = csrf_token(client, "/intake")
    # The size declared by the browser is checked before a byte of the body is read.
    response = client.post(
        "/intake", data={"csrf_token": token, "screenshots": (io.BytesIO(b"x"), "huge.png")},
        content_type="multipart/form-data",
        environ_overrides={"CONTENT_LENGTH": str(41 * 1024 * 1024)},
    )  # fmt: skip
    assert response.status_code == 413
    assert "at most 4 screenshots" in response.get_data(as_text=True)
    small = client.post(
        "/posts/1/note", data={"csrf_token": token, "note": "x"},
        environ_overrides={"CONTENT_LENGTH": str(1024 * 1024)},
    )  # fmt: skip
    assert small.status_code == 413  # every other form keeps the small limit
    with app.sessions() as session:
        assert session.scalar(select(Post)) is None


def test_a_file_that_is_not_a_png_or_jpeg_is_refused_with_one_message(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    gif = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(gif, format="GIF")
    for content, name in ((gif.getvalue(), "post.gif"), (b"%PDF-1.4 not an image", "post.png")):
        status, _, html = _upload(client, [(content, name)], text=THREAT)
        assert status == 200
        assert html.count("Only PNG or JPEG screenshots can be added") == 1
    with app.sessions() as session:
        assert session.scalar(select(Post)) is None
        assert session.scalar(select(EvidenceImage)) is None


def test_too_many_screenshots_are_refused(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    picture = render_post("Roose Primary")
    status, _, html = _upload(client, [(picture, f"{n}.png") for n in range(5)])
    assert status == 200 and "at most 4 screenshots" in html
    with app.sessions() as session:
        assert session.scalar(select(Post)) is None


def test_a_screenshot_without_words_asks_for_the_text(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    blank = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(blank, format="PNG")
    status, _, html = _upload(client, [(blank.getvalue(), "blank.png")])
    assert status == 200 and "No text could be read in the screenshot" in html
    with app.sessions() as session:
        assert session.scalar(select(Post)) is None


def test_text_read_from_a_screenshot_is_escaped_on_the_case_page(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    hostile = "<b>Roose Primary</b> I will batter Mr Okafor"
    status, location, _ = _upload(client, [(render_post(hostile), "x.png")])
    assert status == 302
    with app.sessions() as session:
        text = session.scalars(select(Post.text)).one()
    assert "<b>" in text  # OCR read the markup as written...
    html = client.get(location).get_data(as_text=True)
    assert "&lt;b&gt;" in html and "<b>Roose" not in html  # ...and the page shows it as text
