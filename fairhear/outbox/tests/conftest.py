"""A real SMTP server (aiosmtpd) on a free loopback port, recording what it accepts."""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    envelope_from: str
    recipients: list[str]
    message: EmailMessage
    login: str | None


@dataclass
class Mailbox:
    """What the server accepted, and how it should answer the next DATA."""

    received: list[Received] = field(default_factory=list)
    # Called for each DATA before accepting; returns an SMTP reply to refuse, or None.
    answer: Callable[[list[str]], str | None] = lambda recipients: None
    on_accept: Callable[[Received], None] = lambda received: None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [r.message["Message-ID"] for r in self.received]


class _Handler:
    def __init__(self, mailbox: Mailbox, *, password: str, token: str) -> None:
        self.mailbox = mailbox
        self.password = password
        self.token = token

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        refusal = self.mailbox.answer(list(envelope.rcpt_tos))
        if refusal:
            return refusal
        received = Received(
            envelope.mail_from,
            list(envelope.rcpt_tos),
            message_from_bytes(envelope.original_content, policy=policy.default),
            session.login_data.decode() if session.login_data else None,
        )
        with self.mailbox.lock:
            self.mailbox.received.append(received)
        self.mailbox.on_accept(received)
        return "250 OK"

    async def auth_XOAUTH2(self, server, args):  # noqa: N802 - aiosmtpd's name
        """XOAUTH2 as Google and Microsoft document it: base64 of user=…^Aauth=Bearer …^A^A."""
        blob = args[1] if len(args) > 1 else ""
        text = base64.b64decode(blob).decode()
        parts = dict(p.split("=", 1) for p in text.split("\x01") if p)
        if parts.get("auth") == f"Bearer {self.token}":
            return AuthResult(success=True, auth_data=LoginPassword(parts["user"].encode(), b""))
        return AuthResult(success=False, handled=False, message="535 5.7.8 Invalid token")


def _authenticator(password: str):
    def check(server, session, envelope, mechanism, auth_data):
        if mechanism == "XOAUTH2":  # handled by auth_XOAUTH2
            return AuthResult(success=False)
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return check


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox
    controller: Controller | None = None
    require_auth: bool = False
    password: str = "mail-password-1"
    token: str = "token-abc-123"

    def start(self) -> None:
        self.controller = Controller(
            _Handler(self.mailbox, password=self.password, token=self.token),
            hostname="127.0.0.1",
            port=self.port,
            auth_require_tls=False,
            auth_required=self.require_auth,
            authenticator=_authenticator(self.password),
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server the sender's settings point at; `stop()`/`start()` to take it
    down and bring it back."""
    server = SmtpServer(port=free_port(), mailbox=Mailbox())
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.FAIRHEAR_SMTP_TIMEOUT = 10
    server.start()
    yield server
    server.stop()
