"""Immediate notices: what a step on a case tells the colleagues the policy names at once,
inside the transaction of the event that causes it (so it is told if and only if the event is
recorded, and once: one notification and at most one message per event per person). Each person
gets a notification in the app and the e-mail their preference asks for (fairhear/alerts); the
new-complaint and flagged notices are priority e-mails, sent at once whatever the preference.

- A new complaint: the logging colleague's line manager and the Head of Services, by priority
  e-mail (Pivotal §9 stage 1, colleague receiving the complaint, step 5; §13.1). It is recorded
  as the `managers_told` event that meets the pack's clock met by it (`log_and_notify_due`).
- A case flagged safeguarding or health and safety: the lead officer, at once (Pivotal §9.2;
  Appendix 3 F).
- A compliment passed on: the line manager of each colleague it names (Pivotal §19.3; MMBM §4,
  "their service manager", who is the colleague's line manager as recorded).
- Unacceptable behaviour (a warning, or restrictions applied): the case's handler and their
  line manager, the line manager of the colleague recording it, and the Head of Services
  (Pivotal Appendix 3 I; the pack's `report_to`; MMBM §9, "relevant MMBM staff").

Who is the Head of Services: the colleagues holding the capability the pack calls "Head of
Services" (Pivotal: `allocate`); where the pack has no such role (MMBM), the lead officer.
The e-mails say what happened and give the reference, never the complainant's details: the
line manager told of a complaint may not be someone who may open it (need to know), so the
link to the case is given only to those who may.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from fairhear.accounts.models import User
from fairhear.accounts.selectors import colleague_list
from fairhear.alerts.services import Mail, notify_people
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_visible_to
from fairhear.domain.clock import fmt_day, london_date
from fairhear.domain.policy.schema import Capability, PolicyPack
from fairhear.links import case_url
from fairhear.outbox.services import PRIORITY_HEADERS

HEAD_OF_SERVICES = "Head of Services"
NEW_COMPLAINT_CITES = "Pivotal §9 stage 1 step 5; §13.1"
FLAGGED_CITES = "Pivotal §9.2; Appendix 3 F"
COMPLIMENT_CITES = "Pivotal §19.3; MMBM §4"


@dataclass(frozen=True, slots=True)
class Told:
    """Who a notice went to: each person's name and the Message-ID of their e-mail."""

    names: list[str]
    message_ids: list[str]

    def data(self) -> dict:
        return {"told_names": self.names, "message_ids": self.message_ids}


def happening_now(when: datetime) -> bool:
    """A step recorded on the day it happened is told at once; one recorded afterwards (a
    history imported, a step written up later) is not: the news is old."""
    return london_date(when) == timezone.localdate()


def asks_managers_told(pack: PolicyPack) -> bool:
    """The pack asks for managers to be told of a new complaint: a clock is met by it."""
    return any("managers_told" in c.met_by for c in pack.clocks.values())


def head_of_services(case: Case, pack: PolicyPack) -> list[User]:
    """The organisation's Head of Services: active colleagues holding the capability the pack
    names so; the lead officer where the pack names no such role."""
    named = [c for c in Capability if pack.role_title(c).strip().lower() == "head of services"]
    capability = named[0] if named else Capability.LEAD
    return [
        u
        for u in colleague_list(organisation=case.organisation)
        if capability.value in (u.capabilities or []) and u.email
    ]


def leads(case: Case) -> list[User]:
    """The organisation's lead officers."""
    return [
        u
        for u in colleague_list(organisation=case.organisation)
        if Capability.LEAD.value in (u.capabilities or []) and u.email
    ]


def line_manager(user: User | None) -> list[User]:
    manager = user.line_manager if user is not None and user.line_manager_id else None
    return [manager] if manager is not None and manager.is_active and manager.email else []


def _people(*groups: Iterable[User], leave_out: User | None = None) -> list[User]:
    """Each person once, in order, without the colleague who acted (they know)."""
    seen: dict[int, User] = {}
    for group in groups:
        for user in group:
            if leave_out is not None and user.pk == leave_out.pk:
                continue
            seen.setdefault(user.pk, user)
    return list(seen.values())


def _case_link(case: Case, user: User) -> str:
    if not case_visible_to(user=user, case=case):
        return ""
    url = case_url(case.reference)
    return f"Open the case: {url}\n\n"


def _send(
    case: Case,
    people: list[User],
    *,
    source: str,
    subject: str,
    lines: list[str],
    kind: str,
    cites: str,
    priority: bool,
) -> Told:
    """Tell each person once (their notification, keyed by `source`, fairhear/alerts) and
    e-mail them as their preference asks; a priority notice is e-mailed to everyone at once."""

    def mail(user: User) -> Mail:
        body = (
            f"Hello {user.first_name or user},\n\n"
            + "\n".join(lines)
            + "\n\n"
            + _case_link(case, user)
            + f"You are told this because the policy asks for it ({cites}).\n"
        )
        return Mail(
            subject=subject,
            body_text=body,
            headers=PRIORITY_HEADERS if priority else None,
            thread=case.reference,
        )

    sent = notify_people(
        people=people,
        organisation_id=case.organisation_id,
        source=f"case:{case.pk}:{source}",
        kind=kind,
        title=subject,
        line=lines[0],
        mail=mail,
        case_id=case.pk,
        urgent=priority,
    )
    return Told([str(s.user) for s in sent], [s.message_id for s in sent if s.message_id])


def _about(case: Case, logged_by: User | None) -> str:
    when = fmt_day(london_date(case.received_at))
    who = f"logged by {logged_by}" if logged_by is not None else "sent in on the public form"
    area = f" ({case.service_area})" if case.service_area_id else ""
    return f"A new complaint, {case.reference}{area}, was received on {when}, {who}."


def notify_new_complaint(case: Case, pack: PolicyPack, logged_by: User | None) -> Told | None:
    """Tell the logging colleague's line manager and the Head of Services of a new complaint
    by priority e-mail, where the pack asks for it; None when it does not or nobody is there
    to tell (the clock then stays open and its missed-deadline notice says so)."""
    if not asks_managers_told(pack):
        return None
    people = _people(line_manager(logged_by), head_of_services(case, pack), leave_out=logged_by)
    if not people:
        return None
    return _send(
        case,
        people,
        source="new_complaint",
        subject=f"New complaint {case.reference}",
        lines=[_about(case, logged_by)],
        kind="new_complaint",
        cites=NEW_COMPLAINT_CITES,
        priority=True,
    )


def notify_flagged(case: Case, logged_by: User | None) -> Told | None:
    """Tell the lead officer at once of a case flagged safeguarding or health and safety."""
    flags = [
        words
        for on, words in (
            (case.safeguarding, "safeguarding"),
            (case.health_and_safety, "health and safety"),
        )
        if on
    ]
    if not flags:
        return None
    people = _people(leads(case), leave_out=logged_by)
    if not people:
        return None
    what = str(case.kind).replace("_", " ")
    when = fmt_day(london_date(case.received_at))
    return _send(
        case,
        people,
        source="flagged",
        subject=f"{' and '.join(flags).capitalize()}: {case.reference}",
        lines=[
            f"{case.reference}, a {what} received on {when}, is flagged "
            f"{' and '.join(flags)}. Please look at it now."
        ],
        kind="flagged",
        cites=FLAGGED_CITES,
        priority=True,
    )


def notify_compliment(case: Case, colleagues: list[User], actor: User, *, event: int) -> Told:
    """Pass a compliment to the line manager of each colleague it names: one e-mail per
    manager, naming each of their colleagues it is about. `event` is the sequence of the
    event that records it, which names what each manager is told."""
    by_manager: dict[int, tuple[User, list[User]]] = {}
    for colleague in sorted(colleagues, key=str):
        for manager in line_manager(colleague):
            by_manager.setdefault(manager.pk, (manager, []))[1].append(colleague)
    names, ids = [], []
    for manager, about in by_manager.values():
        told = _send(
            case,
            [manager],
            source=f"event:{event}:compliment_forwarded",
            subject=f"A compliment about {_and(about)} ({case.reference})",
            lines=[
                f"{case.reference} is a compliment about {_and(about)}, passed on by {actor}. "
                "This is what was said:",
                "",
                case.summary,
            ],
            kind="compliment_forwarded",
            cites=COMPLIMENT_CITES,
            priority=False,
        )
        names += told.names
        ids += told.message_ids
    return Told(names, ids)


def notify_behaviour(
    case: Case, pack: PolicyPack, actor: User, step: str, *, event: int
) -> Told | None:
    """Report unacceptable behaviour (a warning given, restrictions applied) where the pack
    says whom to report it to (`report_to`): the case's handler, who deals with the
    complainant, and their line manager, the line manager of the colleague recording it, and
    the Head of Services (Pivotal App. 3 I), each once, leaving out the colleague recording it."""
    if not pack.restriction_report_to:
        return None
    handler = case.handler if case.handler_id and case.handler.is_active else None
    people = _people(
        [handler] if handler is not None and handler.email else [],
        line_manager(handler),
        line_manager(actor),
        head_of_services(case, pack),
        leave_out=actor,
    )
    if not people:
        return None
    return _send(
        case,
        people,
        source=f"event:{event}:behaviour_reported",
        subject=f"Unacceptable behaviour on {case.reference}",
        lines=[f"{actor} recorded on {case.reference}: {step.rstrip('.')}."],
        kind="behaviour_reported",
        cites=f"{pack.organisation.split(' (')[0]} {pack.restriction_cites}",
        priority=False,
    )


def _and(people: list[User]) -> str:
    names = [str(p) for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
