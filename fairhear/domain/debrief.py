"""The debrief after closure (Pivotal §22.1: "Following closure of a complaint, Pivotal will
hold a debriefing session with colleagues who have been involved in the process"): who may
record it, and what a record of it must say. Plain values in, a refusal in words out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


class DebriefRefused(ValueError):
    """A debrief that cannot be recorded, with the form field the words are about."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class DebriefFacts:
    """What the rule needs to know about the colleague recording it and the case."""

    is_lead: bool
    handled_it: bool  # allocated the case at some point, or is its handler now
    closed_it: bool  # recorded the step that closed it last


def may_record_debrief(facts: DebriefFacts) -> bool:
    """The lead officer, or a colleague who handled or closed the complaint (§22.1: the
    colleagues "who have been involved in the process")."""
    return facts.is_lead or facts.handled_it or facts.closed_it


def check_debrief(
    *,
    held_on: date,
    today: date,
    closed_on: date,
    colleagues: int,
    discussed: str,
    lesson_learned: bool,
    lesson_given: bool,
) -> None:
    """Refuse, in words that say how to put it right, a debrief that cannot be recorded."""
    if held_on > today:
        raise DebriefRefused("The date of the debrief cannot be in the future.", "held_on")
    if held_on < closed_on:
        raise DebriefRefused(
            "The debrief is held after the complaint closed: the date cannot be before "
            f"{closed_on:%-d %B %Y}.",
            "held_on",
        )
    if colleagues < 1:
        raise DebriefRefused("Choose the colleagues who took part.", "colleagues")
    if not discussed.strip():
        raise DebriefRefused("Say what was discussed.", "discussed")
    if lesson_learned and not lesson_given:
        raise DebriefRefused(
            "Write the lesson that was learned, or choose one already in the register.",
            "new_lesson",
        )
    if not lesson_learned and lesson_given:
        raise DebriefRefused(
            "You said no lesson was learned: leave the lesson empty, or answer yes.",
            "new_lesson",
        )
