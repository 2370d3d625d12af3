"""A real SMTP server (aiosmtpd) that can refuse messages for a while, or for good."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Inbox:
    refuse_with: str | None = None
    refusals_left: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    # address -> (reply, how many times): the server refuses that recipient at RCPT TO
    refuse_recipient: dict[str, tuple[str, int]] = field(default_factory=dict)
    delivered: list[tuple[str, str]] = field(default_factory=list)  # (recipient, Message-ID)

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        reply, times = self.refuse_recipient.get(address, ("", 0))
        if times != 0:
            self.refuse_recipient[address] = (reply, times - 1)
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse_with and self.refusals_left != 0:
            self.refusals_left -= 1
            return self.refuse_with
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.delivered += [(rcpt, str(message["Message-ID"])) for rcpt in envelope.rcpt_tos]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, str]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()
