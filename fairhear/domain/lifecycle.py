"""The case lifecycle: states, actions, the one table of allowed moves, and the guards.

The allowed moves live only here (STYLE.md §3). Services ask `check_transition` before they
write; a refusal raises TransitionRejected with a sentence saying why, in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from fairhear.domain.clock import LONDON, fmt_day
from fairhear.domain.policy.schema import (
    BeyondLimit,
    Capability,
    LateRequest,
    PolicyPack,
    stage_milestone,
)


class CaseKind(StrEnum):
    """What the contact is (BRIEF "intake")."""

    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"
    SUGGESTION = "suggestion"
    SERVICE_REQUEST = "service_request"


class CaseState(StrEnum):
    """Where a case stands. Stage-specific states are read together with the case's stage."""

    RECEIVED = "received"
    LOCAL_RESOLUTION = "local_resolution"
    AWAITING_ALLOCATION = "awaiting_allocation"
    AWAITING_ACKNOWLEDGEMENT = "awaiting_acknowledgement"
    INVESTIGATING = "investigating"
    RESPONDED = "responded"
    ESCALATION_REQUESTED = "escalation_requested"
    REFUSED = "refused"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """The state in words."""
        return _STATE_LABELS[self]


_STATE_LABELS = {
    CaseState.RECEIVED: "Received",
    CaseState.LOCAL_RESOLUTION: "Local resolution",
    CaseState.AWAITING_ALLOCATION: "Awaiting allocation",
    CaseState.AWAITING_ACKNOWLEDGEMENT: "Awaiting acknowledgement",
    CaseState.INVESTIGATING: "Investigating",
    CaseState.RESPONDED: "Response sent",
    CaseState.ESCALATION_REQUESTED: "Escalation requested",
    CaseState.REFUSED: "Not accepted",
    CaseState.CLOSED: "Closed",
}

OPEN_STATES = frozenset(CaseState) - {CaseState.REFUSED, CaseState.CLOSED}


class Action(StrEnum):
    """Everything that can happen to a case. Each is recorded as an event of the same name."""

    RECEIVE = "received"
    ACCEPT = "accepted"
    REFUSE = "refused"
    START_LOCAL_RESOLUTION = "local_resolution_started"
    RESOLVE_LOCALLY = "resolved_locally"
    ALLOCATE = "allocated"
    ACKNOWLEDGE = "acknowledged"
    EXTEND = "extension_agreed"
    RESPOND = "response_sent"
    RECORD_RESPONSE_RECEIPT = "response_received"
    REQUEST_ESCALATION = "escalation_requested"
    ACCEPT_ESCALATION = "escalation_accepted"
    REFUSE_ESCALATION = "escalation_refused"
    CLOSE = "closed"
    AUTO_CLOSE = "auto_closed"
    CONVERT_TO_COMPLAINT = "converted_to_complaint"
    FORWARD_COMPLIMENT = "compliment_forwarded"
    CLOSE_CONTACT = "contact_closed"
    APPLY_RESTRICTION = "restriction_applied"
    REVIEW_RESTRICTION = "restriction_reviewed"
    LIFT_RESTRICTION = "restriction_lifted"
    RECORD_OMBUDSMAN_REFERRAL = "ombudsman_referral"
    RECORD_FEEDBACK = "feedback_recorded"
    ASSESS_EXTENSION_REASON = "extension_reason_assessed"
    ADD_NOTE = "note_added"
    RECORD_DATE_NOT_AGREED = "revised_date_not_agreed"
    RECORD_MANAGERS_TOLD = "managers_told"
    SIGN_OFF = "signed_off"
    ROUTE_OUT = "routed_out"
    RECORD_COMMUNICATION = "communication_recorded"
    NOT_INVESTIGATE = "anonymous_not_investigated"
    REFER_TO_AGENCY = "referred_to_agency"
    # Restricted access (need to know: domain/access.py), not restrictions on contact.
    RESTRICT_ACCESS = "access_restricted"
    CHANGE_ACCESS_NAMES = "access_names_changed"
    UNRESTRICT_ACCESS = "access_unrestricted"
    CORRECT_DETAILS = "details_corrected"
    WARN_BEHAVIOUR = "behaviour_warned"
    REPORT_BEHAVIOUR = "behaviour_reported"
    RECORD_RESTRICTION_NOTICE = "restriction_notice_sent"
    TAKE_INTO_RESPONSE = "additional_complaint_taken_in"
    DRAFT_RESPONSE = "response_drafted"
    SEND_LETTER = "letter_sent"
    CHANGE_KIND = "kind_changed"
    # The worker's sweep, once per deadline and due date (notifications/reminders.py).
    RECORD_MISSED_DEADLINE = "deadline_missed"
    # The worker's sweep, once per escalation window and last day (notifications/windows.py).
    RECORD_WINDOW_CLOSED = "window_closed"
    # How often the complainant will be updated (Pivotal §11.2 b and e; MMBM §8.1.2; Code 5.9).
    AGREE_UPDATES = "update_interval_agreed"
    # A colleague keeps open a case the pack would close by itself (Pivotal §10.1 c), with why.
    HOLD_AUTO_CLOSE = "auto_close_held"

    @property
    def label(self) -> str:
        """The action as a button or timeline entry says it."""
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.RECEIVE: "Receive a case",
    Action.ACCEPT: "Accept the complaint",
    Action.REFUSE: "Do not accept the complaint",
    Action.START_LOCAL_RESOLUTION: "Try to resolve it locally",
    Action.RESOLVE_LOCALLY: "Record that it was resolved locally",
    Action.ALLOCATE: "Allocate",
    Action.ACKNOWLEDGE: "Acknowledge",
    Action.EXTEND: "Agree an extension",
    Action.RESPOND: "Send the response",
    Action.RECORD_RESPONSE_RECEIPT: "Record when the response was received",
    Action.REQUEST_ESCALATION: "Record a request to escalate",
    Action.ACCEPT_ESCALATION: "Accept the escalation",
    Action.REFUSE_ESCALATION: "Refuse the escalation",
    Action.CLOSE: "Close",
    Action.AUTO_CLOSE: "Close automatically",
    Action.CONVERT_TO_COMPLAINT: "Log as a complaint",
    Action.FORWARD_COMPLIMENT: "Pass the compliment on",
    Action.CLOSE_CONTACT: "Close",
    Action.APPLY_RESTRICTION: "Apply restrictions on contact",
    Action.REVIEW_RESTRICTION: "Review the restrictions",
    Action.LIFT_RESTRICTION: "Lift the restrictions",
    Action.RECORD_OMBUDSMAN_REFERRAL: "Record an ombudsman referral",
    Action.RECORD_FEEDBACK: "Record feedback",
    Action.ASSESS_EXTENSION_REASON: "Assess the extension's reason",
    Action.ADD_NOTE: "Add a note",
    Action.RECORD_DATE_NOT_AGREED: "Record that a revised date was not agreed",
    Action.RECORD_MANAGERS_TOLD: "Record who was told of the complaint",
    Action.SIGN_OFF: "Sign off a step",
    Action.ROUTE_OUT: "Route out of this procedure",
    Action.RECORD_COMMUNICATION: "Record a communication",
    Action.NOT_INVESTIGATE: "Decide not to investigate the anonymous complaint",
    Action.REFER_TO_AGENCY: "Record a referral to another agency",
    Action.RESTRICT_ACCESS: "Restrict access",
    Action.CHANGE_ACCESS_NAMES: "Change who may see it",
    Action.UNRESTRICT_ACCESS: "Remove the restricted access",
    Action.CORRECT_DETAILS: "Correct the details",
    Action.WARN_BEHAVIOUR: "Warn about unacceptable behaviour",
    Action.REPORT_BEHAVIOUR: "Record who was told of the behaviour",
    Action.RECORD_RESTRICTION_NOTICE: "Record a written notice about restrictions",
    Action.TAKE_INTO_RESPONSE: "Take an additional complaint into the stage 1 response",
    Action.DRAFT_RESPONSE: "Draft the response letter",
    Action.SEND_LETTER: "Send a letter",
    Action.CHANGE_KIND: "Change what it is",
    Action.RECORD_MISSED_DEADLINE: "Record a missed deadline",
    Action.RECORD_WINDOW_CLOSED: "Record that a window to ask for the next stage closed",
    Action.AGREE_UPDATES: "Agree how often to update the complainant",
    Action.HOLD_AUTO_CLOSE: "Keep the case open",
}

# The steps that move a case on: its receipt, and every action that changes its state, stage,
# handler or response date. Each is dated no earlier than the latest step before it
# (check_step_order). Everything else is a record (notes, restrictions, referrals, feedback,
# the date a response was received, an extension's assessment): a record logged late may carry
# its true, earlier date, as long as it is not before the case was received.
_STEP_WORDS: dict[Action, tuple[str, str]] = {
    # action: (the step as the subject of a sentence, what happened when it was taken)
    Action.RECEIVE: ("The receipt", "the case was received"),
    Action.ACCEPT: ("The acceptance", "the complaint was accepted"),
    Action.REFUSE: ("The decision not to accept it", "it was not accepted"),
    Action.START_LOCAL_RESOLUTION: ("The local resolution contact", "local resolution began"),
    Action.RESOLVE_LOCALLY: ("The local resolution", "it was resolved locally"),
    Action.ALLOCATE: ("The allocation", "it was allocated"),
    Action.ACKNOWLEDGE: ("The acknowledgement", "it was acknowledged"),
    Action.EXTEND: ("The extension", "an extension was agreed"),
    Action.RESPOND: ("The response", "the response was sent"),
    Action.REQUEST_ESCALATION: ("The escalation request", "the escalation was requested"),
    Action.ACCEPT_ESCALATION: ("Accepting the escalation", "the escalation was accepted"),
    Action.REFUSE_ESCALATION: ("Refusing the escalation", "the escalation was refused"),
    Action.CLOSE: ("The closure", "it was closed"),
    Action.AUTO_CLOSE: ("The automatic closure", "it closed automatically"),
    Action.CONVERT_TO_COMPLAINT: ("Logging it as a complaint", "it was logged as a complaint"),
    Action.FORWARD_COMPLIMENT: ("Passing the compliment on", "the compliment was passed on"),
    Action.CLOSE_CONTACT: ("The closure", "it was closed"),
    Action.ROUTE_OUT: ("Routing it out", "it was routed out of this procedure"),
    Action.CHANGE_KIND: ("Changing what it is", "what it is was changed"),
    Action.NOT_INVESTIGATE: (
        "The decision not to investigate",
        "it was decided not to investigate",
    ),
}
STEPS = frozenset(_STEP_WORDS)


def check_step_order(
    action: Action, when: datetime, latest: tuple[Action, datetime] | None
) -> None:
    """A step cannot be dated before the latest step the case has taken (`latest`: its action
    and time), to the minute, since times are entered to the minute; records may be earlier."""
    if action not in STEPS or latest is None:
        return
    previous, previous_at = latest
    if when >= previous_at.replace(second=0, microsecond=0):
        return
    on, previous_on = when.astimezone(LONDON), previous_at.astimezone(LONDON)
    if on.date() == previous_on.date():
        dated = f"{fmt_day(on.date())} at {on:%H:%M}"
        happened = f"{fmt_day(previous_on.date())} at {previous_on:%H:%M}"
        use = "that time"
    else:
        dated, happened, use = fmt_day(on.date()), fmt_day(previous_on.date()), "that date"
    subject = _STEP_WORDS[action][0]
    raise TransitionRejected(
        f"{subject} cannot be dated {dated}: {_STEP_WORDS[previous][1]} on {happened}. "
        f"Use {use} or later."
    )


_COMPLAINT = frozenset({CaseKind.COMPLAINT})
_ANY_KIND = frozenset(CaseKind)
_ALL_STATES = frozenset(CaseState)
_WORKING = frozenset({CaseState.AWAITING_ACKNOWLEDGEMENT, CaseState.INVESTIGATING})


@dataclass(frozen=True, slots=True)
class Move:
    """One row of the transition table."""

    kinds: frozenset[CaseKind]
    sources: frozenset[CaseState]
    target: CaseState | None  # None: the state does not change


TRANSITIONS: dict[Action, Move] = {
    Action.ACCEPT: Move(
        _COMPLAINT,
        frozenset({CaseState.RECEIVED, CaseState.LOCAL_RESOLUTION}),
        CaseState.AWAITING_ALLOCATION,
    ),
    # Deciding not to accept is the decision taken instead of accepting (Pivotal §6.1; MMBM
    # §6.1): once accepted (awaiting allocation, at any stage) it no longer applies, and the case
    # is closed with a closure reason instead.
    Action.REFUSE: Move(
        _COMPLAINT, frozenset({CaseState.RECEIVED, CaseState.LOCAL_RESOLUTION}), CaseState.REFUSED
    ),
    Action.START_LOCAL_RESOLUTION: Move(
        _COMPLAINT, frozenset({CaseState.RECEIVED}), CaseState.LOCAL_RESOLUTION
    ),
    Action.RESOLVE_LOCALLY: Move(
        _COMPLAINT, frozenset({CaseState.LOCAL_RESOLUTION}), CaseState.CLOSED
    ),
    Action.ALLOCATE: Move(_COMPLAINT, frozenset({CaseState.AWAITING_ALLOCATION}) | _WORKING, None),
    Action.ACKNOWLEDGE: Move(
        _COMPLAINT, frozenset({CaseState.AWAITING_ACKNOWLEDGEMENT}), CaseState.INVESTIGATING
    ),
    Action.EXTEND: Move(_COMPLAINT, _WORKING, None),
    Action.RESPOND: Move(_COMPLAINT, frozenset({CaseState.INVESTIGATING}), CaseState.RESPONDED),
    Action.RECORD_RESPONSE_RECEIPT: Move(
        _COMPLAINT,
        frozenset({CaseState.RESPONDED, CaseState.ESCALATION_REQUESTED, CaseState.CLOSED}),
        None,
    ),
    Action.REQUEST_ESCALATION: Move(
        _COMPLAINT,
        frozenset({CaseState.RESPONDED, CaseState.CLOSED}),
        CaseState.ESCALATION_REQUESTED,
    ),
    Action.ACCEPT_ESCALATION: Move(
        _COMPLAINT, frozenset({CaseState.ESCALATION_REQUESTED}), CaseState.AWAITING_ALLOCATION
    ),
    # A refused escalation makes the last response final and closes the case (Pivotal §9 stage 2
    # point 5; MMBM §8.2.4; Code 5.11), with the next stage's own closure reason.
    Action.REFUSE_ESCALATION: Move(
        _COMPLAINT, frozenset({CaseState.ESCALATION_REQUESTED}), CaseState.CLOSED
    ),
    Action.CLOSE: Move(_COMPLAINT, OPEN_STATES, CaseState.CLOSED),
    Action.AUTO_CLOSE: Move(_COMPLAINT, frozenset({CaseState.RESPONDED}), CaseState.CLOSED),
    Action.CONVERT_TO_COMPLAINT: Move(
        frozenset({CaseKind.SERVICE_REQUEST}), frozenset({CaseState.RECEIVED}), CaseState.RECEIVED
    ),
    Action.FORWARD_COMPLIMENT: Move(
        frozenset({CaseKind.COMPLIMENT}), frozenset({CaseState.RECEIVED}), CaseState.CLOSED
    ),
    Action.CLOSE_CONTACT: Move(
        frozenset({CaseKind.SERVICE_REQUEST, CaseKind.SUGGESTION, CaseKind.COMPLIMENT}),
        frozenset({CaseState.RECEIVED}),
        CaseState.CLOSED,
    ),
    Action.APPLY_RESTRICTION: Move(_COMPLAINT, _ALL_STATES, None),
    Action.REVIEW_RESTRICTION: Move(_COMPLAINT, _ALL_STATES, None),
    Action.LIFT_RESTRICTION: Move(_COMPLAINT, _ALL_STATES, None),
    # Restricted access: the lead restricts any case to the people named, at any time, and
    # records each change of who is named and the end of the restriction (docs/security.md).
    Action.RESTRICT_ACCESS: Move(_ANY_KIND, _ALL_STATES, None),
    Action.CHANGE_ACCESS_NAMES: Move(_ANY_KIND, _ALL_STATES, None),
    Action.UNRESTRICT_ACCESS: Move(_ANY_KIND, _ALL_STATES, None),
    Action.RECORD_OMBUDSMAN_REFERRAL: Move(_COMPLAINT, _ALL_STATES, None),
    Action.RECORD_FEEDBACK: Move(_COMPLAINT, frozenset({CaseState.CLOSED}), None),
    Action.ASSESS_EXTENSION_REASON: Move(_COMPLAINT, _ALL_STATES, None),
    Action.ADD_NOTE: Move(_ANY_KIND, _ALL_STATES, None),
    # Pivotal §14.3: the complainant will not agree a revised date; the case goes on as it was.
    Action.RECORD_DATE_NOT_AGREED: Move(_COMPLAINT, _WORKING, None),
    # Pivotal §9 stage 1 (colleague receiving the complaint, step 5): the line manager and Head
    # of Services are told; recorded whenever it happened, even after the case moved on.
    Action.RECORD_MANAGERS_TOLD: Move(_COMPLAINT, _ALL_STATES, None),
    # Pivotal §9 stage 1 step 7 and §13: the Head of Services agrees an extension or the outcome.
    Action.SIGN_OFF: Move(_COMPLAINT, _WORKING, None),
    # A matter the policy deals with elsewhere (Pivotal §6.1 g and h, §17.1; MMBM §3) leaves
    # the procedure before a response; a route that is a refusal moves as a refusal does.
    Action.ROUTE_OUT: Move(
        _COMPLAINT,
        frozenset({CaseState.RECEIVED, CaseState.LOCAL_RESOLUTION, CaseState.AWAITING_ALLOCATION})
        | _WORKING,
        CaseState.CLOSED,
    ),
    # A call, letter, e-mail, visit or meeting with the complainant, either way, at any time;
    # an incoming one may stop a clock the pack names it in (Pivotal §10.1 c).
    Action.RECORD_COMMUNICATION: Move(_ANY_KIND, _ALL_STATES, None),
    # Pivotal §18.3: the departmental manager's decision on an anonymous complaint that §18.2
    # does not say is investigated; §18.4: what we have may go to a more appropriate agency.
    Action.NOT_INVESTIGATE: Move(
        _COMPLAINT,
        frozenset({CaseState.RECEIVED, CaseState.LOCAL_RESOLUTION, CaseState.AWAITING_ALLOCATION})
        | _WORKING,
        CaseState.CLOSED,
    ),
    Action.REFER_TO_AGENCY: Move(_COMPLAINT, _ALL_STATES, None),
    # A detail typed wrongly at logging is put right, before and after recorded, at any time.
    Action.CORRECT_DETAILS: Move(_ANY_KIND, _ALL_STATES, None),
    # Restrictions on contact are the person's (MMBM §9; Pivotal §12, App. 3 I), recorded from
    # any of their complaints at any time: the warning before them, the written notices, and
    # telling the people the policy names.
    Action.WARN_BEHAVIOUR: Move(_COMPLAINT, _ALL_STATES, None),
    Action.REPORT_BEHAVIOUR: Move(_COMPLAINT, _ALL_STATES, None),
    Action.RECORD_RESTRICTION_NOTICE: Move(_COMPLAINT, _ALL_STATES, None),
    # Pivotal §9 stage 1 step 8; Code 6.8: a new complaint raised while stage 1 is open is taken
    # into its response (or logged as a new case linked to this one).
    Action.TAKE_INTO_RESPONSE: Move(
        _COMPLAINT, frozenset({CaseState.AWAITING_ALLOCATION}) | _WORKING, None
    ),
    # A stage response written for approval before it is sent (Pivotal §13; §9 stage 1 step 6).
    Action.DRAFT_RESPONSE: Move(_COMPLAINT, _WORKING, None),
    # A letter kept on the case exactly as sent, by e-mail or for post, at any time.
    Action.SEND_LETTER: Move(_ANY_KIND, _ALL_STATES, None),
    # Triage (Pivotal §4.0, §5.3): what someone sent is whatever it really is, whatever they
    # called it; it counts from when it was received, unlike a service request that later
    # becomes a complaint (CONVERT_TO_COMPLAINT, Pivotal §5.4).
    Action.CHANGE_KIND: Move(_ANY_KIND, frozenset({CaseState.RECEIVED}), None),
    # Recorded by Fairhear itself when a deadline's due date has passed unmet; never offered.
    Action.RECORD_MISSED_DEADLINE: Move(_COMPLAINT, OPEN_STATES, None),
    # Recorded by Fairhear itself when the complainant's window to ask for the next stage has
    # passed with no request (Pivotal §9 stage 2 point 1; MMBM §8.2.2), so that a request made
    # later shows as late; never offered. The window is open only once a response is sent.
    Action.RECORD_WINDOW_CLOSED: Move(_COMPLAINT, frozenset({CaseState.RESPONDED}), None),
    # Pivotal §11.2 b and e; MMBM §8.1.2 "regular updates agreed between the two parties"; Code
    # 5.9: the interval is agreed (and changed) while the complaint is open.
    Action.AGREE_UPDATES: Move(_COMPLAINT, OPEN_STATES, None),
    # Pivotal §10.1 c: while the window after the stage 1 response runs, a colleague may keep
    # the case open (the pack's auto-close clock names `auto_close_held` in stopped_by).
    Action.HOLD_AUTO_CLOSE: Move(_COMPLAINT, frozenset({CaseState.RESPONDED}), None),
}


class Direction(StrEnum):
    """Which way a communication went."""

    IN = "in"  # from the complainant (or their representative)
    OUT = "out"  # to them

    @property
    def label(self) -> str:
        """The direction in words."""
        return {Direction.IN: "From the complainant", Direction.OUT: "To the complainant"}[self]


class CommunicationChannel(StrEnum):
    """How a communication was made."""

    CALL = "call"
    LETTER = "letter"
    EMAIL = "email"
    VISIT = "visit"
    MEETING = "meeting"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The channel in words."""
        return {
            CommunicationChannel.CALL: "Phone call",
            CommunicationChannel.LETTER: "Letter",
            CommunicationChannel.EMAIL: "E-mail",
            CommunicationChannel.VISIT: "Visit",
            CommunicationChannel.MEETING: "Meeting",
            CommunicationChannel.OTHER: "Other",
        }[self]


class TransitionRejected(Exception):
    """An action is not allowed now; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class CaseSnapshot:
    """What the guards need to know about a case, as plain values."""

    kind: CaseKind
    state: CaseState
    stage: int
    handler_id: int | None = None
    stage_handlers: dict[int, int] = field(default_factory=dict)  # stage -> handler's user id
    closure_reason: str | None = None
    escalation_window_closes: date | None = None
    escalation_requested_on: date | None = None
    escalation_discretion: str = ""  # the recorded discretionary decision for a late request
    anonymous: bool = False  # nobody to acknowledge or answer (Pivotal §18; MMBM §7.7)
    categories: tuple[str, ...] = ()  # with the safeguarding and health and safety flags
    escalation_exceptional_circumstances: str = ""  # recorded when accepting (MMBM §8.3.1)
    responded_stages: frozenset[int] = frozenset()  # stages whose response has been sent
    # stage -> everyone who handled it: allocated to it, or acknowledged, extended or responded
    stage_actors: dict[int, frozenset[int]] = field(default_factory=dict)


def required_capability(action: Action, pack: PolicyPack, stage: int) -> Capability:
    """Which capability an action needs at this stage (the lead officer may do any of them).

    Stage 0 is before acceptance: the allocator decides acceptance and may close early. A
    request for the next stage is decided by the person the pack names for it (Pivotal §9
    stage 2 point 5; MMBM §8.3.1; Code 5.11).
    """
    if stage == 0 and action is Action.CLOSE:
        return Capability.ALLOCATE
    if action is Action.SIGN_OFF:
        signers = _signers(pack, max(stage, 1))
        return signers[0] if signers else Capability.LEAD
    if action is Action.HOLD_AUTO_CLOSE:
        # The window follows the stage 1 response (Pivotal §10.1 c): its handler holds it.
        return pack.stage(1).handler
    if action is Action.CORRECT_DETAILS:
        # Whoever answers for the case at its stage: the allocator before acceptance, then
        # the stage's handler role (and the lead officer, who may do anything).
        return Capability.ALLOCATE if stage == 0 else pack.stage(stage).handler
    stage = max(stage, 1)
    if action in {
        Action.ACCEPT,
        Action.REFUSE,
        Action.START_LOCAL_RESOLUTION,
        Action.RESOLVE_LOCALLY,
        Action.ROUTE_OUT,
        Action.NOT_INVESTIGATE,
        Action.REFER_TO_AGENCY,
        Action.CHANGE_KIND,
    }:
        return Capability.ALLOCATE
    if action is Action.ALLOCATE:
        return Capability.ALLOCATE if stage == 1 else pack.stage(stage).handler
    if action in {
        Action.ACKNOWLEDGE,
        Action.EXTEND,
        Action.RESPOND,
        Action.DRAFT_RESPONSE,
        Action.CLOSE,
        Action.RECORD_DATE_NOT_AGREED,
    }:
        return pack.stage(max(stage, 1)).handler
    if action in {Action.ACCEPT_ESCALATION, Action.REFUSE_ESCALATION}:
        return pack.stage(min(stage + 1, pack.last_stage)).request_decider
    if action in {
        Action.WARN_BEHAVIOUR,
        Action.APPLY_RESTRICTION,
        Action.REVIEW_RESTRICTION,
        Action.LIFT_RESTRICTION,
        Action.RECORD_RESTRICTION_NOTICE,
        Action.ASSESS_EXTENSION_REASON,
        Action.RESTRICT_ACCESS,
        Action.CHANGE_ACCESS_NAMES,
        Action.UNRESTRICT_ACCESS,
    }:
        return Capability.LEAD
    return Capability.LOG


def _signers(pack: PolicyPack, stage: int) -> list[Capability]:
    """Who signs off steps at this stage (the stage's response first, then its extension)."""
    step = pack.stage(stage)
    extension = pack.clocks[step.response_clock].extension
    rules = [step.response_sign_off, extension.sign_off if extension else None]
    return [rule.by for rule in rules if rule is not None]


def allowed_actions(case: CaseSnapshot, pack: PolicyPack) -> list[Action]:
    """The actions whose table row and guards allow them now (before any user input)."""
    out = []
    for action in TRANSITIONS:
        try:
            check_transition(action, case, pack)
        except TransitionRejected:
            continue
        out.append(action)
    return out


def check_transition(action: Action, case: CaseSnapshot, pack: PolicyPack) -> CaseState:
    """The state after `action`, or TransitionRejected saying why it is not allowed now."""
    move = TRANSITIONS.get(action)
    if move is None:
        raise TransitionRejected(
            f"“{action.label}” is done by Fairhear itself when a case is logged, not chosen."
        )
    if case.kind not in move.kinds:
        kinds = " or ".join(k.value.replace("_", " ") for k in sorted(move.kinds))
        raise TransitionRejected(
            f"“{action.label}” applies to a {kinds}; this case is a "
            f"{case.kind.value.replace('_', ' ')}."
        )
    if case.state not in move.sources:
        if action is Action.REFUSE and case.state is CaseState.AWAITING_ALLOCATION:
            _refused_after_acceptance(case, pack)
        raise TransitionRejected(
            f"“{action.label}” is not possible while the case is “{case.state.label}”."
        )
    guard = _GUARDS.get(action)
    if guard is not None:
        guard(case, pack)
    if action is Action.RESPOND and pack.stage(case.stage).final:
        return CaseState.CLOSED
    if action is Action.ALLOCATE and case.state is CaseState.AWAITING_ALLOCATION:
        # An anonymous complaint has nobody to acknowledge (Pivotal §18; MMBM §7.7).
        has_ack = pack.stage(case.stage).acknowledgement_clock is not None and not case.anonymous
        return CaseState.AWAITING_ACKNOWLEDGEMENT if has_ack else CaseState.INVESTIGATING
    if (
        action is Action.ALLOCATE
        and not case.anonymous
        and reallocation_restarts_acknowledgement(pack, case.stage)
    ):
        return CaseState.AWAITING_ACKNOWLEDGEMENT
    return move.target or case.state


def reallocation_restarts_acknowledgement(pack: PolicyPack, stage: int) -> bool:
    """Does a new handler acknowledge the complaint again? Yes where the stage's acknowledgement
    clock counts from the allocation (Pivotal §9 stage 1, allocated Service Manager step 1:
    "from it being allocated to them, introduce themselves"): reallocating restarts it, so the
    case waits for the new handler's acknowledgement and "Acknowledge" is offered to them."""
    clock = pack.stage(stage).acknowledgement_clock
    return (
        clock is not None and stage_milestone(stage, "allocated") in pack.clocks[clock].starts_from
    )


def _guard_local_resolution(case: CaseSnapshot, pack: PolicyPack) -> None:
    if pack.local_resolution is None:
        raise TransitionRejected(
            f"The {pack.organisation} policy has no local resolution step; accept the complaint "
            "at stage 1 instead."
        )


def _guard_extend(case: CaseSnapshot, pack: PolicyPack) -> None:
    clock = pack.clocks[pack.stage(case.stage).response_clock]
    if clock.extension is None:
        raise TransitionRejected(
            f"The {pack.organisation} policy does not allow the {pack.stage(case.stage).name} "
            "response date to be extended."
        )


def _refused_after_acceptance(case: CaseSnapshot, pack: PolicyPack) -> None:
    """Why an accepted complaint can no longer be not accepted, in the policy's words."""
    if case.stage > 1:
        stage = pack.stage(case.stage)
        decider = pack.role_title(stage.request_decider)
        raise TransitionRejected(
            f"The request for {stage.name} has been accepted. Not accepting it was the "
            f"{decider}'s decision, made with “{Action.REFUSE_ESCALATION.label}” while the "
            f"request waited ({stage.cites}); close the case with a closure reason instead."
        )
    raise TransitionRejected(
        f"“{Action.REFUSE.label}” is not possible while the case is “{case.state.label}”. "
        "The complaint has been accepted, so close the case with a closure reason instead."
    )


def _guard_request_escalation(case: CaseSnapshot, pack: PolicyPack) -> None:
    if case.stage >= pack.last_stage:
        raise TransitionRejected(
            f"{pack.stage(case.stage).name} is the final stage of the {pack.organisation} "
            "policy; there is no further stage to escalate to. Signpost the complainant to the "
            "ombudsman instead."
        )
    if case.state is CaseState.CLOSED:
        reason = _closure(pack, case.closure_reason)
        if reason is None or not reason.reopens_on_escalation:
            raise TransitionRejected(
                "This case was closed by a decision, so an escalation cannot reopen it. Log a "
                "new case if the complainant raises something new."
            )
        if case.stage not in case.responded_stages:
            raise TransitionRejected(
                f"This case closed before any {pack.stage(case.stage).name} response was sent, "
                "so there is nothing to escalate. Log a new case if the complainant raises "
                "something new."
            )


def _closure(pack: PolicyPack, code: str | None):  # noqa: ANN202
    try:
        return pack.closure_reason(code) if code else None
    except KeyError:
        return None


def _guard_accept_escalation(case: CaseSnapshot, pack: PolicyPack) -> None:
    next_stage = pack.stage(case.stage + 1)
    late = (
        case.escalation_window_closes is not None
        and case.escalation_requested_on is not None
        and case.escalation_requested_on > case.escalation_window_closes
    )
    if late and next_stage.late_request is LateRequest.REFUSE:
        raise TransitionRejected(
            f"The request arrived on {fmt_day(case.escalation_requested_on)}, after the window "
            f"closed on {fmt_day(case.escalation_window_closes)}, and the policy does not allow "
            "late requests."
        )
    if late and not case.escalation_discretion.strip():
        raise TransitionRejected(
            f"The request arrived on {fmt_day(case.escalation_requested_on)}, after the window "
            f"closed on {fmt_day(case.escalation_window_closes)}. Record the discretionary "
            "decision (why it is accepted anyway) to accept it."
        )
    if (
        next_stage.request_needs_exceptional_circumstances
        and not case.escalation_exceptional_circumstances.strip()
    ):
        raise TransitionRejected(
            f"{next_stage.name} goes ahead only in exceptional circumstances "
            f"({next_stage.cites}). Record what they are to accept the request, or refuse it."
        )


def _guard_refuse_escalation(case: CaseSnapshot, pack: PolicyPack) -> None:
    next_stage = pack.stage(case.stage + 1)
    if not next_stage.may_refuse_request:
        raise TransitionRejected(
            f"The {pack.organisation} policy does not allow a request for {next_stage.name} to "
            "be refused."
        )


def _guard_managers_told(case: CaseSnapshot, pack: PolicyPack) -> None:
    if not any("managers_told" in c.met_by for c in pack.clocks.values()):
        raise TransitionRejected(
            f"The {pack.organisation} policy does not ask for anyone to be told when a "
            "complaint is logged; add a note instead."
        )


def _guard_sign_off(case: CaseSnapshot, pack: PolicyPack) -> None:
    stage = pack.stage(max(case.stage, 1))
    if not _signers(pack, stage.number):
        raise TransitionRejected(
            f"The {pack.organisation} policy names no step at {stage.name} that someone else "
            "must agree first."
        )


def _guard_close(case: CaseSnapshot, pack: PolicyPack) -> None:
    if not pack.closure_reasons:
        raise TransitionRejected("The policy lists no closure reasons, so nothing can close it.")


def _guard_not_investigate(case: CaseSnapshot, pack: PolicyPack) -> None:
    rule = pack.anonymous
    if not case.anonymous:
        raise TransitionRejected("The complainant gave their name: this is not anonymous.")
    if rule is None or rule.investigate_all:
        cites = f" ({rule.cites})" if rule else ""
        raise TransitionRejected(
            f"The {pack.organisation} policy investigates anonymous complaints as far as "
            f"possible{cites}."
        )
    listed = [c for c in case.categories if c in rule.investigated_categories]
    if listed:
        raise TransitionRejected(
            f"The policy investigates anonymous complaints about {', '.join(listed)} "
            f"({rule.cites}); this one must be investigated."
        )


def _guard_take_into_response(case: CaseSnapshot, pack: PolicyPack) -> None:
    if case.stage != 1 or 1 in case.responded_stages:
        raise TransitionRejected(
            "An additional complaint is taken into the response only while stage 1 is open and "
            "its response has not been sent (Pivotal §9 stage 1 step 8; Code 6.8); log it as a "
            "new complaint linked to this one instead."
        )


def _guard_route_out(case: CaseSnapshot, pack: PolicyPack) -> None:
    check_routes_out(pack)


def check_routes_out(pack: PolicyPack) -> None:
    """A pack with no `[[routes_out]]` routes nothing out of its procedure."""
    if not pack.routes_out:
        raise TransitionRejected(
            f"The {pack.organisation} policy routes nothing out of its complaints procedure."
        )


def _guard_hold_auto_close(case: CaseSnapshot, pack: PolicyPack) -> None:
    if pack.auto_close is None:
        raise TransitionRejected(f"The {pack.organisation} policy does not close cases by itself.")


_GUARDS = {
    Action.HOLD_AUTO_CLOSE: _guard_hold_auto_close,
    Action.TAKE_INTO_RESPONSE: _guard_take_into_response,
    Action.ROUTE_OUT: _guard_route_out,
    Action.NOT_INVESTIGATE: _guard_not_investigate,
    Action.START_LOCAL_RESOLUTION: _guard_local_resolution,
    Action.EXTEND: _guard_extend,
    Action.REQUEST_ESCALATION: _guard_request_escalation,
    Action.ACCEPT_ESCALATION: _guard_accept_escalation,
    Action.REFUSE_ESCALATION: _guard_refuse_escalation,
    Action.CLOSE: _guard_close,
    Action.RECORD_MANAGERS_TOLD: _guard_managers_told,
    Action.SIGN_OFF: _guard_sign_off,
}


def check_extension(
    *,
    current_due: date,
    new_due: date,
    limit: date | None,
    limit_cites: str,
    beyond_limit: BeyondLimit = BeyondLimit.HARD,
    agreed_by: str = "",
    beyond_limit_reason: str = "",
    beyond_limit_agreed: bool = False,
) -> bool:
    """An extension must move the date later (KPIS.md). A date past the pack's limit is
    recorded only with the reason for going beyond it, and with the agreement the pack names
    (Code 6.4 "without good reason"; Pivotal §9 stage 1 step 7 "agreed with the customer").

    Returns whether the date is within the rule, so that reports count only what it allows.
    """
    if new_due <= current_due:
        raise TransitionRejected(
            f"The new date {fmt_day(new_due)} must be after the current due date "
            f"{fmt_day(current_due)}; an extension never makes a due date earlier."
        )
    if limit is None or new_due <= limit:
        return True
    allowed = beyond_limit is BeyondLimit.GOOD_REASON
    if not beyond_limit_reason.strip():
        if allowed:
            how = "give the good reason for going beyond it" + (
                f" and confirm that {agreed_by} agreed the later date" if agreed_by else ""
            )
        else:
            how = (
                "give the reason for going beyond it: the later date is recorded as agreed, but "
                f"counts as on time only up to {fmt_day(limit)}"
            )
        raise TransitionRejected(
            f"The new date {fmt_day(new_due)} is after {fmt_day(limit)}, the latest the policy "
            f"allows ({limit_cites}). Choose {fmt_day(limit)} or earlier, or {how}."
        )
    if allowed and agreed_by and not beyond_limit_agreed:
        raise TransitionRejected(
            f"Going beyond {fmt_day(limit)} needs {agreed_by}'s agreement ({limit_cites}): "
            f"confirm that {agreed_by} agreed the later date."
        )
    return allowed


def check_different_handler(case: CaseSnapshot, pack: PolicyPack, handler_id: int) -> None:
    """Where the pack says so, a stage's handler must differ from everyone who handled the
    previous stage: its allocated handler and anyone who acknowledged, extended or responded
    there (MMBM §8.2.4; Code 6.13)."""
    stage = pack.stage(case.stage)
    previous = set(case.stage_actors.get(case.stage - 1, frozenset()))
    if case.stage - 1 in case.stage_handlers:
        previous.add(case.stage_handlers[case.stage - 1])
    if stage.different_handler and handler_id in previous:
        raise TransitionRejected(
            f"The {stage.handler_title} for {stage.name} must be someone other than the person "
            f"who handled stage {case.stage - 1} ({stage.cites})."
        )
