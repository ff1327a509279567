"""The sweep's reminders of agreed update intervals (Pivotal §11.2 b and e: "keep the
complainant informed even when there is no new information to provide"; MMBM §8.1.2 "regular
updates agreed between the two parties"; Code 5.9).

Once a colleague has recorded how often the complainant will be updated (every N working
days), the case keeps the next update's due date among its clocks (domain/updates.py). On that
day, if nothing has been sent to the complainant since the last update, the case's handler
(before allocation, whoever allocates) is told, in the app and by the e-mail their preference
asks for, once per case and due date (notifications/told.py). Anything sent
to the complainant moves the due date on; closing the case stops it.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from fairhear.accounts.models import Organisation, User
from fairhear.accounts.selectors import colleague_list_with, organisation_calendar
from fairhear.alerts.services import Mail
from fairhear.cases.due import updates_due_by
from fairhear.cases.models import Case, CaseClock
from fairhear.domain.calendar import WorkingDayCalendar
from fairhear.domain.clock import fmt_day
from fairhear.domain.policy.schema import Capability
from fairhear.links import case_url
from fairhear.notifications.models import ClockNotice
from fairhear.notifications.reminders import _Org, owners
from fairhear.notifications.told import clock_tell_once


def sweep_updates(organisation: Organisation, now: datetime) -> dict:
    """Remind each handler whose agreed update to the complainant is due; what was sent."""
    today = timezone.localdate(now)
    org = _Org(
        organisation,
        today,
        allocators=list(
            colleague_list_with(organisation=organisation, capability=Capability.ALLOCATE)
        ),
        leads=list(colleague_list_with(organisation=organisation, capability=Capability.LEAD)),
    )
    cal = organisation_calendar(organisation)
    untold = ClockNotice.objects.filter(kind=ClockNotice.Kind.REMINDER)
    reminded = []
    for clock in updates_due_by(organisation_id=organisation.pk, today=today, untold=untold):
        if _remind(org, clock.case, clock, cal):
            reminded.append(clock.case.reference)
    return {"reminded": reminded}


def _remind(org: _Org, case: Case, clock: CaseClock, cal: WorkingDayCalendar) -> bool:
    subject = (
        f"Update due: tell the complainant how {case.reference} is going by {fmt_day(clock.due)}"
    )
    return clock_tell_once(
        case=case,
        clock=clock.name,
        due=clock.due,
        kind=ClockNotice.Kind.REMINDER,
        people=owners(org, case),
        what="update_due",
        title=subject,
        line=f"Nothing has been sent to the complainant since {fmt_day(clock.start)}.",
        mail=lambda user: Mail(subject, _text(user, case, clock, org, cal)),
    )


def _text(user: User, case: Case, clock: CaseClock, org: _Org, cal: WorkingDayCalendar) -> str:
    every = cal.working_days_between(clock.start, clock.due)
    days = "working day" if every == 1 else f"{every} working days"
    when = "today" if clock.due == org.today else f"on {fmt_day(clock.due)}"
    cites = f" The policy asks for regular updates ({clock.cites})." if clock.cites else ""
    return (
        f"Hello {user.first_name or user},\n\n"
        f"The complainant on {case.reference} was told they would be updated every "
        f"{days}. Nothing has been sent to them since "
        f"{fmt_day(clock.start)}, so an update is due {when}, even if there is no news.{cites}\n\n"
        "Send it as a letter from the case, or record the call, e-mail or visit as a "
        "communication to the complainant; either moves the next update on.\n\n"
        f"Open the case: {case_url(case.reference)}\n\n"
        "You are sent this because the case is yours to handle or to allocate.\n"
    )
