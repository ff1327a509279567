"""Who may see a case, and why: need to know, denied by default (BRIEF core idea 4; Pivotal
App. 3 E: "disclosed on a need-to-know basis"; MMBM 7.6: "the strictest of confidence").

The colleague's facts and the case's facts go in, a verdict comes out. `fairhear.cases.access`
turns the same rule into the one queryset every list, count, search and export starts from;
a test drives both over every role and case of the demo and asserts they agree
(docs/adr/ADR-006-need-to-know-access.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fairhear.domain.lifecycle import Action, CaseState
from fairhear.domain.policy.schema import Capability, PolicyPack

NOT_RESTRICTED = "Access to this case is not restricted."
ALREADY_RESTRICTED = "Access to this case is already restricted; change who may see it instead."


class Visibility(StrEnum):
    """How much of a case a colleague may see."""

    FULL = "full"
    # Reference, date received and one line of where it is now; not its content.
    LOGGED_ONLY = "logged_only"
    NONE = "none"


class Involvement(StrEnum):
    """How a colleague took part in a case, kept so that access outlives the part they played."""

    HANDLED = "handled"  # was allocated it
    DECIDED = "decided"  # made one of its decisions (DECISIONS)


# The actions that are decisions on a case, as opposed to records any colleague may make
# (a note, a communication, who was told): whoever takes one keeps sight of the case after.
DECISIONS = frozenset(
    {
        Action.ACCEPT,
        Action.REFUSE,
        Action.START_LOCAL_RESOLUTION,
        Action.RESOLVE_LOCALLY,
        Action.ALLOCATE,
        Action.ACKNOWLEDGE,
        Action.EXTEND,
        Action.RESPOND,
        Action.CLOSE,
        Action.RECORD_DATE_NOT_AGREED,
        Action.ACCEPT_ESCALATION,
        Action.REFUSE_ESCALATION,
        Action.SIGN_OFF,
        Action.ROUTE_OUT,
        Action.NOT_INVESTIGATE,
        Action.REFER_TO_AGENCY,
        Action.ASSESS_EXTENSION_REASON,
        Action.APPLY_RESTRICTION,
        Action.REVIEW_RESTRICTION,
        Action.LIFT_RESTRICTION,
    }
)

# A request to escalate, and a case waiting for its stage 2 or 3 handler, are put to every
# reviewer and director: the pack names which of them decides, and My work lists them for both.
PUT_TO_REVIEWERS_STATES = frozenset({CaseState.ESCALATION_REQUESTED})
AWAITING_LATER_STAGE = CaseState.AWAITING_ALLOCATION
REVIEWING = frozenset({Capability.REVIEW, Capability.DIRECT})


@dataclass(frozen=True, slots=True)
class ColleagueFacts:
    """What access depends on about the colleague. `capabilities` as held (the lead officer's
    reach comes from this rule, not from holding every capability)."""

    id: int
    capabilities: frozenset[Capability]
    service_area_id: int | None = None


@dataclass(frozen=True, slots=True)
class CaseAccessFacts:
    """What access depends on about the case."""

    state: CaseState
    stage: int
    handler_id: int | None = None
    logged_by_id: int | None = None
    service_area_id: int | None = None
    about_ids: frozenset[int] = frozenset()
    handled_ids: frozenset[int] = frozenset()  # everyone it was ever allocated to
    decided_ids: frozenset[int] = frozenset()  # everyone who made one of its decisions
    restricted: bool = False
    named_ids: frozenset[int] = frozenset()  # who may see it while access is restricted


@dataclass(frozen=True, slots=True)
class AccessVerdict:
    """How much the colleague may see, and the reason in words."""

    visibility: Visibility
    reason: str

    @property
    def full(self) -> bool:
        """True when the colleague may open the case."""
        return self.visibility is Visibility.FULL


def is_put_to(capabilities: frozenset[Capability], case: CaseAccessFacts) -> bool:
    """True when the case waits on a decision for someone with these capabilities: a request
    to escalate, or a later stage to allocate (Pivotal §9 stage 2 point 5; MMBM 8.3.1)."""
    if not capabilities & REVIEWING:
        return False
    return case.state in PUT_TO_REVIEWERS_STATES or (
        case.state is AWAITING_LATER_STAGE and case.stage >= 2
    )


def in_service_area(colleague: ColleagueFacts, case: CaseAccessFacts) -> bool:
    """True for an allocator whose service area is the case's. An allocator with no service
    area allocates for the whole organisation, and a case with no service area is seen by
    every allocator, so that someone can always route it (ADR-006)."""
    if Capability.ALLOCATE not in colleague.capabilities:
        return False
    if colleague.service_area_id is None or case.service_area_id is None:
        return True
    return colleague.service_area_id == case.service_area_id


def access_for(colleague: ColleagueFacts, case: CaseAccessFacts) -> AccessVerdict:
    """May this colleague see this case, how much, and why (denied unless a reason applies)."""
    me = colleague.id
    if me in case.about_ids:
        return AccessVerdict(Visibility.NONE, "The complaint names you.")
    if Capability.LEAD in colleague.capabilities:
        return AccessVerdict(Visibility.FULL, "You are the lead officer for complaints.")
    if case.restricted:
        return _restricted(me, case)
    reason = _reason_to_see(colleague, case)
    if reason:
        return AccessVerdict(Visibility.FULL, reason)
    if me == case.logged_by_id:
        return AccessVerdict(
            Visibility.LOGGED_ONLY, "You logged it; it has been allocated to someone else."
        )
    return AccessVerdict(Visibility.NONE, "You have no part in this case.")


def _restricted(me: int, case: CaseAccessFacts) -> AccessVerdict:
    if me in case.named_ids:
        return AccessVerdict(Visibility.FULL, "Access is restricted and you are named on it.")
    if me == case.handler_id:
        return AccessVerdict(Visibility.FULL, "Access is restricted and it is allocated to you.")
    if me == case.logged_by_id:
        return AccessVerdict(
            Visibility.LOGGED_ONLY, "You logged it; access is restricted to the people named."
        )
    return AccessVerdict(Visibility.NONE, "Access is restricted to the people named on it.")


def _reason_to_see(colleague: ColleagueFacts, case: CaseAccessFacts) -> str:
    me = colleague.id
    if me == case.handler_id:
        return "It is allocated to you."
    if me in case.handled_ids:
        return "You handled it."
    if me in case.decided_ids:
        return "You made a decision on it."
    if in_service_area(colleague, case):
        return "You allocate for its service area."
    if is_put_to(colleague.capabilities, case):
        return "It is waiting for a reviewer's decision."
    if me == case.logged_by_id and not case.handled_ids and case.handler_id is None:
        return "You logged it and it has not been allocated yet."
    return ""


def access_restricting_categories(pack: PolicyPack, categories: list[str]) -> tuple[str, ...]:
    """The case's categories whose pack entry restricts access (`restricts_access = true`:
    safeguarding, staff conduct, fraud as each pack says; Pivotal App. 3 E; MMBM 7.6)."""
    restricting = {c.code for c in pack.categories if c.restricts_access}
    return tuple(c for c in categories if c in restricting)
