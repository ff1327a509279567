"""Read the optional fields that say when a coded reason applies and who decides a request.

Every field here is optional, with a default that keeps what packs published before it meant:
a reason with none of them applies whenever it did before. docs/policy-packs.md describes each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fairhear.domain.lifecycle import OPEN_STATES
from fairhear.domain.policy.limits import MAX_STAGES
from fairhear.domain.policy.schema import Capability, PolicyPack
from fairhear.domain.reasons import FACTS

if TYPE_CHECKING:
    from fairhear.domain.policy.load import _Reader

CLOSURE_CONDITION_KEYS = {
    "applies_in_states",
    "applies_at_stages",
    "requires_response",
    "by_hand",
    "withdrawal",
}
REFUSAL_CONDITION_KEYS = {"needs_facts", "prompted_by_facts"}
STAGE_REQUEST_KEYS = {
    "request_decided_by",
    "request_refusal_reasons",
    "request_needs_exceptional_circumstances",
}
_OPEN = sorted(s.value for s in OPEN_STATES)


def closure_conditions(r: _Reader, spec: dict, path: str) -> dict:
    """When a colleague may close a case with this reason (state, stage, a response sent)."""
    states = r.names(spec, "applies_in_states", path)
    for state in states:
        if state not in _OPEN:
            r.problem(
                f"{path}.applies_in_states",
                f"names {state!r}, which is not an open case state; use one of {', '.join(_OPEN)}.",
            )
    stages = spec.get("applies_at_stages", [])
    if (
        not isinstance(stages, list)
        or len(stages) > MAX_STAGES + 1
        or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in stages)
    ):
        r.problem(
            f"{path}.applies_at_stages",
            "must be a list of stage numbers such as [1] or [0, 1] (0 is before acceptance).",
        )
        stages = []
    return {
        "applies_in_states": states,
        "applies_at_stages": tuple(stages),
        "requires_response": r.boolean(spec, "requires_response", path),
        "by_hand": r.boolean(spec, "by_hand", path, True),
        "withdrawal": r.boolean(spec, "withdrawal", path),
    }


def refusal_conditions(r: _Reader, spec: dict, path: str) -> dict:
    """The facts of the case a refusal reason needs (Pivotal §6.1 a needs an incident date),
    and the facts that prompt it at acceptance without being needed (Pivotal §6.1 f: an
    earlier complaint of the person's on the same subject was concluded)."""
    found = {}
    for key in ("needs_facts", "prompted_by_facts"):
        facts = r.names(spec, key, path)
        for fact in facts:
            if fact not in FACTS:
                r.problem(
                    f"{path}.{key}",
                    f"names {fact!r}, which is not a fact Fairhear knows; use one of "
                    f"{', '.join(sorted(FACTS))}.",
                )
        found[key] = facts
    return found


def stage_request(r: _Reader, spec: dict, path: str) -> dict:
    """Who decides a request for this stage, and what refusing or accepting it needs."""
    decided_by = None
    if "request_decided_by" in spec:
        decided_by = r.choice(spec, "request_decided_by", path, Capability)
    return {
        "request_decided_by": decided_by,
        "request_refusal_reasons": r.names(spec, "request_refusal_reasons", path),
        "request_needs_exceptional_circumstances": r.boolean(
            spec, "request_needs_exceptional_circumstances", path
        ),
    }


def check_conditions(r: _Reader, pack: PolicyPack) -> None:
    """Names used by the conditions must be defined elsewhere in the pack."""
    last = max((s.number for s in pack.stages), default=0)
    refusal_codes = {c.code for c in pack.refusal_reasons}
    for i, reason in enumerate(pack.closure_reasons):
        for n in reason.applies_at_stages:
            if n > last:
                r.problem(
                    f"closure_reasons[{i}].applies_at_stages",
                    f"names stage {n}, but the pack's stages end at {last}.",
                )
    for i, stage in enumerate(pack.stages):
        for code in stage.request_refusal_reasons:
            if code not in refusal_codes:
                r.problem(
                    f"stages[{i}].request_refusal_reasons",
                    f"{code!r} is not one of the refusal reasons.",
                )
        if stage.number == 1 and (
            stage.request_refusal_reasons or stage.request_needs_exceptional_circumstances
        ):
            r.problem(
                f"stages[{i}]",
                "stage 1 is not asked for, so its request fields do not apply; move them to "
                "stage 2 or later.",
            )
