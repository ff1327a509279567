"""What the public pages say, in words drawn from the policy pack."""

from __future__ import annotations

from fairhear.domain.lifecycle import CaseKind
from fairhear.domain.policy.schema import ClockRule, PolicyPack

_FROM = {
    "received": "of receiving it",
    "allocated": "of passing it to the person who will look into it",
    "accepted": "of accepting it",
    "acknowledged": "of acknowledging it",
}


def _within(rule: ClockRule) -> str:
    start = rule.starts_from[0] if rule.starts_from else "received"
    return f"within {rule.duration} {_FROM.get(start, 'of receiving it')}"


def what_happens_next(pack: PolicyPack, kind: str) -> list[str]:
    """The next steps for what was sent, with the pack's timescales in words (Pivotal §9
    stage 1 and App. 1; MMBM §8 and §8.1)."""
    if kind == CaseKind.COMPLIMENT:
        return [
            "We will read it and pass your thanks on to the people you named and their manager.",
            "We count every compliment and share them with our directors.",
        ]
    if kind == CaseKind.SUGGESTION:
        return ["We will read your suggestion and consider it.", "We may contact you about it."]
    if kind == CaseKind.SERVICE_REQUEST:
        return [
            "We will read it and contact you about it.",
            "If we cannot sort it out quickly, we will deal with it as a complaint, and tell you.",
        ]
    lines = ["A member of staff will read it and decide how we deal with it."]
    if pack.local_resolution is not None:
        rule = pack.clocks[pack.local_resolution.clock]
        lines.append(f"We will contact you {_within(rule)} to try to put things right quickly.")
    stage = pack.stage(1)
    if stage.acknowledgement_clock:
        lines.append(
            f"We will write to confirm we have your complaint "
            f"{_within(pack.clocks[stage.acknowledgement_clock])}."
        )
    lines.append(
        f"We aim to send you our full reply {_within(pack.clocks[stage.response_clock])}. If we "
        "need longer, we will tell you why and when to expect it."
    )
    if any(r.duration.unit.value == "working_days" for r in pack.clocks.values()):
        lines.append("Working days are Monday to Friday, not counting bank holidays.")
    return lines
