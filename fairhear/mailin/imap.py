"""Reading a mailbox over IMAP (password or OAuth 2.0 XOAUTH2): every unseen message is kept
and acted on, then marked seen. A message is marked seen only after it is stored, so a crash
in between means it is read again, and the second read finds the record it made."""

from __future__ import annotations

import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings

from fairhear.accounts.models import Organisation
from fairhear.mailin.services import mailin_import
from fairhear.outbox.smtp import TokenUnavailable, read_oauth_token, xoauth2_string

logger = logging.getLogger(__name__)
_UID = re.compile(rb"UID (\d+)")
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


class MailboxError(RuntimeError):
    """The mailbox could not be read; the text says why and what to check."""


@dataclass(frozen=True, slots=True)
class ImapConfig:
    """Where the mailbox is and how to sign in (docs/operations.md, "E-mail in")."""

    host: str
    port: int
    security: str
    auth: str
    user: str
    password: str
    token_command: str
    token_file: str
    mailbox: str
    timeout: float

    @classmethod
    def from_settings(cls) -> ImapConfig:
        """The mailbox the settings name, checked."""
        config = cls(
            host=settings.FAIRHEAR_IMAP_HOST,
            port=settings.FAIRHEAR_IMAP_PORT,
            security=settings.FAIRHEAR_IMAP_SECURITY.lower(),
            auth=settings.FAIRHEAR_IMAP_AUTH.lower(),
            user=settings.FAIRHEAR_IMAP_USER,
            password=settings.FAIRHEAR_IMAP_PASSWORD,
            token_command=settings.FAIRHEAR_IMAP_OAUTH_TOKEN_COMMAND,
            token_file=settings.FAIRHEAR_IMAP_OAUTH_TOKEN_FILE,
            mailbox=settings.FAIRHEAR_IMAP_MAILBOX,
            timeout=settings.FAIRHEAR_IMAP_TIMEOUT,
        )
        if not config.host or not config.user:
            raise MailboxError("Set FAIRHEAR_IMAP_HOST and FAIRHEAR_IMAP_USER to read e-mail in.")
        if config.security not in ("none", "starttls", "ssl"):
            raise MailboxError(
                f"FAIRHEAR_IMAP_SECURITY is {config.security!r}; use none, starttls or ssl."
            )
        if config.auth not in ("password", "xoauth2"):
            raise MailboxError(f"FAIRHEAR_IMAP_AUTH is {config.auth!r}; use password or xoauth2.")
        return config


@dataclass
class FetchReport:
    """What one read of the mailbox did."""

    new: list[str] = field(default_factory=list)
    already_had: list[str] = field(default_factory=list)
    left_unseen: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.new)} new, {len(self.already_had)} read before, "
            f"{len(self.left_unseen)} left to read again"
        )


def _connect(config: ImapConfig) -> imaplib.IMAP4:
    context = ssl.create_default_context(cafile=settings.FAIRHEAR_IMAP_CA_FILE or None)
    if config.security == "ssl":
        connection: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            config.host, config.port, ssl_context=context, timeout=config.timeout
        )
    else:
        connection = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
        if config.security == "starttls":
            connection.starttls(ssl_context=context)
    if config.auth == "xoauth2":
        token = read_oauth_token(command=config.token_command, file=config.token_file)
        connection.authenticate(
            "XOAUTH2", lambda _challenge: xoauth2_string(config.user, token).encode()
        )
    else:
        connection.login(config.user, config.password)
    return connection


def open_mailbox(config: ImapConfig) -> imaplib.IMAP4:
    """A signed-in connection with the mailbox selected, or MailboxError in words."""
    where = f"{config.host}:{config.port}"
    try:
        connection = _connect(config)
    except ConnectionRefusedError as exc:
        raise MailboxError(f"The mail server at {where} could not be reached.") from exc
    except imaplib.IMAP4.error as exc:
        raise MailboxError(
            f"The mail server at {where} refused to sign {config.user} in ({exc}); check the "
            "user and the password or OAuth token."
        ) from exc
    except (OSError, TokenUnavailable) as exc:
        raise MailboxError(f"The mailbox at {where} could not be opened: {exc}") from exc
    status, _ = connection.select(_quoted(config.mailbox))
    if status != "OK":
        connection.logout()
        raise MailboxError(f"There is no mailbox {config.mailbox!r} for {config.user}.")
    return connection


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _received_at(meta: bytes) -> datetime | None:
    found = _INTERNALDATE.search(meta)
    if not found:
        return None
    try:
        moment = datetime.strptime(found.group(1).decode(), "%d-%b-%Y %H:%M:%S %z")
    except ValueError:
        return None
    return moment.astimezone(UTC)


def mailin_fetch(*, organisation: Organisation, config: ImapConfig) -> FetchReport:
    """Keep and act on every unseen message in the mailbox, marking each seen once stored."""
    report = FetchReport()
    connection = open_mailbox(config)
    try:
        status, data = connection.uid("SEARCH", None, "UNSEEN")
        uids = data[0].split() if status == "OK" and data and data[0] else []
        for uid in uids:
            status, parts = connection.uid("FETCH", uid, "(BODY.PEEK[] INTERNALDATE)")
            fetched = [p for p in parts or [] if isinstance(p, tuple)]
            label = f"{config.mailbox} uid {uid.decode()}"
            if status != "OK" or not fetched:
                report.left_unseen.append(label)
                continue
            meta, raw = fetched[0]
            record, new = mailin_import(
                organisation=organisation,
                raw=raw,
                source=f"imap {config.user}@{config.host} {label}",
                received_at=_received_at(meta),
            )
            connection.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            (report.new if new else report.already_had).append(record.message_id)
    finally:
        try:
            connection.logout()
        except (OSError, imaplib.IMAP4.error):
            logger.info("The IMAP server closed the connection before the logout.")
    return report
