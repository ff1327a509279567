"""Files kept with a case: checked by their content (domain/files.py), limited in size and
number, stored through Django's storage API under a random name, and read back only through
the download view, which checks that the reader may see the case (docs/security.md,
"Attachments").

The public form (intake/documents.py), a colleague's upload on a note or a communication, and
an e-mail's attachments all go through `file_check` and `file_store` here.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from fairhear.domain.files import (
    BY_CONTENT_TYPE,
    CASE_TYPES,
    FileRefused,
    FileType,
    clean_name,
    file_type,
    size_in_words,
)

__all__ = [
    "FileRefused",
    "KeptFile",
    "attachment_limits",
    "bytes_store",
    "file_check",
    "file_store",
    "files_discard",
    "files_discarded_on_failure",
    "size_in_words",
    "type_in_words",
]


@dataclass(frozen=True, slots=True)
class KeptFile:
    """A file checked and in storage, not yet on a case (or on one: the same values as its
    CaseAttachment row)."""

    stored_as: str
    name: str
    content_type: str
    size: int
    sha256: str

    def as_event(self) -> dict:
        """What the event it came with records of it (so the log's hash chain covers it)."""
        return {"name": self.name, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True, slots=True)
class Checked:
    """A file that passed the checks: its shown name, type and size."""

    name: str
    type: FileType
    size: int


def attachment_limits() -> tuple[int, int]:
    """The largest file a colleague may add, and how many with one note or communication."""
    return settings.FAIRHEAR_ATTACHMENT_MAX_BYTES, settings.FAIRHEAR_ATTACHMENTS_PER_ACTION


def type_in_words(content_type: str) -> str:
    """'PDF', 'Word document'; the content type itself for one Fairhear no longer accepts."""
    found = BY_CONTENT_TYPE.get(content_type)
    return found.words if found else content_type


def file_check(
    upload: IO[bytes],
    *,
    name: str,
    size: int,
    max_bytes: int,
    types: frozenset[FileType] = CASE_TYPES,
    what: str = "each file",
) -> Checked:
    """Check one file's size and content; FileRefused says in words why it cannot be kept."""
    shown = clean_name(name)
    if size > max_bytes:
        raise FileRefused(
            f"{shown} is {size_in_words(size)}; {what} must be {size_in_words(max_bytes)} or "
            "smaller. Send a smaller copy, or several smaller files."
        )
    found = file_type(upload, name=shown, types=types)
    upload.seek(0)
    return Checked(name=shown, type=found, size=size)


def _sha256(upload: IO[bytes]) -> str:
    upload.seek(0)
    digest = hashlib.sha256()
    while chunk := upload.read(1024 * 1024):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def file_store(upload: IO[bytes], checked: Checked, *, folder: str) -> KeptFile:
    """Keep a checked file in storage under a random name in `folder`: nothing the sender
    chose becomes part of a path."""
    sha256 = _sha256(upload)
    content = upload if isinstance(upload, File) else File(upload)
    stored = default_storage.save(f"{folder}/{uuid.uuid4().hex}", content)
    return KeptFile(
        stored_as=stored,
        name=checked.name,
        content_type=checked.type.content_type,
        size=checked.size,
        sha256=sha256,
    )


def bytes_store(content: bytes, checked: Checked, *, folder: str) -> KeptFile:
    """Keep bytes already in memory (an e-mail's attachment) as `file_store` does."""
    return file_store(ContentFile(content), checked, folder=folder)


def files_discard(kept: Iterable[KeptFile]) -> None:
    """Remove stored files that no row came to refer to (the change that would have kept them
    was refused or undone)."""
    for file in kept:
        default_storage.delete(file.stored_as)


@contextmanager
def files_discarded_on_failure(kept: list[KeptFile]) -> Iterator[None]:
    """The files are stored before the transaction that writes their rows; if it fails, they
    are removed again, so nothing is left in storage that no case refers to. (A process killed
    between the two can still leave a file behind: docs/operations.md says how to find them.)"""
    try:
        yield
    except BaseException:
        files_discard(kept)
        raise
