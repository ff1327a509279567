"""Sending the public form: one case, stored in one transaction before anything else happens,
however often the same form is sent (cases.services.case_receive with the form's key)."""

from __future__ import annotations

import hashlib

from django.core.files.storage import default_storage
from django.utils import timezone

from fairhear.accounts.models import Organisation
from fairhear.cases.attachments import KeptFile, type_in_words
from fairhear.cases.models import Case, CaseAttachment
from fairhear.cases.services import PersonDetails, case_receive
from fairhear.domain.lifecycle import CaseKind
from fairhear.intake import forms as f
from fairhear.intake.documents import size_in_words
from fairhear.intake.notices import acknowledgement_enqueue
from fairhear.intake.selectors import service_area_for
from fairhear.policies.selectors import INTAKE_ALARM, policy_pack_for

_PREFER = dict(f.PREFER_CHOICES)
_ROLE = dict(f.ROLE_CHOICES)


def feedback_send(
    *,
    organisation: Organisation,
    answers: dict,
    idempotency_key: str,
    documents: list[dict],
    track_url: str,
) -> Case:
    """Record what a member of the public sent as a new case waiting for triage ("received",
    Pivotal §4.0: a colleague decides what it is), with its acknowledgement e-mail in the
    outbox in the same transaction, and each document sent as a file of its receipt (the
    bytes stay where the form stored them). A repeat raises AlreadyReceived."""
    pack = policy_pack_for(organisation.active_policy_version, alarm=INTAKE_ALARM)
    whom = answers["whom"]
    complainant = representative = None
    if whom == f.ME:
        complainant = PersonDetails(
            name=answers["name"],
            email=answers["email"],
            phone=answers["phone"],
            address=answers["address"],
            communication_needs=answers["communication_needs"],
            reasonable_adjustments=answers["reasonable_adjustments"],
        )
    elif whom == f.BEHALF:
        complainant = PersonDetails(
            name=answers["person_name"],
            communication_needs=answers["communication_needs"],
            reasonable_adjustments=answers["reasonable_adjustments"],
        )
        representative = PersonDetails(
            name=answers["name"],
            email=answers["email"],
            phone=answers["phone"],
            address=answers["address"],
        )
    return case_receive(
        organisation=organisation,
        logged_by=None,
        kind=CaseKind(answers["kind"]),
        channel=Case.Channel.WEB,
        summary=answers["summary"],
        received_at=timezone.now(),
        complainant=complainant,
        representative=representative,
        representative_role=answers["role"] if representative else "",
        anonymous=whom == f.ANONYMOUS,
        desired_outcome=answers.get("desired_outcome", ""),
        service_area=service_area_for(
            organisation=organisation, area_id=answers.get("service_area", "")
        ),
        incident_date=answers.get("incident_date"),
        idempotency_key=idempotency_key,
        answers={"questions": _questions(answers, documents), "documents": documents},
        then=lambda case: acknowledgement_enqueue(case=case, pack=pack, track_url=track_url),
        attachments=[_kept(document) for document in documents],
        attachment_source=CaseAttachment.Source.WEB,
        notify=True,
    )


def _kept(document: dict) -> KeptFile:
    """A document the form stored, as a file of the case (its sha256 read again from storage
    for a form begun before documents recorded one)."""
    sha256 = document.get("sha256") or _sha256(document["stored_as"])
    return KeptFile(
        stored_as=document["stored_as"],
        name=document["name"],
        content_type=document["content_type"],
        size=document["size"],
        sha256=sha256,
    )


def _sha256(stored_as: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(stored_as, "rb") as file:
        while chunk := file.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _questions(answers: dict, documents: list[dict]) -> list[list[str]]:
    """What the form asked that the case's own fields do not hold, as the staff read it."""
    rows = [["What they chose", f.KIND_WORDS[CaseKind(answers["kind"])]]]
    if answers.get("place"):
        rows.append(["Where it happened", answers["place"]])
    if answers.get("people"):
        rows.append(["Who was involved", answers["people"]])
    if answers["whom"] != f.ANONYMOUS:
        rows.append(["How they would like to be contacted", _PREFER[answers["prefer"]]])
    if answers["whom"] == f.BEHALF:
        rows.append(
            [
                "Acting for them",
                f"{answers['name']}, {_ROLE[answers['role']].split(' (')[0].lower()}, says "
                f"{answers['person_name']} agreed that they could make this on their behalf.",
            ]
        )
    for document in documents:
        rows.append(
            [
                "Document sent",
                f"{document['name']} ({size_in_words(document['size'])}, "
                f"{type_in_words(document['content_type'])})",
            ]
        )
    return rows
