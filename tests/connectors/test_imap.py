"""The ``imap`` source against a real dovecot; messages are delivered by IMAP APPEND."""

from __future__ import annotations

import imaplib
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from config import ConfigError, Settings, load_settings
from connectors import SourceError
from connectors.imap import ImapConnector, message_post
from models import EvidenceImage, Post, Source
from monitor.app import App
from monitor.cycle import run_cycle
from tests.connectors.dovecot import Dovecot, running_dovecot
from tests.screenshots import render_post

THREAT = "Whoever is on the gate at Roose Primary tomorrow, I will batter Mr Okafor"


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    try:
        with running_dovecot() as server:
            yield server
    except RuntimeError as exc:  # the suite must not pass silently without its IMAP server
        pytest.fail(str(exc), pytrace=False)


def _source_toml(server: Dovecot, **extra: object) -> str:
    lines = ["", "[[sources]]", 'name = "reports"', 'type = "imap"', 'every = "5m"',
             f'host = "{server.host}"', f"port = {server.port}", f'user = "{server.user}"',
             'password_env = "REPORTS_IMAP_PASSWORD"', "tls = false"]  # fmt: skip
    lines += [f"{key} = {value!r}".replace("'", '"') for key, value in extra.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def imap_settings(school_dir: Path, environ: dict[str, str], dovecot: Dovecot) -> Settings:
    toml = school_dir / "school.toml"
    toml.write_text(toml.read_text() + _source_toml(dovecot))
    return load_settings(toml, {**environ, "REPORTS_IMAP_PASSWORD": dovecot.password})


def deliver(server: Dovecot, message: EmailMessage | bytes, folder: str = "INBOX") -> None:
    raw = message if isinstance(message, bytes) else message.as_bytes()
    connection = imaplib.IMAP4(server.host, server.port)
    try:
        connection.login(server.user, server.password)
        if folder != "INBOX":
            connection.create(folder)
        status, detail = connection.append(folder, None, None, raw)
        assert status == "OK", detail
    finally:
        connection.logout()


def report(subject: str, body: str, message_id: str, image: bytes | None = None,
           image_name: str = "screenshot.png") -> EmailMessage:  # fmt: skip
    message = EmailMessage()
    message["From"] = "A Parent <parent@home.example>"
    message["To"] = "reports@school.example"
    message["Subject"] = subject
    message["Message-ID"] = f"<{message_id}>"
    message["Date"] = "Thu, 03 Dec 2026 19:04:00 +0000"
    message.set_content(body)
    if image is not None:
        subtype = "jpeg" if image_name.endswith(".jpg") else "png"
        message.add_attachment(image, maintype="image", subtype=subtype, filename=image_name)
    return message


def test_each_message_is_a_post_with_its_links_and_its_screenshot_read(
    imap_settings: Settings, dovecot: Dovecot
) -> None:
    picture = render_post(THREAT)
    deliver(dovecot, report("Seen on TikTok about Roose Primary",
                            "Look at this: https://www.tiktok.com/@someone/video/77.\nThanks",
                            "r1@home.example", picture))  # fmt: skip
    connector = ImapConnector.from_settings(imap_settings.source("reports"), imap_settings)
    batch = connector.fetch(None)
    [post] = batch.posts
    assert (post.platform, post.external_id) == ("email", "r1@home.example")
    assert post.url == "https://www.tiktok.com/@someone/video/77"
    assert post.text.startswith("Seen on TikTok about Roose Primary\n\nLook at this")
    assert "I will batter Mr Okafor" in " ".join(post.text.split())
    assert post.author is None and post.raw is not None
    assert post.raw["reported_by"] == "A Parent <parent@home.example>"
    [image] = post.attachments
    assert image.data == picture and image.content_type == "image/png"
    assert connector.fetch(batch.cursor).posts == []  # the cursor remembers the last UID
    deliver(dovecot, report("Another", "Roose Primary again", "r2@home.example"))
    assert [p.external_id for p in connector.fetch(batch.cursor).posts] == ["r2@home.example"]


def test_a_cycle_stores_flags_and_opens_a_case_once_per_message_id(
    imap_settings: Settings, dovecot: Dovecot
) -> None:
    deliver(dovecot, report("Please look", "Forwarded from a WhatsApp group",
                            "same@home.example", render_post(THREAT)))  # fmt: skip
    app = App.open(imap_settings)
    try:
        first = run_cycle(app, "reports", send=False)
        assert (first.error, first.new, len(first.cases_opened)) == (None, 1, 1)
        # The same report forwarded again, and a cycle started from scratch: still one post.
        deliver(dovecot, report("Please look", "Forwarded from a WhatsApp group",
                                "same@home.example", render_post(THREAT)))  # fmt: skip
        with app.sessions.begin() as session:
            session.scalars(select(Source)).one().cursor = None
        second = run_cycle(app, "reports", send=False)
        assert (second.error, second.fetched, second.new) == (None, 2, 0)
        with app.sessions() as session:
            post = session.scalars(select(Post)).one()
            assert post.case is not None and "threat" in post.case.categories
            [image] = session.scalars(select(EvidenceImage)).all()
            assert image.post_id == post.id and "Okafor" in image.ocr_text
    finally:
        app.close()


def test_a_bad_message_is_skipped_and_the_others_are_kept(
    imap_settings: Settings, dovecot: Dovecot
) -> None:
    gif_named_png = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
    deliver(dovecot, b"X-Nothing: here\r\n\r\n")  # no subject, no text, no picture
    deliver(dovecot, report("Roose Primary", "See the picture", "gif@home.example",
                            gif_named_png, "fake.png"))  # fmt: skip
    deliver(dovecot, report("Roose Primary", "I will batter Mr Okafor", "good@home.example"))
    app = App.open(imap_settings)
    try:
        result = run_cycle(app, "reports", send=False)
        assert (result.error, result.fetched, result.skipped) == (None, 2, 1)
        with app.sessions() as session:
            posts = {p.external_id: p for p in session.scalars(select(Post))}
            assert set(posts) == {"gif@home.example", "good@home.example"}
            raw = posts["gif@home.example"].raw or {}
            assert "is not a PNG or JPEG image" in raw["attachments_not_kept"][0]
            assert session.scalar(select(EvidenceImage)) is None
            source = session.scalars(select(Source)).one()
            assert (source.last_outcome, source.last_skipped) == ("ok", 1)
    finally:
        app.close()


def test_a_wrong_password_is_a_permanent_error(
    school_dir: Path, environ: dict[str, str], dovecot: Dovecot
) -> None:
    toml = school_dir / "school.toml"
    toml.write_text(toml.read_text() + _source_toml(dovecot))
    settings = load_settings(toml, {**environ, "REPORTS_IMAP_PASSWORD": "wrong"})
    connector = ImapConnector.from_settings(settings.source("reports"), settings)
    with pytest.raises(SourceError, match="refused the login") as failure:
        connector.fetch(None)
    assert failure.value.permanent


def test_a_missing_folder_is_a_permanent_error_and_another_folder_is_read(
    school_dir: Path, environ: dict[str, str], dovecot: Dovecot
) -> None:
    deliver(dovecot, report("Roose Primary", "In the other folder", "f@home.example"), "Reports")
    toml = school_dir / "school.toml"
    base = toml.read_text()
    env = {**environ, "REPORTS_IMAP_PASSWORD": dovecot.password}
    for folder, expected in (("Nowhere", None), ("Reports", ["f@home.example"])):
        toml.write_text(base + _source_toml(dovecot, folder=folder))
        settings = load_settings(toml, env)
        connector = ImapConnector.from_settings(settings.source("reports"), settings)
        if expected is None:
            with pytest.raises(SourceError, match="no folder") as failure:
                connector.fetch(None)
            assert failure.value.permanent
        else:
            assert [p.external_id for p in connector.fetch(None).posts] == expected


def test_an_unreachable_server_is_a_temporary_error(imap_settings: Settings) -> None:
    connector = ImapConnector.from_settings(imap_settings.source("reports"), imap_settings)
    connector.port = 1  # nothing listens there
    with pytest.raises(SourceError, match="cannot reach the mailbox") as failure:
        connector.fetch(None)
    assert not failure.value.permanent


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_config_names_what_is_missing(school_dir: Path, environ: dict[str, str]) -> None:
    toml = school_dir / "school.toml"
    base = toml.read_text()
    toml.write_text(base + '\n[[sources]]\nname = "reports"\ntype = "imap"\nhost = "mail"\n')
    settings = load_settings(toml, environ)
    with pytest.raises(ConfigError, match="needs host, user and password_env"):
        ImapConnector.from_settings(settings.source("reports"), settings)
    toml.write_text(base + '\n[[sources]]\nname = "reports"\ntype = "imap"\nhost = "mail"\n'
                    'user = "u"\npassword_env = "NOT_SET_HERE"\n')  # fmt: skip
    settings = load_settings(toml, environ)
    with pytest.raises(ConfigError, match="NOT_SET_HERE is not set"):
        ImapConnector.from_settings(settings.source("reports"), settings)


def test_a_message_without_a_message_id_gets_one_from_its_bytes() -> None:
    raw = b"Subject: Roose Primary\r\n\r\nHello\r\n"
    post = message_post(raw)
    assert post.external_id.startswith("sha256:") and post.text == "Roose Primary\n\nHello"
    assert message_post(raw).external_id == post.external_id


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_it_reads_over_tls_and_refuses_a_certificate_it_cannot_verify(
    school_dir: Path, environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_dovecot(tls=True) as server:
        assert server.certificate is not None
        trusting = ssl.create_default_context(cafile=str(server.certificate))
        connection = imaplib.IMAP4_SSL(server.host, server.port, ssl_context=trusting)
        connection.login(server.user, server.password)
        connection.append(
            "INBOX", None, None, report("Roose Primary", "Over TLS", "tls@home.example").as_bytes()
        )
        connection.logout()
        toml = school_dir / "school.toml"
        toml.write_text(toml.read_text() + _source_toml(server).replace("tls = false", ""))
        settings = load_settings(toml, {**environ, "REPORTS_IMAP_PASSWORD": server.password})
        connector = ImapConnector.from_settings(settings.source("reports"), settings)
        with pytest.raises(SourceError, match="cannot be verified") as failure:
            connector.fetch(None)  # a self-signed certificate is not trusted by default
        assert failure.value.permanent
        monkeypatch.setenv("SSL_CERT_FILE", str(server.certificate))  # the school's own CA
        assert [p.external_id for p in connector.fetch(None).posts] == ["tls@home.example"]


def test_a_message_with_many_screenshots_reads_only_the_first_few_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from connectors.imap import MAX_IMAGES

    message = EmailMessage()
    message["Subject"] = "Roose Primary screenshots"
    message["Message-ID"] = "<many@parents.example>"
    message.set_content("see attached")
    picture = render_post("Roose Primary parents group")
    for n in range(MAX_IMAGES + 2):
        message.add_attachment(picture, maintype="image", subtype="png", filename=f"shot{n}.png")
    post = message_post(message.as_bytes())
    assert len(post.attachments) == MAX_IMAGES
    assert [note.split(":")[0] for note in post.raw["attachments_not_kept"]] == [
        f"shot{MAX_IMAGES}.png",
        f"shot{MAX_IMAGES + 1}.png",
    ]
    assert "2 attachment(s) not kept" in caplog.text and "many@parents.example" in caplog.text
