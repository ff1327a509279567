"""Correcting a case's details: what may be corrected, how a change reads, and what it moves.

A detail typed wrongly when the case was logged (the incident date, the service area, the
categories) is put right by an event that records the value before and after, with the reason,
so the log still shows what the case said at every moment (docs/adr/ADR-002). A correction that
changes a deadline or the time-limit verdict says so before it is saved: the colleague sees the
effect and confirms it (Pivotal §6.1 a and MMBM §6.1, where the incident date decides whether a
complaint is in time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fairhear.domain.clock import fmt_day

# The case's own details a correction may change, in the order the form asks for them, with
# the words the timeline uses. The person's details are the person's own (a correction to them
# belongs to the person, not to one case).
CORRECTABLE = {
    "summary": "What they told us",
    "desired_outcome": "Outcome they want",
    "categories": "What it is about",
    "service_area": "Service area",
    "about_colleagues": "Colleagues it is about",
    "incident_date": "When the matter happened",
    "tenure": "Tenure of the home",
    "safeguarding": "Safeguarding concern",
    "health_and_safety": "Health and safety concern",
    "anti_social_behaviour": "Anti-social behaviour",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One detail before and after, as words a reader of the timeline understands."""

    field: str
    before: str
    after: str

    @property
    def label(self) -> str:
        return CORRECTABLE[self.field]

    def as_data(self) -> dict:
        return {"field": self.field, "label": self.label, "from": self.before, "to": self.after}


@dataclass(frozen=True, slots=True)
class DueDate:
    """A clock's due date, for comparing a case's deadlines before and after a correction."""

    name: str
    label: str
    due: date | None


def deadline_effects(before: list[DueDate], after: list[DueDate]) -> list[str]:
    """Each deadline the correction would move, start or stop, in a sentence."""
    was = {d.name: d for d in before}
    now = {d.name: d for d in after}
    effects = []
    for name in [*was, *(n for n in now if n not in was)]:
        old, new = was.get(name), now.get(name)
        old_due, new_due = (old.due if old else None), (new.due if new else None)
        if old_due == new_due:
            continue
        label = (new or old).label
        if old_due and new_due:
            effects.append(f"{label} moves from {_day(old_due)} to {_day(new_due)}.")
        elif new_due:
            effects.append(f"{label} starts: due {_day(new_due)}.")
        else:
            effects.append(f"{label} no longer applies (it was due {_day(old_due)}).")
    return effects


def verdict_effect(*, before_in_time: bool, after_in_time: bool, after_reason: str) -> str:
    """The sentence saying the time-limit verdict changes, or "" when it does not."""
    if before_in_time == after_in_time:
        return ""
    now = "in time" if after_in_time else "out of time"
    return f"The complaint becomes {now}: {after_reason}"


def _day(day: date | None) -> str:
    return fmt_day(day) if day else "no date"
