"""Due dates and clocks in words: the tag a list shows for a case's next deadline, and each of a
case's clocks on its page with its due date, the working days left (or overdue by) and a state.

A clock's state, in words and colour (the words carry the meaning, WCAG 1.4.1):

- on track: running, due after the "due soon" reach (due_soon_until below);
- due soon: running, due today or within that reach (the "Due in the next 2 working days"
  queue's own definition);
- overdue: running, its due date passed;
- met: met by the event that satisfies it, on or before its due date;
- missed: met after its due date, or stopped unmet by the case ending after its due date;
- stopped: no longer needed (the case ended, or one of the clock's own stopping events
  happened) before its due date.

A window (the complainant's time to ask for the next stage) is open or closed, and a limit only
bounds how far another clock may be extended; neither is something colleagues must meet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from fairhear.cases.models import CaseClock, CaseEvent
from fairhear.domain.calendar import WorkingDayCalendar
from fairhear.domain.clock import Unit, fmt_day, london_date
from fairhear.domain.lifecycle import CaseState
from fairhear.domain.policy.evaluate import ClockStatus
from fairhear.domain.policy.schema import PolicyPack, Purpose


def due_soon_until(today: date, cal: WorkingDayCalendar) -> date:
    """The last day "due soon" reaches: settings.FAIRHEAR_DUE_SOON_WORKING_DAYS (2 unless set)
    working days after today. The one definition the queue, the list summaries and the case
    page's clock states share."""
    return cal.add_working_days(today, settings.FAIRHEAR_DUE_SOON_WORKING_DAYS)


# Each state's words and the tag modifier that colours it (_clock-tag.scss).
_TONES = {
    "overdue": "overdue",
    "soon": "due-soon",
    "ok": "on-track",
    "done": "met",
    "none": "met",
    "missed": "missed",
}


@dataclass(frozen=True, slots=True)
class DueTag:
    """A due date as a coloured tag with words: 'Overdue by 2 working days', 'Due today'."""

    text: str
    tone: str  # overdue | soon | ok | done | none | missed

    @property
    def css(self) -> str:
        """The GOV.UK tag modifier for the tone."""
        return f"fh-clock-tag fh-clock-tag--{_TONES[self.tone]}"


def days_left(due: date, *, today: date, cal: WorkingDayCalendar) -> str:
    """'8 working days left', 'Due today', 'Overdue by 3 working days'."""
    if due < today:
        n = cal.working_days_between(due, today)
        return f"Overdue by {Unit.WORKING_DAYS.describe(n)}" if n else "Overdue"
    if due == today:
        return "Due today"
    n = cal.working_days_between(today, due)
    return f"{Unit.WORKING_DAYS.describe(n)} left"


def due_tag(due: date | None, *, today: date, cal: WorkingDayCalendar) -> DueTag:
    """How close a due date is, counted in working days (a list's "next deadline" column)."""
    if due is None:
        return DueTag("Nothing due", "none")
    if due < today:
        return DueTag(days_left(due, today=today, cal=cal), "overdue")
    if due == today:
        return DueTag("Due today", "soon")
    n = cal.working_days_between(today, due)
    tone = "soon" if due <= due_soon_until(today, cal) else "ok"
    return DueTag(f"Due in {Unit.WORKING_DAYS.describe(n)}", tone)


@dataclass(frozen=True, slots=True)
class ClockRow:
    """One clock on the case page: its state tag, and its standing in words beside the date."""

    clock: CaseClock
    tag: DueTag
    standing: str  # '8 working days left', 'Met on Fri 6 Mar 2026', …

    @property
    def state(self) -> str:
        """The state's word, as the tag shows it."""
        return self.tag.text

    @property
    def due_words(self) -> str:
        """'Fri 6 Mar 2026' (the template's `date:"D j M Y"`, a sixth of its cost), or ''."""
        return fmt_day(self.clock.due) if self.clock.due else ""

    @property
    def due_iso(self) -> str:
        """'2026-03-06', for the page's data-due attribute, or ''."""
        return self.clock.due.isoformat() if self.clock.due else ""


def clock_row(
    clock: CaseClock, *, today: date, cal: WorkingDayCalendar, ended_on: date | None = None
) -> ClockRow:
    """A clock's state and standing. `ended_on` is the London date the case last ended
    (closed or not accepted), which tells a clock stopped unmet after its due date (missed)
    from one stopped before it was due."""
    due = clock.due
    status = ClockStatus(clock.status)
    if status is ClockStatus.NOT_STARTED or due is None:
        return ClockRow(clock, DueTag("Not started", "none"), clock.explanation)
    if status is ClockStatus.MET:
        return ClockRow(clock, DueTag("Met", "done"), f"Met on {fmt_day(clock.met_on)}")
    if status is ClockStatus.MET_LATE:
        late = cal.working_days_between(due, clock.met_on)
        after = f", {Unit.WORKING_DAYS.describe(late)} late" if late else ", after its due date"
        return ClockRow(clock, DueTag("Missed", "missed"), f"Met on {fmt_day(clock.met_on)}{after}")
    if clock.purpose == Purpose.LIMIT:
        return ClockRow(clock, DueTag("Limit", "none"), "The latest date an extension may give")
    if clock.purpose == Purpose.WINDOW:
        if status is ClockStatus.STOPPED:
            # Ended by what its pack names (an appeal, a reply, a colleague keeping the case
            # open: Pivotal §10.1 c), not by running out.
            return ClockRow(clock, DueTag("Stopped", "none"), "Stopped before it ran out")
        if due < today:
            return ClockRow(clock, DueTag("Closed", "none"), "The window has closed")
        return ClockRow(clock, DueTag("Open", "ok"), days_left(due, today=today, cal=cal))
    if status is ClockStatus.STOPPED:
        if ended_on is not None and ended_on > due:
            return ClockRow(
                clock,
                DueTag("Missed", "missed"),
                f"Not met by its due date; the case ended on {fmt_day(ended_on)}",
            )
        return ClockRow(clock, DueTag("Stopped", "none"), "No longer needed")
    standing = days_left(due, today=today, cal=cal)
    if due < today:
        return ClockRow(clock, DueTag("Overdue", "overdue"), standing)
    if due <= due_soon_until(today, cal):
        return ClockRow(clock, DueTag("Due soon", "soon"), standing)
    return ClockRow(clock, DueTag("On track", "ok"), standing)


_ENDED = {CaseState.CLOSED.value, CaseState.REFUSED.value}


def ended_on(events: list[CaseEvent]) -> date | None:
    """The London date the case last closed or was not accepted, if it stands ended now."""
    last = None
    for event in events:
        if event.to_state and event.to_state != event.from_state:
            last = london_date(event.occurred_at) if event.to_state in _ENDED else None
    return last


def clock_rows(
    clocks: list[CaseClock],
    pack: PolicyPack,
    *,
    today: date,
    cal: WorkingDayCalendar,
    ended: date | None = None,
) -> list[ClockRow]:
    """Each clock with its state; the person's restriction clocks (the chance to change after a
    warning, the reviews) only once they have started."""
    return [
        clock_row(c, today=today, cal=cal, ended_on=ended)
        for c in clocks
        if not (c.name in pack.person_clocks and c.status == ClockStatus.NOT_STARTED)
    ]
