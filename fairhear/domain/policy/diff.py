"""What changed between two versions of a policy pack, rule by rule, in words.

Not a text diff: a reworded comment or a moved table is no change, and a clock whose duration
went from 10 to 15 working days is one line that says so. The administrator reads this before
making a new version active (docs/policy-packs.md, "Publishing a new version").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from fairhear.domain.policy.schema import ClockRule, PolicyPack, Reason, Signpost, Stage

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PackChange:
    """One rule that differs: its section and name, what about it, and the two values."""

    section: str
    item: str
    what: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        """ "added", "removed" or "changed"."""
        if not self.before:
            return "added"
        if not self.after:
            return "removed"
        return "changed"


def _extension(rule: ClockRule) -> str:
    ext = rule.extension
    if ext is None:
        return "cannot be extended"
    if ext.by_at_most is not None:
        return f"can be extended by at most {ext.by_at_most}"
    if ext.up_to_clock:
        return f"can be extended up to the {ext.up_to_clock} deadline"
    return "can be extended to any agreed date"


def _clock_facts(rule: ClockRule) -> dict[str, str]:
    return {
        "label": rule.label,
        "duration": str(rule.duration),
        "starts from": ", ".join(rule.starts_from),
        "met by": ", ".join(rule.met_by) or "–",
        "stopped by": ", ".join(rule.stopped_by) or "–",
        "extension": _extension(rule),
        "source": rule.cites,
    }


def _stage_facts(stage: Stage) -> dict[str, str]:
    return {
        "name": stage.name,
        "handled by": stage.handler_title,
        "response clock": stage.response_clock,
        "acknowledgement clock": stage.acknowledgement_clock or "–",
        "request window": stage.request_clock or "–",
        "late request": str(stage.late_request),
        "final": "yes" if stage.final else "no",
        "a different handler from the stage before": "yes" if stage.different_handler else "no",
        "source": stage.cites,
    }


def _reason_facts(reason: Reason) -> dict[str, str]:
    return {"label": reason.label, "source": reason.cites or "–"}


def _signpost_facts(signpost: Signpost) -> dict[str, str]:
    return {"name": signpost.name, "when": signpost.when, "contact": signpost.contact}


def _compare(
    section: str,
    old: Iterable[tuple[str, T]],
    new: Iterable[tuple[str, T]],
    facts: Callable[[T], dict[str, str]],
    summary: Callable[[T], str],
    name: Callable[[str, T], str] = lambda key, value: key,
) -> list[PackChange]:
    before, after = dict(old), dict(new)
    changes = []
    for key, value in before.items():
        if key not in after:
            changes.append(PackChange(section, name(key, value), "removed", summary(value), ""))
    for key, value in after.items():
        item = name(key, value)
        if key not in before:
            changes.append(PackChange(section, item, "added", "", summary(value)))
            continue
        was, now = facts(before[key]), facts(value)
        for what in now:
            if was.get(what) != now[what]:
                changes.append(PackChange(section, item, what, was.get(what, "–"), now[what]))
    return changes


def _months(months: int | None) -> str:
    return "–" if months is None else f"{months} month{'s' if months != 1 else ''}"


def _every(pack: PolicyPack) -> str:
    if pack.updates is None:
        return "–"
    days = pack.updates.default_every
    return f"{days} working day{'s' if days != 1 else ''} ({pack.updates.cites})"


def _debrief(pack: PolicyPack) -> str:
    rules = pack.learning
    return f"yes ({rules.debrief_cites})" if rules.debrief_after_closure else "no"


def pack_changes(old: PolicyPack, new: PolicyPack) -> list[PackChange]:
    """Every rule that differs from `old` to `new`: the pack itself, the time limit, the
    roles, each clock, stage, category, refusal and closure reason and signpost."""
    changes = []
    for what, was, now in (
        ("version", old.version, new.version),
        ("title", old.title, new.title),
        ("in force from", str(old.in_force_from or "–"), str(new.in_force_from or "–")),
        ("reviewed every", _months(old.review_every_months), _months(new.review_every_months)),
        ("updates suggested every", _every(old), _every(new)),
        ("debrief after closure", _debrief(old), _debrief(new)),
    ):
        if was != now:
            changes.append(PackChange("Pack", new.name, what, was, now))
    limit_was, limit_now = old.time_limit, new.time_limit
    for what, was, now in (
        ("months", str(limit_was.months), str(limit_now.months)),
        ("no time limit for", ", ".join(limit_was.exempt_categories) or "–",
         ", ".join(limit_now.exempt_categories) or "–"),
        ("exceptional circumstances",
         "may be accepted" if limit_was.exceptional_circumstances else "not accepted",
         "may be accepted" if limit_now.exceptional_circumstances else "not accepted"),
        ("source", limit_was.cites, limit_now.cites),
    ):  # fmt: skip
        if was != now:
            changes.append(PackChange("Time limit", "time limit", what, was, now))
    changes += _compare(
        "Roles",
        ((c.value, t) for c, t in old.roles.items()),
        ((c.value, t) for c, t in new.roles.items()),
        lambda title: {"called": title},
        str,
    )
    changes += _compare(
        "Clocks",
        old.clocks.items(),
        new.clocks.items(),
        _clock_facts,
        lambda r: f"{r.label}: {r.duration}",
        lambda key, r: f"{r.label} ({key})",
    )
    changes += _compare(
        "Stages",
        ((str(s.number), s) for s in old.stages),
        ((str(s.number), s) for s in new.stages),
        _stage_facts,
        lambda s: f"{s.name}, handled by {s.handler_title}",
        lambda key, s: f"Stage {key}: {s.name}",
    )
    for section, was_reasons, now_reasons in (
        ("Categories", old.categories, new.categories),
        ("Refusal reasons", old.refusal_reasons, new.refusal_reasons),
        ("Closure reasons", old.closure_reasons, new.closure_reasons),
    ):
        changes += _compare(
            section,
            ((r.code, r) for r in was_reasons),
            ((r.code, r) for r in now_reasons),
            _reason_facts,
            lambda r: r.label,
            lambda key, r: f"{r.label} ({key})",
        )
    changes += _compare(
        "Signposts",
        ((s.code, s) for s in old.signposts),
        ((s.code, s) for s in new.signposts),
        _signpost_facts,
        lambda s: s.name,
    )
    return changes
