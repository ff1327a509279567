"""The shape of a policy pack, as frozen dataclasses. docs/policy-packs.md describes each field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from fairhear.domain.clock import Duration


class Capability(StrEnum):
    """What a user may do. A pack names each capability in the organisation's own words."""

    LOG = "log"
    ALLOCATE = "allocate"
    INVESTIGATE = "investigate"
    REVIEW = "review"
    DIRECT = "direct"
    LEAD = "lead"
    ADMINISTER = "administer"


class LateRequest(StrEnum):
    """What happens to an escalation request that arrives after its window closed."""

    DISCRETION = "discretion"  # accepted only with a recorded discretionary decision
    REFUSE = "refuse"  # always refused


class Purpose(StrEnum):
    """A deadline is something to meet; a limit only bounds another clock's extension."""

    DEADLINE = "deadline"  # staff must act by the due date
    WINDOW = "window"  # the complainant may act until the due date (escalation requests)
    LIMIT = "limit"  # bounds how far another clock may be extended


class BeyondLimit(StrEnum):
    """What a date agreed past an extension's limit counts for."""

    HARD = "hard"  # recorded as agreed, but "on time" never goes past the limit
    GOOD_REASON = "good_reason"  # counts when a good reason (and any agreement) is recorded


@dataclass(frozen=True, slots=True)
class SignOff:
    """Someone else must agree a step before it is taken (Pivotal §9 stage 1 step 7; §13)."""

    by: Capability
    cites: str


@dataclass(frozen=True, slots=True)
class Extension:
    """How far a clock's due date may be moved when an extension is agreed with the customer.

    `up_to_clock` names a limit clock whose due date bounds the new date; `by_at_most` bounds the
    new date relative to the original due date; neither set means any agreed date is allowed.
    `beyond_limit` says whether a later date agreed anyway may count (Code 6.4 "without good
    reason"; Pivotal §9 stage 1 step 7), and `agreed_by` who must agree it, in words.
    """

    up_to_clock: str | None = None
    by_at_most: Duration | None = None
    cites: str = ""
    # Pivotal §14.3: a complainant who will not agree a revised date is given these signposts'
    # details (empty: every signpost of the pack).
    not_agreed_signposts: tuple[str, ...] = ()
    not_agreed_cites: str = ""
    sign_off: SignOff | None = None  # who must agree an extension before it is recorded
    beyond_limit: BeyondLimit = BeyondLimit.HARD
    agreed_by: str = ""


@dataclass(frozen=True, slots=True)
class ClockRule:
    """A named deadline: what starts it, how long it runs, what meets or stops it."""

    name: str
    label: str
    starts_from: tuple[str, ...]
    duration: Duration
    cites: str
    purpose: Purpose = Purpose.DEADLINE
    met_by: tuple[str, ...] = ()
    stopped_by: tuple[str, ...] = ()
    starts_no_later_than: str | None = None
    extension: Extension | None = None
    note: str = ""
    # Working days before the due date to remind the clock's owner; None: the default
    # (domain/reminders.py); 0: no reminder. An organisation may set its own per clock.
    remind_before: int | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """A coded reason (refusal, closure, category) with the words shown to people."""

    code: str
    label: str
    cites: str = ""
    letter_text: str = ""
    satisfied: bool = False  # closure only: counts as resolved to the complainant's satisfaction
    reopens_on_escalation: bool = False  # closure only: an in-window escalation reopens the case
    # Category only: the allocator records that the complainant was consulted about who will
    # investigate (MMBM §7.2).
    consult_on_allocation: bool = False
    # Category only: a case in it is seen only by the people named on it and the lead officer
    # (restricted access: domain/access.py; Pivotal App. 3 E; MMBM 7.6).
    restricts_access: bool = False
    # Closure only: when a colleague may close with this reason. Empty means no limit, which is
    # what packs published before these fields meant.
    applies_in_states: tuple[str, ...] = ()  # case states (lifecycle.CaseState values)
    applies_at_stages: tuple[int, ...] = ()  # 0 is before acceptance
    requires_response: bool = False  # only once the current stage's response has been sent
    by_hand: bool = True  # False: only the lifecycle applies it (a final response, a refusal)
    withdrawal: bool = False  # the complainant's own decision to stop (Pivotal §10.1 b)
    # Refusal only: facts of the case the reason needs (reasons.FACTS names them).
    needs_facts: tuple[str, ...] = ()
    # Refusal only: facts that prompt the reason before acceptance, without being needed for
    # it (Pivotal §6.1 f is prompted by an earlier concluded complaint on the same subject,
    # but may be given for one concluded before the organisation used Fairhear).
    prompted_by_facts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """How old the matter complained of may be (BRIEF "more than N months ago")."""

    months: int
    cites: str
    exempt_categories: tuple[str, ...] = ()
    exceptional_circumstances: bool = False  # may an out-of-time complaint be accepted anyway?
    refusal_reason: str | None = None  # the refusal reason code for an out-of-time complaint


@dataclass(frozen=True, slots=True)
class Stage:
    """One formal stage of the complaints process."""

    number: int
    name: str
    handler: Capability
    handler_title: str
    response_clock: str
    cites: str
    acknowledgement_clock: str | None = None
    request_clock: str | None = None  # the window for asking for this stage (stages 2+)
    late_request: LateRequest = LateRequest.DISCRETION
    may_refuse_request: bool = True
    request_criteria: str = ""
    final: bool = False
    closes_with: str | None = None  # closure reason applied when a final stage responds
    request_refused_closes_with: str | None = None  # closure reason when a request is refused
    different_handler: bool = False  # handler must differ from the previous stage's (Code 6.13)
    # MMBM §8.1: a response date may be agreed at acknowledgement, earlier than the clock's.
    agreed_response_date: bool = False
    # MMBM §8.1.5: a response given face to face or by telephone comes with an offer to confirm
    # it in writing.
    offer_written_confirmation: bool = False
    response_sign_off: SignOff | None = None  # who must agree the outcome before it is sent
    # MMBM §8.4: an external investigator may be recorded; the allocated colleague stays
    # accountable.
    external_investigator: bool = False
    # Who decides a request for this stage; None: the stage's handler (Pivotal §9 stage 2 pt 5).
    request_decided_by: Capability | None = None
    # A request may be refused only for one of these refusal reasons (Code 5.11); empty: any
    # reason, given in words.
    request_refusal_reasons: tuple[str, ...] = ()
    # Accepting a request needs exceptional circumstances recorded (MMBM §8.3.1).
    request_needs_exceptional_circumstances: bool = False

    @property
    def request_decider(self) -> Capability:
        """Who decides whether a request for this stage goes ahead."""
        return self.request_decided_by or self.handler


@dataclass(frozen=True, slots=True)
class LocalResolution:
    """An optional attempt to resolve the matter before stage 1."""

    clock: str
    cites: str
    closes_with: str


@dataclass(frozen=True, slots=True)
class AutoClose:
    """Close a case by itself when a clock passes with nothing more heard."""

    clock: str
    reason: str
    cites: str


class ServiceKind(StrEnum):
    """What a service area provides, for choosing the body a complainant is signposted to
    (REGULATION.md §3: supported living is often dual)."""

    HOUSING = "housing"
    CARE = "care"
    SUPPORTED_LIVING = "supported_living"


class SignpostMoment(StrEnum):
    """When a signpost is given to the complainant."""

    REFUSAL = "refusal"  # the complaint is not accepted (Pivotal §6.2; Code 2.4)
    REQUEST_REFUSED = "request_refused"  # the next stage is refused: the last response is final
    FINAL_RESPONSE = "final_response"  # the final stage's response (Pivotal §16.2; Code 6.19)
    EXTENSION = "extension"  # a response date is extended (Code 6.5)


@dataclass(frozen=True, slots=True)
class AppliesWhen:
    """Which cases a signpost applies to; every condition given must hold, none given: all.

    `service_kinds`: the case's service area is one of these kinds (a case with no service
    area, or one whose kind is not recorded, counts as matching). `categories`: the case has
    at least one of these categories. `cqc_registered`: true, only cases in a CQC-registered
    service; false, only cases in a service that is not.
    """

    service_kinds: tuple[ServiceKind, ...] = ()
    categories: tuple[str, ...] = ()
    cqc_registered: bool | None = None


@dataclass(frozen=True, slots=True)
class Signpost:
    """An external body complainants are told about.

    `right` is the sentence the complainant is given (their right to take the matter to this
    body); with the contact it is added to every letter at the moments in `given_with`, for the
    cases `applies_when` selects. A pack written before these fields gives every signpost at
    every moment, to every case, and adds nothing to letters (it has no `right`).
    """

    code: str
    name: str
    when: str
    contact: str
    cites: str = ""
    right: str = ""
    applies_when: AppliesWhen = AppliesWhen()
    given_with: tuple[SignpostMoment, ...] = tuple(SignpostMoment)


@dataclass(frozen=True, slots=True)
class RouteOut:
    """A matter the policy deals with outside the complaints procedure, and where it goes
    (Pivotal §6.1 g and h, §7.2, §17.1; MMBM §3 and §6).

    The complaint ends here in one of two ways: closed with the closure reason `closes_with`
    (anti-social behaviour, Pivotal §17.1), or not accepted with the refusal reason
    `refuses_with`, whose letter and signposts go to the complainant (Pivotal §6.1 g, §6.2).
    """

    code: str
    label: str
    to: str  # where it goes, in words: "the ASB register, under the ASB Policy"
    cites: str
    closes_with: str | None = None
    refuses_with: str | None = None
    prompted_by: tuple[str, ...] = ()  # case flags that prompt it (anti_social_behaviour)


@dataclass(frozen=True, slots=True)
class Anonymous:
    """Which anonymous complaints are investigated, and how a decision not to investigate the
    rest closes the case (Pivotal §18.2 to §18.4; MMBM §7.7).

    The clocks that need someone to answer name the milestone `anonymous` in `stopped_by`.
    """

    cites: str
    investigate_all: bool = False  # MMBM §7.7: "investigated as far as possible"
    investigated_categories: tuple[str, ...] = ()  # always investigated (Pivotal §18.2)
    investigated_when: str = ""  # the rest of the policy's words, shown to the manager
    not_investigated_closes_with: str | None = None  # closure reason for the manager's decision


class ResponsePart(StrEnum):
    """Something a stage response must contain when the pack requires it (Pivotal §9 stage 1
    step 6 and §11.2 f, g; Code 6.9 and 6.19)."""

    COMPLAINT_DEFINITION = "complaint_definition"
    REASONS = "reasons"
    POLICY_REFERENCES = "policy_references"
    OUTSTANDING_ACTIONS = "outstanding_actions"
    REMEDY = "remedy"
    HOW_TO_ESCALATE = "how_to_escalate"

    @property
    def label(self) -> str:
        """The part in words."""
        return {
            ResponsePart.COMPLAINT_DEFINITION: "our understanding of the complaint",
            ResponsePart.REASONS: "the reasons for the decision",
            ResponsePart.POLICY_REFERENCES: "references to the policies, procedures or law",
            ResponsePart.OUTSTANDING_ACTIONS: "the outstanding actions and their timescales",
            ResponsePart.REMEDY: "the remedy offered",
            ResponsePart.HOW_TO_ESCALATE: "how to escalate the complaint",
        }[self]


@dataclass(frozen=True, slots=True)
class ResponseRules:
    """What every stage response must contain, and whether a response is drafted and approved
    before it is sent (docs/policy-packs.md, `[responses]`)."""

    required_parts: tuple[ResponsePart, ...] = ()
    cites: str = ""


@dataclass(frozen=True, slots=True)
class UpdateRules:
    """How often the complainant is updated while the complaint is open, when the policy asks
    for regular updates (docs/policy-packs.md, `[updates]`; Pivotal §11.2 b and e; MMBM §8.1.2;
    Code 5.9): the interval the form suggests, in working days; the colleague agrees the real
    one with the complainant."""

    default_every: int
    cites: str


@dataclass(frozen=True, slots=True)
class LearningRules:
    """What the organisation does after a complaint closes to learn from it (docs/policy-packs.md,
    `[learning]`; Pivotal §22.1: "Pivotal will hold a debriefing session with colleagues who
    have been involved in the process"): whether a debrief is held, and where the policy says so.
    """

    debrief_after_closure: bool = False
    debrief_cites: str = ""


@dataclass(frozen=True, slots=True)
class GoldenCase:
    """A worked example carried by the pack: events in, due dates and a verdict out."""

    title: str
    cites: str
    received: str
    events: tuple[tuple[str, str], ...] = ()
    incident_date: date | None = None
    category: str = "other"
    exceptional_circumstances: bool = False
    nation: str = "england-and-wales"
    expect_due: tuple[tuple[str, date | None], ...] = ()
    expect_in_time: bool | None = None


@dataclass(frozen=True, slots=True)
class PolicyPack:
    """A validated policy pack."""

    name: str
    version: str
    title: str
    organisation: str
    source: str
    roles: dict[Capability, str]
    clocks: dict[str, ClockRule]
    stages: tuple[Stage, ...]
    time_limit: TimeLimit
    categories: tuple[Reason, ...]
    refusal_reasons: tuple[Reason, ...]
    closure_reasons: tuple[Reason, ...]
    signposts: tuple[Signpost, ...] = ()
    local_resolution: LocalResolution | None = None
    auto_close: AutoClose | None = None
    restriction_review_clock: str | None = None
    # MMBM §9: a warning with a chance to change by a date (this clock) comes first
    # (`restriction_warn_first`); Pivotal App. 3 I: who is told of the behaviour.
    restriction_warning_clock: str | None = None
    restriction_warn_first: bool = False
    restriction_report_to: str = ""
    restriction_cites: str = ""
    choices: tuple[str, ...] = ()
    routes_out: tuple[RouteOut, ...] = ()
    anonymous: Anonymous | None = None
    golden: tuple[GoldenCase, ...] = field(default=(), compare=False)
    # The day this version of the policy came into force, when the policy says (optional; a
    # case received long before it asks for confirmation: domain/bounds.py).
    in_force_from: date | None = None
    # How often the policy itself is reviewed, in months, and where it says so (Pivotal §24.1:
    # "reviewed annually"); None when the policy sets no review.
    review_every_months: int | None = None
    review_cites: str = ""
    # What each stage response must contain (empty: nothing beyond a decision and its reasons).
    responses: ResponseRules = ResponseRules()
    # The update interval the form suggests and where the policy asks for updates (None: the
    # policy says nothing; an interval may still be agreed).
    updates: UpdateRules | None = None
    # Whether a debrief follows each closed complaint (Pivotal §22.1); none asked by default.
    learning: LearningRules = LearningRules()

    @property
    def person_clocks(self) -> frozenset[str]:
        """Clocks of the person's restrictions on contact: they outlive any one case (MMBM §9
        "whilst the restrictions are in force")."""
        return frozenset(
            c for c in (self.restriction_review_clock, self.restriction_warning_clock) if c
        )

    def stage(self, number: int) -> Stage:
        """The stage with this number; KeyError when the pack has none."""
        for stage in self.stages:
            if stage.number == number:
                return stage
        raise KeyError(number)

    @property
    def last_stage(self) -> int:
        """The number of the pack's final stage."""
        return max(s.number for s in self.stages)

    def closure_reason(self, code: str) -> Reason:
        """The closure reason with this code; KeyError when the pack has none."""
        return _by_code(self.closure_reasons, code)

    def refusal_reason(self, code: str) -> Reason:
        """The refusal reason with this code; KeyError when the pack has none."""
        return _by_code(self.refusal_reasons, code)

    def route_out(self, code: str) -> RouteOut:
        """The route out with this code; KeyError when the pack has none."""
        for route in self.routes_out:
            if route.code == code:
                return route
        raise KeyError(code)

    def role_title(self, capability: Capability) -> str:
        """The organisation's own name for a capability."""
        return self.roles.get(capability, capability.value.title())


def _by_code(reasons: tuple[Reason, ...], code: str) -> Reason:
    for reason in reasons:
        if reason.code == code:
            return reason
    raise KeyError(code)


# Milestones that stand once they happen: a clock stopped by one is stopped from its start,
# even when it starts later (an anonymous complaint stays anonymous).
STANDING_MILESTONES = frozenset({"anonymous"})


def milestone_names(stage_count: int) -> tuple[str, ...]:
    """Every milestone a clock may start from, be met by or be stopped by.

    Stage 1 milestones are named plainly (`allocated`, `acknowledged`); later stages carry their
    number (`stage2_acknowledged`). Response milestones always carry the stage number.
    """
    names = [
        "received",
        "logged",
        "managers_told",
        "local_resolution_contacted",
        "accepted",
        "allocated",
        "acknowledged",
        "behaviour_warned",
        "restriction_applied",
        "restriction_reviewed",
        "restriction_lifted",
        "communication_received",
        "communication_sent",
        "auto_close_held",
        "refused",
        "closed",
        "anonymous",
    ]
    for n in range(1, stage_count + 1):
        if n >= 2:
            names += [
                f"stage{n}_requested",
                f"stage{n}_request_accepted",
                f"stage{n}_request_refused",
                f"stage{n}_allocated",
                f"stage{n}_acknowledged",
            ]
        names += [f"stage{n}_response_sent", f"stage{n}_response_received"]
    return tuple(names)


def stage_milestone(stage: int, what: str) -> str:
    """The milestone name for `what` (allocated, acknowledged, requested, ...) at `stage`."""
    if what in {"allocated", "acknowledged"} and stage == 1:
        return what
    return f"stage{stage}_{what}"


_MILESTONE_WORDS = {
    "received": "the complaint is received",
    "logged": "the complaint is logged",
    "managers_told": "the people the policy names are told of the complaint",
    "local_resolution_contacted": "the complainant is contacted to resolve it locally",
    "accepted": "the complaint is accepted at stage 1",
    "allocated": "the complaint is allocated",
    "acknowledged": "the complaint is acknowledged",
    "behaviour_warned": "the person is warned about unacceptable behaviour",
    "restriction_applied": "restrictions are applied",
    "restriction_reviewed": "the restrictions are reviewed",
    "restriction_lifted": "the restrictions are lifted",
    "communication_received": "a communication is received from the complainant",
    "communication_sent": "a communication is sent to the complainant",
    "auto_close_held": "a colleague keeps the case open instead of it closing by itself",
    "refused": "the complaint is not accepted",
    "closed": "the case is closed",
    "anonymous": "an anonymous complaint is received",
}
_STAGE_WORDS = {
    "requested": "stage {n} is asked for",
    "request_accepted": "the request for stage {n} is accepted",
    "request_refused": "the request for stage {n} is refused",
    "allocated": "stage {n} is allocated",
    "acknowledged": "stage {n} is acknowledged",
    "response_sent": "the stage {n} response is sent",
    "response_received": "the complainant receives the stage {n} response",
}


def describe_milestone(name: str) -> str:
    """A milestone in words: 'stage1_response_sent' → 'the stage 1 response is sent'."""
    if name in _MILESTONE_WORDS:
        return _MILESTONE_WORDS[name]
    if name.startswith("stage") and "_" in name:
        number, _, what = name[5:].partition("_")
        if number.isdigit() and what in _STAGE_WORDS:
            return _STAGE_WORDS[what].format(n=number)
    return name.replace("_", " ")
