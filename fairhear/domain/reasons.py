"""Which of a pack's coded reasons apply to a case now.

A closure reason applies in the states, at the stages and after the response its pack names
(Pivotal §10.1 c only after a stage 1 response); while a request for the next stage waits, only
the complainant's own withdrawal closes the case, because the decision belongs to the person the
pack names for it (Pivotal §9 stage 2 point 5; Code 5.11). A refusal reason applies only when the
case has the facts it needs (Pivotal §6.1 a: an incident date outside the time limit).

Each check returns the reason it does not apply in a sentence, or "" when it applies; the
services raise it, and the forms offer only the reasons that apply.
"""

from __future__ import annotations

from collections.abc import Iterable

from fairhear.domain.lifecycle import CaseSnapshot, CaseState
from fairhear.domain.policy.schema import PolicyPack, Reason

# The facts of a case a refusal reason may need, in words for the refusal message.
FACTS = {
    "incident_date": "an incident date is recorded",
    "out_of_time": "it is outside the policy's time limit",
    "names_colleague": "it names a colleague",
    "safeguarding": "it is marked as a safeguarding concern",
    "health_and_safety": "it is marked as a health and safety concern",
    "anti_social_behaviour": "it is marked as anti-social behaviour",
    "reopens_concluded": (
        "the complainant had an earlier complaint on the same subject concluded with a final "
        "decision"
    ),
}


def _stage_name(pack: PolicyPack, number: int) -> str:
    return "before acceptance (stage 0)" if number == 0 else pack.stage(number).name


def _words(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def closure_reason_refusal(case: CaseSnapshot, pack: PolicyPack, reason: Reason) -> str:
    """Why `reason` cannot close the case now, in a sentence; "" when it can."""
    named = f"“{reason.label}” ({reason.cites})" if reason.cites else f"“{reason.label}”"
    if not reason.by_hand:
        return f"{named} is recorded by Fairhear itself when it happens; it is not chosen."
    if case.state is CaseState.ESCALATION_REQUESTED and not reason.withdrawal:
        next_stage = pack.stage(case.stage + 1)
        decider = pack.role_title(next_stage.request_decider)
        return (
            f"A request for {next_stage.name} is waiting for the {decider}'s decision, which is "
            f"theirs alone ({next_stage.cites}): they accept or refuse it. Until then the case "
            "closes only if the complainant withdraws."
        )
    if reason.applies_in_states and case.state.value not in reason.applies_in_states:
        states = _words(f"“{CaseState(s).label}”" for s in reason.applies_in_states)
        return f"{named} applies only while the case is {states}; it is “{case.state.label}”."
    if reason.applies_at_stages and case.stage not in reason.applies_at_stages:
        stages = _words(_stage_name(pack, n) for n in reason.applies_at_stages)
        return f"{named} applies only at {stages}; the case is at {_stage_name(pack, case.stage)}."
    if reason.requires_response and case.stage not in case.responded_stages:
        return (
            f"{named} applies only once the {_stage_name(pack, case.stage)} response has been "
            "sent, and it has not been."
        )
    return ""


def closure_reasons_for(case: CaseSnapshot, pack: PolicyPack) -> list[Reason]:
    """The pack's closure reasons a colleague may close the case with now, in pack order."""
    return [r for r in pack.closure_reasons if not closure_reason_refusal(case, pack, r)]


def refusal_reason_refusal(reason: Reason, facts: frozenset[str]) -> str:
    """Why `reason` does not fit a case with these facts, in a sentence; "" when it fits."""
    missing = [f for f in reason.needs_facts if f not in facts]
    if not missing:
        return ""
    named = f"“{reason.label}” ({reason.cites})" if reason.cites else f"“{reason.label}”"
    needs = _words(FACTS[f] for f in reason.needs_facts)
    if "out_of_time" in missing:
        return (
            f"{named} applies only when {needs}, and this complaint is within the time limit "
            "(or exempt from it, or has no incident date). Check the incident date, or choose "
            "another reason."
        )
    return f"{named} applies only when {needs}; for this case that is not so."


def refusal_reasons_for(reasons: Iterable[Reason], facts: frozenset[str]) -> list[Reason]:
    """The reasons that fit a case with these facts, in pack order."""
    return [r for r in reasons if not refusal_reason_refusal(r, facts)]


def refusal_reasons_prompted(pack: PolicyPack, facts: frozenset[str]) -> list[Reason]:
    """Refusal reasons whose facts the case has, to prompt before accepting (Pivotal §6.1 g
    by its needed facts; §6.1 f by the facts that prompt it)."""
    return [
        r
        for r in pack.refusal_reasons
        if (r.needs_facts and set(r.needs_facts) <= facts)
        or (r.prompted_by_facts and set(r.prompted_by_facts) <= facts)
    ]


def concludes_with_final_decision(*, closed: bool, responded: bool, refused: bool) -> bool:
    """Whether an earlier case is "a previously concluded complaint where we have provided a
    final decision" (Pivotal §6.1 f): closed after a response was sent, so a decision was
    given; a complaint refused, routed out or withdrawn before any response was not decided."""
    return closed and responded and not refused


def same_subject(earlier: Iterable[str], now: Iterable[str]) -> bool:
    """Two complaints are on the same subject when they share a category (Pivotal §6.1 f
    "reopen/reconsider"); a complaint with no category is compared with nothing."""
    return bool(set(earlier) & set(now))
