"""Apply a policy pack to a case's milestones: every clock's due date, status and explanation,
and the time-limit verdict. Pure functions over plain values (BRIEF "Time is exact")."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from fairhear.domain.calendar import WorkingDayCalendar, add_months
from fairhear.domain.clock import add_duration, explain_due, fmt_day
from fairhear.domain.policy.schema import (
    STANDING_MILESTONES,
    ClockRule,
    Extension,
    PolicyPack,
    describe_milestone,
    milestone_names,
)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A milestone that happened on a London date (for example `acknowledged` on 3 Jan 2024)."""

    name: str
    on: date


@dataclass(frozen=True, slots=True)
class AgreedExtension:
    """An extension of one clock agreed with the complainant."""

    clock: str
    new_due: date
    told_on: date | None = None  # the date the complainant was told of the new date
    # Agreed past the pack's limit with what its rule asks (a good reason, anyone's agreement),
    # so the agreed date may count in full (Code 6.4; Pivotal §9 stage 1 step 7).
    beyond_limit_allowed: bool = False


@dataclass(frozen=True, slots=True)
class AgreedDate:
    """A date agreed for one clock when the case was acknowledged (MMBM §8.1): when earlier than
    the policy's date, it is the date the case is held to."""

    clock: str
    due: date
    cites: str = ""


class ClockStatus(StrEnum):
    """Where a clock stands."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        """Words for the status."""
        return {
            ClockStatus.NOT_STARTED: "Not started",
            ClockStatus.RUNNING: "Running",
            ClockStatus.OVERDUE: "Overdue",
            ClockStatus.MET: "Met",
            ClockStatus.MET_LATE: "Met late",
            ClockStatus.STOPPED: "No longer needed",
        }[self]


@dataclass(frozen=True, slots=True)
class ClockResult:
    """One clock of one case, worked out."""

    rule: ClockRule
    started_by: str | None
    start: date | None
    original_due: date | None
    due: date | None
    explanation: str
    status: ClockStatus
    met_on: date | None = None
    extended: bool = False
    told_before_original_due: bool = False
    limit: date | None = None  # the latest date an extension may give, when the pack sets one
    counted_due: date | None = None  # the date that decides "on time" (KPIS.md)

    @property
    def name(self) -> str:
        """The clock's name in the pack."""
        return self.rule.name

    @property
    def on_time_due(self) -> date | None:
        """The date that decides "on time" for reports (KPIS.md)."""
        return self.counted_due if self.counted_due is not None else self.original_due

    @property
    def open(self) -> bool:
        """Still waiting to be met."""
        return self.status in {ClockStatus.RUNNING, ClockStatus.OVERDUE}


def told_in_time(told_on: date | None, original_due: date) -> bool:
    """KPIS.md: an extension counts for "on time" only if the complainant was told of it on or
    before the original due date (the date they were told decides, not the date agreed)."""
    return told_on is not None and told_on <= original_due


def extension_limit(
    extension: Extension | None,
    cal: WorkingDayCalendar,
    original_due: date,
    bound_due: date | None,
) -> date | None:
    """The latest date an extension of a clock due on `original_due` may give: the limit
    clock's due date (`bound_due`), or the pack's `by_at_most` after the original due date."""
    if extension is None:
        return None
    if extension.up_to_clock:
        return bound_due
    if extension.by_at_most:
        return add_duration(cal, original_due, extension.by_at_most)
    return None


def _counted(
    mine: list[AgreedExtension], original_due: date, limit: date | None
) -> tuple[date, bool, str]:
    """KPIS.md "on time": the latest extension the complainant was told of on or before the
    original due date counts, never past the pack's limit unless its rule allows the later date.
    Returns the counted date, whether any extension was told in time, and a note in words."""
    told = [e for e in mine if told_in_time(e.told_on, original_due)]
    if not told:
        return (
            original_due,
            False,
            f"; the complainant was not told of it by {fmt_day(original_due)}, so that date "
            "still decides whether the response is on time",
        )
    chosen = told[-1]
    if limit is not None and chosen.new_due > limit and not chosen.beyond_limit_allowed:
        return (
            limit,
            True,
            f"; it counts as on time only up to {fmt_day(limit)}, the latest the policy allows",
        )
    if chosen is not mine[-1]:
        return (
            chosen.new_due,
            True,
            f"; on time means by {fmt_day(chosen.new_due)}, the last date the complainant was "
            f"told of by {fmt_day(original_due)}",
        )
    return chosen.new_due, True, ""


class TimetableInputError(ValueError):
    """The milestones given cannot describe a real case."""


def check_occurrences(pack: PolicyPack, received_on: date, occurrences: list[Occurrence]) -> None:
    """Refuse milestones the pack does not know, or that happened before the complaint arrived."""
    known = set(milestone_names(pack.last_stage))
    for occ in occurrences:
        if occ.name not in known:
            raise TimetableInputError(
                f"Unknown event {occ.name!r}; the {pack.name} pack knows "
                f"{', '.join(sorted(known - {'received', 'closed', 'refused'}))}."
            )
        if occ.on < received_on:
            raise TimetableInputError(
                f"The event {occ.name} on {fmt_day(occ.on)} is before the complaint was received "
                f"on {fmt_day(received_on)}; check both dates."
            )


def compute_timetable(
    pack: PolicyPack,
    cal: WorkingDayCalendar,
    occurrences: list[Occurrence],
    *,
    extensions: tuple[AgreedExtension, ...] | list[AgreedExtension] = (),
    today: date | None = None,
    agreed_dates: tuple[AgreedDate, ...] | list[AgreedDate] = (),
) -> list[ClockResult]:
    """Every clock of the pack for a case with these milestones, in the pack's order."""
    by_name: dict[str, list[tuple[date, int]]] = {}
    for index, occ in enumerate(occurrences):
        by_name.setdefault(occ.name, []).append((occ.on, index))
    results: dict[str, ClockResult] = {}

    def resolve(name: str, chain: tuple[str, ...] = ()) -> ClockResult:
        if name in results:
            return results[name]
        if name in chain:
            raise TimetableInputError(f"The clocks {' → '.join((*chain, name))} start each other.")
        rule = pack.clocks[name]
        cap = (
            resolve(rule.starts_no_later_than, (*chain, name))
            if rule.starts_no_later_than
            else None
        )
        # Restrictions outlive the complaint they were applied on: only lifting them ends the
        # reviews (MMBM §9 "whilst the restrictions are in force").
        case_ends = () if name in pack.person_clocks else ("closed", "refused")
        ext = rule.extension
        bound = resolve(ext.up_to_clock, (*chain, name)) if ext and ext.up_to_clock else None
        result = _evaluate(
            rule,
            cal,
            by_name,
            cap,
            extensions,
            today,
            case_ends,
            agreed_dates,
            bound.due if bound else None,
        )
        if pack.auto_close is not None and name == pack.auto_close.clock:
            windows = [
                resolve(st.request_clock, (*chain, name)) for st in pack.stages if st.request_clock
            ]
            result = _not_before_open_windows(result, windows, today)
        results[name] = result
        return result

    return [resolve(name) for name in pack.clocks]


def _not_before_open_windows(
    result: ClockResult, windows: list[ClockResult], today: date | None
) -> ClockResult:
    """A case never closes itself while the complainant may still ask for the next stage
    (Pivotal §10.1 c read with §9 stage 2 point 1): the auto-close date is no earlier than the
    end of any escalation window still open."""
    if result.due is None or not result.open:
        return result
    later = [w for w in windows if w.open and w.due is not None and w.due > result.due]
    if not later:
        return result
    window = max(later, key=lambda w: w.due)
    status = result.status
    if status is ClockStatus.OVERDUE and today is not None and today <= window.due:
        status = ClockStatus.RUNNING
    return replace(
        result,
        due=window.due,
        status=status,
        explanation=f"{result.explanation}; not before {fmt_day(window.due)}, the "
        f"{window.rule.label[0].lower()}{window.rule.label[1:]}",
    )


def _latest(
    by_name: dict[str, list[tuple[date, int]]], names: tuple[str, ...]
) -> tuple[str, date] | None:
    found = [(max(by_name[n]), n) for n in names if n in by_name]
    if not found:
        return None
    (on, _), name = max(found)
    return name, on


def _evaluate(
    rule: ClockRule,
    cal: WorkingDayCalendar,
    by_name: dict[str, list[tuple[date, int]]],
    cap: ClockResult | None,
    extensions: tuple[AgreedExtension, ...] | list[AgreedExtension],
    today: date | None,
    case_ends: tuple[str, ...] = ("closed", "refused"),
    agreed_dates: tuple[AgreedDate, ...] | list[AgreedDate] = (),
    bound_due: date | None = None,
) -> ClockResult:
    latest = _latest(by_name, rule.starts_from)
    started_by, start = (latest[0], latest[1]) if latest else (None, None)
    cap_note = ""
    watch_from = start  # events from this date on can meet or stop the clock
    if cap is not None and cap.due is not None and (start is None or cap.due < start):
        # Code 6.3/6.14 via KPIS.md: a late (or missing) acknowledgement never buys time.
        cap_note = f" (the {cap.rule.label.lower()} date, {fmt_day(cap.due)}, " + (
            "came first)" if start is not None else "as it has not happened yet)"
        )
        started_by, start = cap.name, cap.due
        # A response sent, or a request refused, before the acknowledgement's due date still
        # counts: watch from the day the capping clock itself started.
        watch_from = cap.start
    if start is None:
        waiting = " or ".join(describe_milestone(m) for m in rule.starts_from)
        return ClockResult(
            rule, None, None, None, None, f"Starts when {waiting}.", ClockStatus.NOT_STARTED
        )
    original_due = add_duration(cal, start, rule.duration)
    explanation = explain_due(cal, start, rule.duration, original_due) + cap_note
    original_due, explanation = _held_to_agreed_date(rule, original_due, explanation, agreed_dates)
    due = counted = original_due
    told = False
    # The limit and "told in time" are judged against the original due date as it stands now,
    # so an acknowledgement that moves it also moves them (Code 6.3 and 6.4).
    limit = extension_limit(rule.extension, cal, original_due, bound_due)
    mine = [e for e in extensions if e.clock == rule.name]
    if mine:
        due = mine[-1].new_due
        counted, told, note = _counted(mine, original_due, limit)
        explanation += f"; extended to {fmt_day(due)} by agreement with the complainant" + note
    # Whichever came first decides: met, or stopped by one of the clock's own stopping events.
    # Closure or refusal stops whatever is still waiting.
    met = _first_on_or_after(by_name, rule.met_by, watch_from)
    stop = _first_on_or_after(by_name, rule.stopped_by, watch_from)
    if stop is None and any(by_name.get(n) for n in rule.stopped_by if n in STANDING_MILESTONES):
        # A standing fact (an anonymous complaint has nobody to answer) stops the clock from
        # its start, even one that starts after the fact was recorded.
        stop = (watch_from, -1)
    ended = _first_on_or_after(by_name, case_ends, watch_from)
    met_on = met[0] if met and (stop is None or met < stop) else None
    if met_on is not None:
        status = ClockStatus.MET if met_on <= due else ClockStatus.MET_LATE
    elif stop is not None or ended is not None:
        status = ClockStatus.STOPPED
    elif today is not None and today > due:
        status = ClockStatus.OVERDUE
    else:
        status = ClockStatus.RUNNING
    return ClockResult(
        rule=rule,
        started_by=started_by,
        start=start,
        original_due=original_due,
        due=due,
        explanation=explanation,
        status=status,
        met_on=met_on,
        extended=bool(mine),
        told_before_original_due=told,
        limit=limit,
        counted_due=counted,
    )


def _held_to_agreed_date(
    rule: ClockRule,
    policy_due: date,
    explanation: str,
    agreed_dates: tuple[AgreedDate, ...] | list[AgreedDate],
) -> tuple[date, str]:
    """An agreed date earlier than the policy's is the date the case is held to; a later one
    never moves it (that is an extension)."""
    mine = [a for a in agreed_dates if a.clock == rule.name]
    if not mine or mine[-1].due >= policy_due:
        return policy_due, explanation
    agreed = mine[-1]
    cites = f" ({agreed.cites})" if agreed.cites else ""
    return agreed.due, (
        f"{explanation}; held to {fmt_day(agreed.due)}, the date agreed with the complainant "
        f"at acknowledgement{cites}"
    )


def _first_on_or_after(
    by_name: dict[str, list[tuple[date, int]]], names: tuple[str, ...], start: date
) -> tuple[date, int] | None:
    """The earliest (date, position) of any of `names` on or after `start`."""
    found = [d for n in names for d in by_name.get(n, []) if d[0] >= start]
    return min(found) if found else None


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a complaint is within the pack's time limit, and why, in words."""

    in_time: bool
    reason: str
    needs_exceptional_circumstances: bool = False


def time_limit_verdict(
    pack: PolicyPack,
    *,
    received_on: date,
    incident_on: date | None,
    category: str = "other",
    exceptional_circumstances: bool = False,
    first_contact_on: date | None = None,
) -> Verdict:
    """Is the complaint within the time limit? Exactly N months after the incident is in time.

    A service request later logged as a complaint is measured from `first_contact_on`, when the
    person first told us, so the organisation's own delay never puts it out of time
    (docs/policy-packs.md "Service requests logged as complaints").
    """
    limit = pack.time_limit
    came = f"Received {fmt_day(received_on)}"
    if first_contact_on is not None and first_contact_on < received_on:
        came = (
            f"First contact {fmt_day(first_contact_on)} (before it was logged as a complaint on "
            f"{fmt_day(received_on)})"
        )
        received_on = first_contact_on
    months = f"{limit.months}-month time limit ({limit.cites})"
    if category in limit.exempt_categories:
        label = next((c.label for c in pack.categories if c.code == category), category)
        return Verdict(True, f"{label} complaints are exempt from the {months}.")
    if incident_on is None:
        return Verdict(True, f"No incident date was recorded, so the {months} was not applied.")
    if incident_on > received_on:
        raise TimetableInputError(
            f"The incident date {fmt_day(incident_on)} is after the complaint was received "
            f"({fmt_day(received_on)}); check both dates."
        )
    last_day = add_months(incident_on, limit.months)
    if received_on <= last_day:
        return Verdict(
            True,
            f"{came}, within the {months}, which runs to {fmt_day(last_day)}.",
        )
    late = (
        f"{came}, after the {months} ended on {fmt_day(last_day)} "
        f"({limit.months} months after the incident on {fmt_day(incident_on)})"
    )
    if limit.exceptional_circumstances:
        if exceptional_circumstances:
            return Verdict(True, f"{late}, but exceptional circumstances are recorded.")
        return Verdict(False, f"{late}, and no exceptional circumstances are recorded.", True)
    return Verdict(False, f"{late}.")
