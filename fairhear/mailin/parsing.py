"""Reading an e-mail's bytes: who sent it, its subject, its threading headers, its text and
its attachments, whatever its encoding; or, when it cannot be read as an e-mail, why not.

The parser is lenient (Python's email package records what is wrong as defects rather than
failing), so only a message with no readable sender or no headers at all is unreadable.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

_MSG_ID = re.compile(r"<[^<>\s]+>")


class Unreadable(ValueError):
    """The bytes cannot be read as an e-mail; the text says why, for the staff page."""


@dataclass(frozen=True, slots=True)
class ParsedMail:
    """What Fairhear reads from one e-mail."""

    message_id: str
    from_address: str
    from_name: str
    subject: str
    sent_at: datetime | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    text: str
    attachments: tuple[dict, ...] = ()
    # Each attachment's bytes, in the order of `attachments`.
    payloads: tuple[bytes, ...] = ()
    defects: tuple[str, ...] = ()
    automatic: str = ""  # why it is an automatic message (out-of-office, bounce), or ""
    sha256: str = ""


def parse_mail(raw: bytes) -> ParsedMail:
    """Read `raw`; Unreadable when it is not an e-mail a person could be answered from."""
    if not raw.strip():
        raise Unreadable("The message is empty.")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # the parser's own failures, whatever they are
        raise Unreadable(f"The message could not be read as an e-mail: {exc}.") from exc
    if not list(message.keys()):
        raise Unreadable("This is not an e-mail: it has no headers.")
    defects = [type(d).__name__ for d in message.defects]
    from_name, from_address = _sender(message, defects)
    if not from_address:
        as_written = BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)
        raise Unreadable(
            "It has no sender address that can be read (From: "
            f"“{_one_line(str(as_written.get('From', '')))[:200]}”), so nobody could be answered."
        )
    sha256 = hashlib.sha256(raw).hexdigest()
    own_id = _ids(_header(message, "Message-ID", defects))
    found = _attachments(message, defects)
    return ParsedMail(
        message_id=own_id[0] if own_id else f"sha256:{sha256}",
        from_address=from_address,
        from_name=from_name,
        subject=_one_line(_header(message, "Subject", defects)),
        sent_at=_date(_header(message, "Date", defects)),
        in_reply_to=_ids(_header(message, "In-Reply-To", defects)),
        references=_ids(_header(message, "References", defects)),
        text=_text(message, defects),
        attachments=tuple(description for description, _ in found),
        payloads=tuple(payload for _, payload in found),
        defects=tuple(dict.fromkeys(defects)),
        automatic=_automatic(message, defects),
        sha256=sha256,
    )


def headers_as_written(raw: bytes) -> tuple[str, str]:
    """From and Subject as their text stands, for a message that cannot be read otherwise."""
    try:
        message = BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)
        return _one_line(str(message.get("From", "")))[:320], _one_line(
            str(message.get("Subject", ""))
        )
    except Exception:  # nothing more can be read; the reason says why
        return "", ""


def _header(message: Message, name: str, defects: list[str]) -> str:
    try:
        value = message.get(name)
    except Exception as exc:  # a header the strict parser cannot fold: keep its raw text
        defects.append(f"{name}: {type(exc).__name__}")
        raw = message.get_all(name, failobj=[""]) if hasattr(message, "get_all") else [""]
        return str(raw[0]) if raw else ""
    return str(value) if value is not None else ""


def _sender(message: Message, defects: list[str]) -> tuple[str, str]:
    raw = _header(message, "From", defects) or _header(message, "Sender", defects)
    pairs = [(n, a) for n, a in getaddresses([raw]) if "@" in a]
    if not pairs:
        return "", ""
    name, address = pairs[0]
    return _one_line(name)[:200], address.strip()[:320]


def _ids(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m[:250] for m in _MSG_ID.findall(value)))


def _one_line(value: str) -> str:
    return " ".join(value.split())[:500]


def _date(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment


def _decoded(part: Message, defects: list[str]) -> str:
    """A text part's words, in its declared charset, or as near as can be read."""
    try:
        return part.get_content() if isinstance(part, EmailMessage) else str(part.get_payload())
    except (LookupError, UnicodeError, AssertionError, KeyError) as exc:
        defects.append(f"charset: {type(exc).__name__}")
        payload = part.get_payload(decode=True) or b""
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("cp1252", errors="replace")


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"script", "style", "head"}:
            self._skip += 1
        if tag in {"br", "p", "div", "li", "tr", "h1", "h2", "h3"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _html_to_text(html: str) -> str:
    words = _Words()
    words.feed(html)
    lines = (" ".join(line.split()) for line in "".join(words.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _text(message: Message, defects: list[str]) -> str:
    body = None
    if isinstance(message, EmailMessage):
        try:
            body = message.get_body(preferencelist=("plain", "html"))
        except Exception as exc:  # a broken MIME tree: fall back to the first text part
            defects.append(f"body: {type(exc).__name__}")
    if body is None:
        body = next((p for p in message.walk() if p.get_content_maintype() == "text"), None)
    if body is None:
        return ""
    text = _decoded(body, defects)
    if body.get_content_subtype() == "html":
        text = _html_to_text(text)
    return text.replace("\x00", "").strip()


def _payload(part: Message) -> bytes:
    """An attachment's bytes; a message forwarded as an attachment, as written."""
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner:
            return inner[0].as_bytes()
    return part.get_payload(decode=True) or b""


def _attachments(message: Message, defects: list[str]) -> list[tuple[dict, bytes]]:
    """Each attachment as the message describes it, with its bytes."""
    found = []
    parts = message.iter_attachments() if isinstance(message, EmailMessage) else []
    try:
        for part in parts:
            payload = _payload(part)
            found.append(
                (
                    {
                        "filename": _one_line(part.get_filename() or "")[:255] or "(no name)",
                        "content_type": part.get_content_type(),
                        "size": len(payload),
                    },
                    payload,
                )
            )
    except Exception as exc:
        defects.append(f"attachments: {type(exc).__name__}")
    return found


def _automatic(message: Message, defects: list[str]) -> str:
    """Why the message was sent by a machine, not a person (RFC 3834 Auto-Submitted, a
    delivery report, a list or bulk precedence), or ""."""
    auto = _header(message, "Auto-Submitted", defects).strip().lower()
    if auto and auto != "no":
        return f"it says it was sent automatically (Auto-Submitted: {auto})"
    if message.get_content_type() == "multipart/report":
        return "it is a delivery report"
    precedence = _header(message, "Precedence", defects).strip().lower()
    if precedence in {"bulk", "junk", "auto_reply"}:
        return f"it says it is automatic (Precedence: {precedence})"
    if _header(message, "X-Autoreply", defects) or _header(message, "X-Autorespond", defects):
        return "it says it is an automatic reply"
    return ""
