"""The ``imap`` source: the school's reporting mailbox, where parents and staff forward posts.

Read with the standard library's imaplib over TLS (or plain IMAP, for a server on the same host),
the folder opened read-only: nothing is marked, moved or deleted. Each message is a post: its
subject, its text and the links found in it; its PNG and JPEG attachments are read by OCR and kept
as evidence. The Message-ID is the post's id, so a message forwarded twice is stored once. The
cursor is the folder's UIDVALIDITY and the last UID read.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import hashlib
import imaplib
import json
import logging
import re
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any

from config import ConfigError, Settings, SourceSettings
from config.env import require_secret
from connectors.base import Attachment, Batch, FetchedPost, Skipped, SourceError
from connectors.common import (
    bool_option,
    check_options,
    html_to_text,
    int_option,
    load_cursor,
    str_option,
)
from connectors.ocr import ImageRejected, OcrError, screenshot, with_screenshots

log = logging.getLogger(__name__)
_KEYS = ("host", "port", "user", "password_env", "folder", "tls", "max_messages", "platform")
_LINK = re.compile(r"https?://[^\s<>\"')\]]+", re.I)
TIMEOUT = 30.0
MAX_TEXT = 20_000
MAX_IMAGES = 8  # screenshots read from one message; each is an OCR run of up to its timeout


def _text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    content = body.get_content()
    if not isinstance(content, str):
        return ""
    return html_to_text(content) if body.get_content_type() == "text/html" else content


def _images(message: EmailMessage) -> tuple[list[Attachment], list[str]]:
    """The PNG and JPEG attachments read by OCR, and a note for each one that was not kept."""
    kept: list[Attachment] = []
    notes: list[str] = []
    for part in message.walk():
        if part.get_content_maintype() != "image" or part.is_multipart():
            continue
        name = part.get_filename() or f"image-{len(kept) + len(notes) + 1}"
        if len(kept) >= MAX_IMAGES:
            notes.append(f"{name}: not read (only the first {MAX_IMAGES} screenshots are kept)")
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            notes.append(f"{name}: no content")
            continue
        try:
            kept.append(screenshot(data, name))
        except (ImageRejected, OcrError) as exc:
            notes.append(f"{name}: {exc}")
    return kept, notes


def message_post(raw: bytes, platform: str = "email") -> FetchedPost:
    """One reported message as a post; ValueError if it cannot be read as one."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage):
        raise ValueError("not an e-mail message")
    message_id = str(message.get("Message-ID") or "").strip().strip("<>")
    if not message_id:  # some forwarding apps send none: the message's own bytes identify it
        message_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    subject = str(message.get("Subject") or "").strip()
    body = _text_of(message).strip()
    images, notes = _images(message)
    links = list(dict.fromkeys(link.rstrip(".,;") for link in _LINK.findall(body)))
    typed = "\n\n".join(part for part in (subject, body) if part)
    text = with_screenshots(typed, images)[:MAX_TEXT]
    if not text:
        raise ValueError("the message has no subject, no text and no readable screenshot")
    created: datetime | None = None
    if message.get("Date"):
        try:
            created = parsedate_to_datetime(str(message["Date"]))
        except (TypeError, ValueError):
            created = None
    raw_facts: dict[str, Any] = {
        "message_id": message_id,
        "reported_by": str(message.get("From") or ""),
        "subject": subject,
        "links": links,
    }
    if images:
        raw_facts["screenshots"] = [{"filename": i.filename, "sha256": i.sha256} for i in images]
    if notes:
        raw_facts["attachments_not_kept"] = notes
        log.warning("reported message %s: %d attachment(s) not kept: %s", message_id[:100],
                    len(notes), "; ".join(notes)[:500])  # fmt: skip
    return FetchedPost(
        platform=platform, external_id=message_id, text=text, author=None,
        url=links[0] if links else None, created_at=created, raw=raw_facts,
        attachments=tuple(images),
    )  # fmt: skip


@dataclass
class ImapConnector:
    """Raises SourceError: a refused login or a missing folder is permanent; a connection or
    protocol failure is temporary. A message that cannot be read is skipped, never fatal."""

    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    tls: bool = True
    max_messages: int = 50
    platform: str = "email"

    @classmethod
    def from_settings(cls, source: SourceSettings, settings: Settings) -> ImapConnector:
        check_options(source, _KEYS)
        host, user = str_option(source, "host"), str_option(source, "user")
        password_env = str_option(source, "password_env")
        if not host or not user or not password_env:
            raise ConfigError(
                f"source {source.name!r}: type imap needs host, user and password_env (the name "
                "of the environment variable holding the password), e.g. password_env = "
                '"REPORTS_IMAP_PASSWORD"'
            )
        tls = bool_option(source, "tls", True)
        return cls(
            host=host,
            port=int_option(source, "port", 993 if tls else 143, 1, 65535),
            user=user,
            password=require_secret(password_env, settings.environ, f"source {source.name!r}"),
            folder=str_option(source, "folder", "INBOX") or "INBOX",
            tls=tls,
            max_messages=int_option(source, "max_messages", 50, 1, 1000),
            platform=str_option(source, "platform", "email") or "email",
        )

    def fetch(self, cursor: str | None) -> Batch:
        state = load_cursor(cursor)
        try:
            connection = self._connect()
        except ssl.SSLCertVerificationError as exc:
            raise SourceError(
                f"the mailbox at {self.host}:{self.port} has a certificate that cannot be "
                f"verified ({exc.verify_message}); fix the server's certificate", permanent=True,
            ) from None  # fmt: skip
        except (OSError, imaplib.IMAP4.error) as exc:
            raise SourceError(
                f"cannot reach the mailbox at {self.host}:{self.port}: {exc}"
            ) from None
        try:
            return self._read(connection, state)
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise SourceError(f"the mailbox connection failed: {exc}") from None
        except imaplib.IMAP4.error as exc:
            raise SourceError(f"the mailbox refused a command: {exc}") from None
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                connection.logout()

    def _connect(self) -> imaplib.IMAP4:
        if self.tls:
            context = ssl.create_default_context()
            connection: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                self.host, self.port, ssl_context=context, timeout=TIMEOUT
            )
        else:
            connection = imaplib.IMAP4(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.login(self.user, self.password)
        except imaplib.IMAP4.error as exc:
            connection.shutdown()
            raise SourceError(
                f"the mailbox refused the login for {self.user!r} ({exc}); check the user and "
                "the password", permanent=True,
            ) from None  # fmt: skip
        return connection

    def _read(self, connection: imaplib.IMAP4, state: dict[str, Any]) -> Batch:
        status, _ = connection.select(_quoted(self.folder), readonly=True)
        if status != "OK":
            raise SourceError(f"the mailbox has no folder {self.folder!r}", permanent=True)
        validity = _uidvalidity(connection)
        last = int(state.get("uid", 0)) if state.get("uidvalidity") == validity else 0
        status, found = connection.uid("SEARCH", f"UID {last + 1}:*")
        if status != "OK":
            raise SourceError(f"searching {self.folder!r} failed")
        # "n:*" always matches the newest message, even when its UID is below n.
        uids = sorted(u for u in (int(x) for x in found[0].split()) if u > last)
        posts: list[FetchedPost] = []
        skipped: list[Skipped] = []
        for uid in uids[: self.max_messages]:
            where = f"{self.folder} uid {uid}"
            status, data = connection.uid("FETCH", str(uid), "(BODY.PEEK[])")
            raw = next((item[1] for item in data or () if isinstance(item, tuple)), None)
            try:
                if status != "OK" or not isinstance(raw, bytes):
                    raise ValueError("the server sent no message")
                posts.append(message_post(raw, self.platform))
            except Exception as exc:  # noqa: BLE001 - a hostile message is skipped, not fatal
                log.warning("imap %s skipped: %s: %s", where, type(exc).__name__, exc)
                skipped.append(Skipped(where, f"{type(exc).__name__}: {exc}"[:300]))
            last = uid
        cursor = json.dumps({"uidvalidity": validity, "uid": last}, sort_keys=True)
        return Batch(posts, cursor, skipped)


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uidvalidity(connection: imaplib.IMAP4) -> int | None:
    _, values = connection.response("UIDVALIDITY")
    try:
        return int(values[0]) if values and values[0] else None
    except (TypeError, ValueError):
        return None
