"""Talking to the mail server: the settings, signing in (password or OAuth 2.0 XOAUTH2),
turning a queued message into MIME, and saying in words why a delivery failed."""

from __future__ import annotations

import shlex
import smtplib
import socket
import ssl
import subprocess
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from django.conf import settings

from fairhear.outbox.models import OutboundMessage

SECURITY_CHOICES = ("none", "starttls", "ssl")
AUTH_CHOICES = ("none", "password", "xoauth2")


class SmtpConfigError(RuntimeError):
    """The mail settings cannot work as given; the text names the setting to change."""


class TokenUnavailable(RuntimeError):
    """The OAuth 2.0 access token could not be read; the text says why."""


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """How to reach and sign in to the mail server (docs/operations.md, "E-mail out")."""

    host: str
    port: int
    security: str
    auth: str
    user: str
    password: str
    token_command: str
    token_file: str
    timeout: float
    from_address: str

    @classmethod
    def from_settings(cls) -> SmtpConfig:
        """The configuration the settings give, checked."""
        security = settings.FAIRHEAR_SMTP_SECURITY.lower()
        auth = settings.FAIRHEAR_SMTP_AUTH.lower() or (
            "password" if settings.FAIRHEAR_SMTP_USER else "none"
        )
        if security not in SECURITY_CHOICES:
            raise SmtpConfigError(
                f"FAIRHEAR_SMTP_SECURITY is {security!r}; use one of {', '.join(SECURITY_CHOICES)}."
            )
        if auth not in AUTH_CHOICES:
            raise SmtpConfigError(
                f"FAIRHEAR_SMTP_AUTH is {auth!r}; use one of {', '.join(AUTH_CHOICES)}."
            )
        config = cls(
            host=settings.EMAIL_HOST,
            port=settings.EMAIL_PORT,
            security=security,
            auth=auth,
            user=settings.FAIRHEAR_SMTP_USER,
            password=settings.FAIRHEAR_SMTP_PASSWORD,
            token_command=settings.FAIRHEAR_SMTP_OAUTH_TOKEN_COMMAND,
            token_file=settings.FAIRHEAR_SMTP_OAUTH_TOKEN_FILE,
            timeout=settings.FAIRHEAR_SMTP_TIMEOUT,
            from_address=settings.DEFAULT_FROM_EMAIL,
        )
        if auth != "none" and not config.user:
            raise SmtpConfigError(f"FAIRHEAR_SMTP_AUTH is {auth}; set FAIRHEAR_SMTP_USER too.")
        if auth == "xoauth2" and not (config.token_command or config.token_file):
            raise SmtpConfigError(
                "FAIRHEAR_SMTP_AUTH is xoauth2; set FAIRHEAR_SMTP_OAUTH_TOKEN_COMMAND or "
                "FAIRHEAR_SMTP_OAUTH_TOKEN_FILE to where the access token comes from."
            )
        return config

    @property
    def server(self) -> str:
        """The server as people write it: host:port."""
        return f"{self.host}:{self.port}"


def read_oauth_token(*, command: str, file: str, timeout: float = 30) -> str:
    """A fresh OAuth 2.0 access token: the output of `command` (run without a shell), or the
    contents of `file`, which another process keeps current."""
    if command:
        try:
            done = subprocess.run(  # noqa: S603 - the administrator's own command, no shell
                shlex.split(command), capture_output=True, text=True, timeout=timeout, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise TokenUnavailable(f"The OAuth token command could not be run: {exc}.") from exc
        if done.returncode != 0:
            raise TokenUnavailable(
                f"The OAuth token command failed with exit status {done.returncode}: "
                f"{done.stderr.strip()[:300] or 'it printed no reason'}."
            )
        token = done.stdout.strip()
    else:
        try:
            token = Path(file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise TokenUnavailable(f"The OAuth token file could not be read: {exc}.") from exc
    if not token or any(c.isspace() for c in token):
        raise TokenUnavailable("The OAuth token is empty or has spaces in it; check its source.")
    return token


def xoauth2_string(user: str, token: str) -> str:
    """The XOAUTH2 initial response (before base64): user, bearer token, two ^A."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def open_connection(config: SmtpConfig) -> smtplib.SMTP:
    """A connection to the server, secured and signed in as configured."""
    context = ssl.create_default_context(cafile=settings.FAIRHEAR_SMTP_CA_FILE or None)
    if config.security == "ssl":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(
            config.host, config.port, timeout=config.timeout, context=context
        )
    else:
        connection = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        connection.ehlo()
        if config.security == "starttls":
            connection.starttls(context=context)
            connection.ehlo()
        if config.auth == "password":
            connection.login(config.user, config.password)
        elif config.auth == "xoauth2":
            token = read_oauth_token(command=config.token_command, file=config.token_file)
            connection.auth("XOAUTH2", lambda _challenge=None: xoauth2_string(config.user, token))
    except BaseException:
        connection.close()
        raise
    return connection


def build_message(message: OutboundMessage, *, from_address: str) -> EmailMessage:
    """The queued message as MIME, the same bytes on every attempt (same Message-ID and Date),
    so that a receiver can recognise a second copy."""
    mail = EmailMessage()
    mail["From"] = Address(addr_spec=from_address)
    mail["To"] = ", ".join(message.to)
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(message.created_at)
    mail["Message-ID"] = message.message_id
    if message.reply_to:
        mail["Reply-To"] = message.reply_to
    if message.in_reply_to:
        mail["In-Reply-To"] = message.in_reply_to
        if not any(name.lower() == "references" for name in message.headers):
            mail["References"] = message.in_reply_to
    for name, value in message.headers.items():
        mail[name] = value
    mail.set_content(message.body_text)
    if message.body_html:
        mail.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments.all():
        maintype, _, subtype = attachment.content_type.partition("/")
        mail.add_attachment(
            bytes(attachment.content),
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
        )
    return mail


def _bytes(text: bytes | str) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8", "replace")


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {words.strip()}"


# Replies that are about the server or Fairhear's sign-in, not the message: the server is
# closing (421), needs a sign-in (530), or will not accept the sign-in (454, 534, 535).
_SERVER_CODES = {421, 454, 530, 534, 535}


def server_problem(exc: BaseException) -> bool:
    """True when a refusal is about the connection or the sign-in, not about the message."""
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code in _SERVER_CODES


def describe_failure(exc: BaseException, config: SmtpConfig) -> tuple[str, bool]:
    """What went wrong in words, and whether it is permanent (the server said no for good)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{a} ({_reply(*r)})" for a, r in exc.recipients.items())
        permanent = all(r[0] >= 500 for r in exc.recipients.values())
        return f"The mail server refused every recipient: {refused}.", permanent
    if isinstance(exc, smtplib.SMTPResponseException):
        return _describe_reply(exc, config)
    return _describe_connection(exc, config), False


def _describe_reply(exc: smtplib.SMTPResponseException, config: SmtpConfig) -> tuple[str, bool]:
    """A refusal the server gave in words of its own."""
    reply = _reply(exc.smtp_code, exc.smtp_error)
    permanent = exc.smtp_code >= 500 and not server_problem(exc)
    if exc.smtp_code == 530 and b"STARTTLS" in _bytes(exc.smtp_error).upper():
        text = (
            f"The mail server at {config.server} needs a secure connection first ({reply}); "
            "set FAIRHEAR_SMTP_SECURITY=starttls."
        )
    elif exc.smtp_code == 530:
        text = (
            f"The mail server at {config.server} needs Fairhear to sign in ({reply}); set "
            "FAIRHEAR_SMTP_AUTH and FAIRHEAR_SMTP_USER."
        )
    elif isinstance(exc, smtplib.SMTPSenderRefused):
        text = (
            f"The mail server refused the From address {exc.sender} ({reply}); check "
            "FAIRHEAR_FROM_EMAIL."
        )
    elif isinstance(exc, smtplib.SMTPAuthenticationError):
        text = (
            f"The mail server at {config.server} refused Fairhear's sign-in ({reply}); check "
            "FAIRHEAR_SMTP_USER and the password or OAuth token."
        )
    else:
        text = f"The mail server refused the message ({reply})."
    return text, permanent


def _describe_connection(exc: BaseException, config: SmtpConfig) -> str:
    """A failure to reach or talk to the server at all."""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"The mail server at {config.server} closed the connection before the end."
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return f"The secure connection to the mail server at {config.server} failed: {exc}."
    if isinstance(exc, TimeoutError | socket.timeout):
        return (
            f"The mail server at {config.server} did not answer within {config.timeout:g} seconds."
        )
    if isinstance(exc, ConnectionRefusedError):
        return f"The mail server at {config.server} could not be reached (connection refused)."
    if isinstance(exc, TokenUnavailable | SmtpConfigError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"The mail server at {config.server} could not be reached: {exc.strerror or exc}."
    return f"Sending failed: {exc}."
