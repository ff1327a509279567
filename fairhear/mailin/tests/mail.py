"""Building e-mails as bytes, the way mail clients write them."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime


def email_bytes(
    *,
    sender: str = "Ada Lovelace <ada@example.org>",
    to: str = "complaints@provider.example",
    subject: str = "My boiler",
    body: str = "The boiler repair was not done when promised.",
    message_id: str | None = "<first@mail.example.org>",
    in_reply_to: str = "",
    references: str = "",
    date: datetime | None = None,
    extra: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes, str]] = (),
) -> bytes:
    mail = EmailMessage()
    if sender:
        mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    if message_id:
        mail["Message-ID"] = message_id
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    if references:
        mail["References"] = references
    if date:
        mail["Date"] = format_datetime(date)
    for name, value in (extra or {}).items():
        mail[name] = value
    mail.set_content(body)
    for filename, content, content_type in attachments:
        maintype, _, subtype = content_type.partition("/")
        mail.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(mail)
