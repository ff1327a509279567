"""A pack checked against the Housing Ombudsman's Complaint Handling Code 2024.

Each rule is a small class whose docstring is the message a reader sees and whose `section`
mirrors the Code paragraph (STYLE.md §7.6). Rules compare the pack with the Code pack's own
values (packs/hos-code-2024.toml), never with figures of their own, so the Code pack is the one
place the Code's numbers live.

Deadlines are compared as the most working days they may take from the start of their stage:
the complaint's receipt at stage 1, the request at later stages. A clock that starts from
another step counts that step's own deadline ("10 working days from the acknowledgement, which
is due within 5" is at most 15 from receipt). Calendar days and months count as the most
weekdays they can hold (28 calendar days: 20), so a departure is never reported by rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from fairhear.domain.clock import Duration, Unit
from fairhear.domain.policy.schema import PolicyPack, Purpose, Stage

_WEEK = 7
_WEEKDAYS = 5
_MONTH_DAYS = 31


@dataclass(frozen=True, slots=True)
class Departure:
    """One way a pack departs from the Code."""

    section: str
    message: str
    detail: str

    def __str__(self) -> str:
        return f"{self.section}: {self.message} {self.detail}"


class CodeRule:
    """A rule of the Code; subclasses are registered in ALL_RULES in the order written."""

    section: ClassVar[str]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "section" in cls.__dict__:  # a rule of its own, not a shared base
            ALL_RULES.append(cls)

    @classmethod
    def message(cls) -> str:
        """The rule's docstring, as one line."""
        return " ".join((cls.__doc__ or "").split())

    def details(self, pack: PolicyPack, code: PolicyPack) -> list[str]:
        """What the pack does that departs from the Code, one sentence each."""
        raise NotImplementedError


ALL_RULES: list[type[CodeRule]] = []


def departures_from_code(pack: PolicyPack, code: PolicyPack) -> list[Departure]:
    """Every departure of `pack` from the Code pack `code`, in the Code's order."""
    return [
        Departure(rule.section, rule.message(), detail)
        for rule in ALL_RULES
        for detail in rule().details(pack, code)
    ]


# ---------------------------------------------------------------------------------------------
# Working out how long a clock may run from the start of its stage


def most_working_days(duration: Duration) -> int:
    """The most working days a duration can hold (weekends aside, holidays only shorten it)."""
    if duration.unit is Unit.WORKING_DAYS:
        return duration.amount
    days = duration.amount * (_MONTH_DAYS if duration.unit is Unit.MONTHS else 1)
    return (days // _WEEK) * _WEEKDAYS + min(days % _WEEK, _WEEKDAYS)


def _stage_start(stage: int) -> str:
    return "received" if stage == 1 else f"stage{stage}_requested"


def _event_bound(pack: PolicyPack, event: str, start: str, seen: frozenset[str]) -> int | None:
    """The latest an event can come, in working days from the stage's start: the earliest
    deadline that it meets; None when nothing bounds it."""
    if event == start:
        return 0
    bounds = [
        _clock_bound(pack, name, start, seen)
        for name, rule in pack.clocks.items()
        if event in rule.met_by and rule.purpose is Purpose.DEADLINE and name not in seen
    ]
    known = [b for b in bounds if b is not None]
    return min(known) if known else None


def _clock_bound(
    pack: PolicyPack, name: str, start: str, seen: frozenset[str] = frozenset()
) -> int | None:
    """The latest a clock's due date can be, in working days from its stage's start."""
    rule = pack.clocks[name]
    seen = seen | {name}
    starts = [_event_bound(pack, e, start, seen) for e in rule.starts_from]
    known = [b for b in starts if b is not None]
    begin = max(known) if known and len(known) == len(starts) else None
    if rule.starts_no_later_than and rule.starts_no_later_than in pack.clocks:
        other = _clock_bound(pack, rule.starts_no_later_than, start, seen)
        if other is not None:
            begin = other if begin is None else min(begin, other)
    return None if begin is None else begin + most_working_days(rule.duration)


def _extension_bound(pack: PolicyPack, stage: Stage) -> tuple[bool, int | None]:
    """(allowed, bound): whether the stage's response may be extended, and the latest the
    extended date can be in working days from the stage's start (None: no limit)."""
    rule = pack.clocks[stage.response_clock]
    start = _stage_start(stage.number)
    ext = rule.extension
    if ext is None:
        return False, _clock_bound(pack, rule.name, start)
    if ext.up_to_clock:
        return True, _clock_bound(pack, ext.up_to_clock, start)
    if ext.by_at_most:
        base = _clock_bound(pack, rule.name, start)
        return True, None if base is None else base + most_working_days(ext.by_at_most)
    return True, None


def _words(stage: int) -> str:
    return "the complaint is received" if stage == 1 else f"stage {stage} is asked for"


def _stage(pack: PolicyPack, number: int) -> Stage | None:
    try:
        return pack.stage(number)
    except KeyError:
        return None


class _Deadline(CodeRule):
    """Shared by the acknowledgement and response rules: the pack's clock may take no more
    working days from the start of the stage than the Code's."""

    stage: ClassVar[int]
    what: ClassVar[str]  # "acknowledgement_clock" or "response_clock"

    def details(self, pack: PolicyPack, code: PolicyPack) -> list[str]:
        ours, theirs = _stage(pack, self.stage), _stage(code, self.stage)
        if ours is None or theirs is None or getattr(theirs, self.what) is None:
            return []
        code_clock = getattr(theirs, self.what)
        limit = _clock_bound(code, code_clock, _stage_start(self.stage))
        name = getattr(ours, self.what)
        kind = "acknowledgement" if self.what == "acknowledgement_clock" else "response"
        if name is None:
            return [f"The pack sets no {kind} deadline for {ours.name} ({ours.cites})."]
        bound = _clock_bound(pack, name, _stage_start(self.stage))
        if bound is not None and limit is not None and bound <= limit:
            return []
        rule = pack.clocks[name]
        given = (
            f"up to {bound} working days after {_words(self.stage)}"
            if bound is not None
            else "a date no deadline of the pack bounds"
        )
        return [
            f"{ours.name}: {rule.name} ({rule.cites}) gives {given}; the Code allows at most "
            f"{limit} ({code.clocks[code_clock].cites})."
        ]


class _ExtensionLimit(CodeRule):
    """Shared by the extension rules: an extension has a limit no later than the Code's."""

    stage: ClassVar[int]

    def details(self, pack: PolicyPack, code: PolicyPack) -> list[str]:
        ours, theirs = _stage(pack, self.stage), _stage(code, self.stage)
        if ours is None or theirs is None:
            return []
        allowed, bound = _extension_bound(pack, ours)
        _, limit = _extension_bound(code, theirs)
        if not allowed or (bound is not None and limit is not None and bound <= limit):
            return []
        rule = pack.clocks[ours.response_clock]
        cites = rule.extension.cites if rule.extension else rule.cites
        code_rule = code.clocks[theirs.response_clock]
        code_cites = code_rule.extension.cites if code_rule.extension else code_rule.cites
        if bound is None:
            return [
                f"{ours.name}: {rule.name} may be extended with no limit ({cites}); the Code "
                f"allows at most {limit} working days after {_words(self.stage)} "
                f"({code_cites})."
            ]
        return [
            f"{ours.name}: {rule.name} may be extended to {bound} working days after "
            f"{_words(self.stage)} ({cites}); the Code allows at most {limit} ({code_cites})."
        ]


# ---------------------------------------------------------------------------------------------
# The rules, in the Code's order


class TimeLimitNoShorter(CodeRule):
    """Complaints made within the Code's time limit must be accepted, so the pack's time limit
    for complaining may not be shorter."""

    section = "Code 2.3"

    def details(self, pack: PolicyPack, code: PolicyPack) -> list[str]:
        ours, theirs = pack.time_limit, code.time_limit
        if ours.months >= theirs.months:
            return []
        return [
            f"The pack refuses complaints made more than {ours.months} months after the issue "
            f"({ours.cites}); the Code's limit is {theirs.months} months ({theirs.cites})."
        ]


class TimeLimitDiscretion(CodeRule):
    """Discretion must be considered for a complaint made after the time limit."""

    section = "Code 2.3"

    def details(self, pack: PolicyPack, code: PolicyPack) -> list[str]:
        if (
            pack.time_limit.exceptional_circumstances
            or not code.time_limit.exceptional_circumstances
        ):
            return []
        return [
            f"The pack never accepts a complaint out of time, whatever the circumstances "
            f"({pack.time_limit.cites})."
        ]


class NoStageZero(CodeRule):
    """There may be no stage 0 or informal stage before stage 1."""

    section = "Code 5.2"

    def details(self, pack: PolicyPack, code: PolicyPack) -> list[str]:
        if pack.local_resolution is None or code.local_resolution is not None:
            return []
        return [
            f"The pack tries to resolve the complaint locally before stage 1 "
            f"({pack.local_resolution.cites})."
        ]


class TwoStages(CodeRule):
    """A process with more than two stages is not acceptable under any circumstances, and
    there must be two."""

    section = "Code 5.3"

    def details(self, pack: PolicyPack, code: PolicyPack) -> list[str]:
        if len(pack.stages) == len(code.stages):
            return []
        names = "; ".join(f"{s.name} ({s.cites})" for s in pack.stages)
        return [f"The pack has {len(pack.stages)} stages: {names}."]


class StageOneAcknowledgement(_Deadline):
    """A complaint must be acknowledged, defined and logged at stage 1 within the Code's
    time."""

    section = "Code 6.2"
    stage = 1
    what = "acknowledgement_clock"


class StageOneResponse(_Deadline):
    """The stage 1 response may take no longer than the Code allows."""

    section = "Code 6.3"
    stage = 1
    what = "response_clock"


class StageOneExtension(_ExtensionLimit):
    """A stage 1 extension must have a limit, no later than the Code's."""

    section = "Code 6.4"
    stage = 1


class StageTwoAcknowledgement(_Deadline):
    """An escalation must be acknowledged at stage 2 within the Code's time."""

    section = "Code 6.11"
    stage = 2
    what = "acknowledgement_clock"


class DifferentHandler(CodeRule):
    """The stage 2 handler must not be the person who handled stage 1."""

    section = "Code 6.13"

    def details(self, pack: PolicyPack, code: PolicyPack) -> list[str]:
        stage = _stage(pack, 2)
        if stage is None or stage.different_handler:
            return []
        return [f"{stage.name} may be handled by the stage 1 handler ({stage.cites})."]


class StageTwoResponse(_Deadline):
    """The stage 2 final response may take no longer than the Code allows."""

    section = "Code 6.14"
    stage = 2
    what = "response_clock"


class StageTwoExtension(_ExtensionLimit):
    """A stage 2 extension must have a limit, no later than the Code's."""

    section = "Code 6.15 [M]"
    stage = 2
