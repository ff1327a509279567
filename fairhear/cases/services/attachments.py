"""Files on a case: a colleague's uploads with a note or a communication, the public form's
documents and an e-mail's attachments, each a CaseAttachment row of the event it came with,
written in that event's transaction (cases/attachments.py checks and stores the bytes).

The files are stored first; the rows are written with the event; if the event is refused or
its transaction undone, the files just stored are removed again. Nothing is kept half: a
refused file refuses the whole action, so nothing is saved, and the message names the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from fairhear.accounts.models import User
from fairhear.cases.attachments import (
    FileRefused,
    KeptFile,
    attachment_limits,
    file_check,
    file_store,
    files_discarded_on_failure,
)
from fairhear.cases.models import Case, CaseAttachment, CaseEvent
from fairhear.cases.services.transitions import CaseInputError, _transition
from fairhear.domain.lifecycle import Action

Source = CaseAttachment.Source


class Upload(Protocol):
    """A file sent with a form (Django's UploadedFile)."""

    name: str | None
    size: int | None

    def seek(self, offset: int, whence: int = 0) -> int: ...
    def read(self, size: int = -1) -> bytes: ...


def _folder(organisation_id: int) -> str:
    return f"cases/{organisation_id}"


def attachments_refusals(uploads: Sequence[Upload]) -> list[str]:
    """Why each of a colleague's files cannot be kept, in words (none: all can): the number
    allowed with one action, then each file's size and content (domain/files.py)."""
    max_bytes, per_action = attachment_limits()
    problems = []
    if len(uploads) > per_action:
        problems.append(
            f"You chose {len(uploads)} files; you can add {per_action} at most at once. Add "
            "the rest with another note."
        )
    for upload in uploads:
        try:
            file_check(upload, name=upload.name or "", size=upload.size or 0, max_bytes=max_bytes)
        except FileRefused as exc:
            problems.append(str(exc))
    return problems


def attachments_store(*, organisation_id: int, uploads: Sequence[Upload]) -> list[KeptFile]:
    """Check every file, then store them all; CaseInputError naming each file refused, with
    nothing stored, if any one is."""
    problems = attachments_refusals(uploads)
    if problems:
        raise CaseInputError(" ".join(problems))
    max_bytes, _ = attachment_limits()
    kept: list[KeptFile] = []
    with files_discarded_on_failure(kept):
        for upload in uploads:
            checked = file_check(
                upload, name=upload.name or "", size=upload.size or 0, max_bytes=max_bytes
            )
            kept.append(file_store(upload, checked, folder=_folder(organisation_id)))
    return kept


def attachment_rows_add(
    *,
    case: Case,
    event: CaseEvent,
    kept: Sequence[KeptFile],
    source: str,
    added_by: User | None,
) -> None:
    """The rows of files stored for `event`, in its transaction (no query for none)."""
    if not kept:
        return
    CaseAttachment.objects.bulk_create(
        [
            CaseAttachment(
                organisation_id=case.organisation_id,
                case=case,
                event=event,
                stored_as=file.stored_as,
                name=file.name,
                content_type=file.content_type,
                size=file.size,
                sha256=file.sha256,
                source=source,
                added_by=added_by,
                added_at=event.recorded_at,
            )
            for file in kept
        ]
    )


def attachments_event_data(kept: Sequence[KeptFile], withheld: Sequence[dict] = ()) -> dict:
    """What an event records of its files: name, size and sha256 of each, so that the log's
    hash chain covers them (ADR-005), and any the sender sent that were not kept as files of
    the case, with why (an e-mail's program or web page; mailin/services.py)."""
    data: dict = {}
    if kept:
        data["attachments"] = [file.as_event() for file in kept]
    if withheld:
        data["attachments_withheld"] = [
            {"name": w["name"], "reason": w["reason"]} for w in withheld
        ]
    return data


def transition_with_files(
    case: Case,
    action: Action,
    *,
    actor: User | None,
    data: dict,
    uploads: Sequence[Upload] = (),
    kept: Sequence[KeptFile] = (),
    withheld: Sequence[dict] = (),
    source: str = Source.STAFF,
    **transition: object,
) -> Case:
    """`_transition` with files: a colleague's `uploads` are checked and stored first; files
    already `kept` (an e-mail's) are reused. Their rows are written with the event; the uploads
    are removed from storage again if the event is refused."""
    new = (
        attachments_store(organisation_id=case.organisation_id, uploads=uploads) if uploads else []
    )
    files = [*kept, *new]
    write: Callable[[Case, CaseEvent], None] | None = None
    if files:

        def write(locked: Case, event: CaseEvent) -> None:
            attachment_rows_add(case=locked, event=event, kept=files, source=source, added_by=actor)

    with files_discarded_on_failure(new):
        return _transition(
            case,
            action,
            actor=actor,
            data={**data, **attachments_event_data(files, withheld)},
            on_event=write,
            **transition,
        )
