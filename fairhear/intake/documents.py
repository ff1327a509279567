"""Documents and photos sent with the public form: checked by their content and size and
stored by the same code as every file of a case (cases/attachments.py), from a shorter list of
types (PDF, JPEG, PNG, plain text) and in a smaller number. Once the form is sent, each becomes
a file of the case's receipt that staff can download (intake/services.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from fairhear.cases.attachments import (
    FileRefused,
    KeptFile,
    file_check,
    file_store,
    size_in_words,
)
from fairhear.domain.files import PUBLIC_TYPES

MAX_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 5

__all__ = [
    "MAX_BYTES",
    "MAX_DOCUMENTS",
    "DocumentRefused",
    "StoredDocument",
    "document_remove",
    "document_store",
    "size_in_words",
]


class DocumentRefused(Exception):
    """A document that cannot be kept; the message says why and what to do instead."""


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document kept in storage, as the session and the case record it."""

    stored_as: str
    name: str
    content_type: str
    size: int
    sha256: str

    def as_dict(self) -> dict:
        """The document as JSON-ready values."""
        return {
            "stored_as": self.stored_as,
            "name": self.name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


def document_store(*, organisation_id: int, upload: UploadedFile, already: int) -> StoredDocument:
    """Check one upload and keep it; DocumentRefused says in words why not."""
    if already >= MAX_DOCUMENTS:
        raise DocumentRefused(
            f"You can send {MAX_DOCUMENTS} documents at most; remove one to add another."
        )
    try:
        checked = file_check(
            upload,
            name=upload.name or "",
            size=upload.size or 0,
            max_bytes=MAX_BYTES,
            types=PUBLIC_TYPES,
            what="each document",
        )
    except FileRefused as exc:
        raise DocumentRefused(str(exc)) from None
    kept: KeptFile = file_store(upload, checked, folder=f"intake/{organisation_id}")
    return StoredDocument(
        stored_as=kept.stored_as,
        name=kept.name,
        content_type=kept.content_type,
        size=kept.size,
        sha256=kept.sha256,
    )


def document_remove(*, stored_as: str) -> None:
    """Remove a document the sender took off before sending."""
    default_storage.delete(stored_as)
