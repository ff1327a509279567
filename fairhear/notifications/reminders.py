"""The sweep's reminders and missed deadlines, driven by the pack (docs/policy-packs.md,
"Reminders").

For each open deadline due within the reminder horizon (read through the due-date index), the
clock's owner is told (a notification in the app, and the e-mail their preference asks for:
at once, in the next daily digest, or none; fairhear/alerts) N working days before it is due,
N from the pack or the organisation's own figure; once the due date has passed unmet, the
owner and the lead officer are told and the case's log records the missed deadline. Each
happens once per case, clock and due date: the ClockNotice row's unique key is inserted in the
same transaction as the notifications and e-mails (and the event), so a second sweep or a
second worker sends nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from fairhear.accounts.models import Organisation, User
from fairhear.accounts.selectors import colleague_list_with, organisation_calendar
from fairhear.alerts.services import Mail
from fairhear.cases.due import open_deadlines_due_by
from fairhear.cases.models import Case, CaseClock
from fairhear.cases.selectors import case_visible_to
from fairhear.cases.services import TransitionRejected, case_record_missed_deadline
from fairhear.domain.clock import fmt_day
from fairhear.domain.policy.schema import Capability, PolicyPack
from fairhear.domain.reminders import (
    DEFAULT_REMIND_BEFORE,
    is_missed,
    last_due_reminded,
    remind_before,
    reminder_is_due,
)
from fairhear.links import case_url
from fairhear.notifications.models import ClockNotice
from fairhear.notifications.told import clock_tell, clock_tell_once
from fairhear.policies.selectors import (
    PolicyVersionTampered,
    policy_pack_for,
    policy_packs_in_use,
)

logger = logging.getLogger(__name__)
Kind = ClockNotice.Kind


@dataclass
class _Org:
    """What the sweep of one organisation reads once."""

    organisation: Organisation
    today: date
    allocators: list[User]
    leads: list[User]
    overrides: dict[str, int] = field(default_factory=dict)


def sweep_deadlines(organisation: Organisation, now: datetime) -> dict:
    """Remind and record missed deadlines for one organisation; what was sent."""
    cal = organisation_calendar(organisation)
    today = timezone.localdate(now)
    overrides = {k: int(v) for k, v in (organisation.reminder_days or {}).items()}
    org = _Org(
        organisation,
        today,
        allocators=list(
            colleague_list_with(organisation=organisation, capability=Capability.ALLOCATE)
        ),
        leads=list(colleague_list_with(organisation=organisation, capability=Capability.LEAD)),
        overrides=overrides,
    )
    days = _reminder_days(organisation, overrides)
    horizon = cal.add_working_days(today, max(days.values(), default=DEFAULT_REMIND_BEFORE) + 1)
    reminded, missed = [], []
    clocks = open_deadlines_due_by(organisation_id=organisation.pk, by=horizon)
    # Only the deadlines past, and those whose own reminder day has come: not every deadline
    # within the furthest horizon (at a million open cases, some 20,000 more rows a minute).
    near = Q(due__lt=today) | ~Q(name__in=sorted(days))
    for name, before in days.items():
        if before > 0:
            near |= Q(name=name, due__lte=last_due_reminded(cal, today, before))
    for clock in _not_yet_told(clocks.filter(near), today):
        case = clock.case
        try:
            pack = policy_pack_for(case.policy_version)
        except PolicyVersionTampered as stopped:
            logger.warning("No reminders for %s: %s", case.reference, stopped)
            continue
        rule = pack.clocks.get(clock.name)
        if rule is None:
            continue
        if is_missed(today, clock.due):
            if _record_missed(org, case, clock, pack):
                missed.append(f"{case.reference} {clock.name}")
            continue
        due_now = reminder_is_due(cal, today, clock.due, remind_before(rule, overrides))
        if due_now and _remind(org, case, clock):
            reminded.append(f"{case.reference} {clock.name}")
    return {"reminded": reminded, "missed": missed}


def _not_yet_told(clocks: QuerySet[CaseClock], today: date) -> QuerySet[CaseClock]:
    """The clocks still to act on: not those whose miss is recorded, nor those not yet due
    whose reminder has gone. Each minute's sweep then reads only what may need doing, not every
    overdue deadline again (at 100k cases a sweep with nothing to do took 30 s before)."""
    told = ClockNotice.objects.filter(
        case_id=OuterRef("case_id"), clock=OuterRef("name"), due=OuterRef("due")
    )
    return clocks.exclude(Exists(told.filter(kind=Kind.MISSED))).exclude(
        Q(due__gte=today) & Exists(told.filter(kind=Kind.REMINDER))
    )


def _reminder_days(organisation: Organisation, overrides: dict[str, int]) -> dict[str, int]:
    """For each deadline of any of the organisation's pack versions, the most working days
    ahead of its due date it is reminded."""
    days: dict[str, int] = {}
    for pack in policy_packs_in_use(organisation_id=organisation.pk).packs:
        for rule in pack.clocks.values():
            days[rule.name] = max(days.get(rule.name, 0), remind_before(rule, overrides))
    return days


def owners(org: _Org, case: Case) -> list[User]:
    """Whose task the clock is: the case's handler; before allocation, whoever allocates (who
    may see the case: a restricted case goes to the lead officer alone)."""
    if case.handler_id and case.handler.is_active:
        people = [case.handler]
    else:
        people = org.allocators or org.leads
    return _who_may_see(people, case) or _who_may_see(org.leads, case)


def _who_may_see(people: list[User], case: Case) -> list[User]:
    return [u for u in people if u.email and case_visible_to(user=u, case=case)]


def _missed_recipients(org: _Org, case: Case) -> list[User]:
    """The owner and the lead officer (the allocators where there is none)."""
    people = {u.pk: u for u in owners(org, case)}
    for u in _who_may_see(org.leads or org.allocators, case):
        people.setdefault(u.pk, u)
    return list(people.values())


def _remind(org: _Org, case: Case, clock: CaseClock) -> bool:
    people = owners(org, case)
    days = (clock.due - org.today).days
    subject = f"Reminder: {clock.label} for {case.reference} by {fmt_day(clock.due)}"
    return clock_tell_once(
        case=case,
        clock=clock.name,
        due=clock.due,
        kind=Kind.REMINDER,
        people=people,
        what="reminder",
        title=subject,
        line=f"{clock.label} for {case.reference} is due {_when(clock, days)}.",
        mail=lambda user: Mail(subject, _reminder_text(user, case, clock, days)),
    )


def _record_missed(org: _Org, case: Case, clock: CaseClock, pack: PolicyPack) -> bool:
    if ClockNotice.objects.filter(
        case=case, clock=clock.name, due=clock.due, kind=Kind.MISSED
    ).exists():
        return False
    people = _missed_recipients(org, case)

    subject = f"Deadline missed: {clock.label} for {case.reference} was due {fmt_day(clock.due)}"

    def notify(locked: Case) -> None:
        clock_tell(
            case=locked,
            clock=clock.name,
            due=clock.due,
            kind=Kind.MISSED,
            people=people,
            what="deadline_missed",
            title=subject,
            line=f"It has not been done; it is recorded on {case.reference} as a missed deadline.",
            mail=lambda user: Mail(subject, _missed_text(user, case, clock, pack)),
        )

    try:
        case_record_missed_deadline(
            case=case,
            clock=clock.name,
            due=clock.due,
            told=[str(u) for u in people],
            after=notify,
        )
    except (IntegrityError, TransitionRejected) as passed_by:
        # Recorded by another worker meanwhile, or met, stopped or moved since it was read.
        logger.info("No missed deadline for %s %s: %s", case.reference, clock.name, passed_by)
        return False
    return True


def _when(clock: CaseClock, days: int) -> str:
    return "today" if days == 0 else f"on {fmt_day(clock.due)}"


def _reminder_text(user: User, case: Case, clock: CaseClock, days: int) -> str:
    when = _when(clock, days)
    return (
        f"Hello {user.first_name or user},\n\n"
        f"{clock.label} for {case.reference} is due {when}.\n"
        f"The policy sets it in {clock.cites}.\n\n"
        f"Open the case: {case_url(case.reference)}\n\n"
        "You are sent this because the case is yours to handle or to allocate.\n"
    )


def _missed_text(user: User, case: Case, clock: CaseClock, pack: PolicyPack) -> str:
    return (
        f"Hello {user.first_name or user},\n\n"
        f"{clock.label} for {case.reference} was due on {fmt_day(clock.due)} and has not been "
        f"done. The {pack.organisation} policy sets it in {clock.cites}. It is recorded on the "
        "case as a missed deadline.\n\n"
        f"Open the case: {case_url(case.reference)}\n"
    )
