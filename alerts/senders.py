"""Sending e-mails: over SMTP, or as ``.eml`` files when no SMTP server is configured."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from config import ConfigError, Settings


@dataclass(frozen=True)
class OutgoingEmail:
    key: str  # stable per e-mail, so a retried send can be recognised
    sender: str
    recipients: list[str]
    subject: str
    text: str
    html: str
    urgent: bool = False
    serial: str = ""  # unique to this outbox row: the Message-ID stays the same on every retry


class SendError(Exception):
    """Sending failed; ``permanent`` means the server refused for good (5xx). ``delivered``
    names the recipients the server did accept when it refused only some."""

    def __init__(self, message: str, *, permanent: bool, delivered: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.delivered = delivered


class Sender(Protocol):
    def send(self, email: OutgoingEmail) -> str:
        """Deliver ``email``; return where it went. Raises SendError."""
        ...


def build_message(email: OutgoingEmail) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = email.subject
    message["From"] = email.sender
    message["To"] = ", ".join(email.recipients) or "undisclosed-recipients:;"
    domain = email.sender.rpartition("@")[2].strip(" >") or "localhost"
    message["Date"] = formatdate(localtime=False, usegmt=True)
    if email.serial:  # a retry after a lost reply is the same message to the mail apps
        safe = "".join(c if c.isalnum() or c in "-." else "." for c in email.key)
        message["Message-ID"] = f"<{email.serial}.{safe}@{domain}>"
    else:
        message["Message-ID"] = make_msgid(idstring=email.key.replace(":", "."), domain=domain)
    message["X-Schoolwatch-Key"] = email.key
    if email.urgent:  # read first in the mail apps that honour it
        message["X-Priority"] = "1 (Highest)"
        message["Importance"] = "high"
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


@dataclass
class EmlFileSender:
    directory: Path

    def send(self, email: OutgoingEmail) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in email.key)
        path = self.directory / f"{safe}.eml"
        try:
            path.write_bytes(bytes(build_message(email)))
        except OSError as exc:
            raise SendError(f"cannot write {path}: {exc.strerror}", permanent=False) from None
        return str(path)


@dataclass
class SmtpSender:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: str = "none"  # none | starttls | ssl
    timeout: float = 20.0

    @classmethod
    def from_url(cls, url: str) -> SmtpSender:
        parts = urlsplit(url)
        schemes = {"smtp": "none", "smtp+starttls": "starttls", "smtps": "ssl"}
        if parts.scheme not in schemes or not parts.hostname:
            raise ConfigError(
                f"SCHOOLWATCH_SMTP_URL {parts.scheme}://... is not understood; "
                "use smtp://host:port, smtp+starttls://user:pass@host:587 or smtps://host:465"
            )
        default_port = 465 if parts.scheme == "smtps" else 25
        return cls(
            host=parts.hostname,
            port=parts.port or default_port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=schemes[parts.scheme],
        )

    def send(self, email: OutgoingEmail) -> str:
        if not email.recipients:
            raise SendError("no recipients configured: set [alerts] recipients", permanent=True)
        try:
            smtp_class = smtplib.SMTP_SSL if self.tls == "ssl" else smtplib.SMTP
            with smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
                if self.tls == "starttls":
                    smtp.starttls()
                if self.username and self.password:
                    smtp.login(self.username, self.password)
                refused = smtp.send_message(build_message(email))
        except smtplib.SMTPRecipientsRefused as exc:  # every recipient refused
            raise _refused(exc.recipients, email) from None
        except smtplib.SMTPResponseException as exc:
            message = (
                exc.smtp_error.decode(errors="replace")
                if isinstance(exc.smtp_error, bytes)
                else str(exc.smtp_error)
            )
            raise SendError(
                f"SMTP {exc.smtp_code}: {message}", permanent=exc.smtp_code >= 500
            ) from None
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise SendError(
                f"SMTP server {self.host}:{self.port} unavailable: {exc}", permanent=False
            ) from None
        if refused:  # some recipients were accepted: they must not get it again
            raise _refused(refused, email)
        return f"smtp://{self.host}:{self.port}"


def _refused(refused: dict[str, tuple[int, bytes]], email: OutgoingEmail) -> SendError:
    """Which recipients the server refused, with its codes; temporary unless every code is 5xx.
    The others (if any) did get it, so a retry goes to the refused ones only."""
    codes = {address: reply[0] for address, reply in refused.items()}
    return SendError(
        "the server refused " + ", ".join(f"{a} ({code})" for a, code in codes.items()),
        permanent=all(code >= 500 for code in codes.values()),
        delivered=tuple(r for r in email.recipients if r not in refused),
    )


@dataclass
class AppriseSender:
    """The second channel: each recipient is an Apprise URL (Teams, Slack, ntfy, SMS ...)."""

    timeout: float = 20.0

    def send(self, email: OutgoingEmail) -> str:
        import apprise

        delivered: list[str] = []
        problems: list[str] = []
        invalid = 0
        kind = apprise.NotifyType.FAILURE if email.urgent else apprise.NotifyType.WARNING
        for url in email.recipients:
            where = urlsplit(url).scheme + "://" + (urlsplit(url).hostname or "")
            service = apprise.Apprise()
            if not service.add(url):
                invalid += 1
                problems.append(f"{where}: not a URL Apprise understands")
                continue
            if service.notify(body=email.text, title=email.subject, notify_type=kind):
                delivered.append(url)
            else:
                problems.append(f"{where}: not delivered")
        if problems:
            raise SendError(
                "; ".join(problems),
                permanent=invalid == len(email.recipients) - len(delivered),
                delivered=tuple(delivered),
            )
        return f"apprise: {len(delivered)} channel(s)"


def sender_from_settings(settings: Settings) -> Sender:
    if settings.smtp_url:
        return SmtpSender.from_url(settings.smtp_url)
    return EmlFileSender(settings.outbox_dir)
