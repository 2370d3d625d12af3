"""A real SMTP server (aiosmtpd) that can refuse messages for a while, or for good, and a real
HTTP endpoint for the second channel that can be down for a while."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, HTTPServer
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
    received: list[tuple[str, str]] = field(default_factory=list)  # (recipient, outbox key)
    gate: threading.Event | None = None  # when set up, DATA waits until it is set
    at_gate: int = 0  # messages waiting at the gate, or that did

    def hold(self) -> threading.Event:
        """From now on each message waits at DATA until the returned event is set: a slow
        server, so another process can try the same e-mail meanwhile."""
        self.gate = threading.Event()
        return self.gate

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
        if self.gate is not None:
            self.at_gate += 1
            while not self.gate.is_set():
                await asyncio.sleep(0.02)
        if self.refuse_with and self.refusals_left != 0:
            self.refusals_left -= 1
            return self.refuse_with
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.delivered += [(rcpt, str(message["Message-ID"])) for rcpt in envelope.rcpt_tos]
        self.received += [(rcpt, str(message["X-Schoolwatch-Key"])) for rcpt in envelope.rcpt_tos]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, str]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


@dataclass
class Receiver:
    """A local HTTP endpoint for Apprise's ``json://`` URLs: what it received, and how many
    more posts it answers with 503 (a chat service or SMS gateway that is down)."""

    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    failures_left: int = 0


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if state.failures_left != 0:
                state.failures_left -= 1
                self.send_response(503)
            else:
                state.received.append(json.loads(body))
                self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"json://127.0.0.1:{server.server_port}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
