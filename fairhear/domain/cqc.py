"""The CQC's request for a summary of complaints (Health and Social Care Act 2008 (Regulated
Activities) Regulations 2014, regulation 16(3)): the registered person must send it "within 28
days beginning on the day after receipt of the request". A clock of its own, in calendar days:
the regulation counts days, not working days, so a weekend or bank holiday neither stops it nor
moves its last day. Plain dates in, a date or words out."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from fairhear.domain.calendar import WorkingDayCalendar, add_calendar_days
from fairhear.domain.policy.schema import PolicyPack
from fairhear.domain.reminders import reminder_is_due

CQC_SUMMARY_DAYS = 28
# The lead officer is reminded this many working days before the summary is due: a week's
# notice, by the rule every other deadline's reminder follows (domain/reminders.py).
CQC_REMIND_BEFORE = 5
CITES = "CQC Regulation 16(3)"


def pack_names_cqc(pack: PolicyPack | None) -> bool:
    """Does the policy pack name the Care Quality Commission (a signpost to it: MMBM §8.3.6
    names the CQC "regarding a service which is CQC registered")? Only then do the Reports
    pages offer the CQC summary."""
    if pack is None:
        return False
    return any(
        s.code.lower() == "cqc" or "care quality commission" in s.name.lower()
        for s in pack.signposts
    )


def cqc_summary_due(received: date) -> date:
    """The last day to send the summary: day 1 is the day after the request was received, so
    day 28 is the date of receipt plus 28 days (received Mon 2 Mar 2026: due Mon 30 Mar)."""
    return add_calendar_days(received, CQC_SUMMARY_DAYS)


class CqcState(StrEnum):
    """Where a request stands."""

    DUE = "due"
    OVERDUE = "overdue"
    SENT_ON_TIME = "sent_on_time"
    SENT_LATE = "sent_late"

    @property
    def label(self) -> str:
        return {
            CqcState.DUE: "Due",
            CqcState.OVERDUE: "Overdue",
            CqcState.SENT_ON_TIME: "Sent on time",
            CqcState.SENT_LATE: "Sent late",
        }[self]


def cqc_state(today: date, due: date, sent_on: date | None) -> CqcState:
    """Sent on or before the due date is on time (the due date is the last day to send it);
    unsent, it is overdue from the day after the due date."""
    if sent_on is not None:
        return CqcState.SENT_ON_TIME if sent_on <= due else CqcState.SENT_LATE
    return CqcState.OVERDUE if today > due else CqcState.DUE


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def days_left_words(today: date, due: date, sent_on: date | None) -> str:
    """'12 days left', 'Due today', '3 days overdue'; for a sent summary, how early or late."""
    if sent_on is not None:
        late = (sent_on - due).days
        return f"Sent {_days(late)} late" if late > 0 else "Sent in time"
    left = (due - today).days
    if left > 0:
        return f"{_days(left)} left"
    if left == 0:
        return "Due today"
    return f"{_days(-left)} overdue"


def cqc_reminder_is_due(cal: WorkingDayCalendar, today: date, due: date) -> bool:
    """Is it time to remind the lead officer of a summary due on `due`: no more than
    CQC_REMIND_BEFORE working days are left after today, counting the due date (never on a
    weekend or bank holiday before that day), and it is not yet past."""
    return reminder_is_due(cal, today, due, CQC_REMIND_BEFORE)


def cqc_overdue_is_due(today: date, due: date) -> bool:
    """Is the summary overdue: the due date has ended without it being sent."""
    return today > due
