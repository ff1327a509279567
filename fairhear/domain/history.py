"""Read a case's event history as the milestones and extensions its clocks run from.

The event log is the truth (BRIEF core idea 3); this module is the one place that says which
event is which milestone, so clocks, the case page and reports agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fairhear.domain.lifecycle import Action
from fairhear.domain.policy.evaluate import AgreedDate, AgreedExtension, Occurrence
from fairhear.domain.policy.schema import stage_milestone


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One case event as plain values: what, at which stage, on which London date, with what."""

    kind: Action
    stage: int
    on: date
    recorded_on: date
    data: dict = field(default_factory=dict)


def milestones(records: list[EventRecord]) -> tuple[list[Occurrence], list[AgreedExtension]]:
    """The milestones and agreed extensions that a case's events amount to, in order."""
    occurrences: list[Occurrence] = []
    extensions: list[AgreedExtension] = []
    for rec in records:
        found = _occurrences_of(rec)
        if rec.kind is Action.RECORD_RESPONSE_RECEIPT and rec.data.get("corrects_sequence"):
            # A corrected receipt date replaces the one it corrects (Pivotal §9 stage 2 point 1).
            occurrences = [o for o in occurrences if o.name != found[0].name]
        occurrences += found
        if rec.kind is Action.EXTEND:
            told = rec.data.get("told_on")
            extensions.append(
                AgreedExtension(
                    clock=rec.data["clock"],
                    new_due=date.fromisoformat(rec.data["new_due"]),
                    told_on=date.fromisoformat(told) if told else None,
                    beyond_limit_allowed=bool(
                        rec.data.get("beyond_limit") and rec.data.get("within_rule")
                    ),
                )
            )
    return occurrences, extensions


def agreed_dates(records: list[EventRecord]) -> list[AgreedDate]:
    """The response dates agreed at acknowledgement (MMBM §8.1), in order."""
    return [
        AgreedDate(
            clock=rec.data["response_clock"],
            due=date.fromisoformat(rec.data["agreed_response_date"]),
            cites=rec.data.get("agreed_cites", ""),
        )
        for rec in records
        if rec.kind is Action.ACKNOWLEDGE and rec.data.get("agreed_response_date")
    ]


def _occurrences_of(rec: EventRecord) -> list[Occurrence]:
    name = _MILESTONE.get(rec.kind)
    if name is None:
        return []
    out = [Occurrence(name(rec) if callable(name) else name, rec.on)]
    if rec.kind in {Action.RECEIVE, Action.CONVERT_TO_COMPLAINT}:
        # Logged is when the case reached the log, which may be later than its receipt.
        out.append(Occurrence("logged", rec.recorded_on))
        if rec.data.get("anonymous"):  # nobody to answer (Pivotal §18; MMBM §7.7)
            out.append(Occurrence("anonymous", rec.on))
    if (rec.kind is Action.RESPOND and rec.data.get("closes_case")) or (
        rec.kind is Action.REFUSE_ESCALATION
    ):
        out.append(Occurrence("closed", rec.on))
    return out


_MILESTONE = {
    Action.RECEIVE: "received",
    Action.CONVERT_TO_COMPLAINT: "received",
    Action.START_LOCAL_RESOLUTION: "local_resolution_contacted",
    Action.ACCEPT: "accepted",
    Action.REFUSE: "refused",
    Action.ALLOCATE: lambda rec: stage_milestone(rec.stage, "allocated"),
    Action.ACKNOWLEDGE: lambda rec: stage_milestone(rec.stage, "acknowledged"),
    Action.RESPOND: lambda rec: f"stage{rec.stage}_response_sent",
    Action.RECORD_RESPONSE_RECEIPT: lambda rec: (
        f"stage{rec.data.get('response_stage', rec.stage)}_response_received"
    ),
    Action.REQUEST_ESCALATION: lambda rec: f"stage{rec.data['to_stage']}_requested",
    Action.ACCEPT_ESCALATION: lambda rec: f"stage{rec.data['to_stage']}_request_accepted",
    Action.REFUSE_ESCALATION: lambda rec: f"stage{rec.data['to_stage']}_request_refused",
    Action.CLOSE: "closed",
    Action.AUTO_CLOSE: "closed",
    Action.RESOLVE_LOCALLY: "closed",
    Action.ROUTE_OUT: "closed",
    Action.NOT_INVESTIGATE: "closed",
    Action.WARN_BEHAVIOUR: "behaviour_warned",
    Action.APPLY_RESTRICTION: "restriction_applied",
    Action.REVIEW_RESTRICTION: "restriction_reviewed",
    Action.LIFT_RESTRICTION: "restriction_lifted",
    # Telling the people the policy names (Pivotal §9 stage 1 step 5). A priority e-mail sent
    # through the outbox when the case is logged is to be recorded as this same event (how:
    # e-mail), so that it meets the same milestone.
    Action.RECORD_MANAGERS_TOLD: "managers_told",
    Action.HOLD_AUTO_CLOSE: "auto_close_held",
    Action.RECORD_COMMUNICATION: lambda rec: (
        "communication_received" if rec.data.get("direction") == "in" else "communication_sent"
    ),
}
