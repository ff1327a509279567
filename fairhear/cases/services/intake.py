"""Intake: a new case from any channel, stored before anything else happens."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from fairhear.accounts.models import Organisation, ServiceArea, User
from fairhear.cases.attachments import KeptFile
from fairhear.cases.chain import case_genesis
from fairhear.cases.models import Case, CaseEvent, ReferenceCounter, Submission
from fairhear.cases.services.additional import additional_choice, case_take_into_response
from fairhear.cases.services.attachments import attachment_rows_add, attachments_event_data
from fairhear.cases.services.categories import case_categories_add
from fairhear.cases.services.clocks import LoggedEvent, as_stored, clocks_store
from fairhear.cases.services.notices import (
    NEW_COMPLAINT_CITES,
    notify_flagged,
    notify_new_complaint,
)
from fairhear.cases.services.people import PersonChoice, person_recognise, person_save
from fairhear.cases.services.texts import check_event_texts, check_intake
from fairhear.cases.services.transitions import (
    CLOCK_SKEW,
    CaseInputError,
    _append_event,
)
from fairhear.domain.access import access_restricting_categories
from fairhear.domain.additional import Handling
from fairhear.domain.bounds import version_confirmation, year_problem
from fairhear.domain.clock import fmt_day, london_date
from fairhear.domain.lifecycle import (
    Action,
    CaseKind,
    CaseState,
)
from fairhear.domain.policy.schema import PolicyPack
from fairhear.domain.references import CAPACITY as REFERENCE_CAPACITY
from fairhear.domain.references import case_reference
from fairhear.policies.selectors import INTAKE_ALARM, policy_pack_for

LINKED_CITES = "Pivotal §9 stage 1 step 8; Code 6.8"


class PolicyVersionUnconfirmed(CaseInputError):
    """The case was received long before the policy version it would run under came into
    force; the message names the version. Log it again with `confirm_policy_version`."""


class AlreadyReceived(Exception):
    """The form carrying this idempotency key was saved before, as `case`; nothing new was
    saved, and the repeat is counted on the case."""

    def __init__(self, case: Case) -> None:
        super().__init__(f"This form was already saved as {case.reference}.")
        self.case = case


# An idempotency key is what a form's own page generated (secrets.token_urlsafe); anything else
# is refused rather than stored.
KEY_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True, slots=True)
class PersonDetails:
    """A complainant's or representative's details as entered."""

    name: str
    email: str = ""
    phone: str = ""
    address: str = ""
    communication_needs: str = ""
    reasonable_adjustments: str = ""


def case_receive(
    *,
    organisation: Organisation,
    logged_by: User | None,
    kind: CaseKind,
    channel: str,
    summary: str,
    received_at: datetime,
    complainant: PersonDetails | None = None,
    representative: PersonDetails | None = None,
    representative_role: str = "",
    anonymous: bool = False,
    desired_outcome: str = "",
    categories: list[str] | None = None,
    service_area: ServiceArea | None = None,
    about_colleagues: list[User] | None = None,
    safeguarding: bool = False,
    health_and_safety: bool = False,
    anti_social_behaviour: bool = False,
    tenure: str = Case.Tenure.UNKNOWN,
    incident_date: date | None = None,
    logged_at: datetime | None = None,
    confirm_policy_version: bool = False,
    same_person_as: int | None = None,
    not_same_person: bool = False,
    ask_about_person: bool = False,
    additional_to: str = "",
    additional_handling: str = "",
    idempotency_key: str = "",
    answers: dict | None = None,
    then: Callable[[Case], None] | None = None,
    attachments: Sequence[KeptFile] = (),
    attachments_withheld: Sequence[dict] = (),
    attachment_source: str = "",
    notify: bool = False,
) -> Case:
    """Record a new case from any channel. It is stored before anything else happens.

    `logged_at` is when it reached the log: now, unless history is being imported. A case
    received long before its policy version came into force needs `confirm_policy_version`
    (domain/bounds.py).

    A complainant already known is recognised and their record reused (domain/people.py);
    where the match is uncertain, `ask_about_person` (a colleague logging) raises
    PersonMatchUncertain until they say `same_person_as` (that person's id) or
    `not_same_person`; without it an uncertain match is a new person, never a silent merge.
    A representative is reused only on a certain match.

    A complaint from someone whose earlier complaint is open at stage 1 is, as the colleague
    logging chooses (`additional_handling` for the case `additional_to`), taken into that
    case's stage 1 response (the open case is returned) or logged as a new case linked to it
    (Pivotal §9 stage 1 step 8; Code 6.8); `ask_about_person` asks with
    AdditionalComplaintQuestion until they choose.

    A form's `idempotency_key` makes it one case however often it is sent: a repeat raises
    AlreadyReceived with the case the first one made. `answers` are what the form asked that
    the case's fields do not hold, kept with the key as given. `then(case)`
    runs inside the same transaction, for what must commit with the case or not at all (its
    acknowledgement in the outbox).

    `attachments` are files already checked and stored (the public form's documents, an
    e-mail's attachments): each becomes a CaseAttachment of the receipt, from
    `attachment_source`; `attachments_withheld` are an e-mail's attachments not kept as files,
    with why, recorded on the receipt.
    With `notify` (a case logged now by a colleague or sent in by the public, not a history
    being imported), the immediate notices go in the same transaction (services/notices.py):
    the lead officer of a case flagged safeguarding or health and safety (Pivotal §9.2, App. 3
    F), and, where the pack asks, the logger's line manager and the Head of Services of a new
    complaint by priority e-mail, recorded as the `managers_told` event that meets its clock
    (Pivotal §9 stage 1 step 5).
    """
    _check_repeat(organisation, idempotency_key, answers)
    version = organisation.active_policy_version
    if version is None:
        raise CaseInputError(
            f"{organisation} has no active policy version; an administrator must publish one "
            "before cases can be logged."
        )
    pack = policy_pack_for(version, alarm=INTAKE_ALARM)
    _check_received_at(received_at)
    check_intake(
        channel=channel,
        tenure=tenure,
        representative_role=representative_role,
        summary=summary,
        desired_outcome=desired_outcome,
        people={"complainant": complainant, "representative": representative},
    )
    if not summary.strip():
        raise CaseInputError("Describe what the person told us; the summary is empty.")
    _check_people(anonymous, complainant, representative)
    _check_dates(pack, received_at, incident_date, confirmed=confirm_policy_version)
    if incident_date is not None and incident_date > london_date(received_at):
        raise CaseInputError(
            f"The incident date {fmt_day(incident_date)} is after the case was received; "
            "check both dates."
        )
    known = {c.code for c in pack.categories}
    unknown = [c for c in categories or [] if c not in known]
    if unknown:
        raise CaseInputError(f"Unknown categories {', '.join(unknown)}; use the policy's list.")
    # A safeguarding or health and safety tick counts as its category (one meaning).
    flagged = [*(categories or [])]
    flagged += [
        c
        for c, on in (("safeguarding", safeguarding), ("health_and_safety", health_and_safety))
        if on
    ]
    restricted_by = access_restricting_categories(pack, list(dict.fromkeys(flagged)))
    complainant_choice = (
        person_recognise(
            organisation=organisation,
            details=complainant,
            viewer=logged_by,
            same_person_as=same_person_as,
            not_same_person=not_same_person,
            ask=ask_about_person,
        )
        if complainant is not None
        else None
    )
    additional = additional_choice(
        person=complainant_choice.person if complainant_choice else None,
        viewer=logged_by,
        additional_to=additional_to,
        additional_handling=additional_handling,
        ask=ask_about_person and kind == CaseKind.COMPLAINT,
    )
    if additional is not None and additional[0] is Handling.TAKE_IN:
        _no_files_taken_in(attachments)
        return _take_in(
            Case.objects.get(organisation=organisation, reference=additional[1]),
            actor=logged_by,
            summary=summary,
            channel=channel,
            occurred_at=received_at,
            complainant=complainant,
            key=idempotency_key,
            answers=answers or {},
        )
    representative_choice = _representative(organisation, representative)
    try:
        with transaction.atomic(durable=True):
            people = {}
            complainant_row = representative_row = None
            if complainant is not None:
                complainant_row, people["complainant"] = person_save(
                    organisation=organisation, details=complainant, choice=complainant_choice
                )
            if representative is not None:
                representative_row, people["representative"] = person_save(
                    organisation=organisation, details=representative, choice=representative_choice
                )
            case = Case.objects.create(
                restricted_access=bool(restricted_by),
                organisation=organisation,
                reference=_next_reference(organisation, london_date(received_at).year),
                kind=kind,
                channel=channel,
                anonymous=anonymous,
                complainant=complainant_row,
                representative=representative_row,
                representative_role=representative_role if representative else "",
                summary=summary.strip(),
                desired_outcome=desired_outcome.strip(),
                service_area=service_area,
                categories=list(categories or []),
                safeguarding=safeguarding,
                health_and_safety=health_and_safety,
                anti_social_behaviour=anti_social_behaviour,
                tenure=tenure,
                incident_date=incident_date,
                first_contact_at=received_at,
                received_at=received_at,
                policy_version=version,
                state=CaseState.RECEIVED,
                stage=0,
                logged_by=logged_by,
            )
            case_categories_add(case)
            if about_colleagues:
                case.about_colleagues.set(about_colleagues)
            if idempotency_key:
                _claim_key(organisation, idempotency_key, case, answers or {})
            lead_told = _lead_told(case, logged_by, notify=notify)
            event = _append_event(
                case,
                Action.RECEIVE,
                actor=logged_by,
                occurred_at=received_at,
                recorded_at=logged_at,
                from_state="",
                previous=(0, case_genesis(case)),
                save_head=False,
                data={
                    "kind": kind,
                    "channel": channel,
                    "categories": list(categories or []),
                    "tenure": tenure,
                    "service_area_id": service_area.pk if service_area else None,
                    "anonymous": anonymous,
                    "safeguarding": safeguarding,
                    "health_and_safety": health_and_safety,
                    "anti_social_behaviour": anti_social_behaviour,
                    **({"policy_version_confirmed": True} if confirm_policy_version else {}),
                    # Restricted access from the pack's categories (domain/access.py).
                    **({"access_restricted_by": list(restricted_by)} if restricted_by else {}),
                    **({"people": people} if people else {}),
                    **(
                        {"linked_to": {"reference": additional[1], "cites": LINKED_CITES}}
                        if additional is not None
                        else {}
                    ),
                    **attachments_event_data(attachments, attachments_withheld),
                    **lead_told,
                },
            )
            attachment_rows_add(
                case=case,
                event=event,
                kept=attachments,
                source=attachment_source,
                added_by=logged_by,
            )
            history = [as_stored(event)]
            history += _managers_told(case, pack, logged_by, event, logged_at, notify=notify)
            # Its clocks from its one event; a new person has no restriction events elsewhere
            # whose clocks it would share (MMBM §9), so they are not looked for.
            new_person = people.get("complainant", {}).get("recognised") == "new"
            clocks_store(
                case,
                pack,
                stored={},
                history=history,
                person=[] if new_person or complainant_row is None else None,
                save_case=False,
            )
            Case.objects.filter(pk=case.pk).update(
                log_head=case.log_head, next_due=case.next_due, next_due_label=case.next_due_label
            )
            if then is not None:
                then(case)
    except _KeyTaken:
        _repeat_of(organisation, idempotency_key)
        raise
    return case


def _no_files_taken_in(attachments: Sequence[KeptFile]) -> None:
    """Files are kept with a receipt; a complaint taken into another case's response has
    none, so files with it are refused rather than left off."""
    if attachments:
        raise CaseInputError(
            "Files cannot come with a complaint taken into another case's response; log it as "
            "a new case linked to that one, or add the files to that case with a note."
        )


def _lead_told(case: Case, logged_by: User | None, *, notify: bool) -> dict:
    """Tell the lead officer of a case flagged safeguarding or health and safety (Pivotal §9.2,
    App. 3 F); what the receipt event records of it."""
    flagged = notify_flagged(case, logged_by) if notify else None
    return {"lead_told": flagged.data()} if flagged else {}


def _managers_told(
    case: Case,
    pack: PolicyPack,
    logged_by: User | None,
    received: CaseEvent,
    logged_at: datetime | None,
    *,
    notify: bool,
) -> list[LoggedEvent]:
    """Tell the managers of the new complaint, and record it as the `managers_told` event
    right after its receipt (Pivotal §9 stage 1 step 5): the clock met by it is met when the
    e-mails are queued, in the same transaction."""
    wanted = notify and case.kind == CaseKind.COMPLAINT
    told = notify_new_complaint(case, pack, logged_by) if wanted else None
    if told is None:
        return []
    now = max(timezone.now(), received.occurred_at)
    event = _append_event(
        case,
        Action.RECORD_MANAGERS_TOLD,
        actor=None,
        occurred_at=now,
        recorded_at=logged_at,
        from_state=case.state,
        previous=(received.sequence, received.chain_hash),
        save_head=False,
        data={
            "told": f"{', '.join(told.names)}, by priority e-mail",
            "how": "email",
            **told.data(),
            "cites": NEW_COMPLAINT_CITES,
        },
    )
    return [as_stored(event)]


def _take_in(case: Case, *, key: str, answers: dict, **taken: object) -> Case:
    """Take the new complaint into the open stage 1 response (Pivotal §9 stage 1 step 8),
    claiming the form's key in the same transaction: the same form sent twice takes it in
    once, and the repeat is answered with the case it went into."""
    claim = (lambda into: _claim_key(into.organisation, key, into, answers)) if key else None
    try:
        return case_take_into_response(case=case, after=claim, **taken)
    except _KeyTaken:
        _repeat_of(case.organisation, key)
        raise


def _check_repeat(organisation: Organisation, key: str, answers: dict | None) -> None:
    """A form sent before with this key is answered with its case (AlreadyReceived)."""
    if not key:
        return
    _check_key(key)
    _repeat_of(organisation, key)
    check_event_texts(answers or {})


def _check_key(key: str) -> None:
    if not 16 <= len(key) <= 64 or not set(key) <= KEY_CHARACTERS:
        raise CaseInputError(
            "This form has lost its identifying key, so it cannot be saved safely; "
            "reload the page and send it again."
        )


def _repeat_of(organisation: Organisation, key: str) -> None:
    """Raise AlreadyReceived, counting the repeat, if a form with this key was saved."""
    # Ids only: every form's first send asks, and a repeat is rare (its case is read then).
    found = Submission.objects.filter(organisation=organisation, key=key).values_list(
        "pk", "case_id"
    )[:1]
    if not found:
        return
    submission_id, case_id = found[0]
    with transaction.atomic(durable=True):
        Submission.objects.filter(pk=submission_id).update(
            repeats=F("repeats") + 1, last_repeat_at=timezone.now()
        )
    raise AlreadyReceived(Case.objects.get(pk=case_id))


def _claim_key(organisation: Organisation, key: str, case: Case, answers: dict) -> None:
    """Tie the key to the new case. The same key sent twice at once meets the unique
    constraint here: the later request's whole transaction is undone and it is answered with
    the first one's case (AlreadyReceived), so neither is lost and neither is doubled."""
    try:
        # No savepoint: on a clash the whole transaction is undone anyway.
        Submission.objects.create(organisation=organisation, key=key, case=case, answers=answers)
    except IntegrityError:
        raise _KeyTaken from None


class _KeyTaken(Exception):
    """Another request with the same key committed first."""


def _check_people(
    anonymous: bool, complainant: PersonDetails | None, representative: PersonDetails | None
) -> None:
    if anonymous and complainant is not None:
        raise CaseInputError("An anonymous case cannot name its complainant; untick anonymous.")
    if not anonymous and complainant is None:
        raise CaseInputError(
            "Give the complainant's name, or tick anonymous if they did not give it."
        )
    for details in (complainant, representative):
        if details is not None and not details.name.strip():
            raise CaseInputError("A person needs a name.")


def _representative(
    organisation: Organisation, representative: PersonDetails | None
) -> PersonChoice | None:
    """A representative is reused only on a certain match: nobody is asked about them."""
    if representative is None:
        return None
    return person_recognise(organisation=organisation, details=representative, viewer=None)


def _next_reference(organisation: Organisation, year: int, prefix: str = "C") -> str:
    """A reference such as C-2026-7KX-M2Q from the organisation's own count for the year,
    unique under concurrent intake and revealing neither volumes nor gaps (docs/security.md)."""
    while True:
        counted = _count_one(organisation, prefix, year)
        if counted is None:  # the organisation's first case of the year
            ReferenceCounter.objects.bulk_create(
                [
                    ReferenceCounter(
                        organisation=organisation,
                        prefix=prefix,
                        year=year,
                        last=0,
                        key=secrets.token_hex(32),
                    )
                ],
                ignore_conflicts=True,
            )
            continue
        last, key = counted
        if last >= REFERENCE_CAPACITY:
            raise CaseInputError(
                f"{organisation} has used every case reference for {year}; "
                "ask the administrator to contact Fairhear's maintainers."
            )
        reference = case_reference(prefix, year, bytes.fromhex(key), last)
        # Another organisation's count can land on the same code: take the next number.
        if not Case.objects.filter(reference=reference).exists():
            return reference


def _count_one(organisation: Organisation, prefix: str, year: int) -> tuple[int, str] | None:
    """Add one to the organisation's count for the year and return it with the counter's key,
    in one statement that also locks the counter until the transaction ends (so concurrent
    intake takes one number each); None when there is no counter yet."""
    quote = connection.ops.quote_name
    table = quote(ReferenceCounter._meta.db_table)
    last, key = quote("last"), quote("key")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {quote('organisation_id')} = %s "  # noqa: S608 - names quoted, values bound
            f"AND {quote('prefix')} = %s AND {quote('year')} = %s RETURNING {last}, {key}",
            [organisation.pk, prefix, year],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def _check_received_at(received_at: datetime) -> None:
    if timezone.is_naive(received_at):
        raise CaseInputError("The time received needs a time zone.")
    if received_at > timezone.now() + CLOCK_SKEW:
        raise CaseInputError("The time received is in the future; check the date and time.")


def _check_dates(
    pack: PolicyPack, received_at: datetime, incident_date: date | None, *, confirmed: bool
) -> None:
    """Dates a person would expect: none outside the years Fairhear counts in, and a case
    received long before its policy version came into force only once confirmed."""
    # The year as given, before any conversion: a year-1 time cannot be moved to London time.
    problem = year_problem(received_at.date(), "The date received") or (
        year_problem(incident_date, "The incident date") if incident_date else ""
    )
    if problem:
        raise CaseInputError(problem)
    question = version_confirmation(pack, london_date(received_at))
    if question and not confirmed:
        raise PolicyVersionUnconfirmed(question)
