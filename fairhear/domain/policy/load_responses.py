"""Reading a pack's `[responses]`: what every stage response must contain (docs/policy-packs.md,
`[responses]`; Pivotal §9 stage 1 step 6 and §11.2 g; Code 6.9 and 6.19), its `[updates]` and
its `[learning]` (the debrief after closure, Pivotal §22.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fairhear.domain.policy.schema import (
    LearningRules,
    ResponsePart,
    ResponseRules,
    UpdateRules,
)

if TYPE_CHECKING:  # pragma: no cover
    from fairhear.domain.policy.load import _Reader

_KEYS = {"required_parts", "cites"}


def read_responses(r: _Reader, data: dict) -> ResponseRules:
    """`[responses]`, optional: a pack without it requires nothing beyond a decision and its
    reasons, as packs published before it did."""
    table = r.table(data, "responses", "", required=False)
    if table is None:
        return ResponseRules()
    r.unknown_keys(table, _KEYS, "responses")
    parts: list[ResponsePart] = []
    for name in r.names(table, "required_parts", "responses", required=True):
        try:
            part = ResponsePart(name)
        except ValueError:
            r.problem(
                "responses.required_parts",
                f"names {name!r}; use one or more of "
                + ", ".join(repr(p.value) for p in ResponsePart)
                + ".",
            )
            continue
        if part in parts:
            r.problem("responses.required_parts", f"names {name!r} twice; list each part once.")
        parts.append(part)
    cites = r.text(table, "cites", "responses")
    return ResponseRules(required_parts=tuple(parts), cites=cites)


# The interval a form may suggest (domain/updates.py MIN_EVERY and MAX_EVERY).
_EVERY = (1, 60)


def read_updates(r: _Reader, data: dict) -> UpdateRules | None:
    """`[updates]`, optional: `default_every`, the interval in working days the form suggests
    (1 to 60), and `cites`, where the policy asks for regular updates."""
    table = r.table(data, "updates", "", required=False)
    if table is None:
        return None
    r.unknown_keys(table, {"default_every", "cites"}, "updates")
    every = table.get("default_every")
    low, high = _EVERY
    if isinstance(every, bool) or not isinstance(every, int) or not low <= every <= high:
        r.problem(
            "updates.default_every",
            f"must be a whole number of working days from {low} to {high}, e.g. 10.",
        )
        every = None
    cites = r.text(table, "cites", "updates")
    return UpdateRules(default_every=every, cites=cites) if every is not None else None


def read_learning(r: _Reader, data: dict) -> LearningRules:
    """`[learning]`, optional: `debrief_after_closure` (true or false) and `debrief_cites`,
    where the policy asks for the debrief, needed when it is true. Without the table no
    debrief is asked for."""
    table = r.table(data, "learning", "", required=False)
    if table is None:
        return LearningRules()
    r.unknown_keys(table, {"debrief_after_closure", "debrief_cites"}, "learning")
    if "debrief_after_closure" not in table:
        r.problem(
            "learning.debrief_after_closure",
            "is missing; say true if a debrief is held after each complaint closes, else false.",
        )
        return LearningRules()
    debrief = r.boolean(table, "debrief_after_closure", "learning")
    cites = r.text(table, "debrief_cites", "learning", required=debrief)
    return LearningRules(debrief_after_closure=debrief, debrief_cites=cites.strip())
