"""What a file is, read from its content, never from its name: the one check every document
Fairhear keeps goes through (the public form, a colleague's upload, an e-mail's attachments).

Plain Python: bytes in, a verdict out. The name a sender gave is only ever shown, cleaned of
anything that could be read as a path or break a line (`clean_name`).
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

# How much of a file's start is read to tell its type.
SNIFF_BYTES = 2048
# The parts of an Office file (a ZIP) read to tell what it is: never more than this many bytes
# of its list of contents, however it claims to unpack (a "ZIP bomb" is never unpacked).
_CONTENT_TYPES_LIMIT = 256 * 1024
NAME_LIMIT = 120


@dataclass(frozen=True, slots=True)
class FileType:
    """A type Fairhear accepts: its content type and its name in words."""

    content_type: str
    words: str


PDF = FileType("application/pdf", "PDF")
PNG = FileType("image/png", "PNG image")
JPEG = FileType("image/jpeg", "JPEG image")
TEXT = FileType("text/plain", "text file")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document"
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "spreadsheet")
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", "presentation"
)
OLE = FileType("application/vnd.ms-office", "older Office document")

# What a member of the public may send with the form (intake/documents.py), and what a
# colleague or an e-mail may add to a case.
PUBLIC_TYPES = frozenset({PDF, PNG, JPEG, TEXT})
CASE_TYPES = frozenset({PDF, PNG, JPEG, TEXT, DOCX, XLSX, PPTX, OLE})
BY_CONTENT_TYPE = {t.content_type: t for t in CASE_TYPES}

# The first bytes of each type read from its start (the "magic numbers" of each format).
_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
)
_ZIP = b"PK\x03\x04"
# Each Office Open XML format's main part, as its [Content_Types].xml names it.
_OFFICE_MAIN_PARTS = (
    ("wordprocessingml.document.main+xml", DOCX),
    ("spreadsheetml.sheet.main+xml", XLSX),
    ("presentationml.presentation.main+xml", PPTX),
)
# Programs, whose first bytes say so: refused with words that say why.
_PROGRAMS = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
# A macro project inside an older Office file (its stream name, in UTF-16).
_OLE_MACROS = "_VBA_PROJECT".encode("utf-16-le")


class FileRefused(ValueError):
    """A file Fairhear will not keep; the message says why in plain words and what to do, and
    `what` what the file is, in a few words, for a colleague ("a program", "a web page")."""

    def __init__(self, message: str, *, what: str = "") -> None:
        super().__init__(message)
        self.what = what


def _words(types: frozenset[FileType]) -> str:
    order = [PDF, JPEG, PNG, DOCX, XLSX, PPTX, OLE, TEXT]
    names = [t.words for t in order if t in types]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def accepted_in_words(types: frozenset[FileType]) -> str:
    """'PDF, JPEG image, PNG image or text file'."""
    return _words(types)


def size_in_words(size: int) -> str:
    """'2.4 MB', '310 KB', '10 MB' for exactly ten megabytes (a limit) but '10.0 MB' for a
    file a little over (a file under one kilobyte is '1 KB': never '0 KB')."""
    mb = 1024 * 1024
    if size >= mb and size % mb == 0:
        return f"{size // mb} MB"
    if size >= mb:
        return f"{size / mb:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def clean_name(name: str, *, fallback: str = "document") -> str:
    """The name a sender gave, fit to show: its last path part only, no control characters or
    line breaks, composed Unicode, at most 120 characters (the end kept: it holds the
    extension). Never used as a storage name."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in name)
    name = " ".join(name.split()).strip(". ")
    return name[-NAME_LIMIT:] or fallback


def _text_type(head: bytes) -> FileType | None:
    """Plain text: UTF-8 with no control characters but line breaks and tabs, and not markup."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # The sample may end inside a character: try again without its last three bytes.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    text = text.removeprefix("\ufeff")
    if text and all(c.isprintable() or c in "\r\n\t" for c in text):
        return TEXT
    return None


def _office_type(file: BinaryIO, name: str) -> FileType:
    """A ZIP is an Office document only if its [Content_Types].xml names a Word, Excel or
    PowerPoint main part; one that holds macros is refused."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_LIMIT:
                raise KeyError(info.filename)
            with archive.open(info) as part:
                listing = part.read(_CONTENT_TYPES_LIMIT).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        raise _not_office(name) from None
    if "macroEnabled" in listing:
        raise _macros(name)
    for main_part, found in _OFFICE_MAIN_PARTS:
        if main_part in listing:
            return found
    raise _not_office(name)


def _not_office(name: str) -> FileRefused:
    return FileRefused(
        f"{name} is a ZIP archive, not a Word document, spreadsheet or presentation; "
        "send the files inside it one by one, or as a PDF.",
        what="a ZIP archive",
    )


def _macros(name: str) -> FileRefused:
    return FileRefused(
        f"{name} contains macros (programs), which Fairhear does not keep; save it as an "
        "ordinary document (.docx or .xlsx) or a PDF and choose it again.",
        what="an Office document with macros",
    )


def _has_ole_macros(file: BinaryIO) -> bool:
    """Whether an older Office file holds a macro project (read in chunks, overlapping)."""
    file.seek(0)
    tail = b""
    while chunk := file.read(1024 * 1024):
        if _OLE_MACROS in tail + chunk:
            return True
        tail = chunk[-len(_OLE_MACROS) :]
    return False


def _refusal(head: bytes, name: str, types: frozenset[FileType]) -> FileRefused:
    """Why a file of none of the types accepted is refused, in words."""
    accepted = accepted_in_words(types)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"<"):
        what = "an SVG image" if b"<svg" in stripped[:SNIFF_BYTES] else "a web page or markup"
        return FileRefused(
            f"{name} is {what}, which could run a program in a browser, so it is not kept. "
            f"Save it as a PDF or an image and choose it again (accepted: {accepted}).",
            what=what,
        )
    if head.startswith(_PROGRAMS):
        return FileRefused(
            f"{name} is a program, which Fairhear never keeps. Send a document or a photo "
            f"instead ({accepted}).",
            what="a program",
        )
    return FileRefused(
        f"{name} is not a {accepted}; save it as one of those and choose it again.",
        what=f"not a {accepted}",
    )


def file_type(file: BinaryIO, *, name: str, types: frozenset[FileType]) -> FileType:
    """The type of the file's content, if it is one of `types`; FileRefused saying why not.
    The name plays no part: a PDF called photo.txt is a PDF, a web page called letter.pdf is
    refused. `file` is read from its start and left wherever reading ended."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    if not head:
        raise FileRefused(f"{name} is empty; choose the file again.", what="empty")
    found: FileType | None = None
    for signature, candidate in _SIGNATURES:
        if head.startswith(signature):
            found = candidate
            break
    else:
        if head.startswith(_ZIP) and types & {DOCX, XLSX, PPTX}:
            found = _office_type(file, name)
        elif not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            found = _text_type(head)
    if found is OLE and OLE in types and _has_ole_macros(file):
        raise _macros(name)
    if found is None or found not in types:
        raise _refusal(head, name, types)
    return found
