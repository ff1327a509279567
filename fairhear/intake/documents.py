"""Documents and photos sent with the public form: the type is read from the content, never
the name; the size and number are limited; each is stored through Django's storage API under a
random name, so nothing a sender chose becomes a path, and it is never served as a web page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 5
_SNIFF = 2048

# The first bytes of each type accepted (the "magic numbers" of each format).
_SIGNATURES = (
    (b"%PDF-", "application/pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG image"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG image"),
)


class DocumentRefused(Exception):
    """A document that cannot be kept; the message says why and what to do instead."""


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document kept in storage, as the session and the case record it."""

    stored_as: str
    name: str
    content_type: str
    size: int

    def as_dict(self) -> dict:
        """The document as JSON-ready values."""
        return {
            "stored_as": self.stored_as,
            "name": self.name,
            "content_type": self.content_type,
            "size": self.size,
        }


def content_type_of(head: bytes) -> tuple[str, str] | None:
    """The content type and its name in words, from a file's first bytes; None when the file
    is none of the types accepted. Plain text is UTF-8 with no control characters but line
    breaks and tabs, and not markup."""
    for signature, content_type, words in _SIGNATURES:
        if head.startswith(signature):
            return content_type, words
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # The sample may end inside a character: try again without its last three bytes.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    # Markup (a web page, an SVG image) is refused even though it is text: it could run
    # script in a browser that showed it.
    if text.lstrip().startswith("<"):
        return None
    if text and all(c.isprintable() or c in "\r\n\t" for c in text):
        return "text/plain", "text file"
    return None


def size_in_words(size: int) -> str:
    """'2.4 MB', '310 KB'."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def document_store(*, organisation_id: int, upload: UploadedFile, already: int) -> StoredDocument:
    """Check one upload and keep it; DocumentRefused says in words why not."""
    name = (upload.name or "document").replace("\x00", "")[-120:]
    if already >= MAX_DOCUMENTS:
        raise DocumentRefused(
            f"You can send {MAX_DOCUMENTS} documents at most; remove one to add another."
        )
    if upload.size > MAX_BYTES:
        raise DocumentRefused(
            f"{name} is {size_in_words(upload.size)}; each document must be 10 MB or smaller. "
            "Send a smaller copy, or tell us about it in your message."
        )
    if upload.size == 0:
        raise DocumentRefused(f"{name} is empty; choose the file again.")
    upload.seek(0)
    found = content_type_of(upload.read(_SNIFF))
    if found is None:
        raise DocumentRefused(
            f"{name} is not a PDF, JPEG, PNG or plain text file; save it as one of those and "
            "choose it again."
        )
    upload.seek(0)
    stored = default_storage.save(f"intake/{organisation_id}/{uuid.uuid4().hex}", upload)
    return StoredDocument(stored_as=stored, name=name, content_type=found[0], size=upload.size)


def document_remove(*, stored_as: str) -> None:
    """Remove a document the sender took off before sending."""
    default_storage.delete(stored_as)
