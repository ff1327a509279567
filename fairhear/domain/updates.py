"""Agreed update intervals: how often the complainant is told how their complaint is going,
even when there is no news (Pivotal §11.2 b and e; MMBM §8.1.2 "regular updates agreed between
the two parties"; Code 5.9 "agree update intervals with the resident").

A colleague records the interval on the case (every N working days). The next update is due
N working days after the last one: any letter, response, acknowledgement, extension or other
communication sent to the complainant counts, and so does the conversation in which the
interval was agreed. While the case is open the due date is kept as a clock of its own
(`UPDATES_CLOCK`, purpose `UPDATES_PURPOSE`) beside the pack's, so the worker's sweep finds it
through the same index on due dates; the sweep reminds the handler on the due date once.
Plain records in, a date out: this module imports no Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from fairhear.domain.calendar import WorkingDayCalendar
from fairhear.domain.clock import fmt_day
from fairhear.domain.history import EventRecord
from fairhear.domain.lifecycle import Action, Direction
from fairhear.domain.policy.schema import PolicyPack

UPDATES_CLOCK = "updates_due"
# Not a pack purpose: the pack's deadlines, windows and limits are counted in reports; this
# is the case's own agreement.
UPDATES_PURPOSE = "update"
MIN_EVERY = 1
MAX_EVERY = 60
# Pivotal §11.2 b and e, MMBM §8.1.2 and Code 5.9 name no interval; a pack without `[updates]`
# suggests this one.
DEFAULT_EVERY = 10

# What tells the complainant something, whatever it says (a communication only if it went to
# them: one from them is news for us, not an update for them).
_SENT_TO_THEM = frozenset(
    {
        Action.START_LOCAL_RESOLUTION,
        Action.ACKNOWLEDGE,
        Action.EXTEND,
        Action.RESPOND,
        Action.SEND_LETTER,
        Action.RECORD_DATE_NOT_AGREED,
        Action.AGREE_UPDATES,
    }
)


@dataclass(frozen=True, slots=True)
class UpdatePlan:
    """The interval agreed and where it stands."""

    every: int  # working days
    agreed_on: date
    last_update: date
    due: date
    cites: str = ""

    @property
    def label(self) -> str:
        days = "working day" if self.every == 1 else f"{self.every} working days"
        return f"Update the complainant (agreed: every {days})"

    @property
    def explanation(self) -> str:
        return (
            f"{self.every} working day{'s' if self.every != 1 else ''} after the last update "
            f"to the complainant on {fmt_day(self.last_update)}"
        )


def is_update(record: EventRecord) -> bool:
    """Did this event tell the complainant something?"""
    if record.kind is Action.RECORD_COMMUNICATION:
        return record.data.get("direction") == Direction.OUT.value
    return record.kind in _SENT_TO_THEM


def update_plan(
    records: Iterable[EventRecord], cal: WorkingDayCalendar, *, cites: str = ""
) -> UpdatePlan | None:
    """The agreed interval and the next update's due date, from the case's events; None when
    no interval has been agreed."""
    agreed: EventRecord | None = None
    last: date | None = None
    for record in records:
        if record.kind is Action.AGREE_UPDATES:
            agreed = record
        if is_update(record) and (last is None or record.on > last):
            last = record.on
    if agreed is None:
        return None
    every = int(agreed.data["every"])
    last = max(last or agreed.on, agreed.on)
    return UpdatePlan(
        every=every,
        agreed_on=agreed.on,
        last_update=last,
        due=cal.add_working_days(last, every),
        cites=cites,
    )


def suggested_every(pack: PolicyPack) -> int:
    """The interval the pack suggests (the form's hint and starting value)."""
    return pack.updates.default_every if pack.updates else DEFAULT_EVERY


def updates_cites(pack: PolicyPack) -> str:
    """Where the pack's policy asks for regular updates."""
    return pack.updates.cites if pack.updates else ""
