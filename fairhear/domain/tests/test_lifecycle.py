"""The lifecycle table and its guards, with no database (STYLE.md §5 "Domain tests").

The transition table is checked exhaustively: every Action in TRANSITIONS × every CaseState ×
every CaseKind is either allowed, exactly as the table says, or refused with a plain sentence.
The guards are then checked one by one, each against the policy text it comes from:
Pivotal is seed 003, MMBM is seed 000, "Code" is the Housing Ombudsman Complaint Handling Code
2024 (REGULATION.md).
"""

import re
from dataclasses import replace
from datetime import date

import pytest

from fairhear.domain.lifecycle import (
    OPEN_STATES,
    TRANSITIONS,
    Action,
    CaseKind,
    CaseSnapshot,
    CaseState,
    TransitionRejected,
    allowed_actions,
    check_different_handler,
    check_extension,
    check_transition,
    required_capability,
)
from fairhear.domain.policy.load import load_shipped_pack
from fairhear.domain.policy.schema import BeyondLimit, Capability, LateRequest

PIVOTAL = load_shipped_pack("pivotal")
MMBM = load_shipped_pack("mmbm")
HOS = load_shipped_pack("hos-code-2024")
PACKS = {"pivotal": PIVOTAL, "mmbm": MMBM, "hos-code-2024": HOS}

# The stage a case really is at in each state: before acceptance (or refused at the acceptance
# check) it is at stage 0; afterwards at stage 1 or later.
_STAGE_IN = {
    CaseState.RECEIVED: 0,
    CaseState.LOCAL_RESOLUTION: 0,
    CaseState.REFUSED: 0,
}

# Dates used where a guard looks at the escalation window (Pivotal appeal window).
WINDOW_CLOSES = date(2024, 7, 1)  # Mon 1 Jul 2024
IN_WINDOW = date(2024, 6, 26)  # Wed 26 Jun 2024
ON_LAST_DAY = date(2024, 7, 1)
LATE = date(2024, 7, 2)  # Tue 2 Jul 2024, the day after the window closed


def snap(kind=CaseKind.COMPLAINT, state=CaseState.RECEIVED, stage=None, **kw) -> CaseSnapshot:
    """A case snapshot; stage defaults to the stage a case in that state is really at."""
    if stage is None:
        stage = _STAGE_IN.get(state, 1)
    return CaseSnapshot(kind=kind, state=state, stage=stage, **kw)


def permissive(action: Action, kind: CaseKind, state: CaseState):
    """A pack and snapshot in which every guard of `action` passes, so that only the table
    decides. Local resolution needs a pack that has it (MMBM §8); everything else uses Pivotal,
    with a case closed automatically (§10.1 c) and asked to escalate inside its window."""
    pack = MMBM if action is Action.START_LOCAL_RESOLUTION else PIVOTAL
    return pack, snap(
        kind,
        state,
        closure_reason="10.1c" if state is CaseState.CLOSED else None,
        # §10.1 c follows a stage 1 response; §9 stage 1 step 8 comes before it.
        responded_stages=frozenset() if action is Action.TAKE_INTO_RESPONSE else frozenset({1}),
        escalation_window_closes=WINDOW_CLOSES,
        escalation_requested_on=IN_WINDOW,
        # Only an anonymous complaint can be left uninvestigated (Pivotal §18.3).
        anonymous=action is Action.NOT_INVESTIGATE,
    )


def assert_plain_sentence(message: str) -> None:
    """A message for people: one or more sentences in words, not code."""
    assert message, "the message is empty"
    assert message[0].isupper() or message[0] == "“", message
    assert message.endswith("."), message
    for code_smell in ("CaseState", "CaseKind", "Action.", "None", "<", "{", "_", "Traceback"):
        assert code_smell not in message, f"{code_smell!r} in {message!r}"
    assert not re.search(r"\s{2,}", message), message


# ---------------------------------------------------------------------------------------------
# The table: every action × every state × every kind
# ---------------------------------------------------------------------------------------------

TABLE = [(a, s, k) for a in TRANSITIONS for s in CaseState for k in CaseKind]


def expected_target(action: Action, state: CaseState) -> CaseState:
    return TRANSITIONS[action].target or state


@pytest.mark.parametrize(
    ("action", "state", "kind"), TABLE, ids=[f"{a.name}-{s.name}-{k.name}" for a, s, k in TABLE]
)
def test_check_transition_allows_exactly_the_tables_sources_and_kinds(action, state, kind):
    pack, case = permissive(action, kind, state)
    move = TRANSITIONS[action]
    if kind in move.kinds and state in move.sources:
        target = check_transition(action, case, pack)
        if action is Action.ALLOCATE and state in {
            CaseState.AWAITING_ALLOCATION,
            CaseState.INVESTIGATING,
        }:
            # Pivotal stage 1 has an acknowledgement clock, counted from the allocation, so a
            # new Service Manager acknowledges it (§9 stage 1, step 1).
            assert target is CaseState.AWAITING_ACKNOWLEDGEMENT
        else:
            assert target is expected_target(action, state)
        return
    with pytest.raises(TransitionRejected) as refused:
        check_transition(action, case, pack)
    message = str(refused.value)
    assert_plain_sentence(message)
    assert f"“{action.label}”" in message
    if kind not in move.kinds:
        # Wrong kind of case: the sentence names what the case is, whatever its state.
        assert f"this case is a {kind.value.replace('_', ' ')}." in message
    else:
        assert f"while the case is “{state.label}”." in message


def test_the_table_has_a_row_for_every_action_except_receipt():
    # Receipt creates the case; it is never chosen from a case's actions.
    assert set(TRANSITIONS) == set(Action) - {Action.RECEIVE}


def test_receiving_is_recorded_by_fairhear_itself_not_chosen():
    with pytest.raises(TransitionRejected) as refused:
        check_transition(Action.RECEIVE, snap(), PIVOTAL)
    assert str(refused.value) == (
        "“Receive a case” is done by Fairhear itself when a case is logged, not chosen."
    )


def test_refused_and_closed_are_the_only_states_that_are_not_open():
    assert frozenset(CaseState) - OPEN_STATES == {CaseState.REFUSED, CaseState.CLOSED}


def test_every_state_and_action_has_words():
    assert all(s.label and s.label[0].isupper() for s in CaseState)
    assert all(a.label and a.label[0].isupper() for a in Action)


@pytest.mark.parametrize(
    ("action", "state", "target"),
    [
        (Action.ACCEPT, CaseState.RECEIVED, CaseState.AWAITING_ALLOCATION),
        (Action.ACCEPT, CaseState.LOCAL_RESOLUTION, CaseState.AWAITING_ALLOCATION),
        (Action.REFUSE, CaseState.RECEIVED, CaseState.REFUSED),
        (Action.START_LOCAL_RESOLUTION, CaseState.RECEIVED, CaseState.LOCAL_RESOLUTION),
        (Action.RESOLVE_LOCALLY, CaseState.LOCAL_RESOLUTION, CaseState.CLOSED),
        (Action.ACKNOWLEDGE, CaseState.AWAITING_ACKNOWLEDGEMENT, CaseState.INVESTIGATING),
        (Action.EXTEND, CaseState.AWAITING_ACKNOWLEDGEMENT, CaseState.AWAITING_ACKNOWLEDGEMENT),
        (Action.EXTEND, CaseState.INVESTIGATING, CaseState.INVESTIGATING),
        (Action.RESPOND, CaseState.INVESTIGATING, CaseState.RESPONDED),
        (Action.RECORD_RESPONSE_RECEIPT, CaseState.RESPONDED, CaseState.RESPONDED),
        (Action.RECORD_RESPONSE_RECEIPT, CaseState.CLOSED, CaseState.CLOSED),
        (Action.REQUEST_ESCALATION, CaseState.RESPONDED, CaseState.ESCALATION_REQUESTED),
        (Action.ACCEPT_ESCALATION, CaseState.ESCALATION_REQUESTED, CaseState.AWAITING_ALLOCATION),
        # Pivotal §9 stage 2 point 5: an appeal not accepted leaves the stage 1 response final.
        (Action.REFUSE_ESCALATION, CaseState.ESCALATION_REQUESTED, CaseState.CLOSED),
        (Action.CLOSE, CaseState.INVESTIGATING, CaseState.CLOSED),
        (Action.AUTO_CLOSE, CaseState.RESPONDED, CaseState.CLOSED),
        (Action.RECORD_FEEDBACK, CaseState.CLOSED, CaseState.CLOSED),
        (Action.RECORD_OMBUDSMAN_REFERRAL, CaseState.REFUSED, CaseState.REFUSED),
    ],
)
def test_a_complaint_moves_to_the_state_the_lifecycle_names(action, state, target):
    pack, case = permissive(action, CaseKind.COMPLAINT, state)
    assert check_transition(action, case, pack) is target


def test_the_other_kinds_of_contact_move_as_the_lifecycle_names():
    service_request = snap(CaseKind.SERVICE_REQUEST)
    compliment = snap(CaseKind.COMPLIMENT)
    suggestion = snap(CaseKind.SUGGESTION)
    # A service request logged as a complaint starts again as a received complaint (KPIS.md).
    assert check_transition(Action.CONVERT_TO_COMPLAINT, service_request, PIVOTAL) is (
        CaseState.RECEIVED
    )
    # Pivotal §19.3; MMBM §4: compliments are passed on through the line manager.
    assert check_transition(Action.FORWARD_COMPLIMENT, compliment, PIVOTAL) is CaseState.CLOSED
    for case in (service_request, compliment, suggestion):
        assert check_transition(Action.CLOSE_CONTACT, case, PIVOTAL) is CaseState.CLOSED
        assert check_transition(Action.ADD_NOTE, case, PIVOTAL) is CaseState.RECEIVED


# ---------------------------------------------------------------------------------------------
# Targets that depend on the pack
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pack_name", "stage", "target"),
    [
        # Pivotal §9 stage 2 point 6: "The SLT member's response is final, closes Stage 2".
        ("pivotal", 1, CaseState.RESPONDED),
        ("pivotal", 2, CaseState.CLOSED),
        # MMBM §8.3.5: stage three is the final stage.
        ("mmbm", 1, CaseState.RESPONDED),
        ("mmbm", 2, CaseState.RESPONDED),
        ("mmbm", 3, CaseState.CLOSED),
        # Code 6.10: the stage 2 response is the landlord's final response.
        ("hos-code-2024", 1, CaseState.RESPONDED),
        ("hos-code-2024", 2, CaseState.CLOSED),
    ],
)
def test_the_response_at_a_final_stage_closes_the_case(pack_name, stage, target):
    case = snap(state=CaseState.INVESTIGATING, stage=stage)
    assert check_transition(Action.RESPOND, case, PACKS[pack_name]) is target


@pytest.mark.parametrize(
    ("pack_name", "stage", "target"),
    [
        ("pivotal", 1, CaseState.AWAITING_ACKNOWLEDGEMENT),  # §9 stage 1, step 1
        ("pivotal", 2, CaseState.AWAITING_ACKNOWLEDGEMENT),  # §9 stage 2 point 2
        ("mmbm", 1, CaseState.AWAITING_ACKNOWLEDGEMENT),  # §8.1
        ("mmbm", 2, CaseState.AWAITING_ACKNOWLEDGEMENT),  # §8.2.5
        # §8.3.1: "The Director who will manage stage 3 will contact you"; no acknowledgement
        # clock, so the Director investigates at once.
        ("mmbm", 3, CaseState.INVESTIGATING),
        ("hos-code-2024", 1, CaseState.AWAITING_ACKNOWLEDGEMENT),  # Code 6.2
        ("hos-code-2024", 2, CaseState.AWAITING_ACKNOWLEDGEMENT),  # Code 6.11
    ],
)
def test_allocation_awaits_acknowledgement_only_where_the_stage_has_that_clock(
    pack_name, stage, target
):
    case = snap(state=CaseState.AWAITING_ALLOCATION, stage=stage)
    assert check_transition(Action.ALLOCATE, case, PACKS[pack_name]) is target


@pytest.mark.parametrize("state", [CaseState.AWAITING_ACKNOWLEDGEMENT, CaseState.INVESTIGATING])
def test_reallocation_keeps_the_case_where_it_was_unless_the_new_handler_acknowledges(state):
    # MMBM §8.3.1 (stage 3 has no acknowledgement) and Pivotal stage 2 (§9 stage 2 point 2
    # counts from the appeal): the case stays where it was. Pivotal stage 1 counts the
    # acknowledgement from the allocation (§9 stage 1, allocated Service Manager step 1), so the
    # new Service Manager acknowledges it (this test pinned "investigating" there before).
    case = snap(state=state, stage=1)
    assert check_transition(Action.ALLOCATE, replace(case, stage=3), MMBM) is state
    assert check_transition(Action.ALLOCATE, replace(case, stage=2), PIVOTAL) is state
    assert check_transition(Action.ALLOCATE, case, PIVOTAL) is CaseState.AWAITING_ACKNOWLEDGEMENT


# ---------------------------------------------------------------------------------------------
# Guards
# ---------------------------------------------------------------------------------------------


def test_local_resolution_is_allowed_where_the_pack_has_it():
    # MMBM §8: "we will contact you to discuss this with you within 2 working days".
    assert check_transition(Action.START_LOCAL_RESOLUTION, snap(), MMBM) is (
        CaseState.LOCAL_RESOLUTION
    )


@pytest.mark.parametrize(
    ("pack", "organisation"),
    [
        # Pivotal §9 "Early resolution" resolves service requests before a complaint is
        # registered; once registered, stage 1 follows. Code: no informal stage before stage 1.
        (PIVOTAL, "Pivotal"),
        (HOS, "Housing Ombudsman Service model"),
    ],
)
def test_local_resolution_is_refused_where_the_pack_has_none(pack, organisation):
    with pytest.raises(TransitionRejected) as refused:
        check_transition(Action.START_LOCAL_RESOLUTION, snap(), pack)
    assert str(refused.value) == (
        f"The {organisation} policy has no local resolution step; accept the complaint at "
        "stage 1 instead."
    )
    assert Action.START_LOCAL_RESOLUTION not in allowed_actions(snap(), pack)


@pytest.mark.parametrize(
    ("pack_name", "stage"),
    [
        ("pivotal", 1),  # §9 stage 1 step 7; §14.2
        ("pivotal", 2),  # §9 stage 2 point 4
        ("mmbm", 1),  # §8.1.3
        ("mmbm", 2),  # §8.2.7
        ("mmbm", 3),  # §8.3.3
        ("hos-code-2024", 1),  # Code 6.4
        ("hos-code-2024", 2),  # Code 6.15
    ],
)
def test_extension_is_allowed_where_the_response_clock_allows_it(pack_name, stage):
    for state in (CaseState.AWAITING_ACKNOWLEDGEMENT, CaseState.INVESTIGATING):
        case = snap(state=state, stage=stage)
        assert check_transition(Action.EXTEND, case, PACKS[pack_name]) is state


def test_extension_is_refused_where_the_response_clock_has_no_extension_rule():
    # A pack that leaves out [clocks.appeal_response_due.extension] gives no later date.
    rule = PIVOTAL.clocks["appeal_response_due"]
    strict = replace(PIVOTAL, clocks={**PIVOTAL.clocks, rule.name: replace(rule, extension=None)})
    case = snap(state=CaseState.INVESTIGATING, stage=2)
    with pytest.raises(TransitionRejected) as refused:
        check_transition(Action.EXTEND, case, strict)
    assert str(refused.value) == (
        "The Pivotal policy does not allow the Stage 2 (appeal to the SLT) response date to be "
        "extended."
    )
    # Stage 1 keeps its own extension rule.
    assert check_transition(Action.EXTEND, replace(case, stage=1), strict) is (
        CaseState.INVESTIGATING
    )


@pytest.mark.parametrize(
    ("pack_name", "last_stage", "message"),
    [
        (
            "pivotal",
            2,
            "Stage 2 (appeal to the SLT) is the final stage of the Pivotal policy; there is no "
            "further stage to escalate to. Signpost the complainant to the ombudsman instead.",
        ),
        (
            "mmbm",
            3,
            "Stage 3 (appeal to the Directors) is the final stage of the MMBM (Mae and Mitchell "
            "Bespoke Management) policy; there is no further stage to escalate to. Signpost the "
            "complainant to the ombudsman instead.",
        ),
        (
            "hos-code-2024",
            2,
            # Each message says "the <organisation> policy" once, never "policy policy".
            "Stage 2 is the final stage of the Housing Ombudsman Service model policy; there is "
            "no further stage to escalate to. Signpost the complainant to the ombudsman instead.",
        ),
    ],
)
def test_escalation_is_refused_at_the_last_stage(pack_name, last_stage, message):
    # Pivotal §9 stage 2 point 6 and App. 1; MMBM §8.3.5; Code 6.10.
    pack = PACKS[pack_name]
    for state in (CaseState.RESPONDED, CaseState.CLOSED):
        case = snap(state=state, stage=last_stage, closure_reason="final_response")
        with pytest.raises(TransitionRejected) as refused:
            check_transition(Action.REQUEST_ESCALATION, case, pack)
        assert str(refused.value) == message


@pytest.mark.parametrize(("pack_name", "stage"), [("pivotal", 1), ("mmbm", 1), ("mmbm", 2)])
def test_escalation_is_allowed_below_the_last_stage(pack_name, stage):
    case = snap(state=CaseState.RESPONDED, stage=stage)
    assert check_transition(Action.REQUEST_ESCALATION, case, PACKS[pack_name]) is (
        CaseState.ESCALATION_REQUESTED
    )


def closed_automatically(**kw) -> CaseSnapshot:
    """A Pivotal case closed under §10.1 c at stage 1, appeal window closing Mon 1 Jul 2024."""
    defaults = {
        "closure_reason": "10.1c",
        "escalation_window_closes": WINDOW_CLOSES,
        "responded_stages": frozenset({1}),  # §10.1 c follows the stage 1 response
    }
    return snap(state=CaseState.CLOSED, stage=1, **(defaults | kw))


@pytest.mark.parametrize("requested_on", [None, IN_WINDOW, ON_LAST_DAY])
def test_an_automatically_closed_case_reopens_on_an_appeal_inside_the_window(requested_on):
    # §10.1 c closes the case 10 working days after the stage 1 response was SENT; §9 stage 2
    # point 1 lets the complainant appeal up to 10 working days after they RECEIVED it, which
    # can be later, so an appeal inside that window reopens the case.
    case = closed_automatically(escalation_requested_on=requested_on)
    assert check_transition(Action.REQUEST_ESCALATION, case, PIVOTAL) is (
        CaseState.ESCALATION_REQUESTED
    )


def test_an_automatically_closed_case_takes_a_late_appeal_which_needs_discretion_to_accept():
    # §10.1 c closed the case; the appeal arrives Tue 2 Jul 2024, the day after the window
    # closed. It is still recorded, but §9 stage 2 point 5 leaves a late appeal to the SLT
    # member's discretion: accepted only with a recorded decision, or not accepted, which
    # makes the stage 1 response final and closes the case again.
    case = closed_automatically(escalation_requested_on=LATE)
    assert check_transition(Action.REQUEST_ESCALATION, case, PIVOTAL) is (
        CaseState.ESCALATION_REQUESTED
    )
    requested = replace(case, state=CaseState.ESCALATION_REQUESTED, closure_reason=None)
    with pytest.raises(TransitionRejected) as refused:
        check_transition(Action.ACCEPT_ESCALATION, requested, PIVOTAL)
    assert str(refused.value) == (
        "The request arrived on Tue 2 Jul 2024, after the window closed on Mon 1 Jul 2024. "
        "Record the discretionary decision (why it is accepted anyway) to accept it."
    )
    with_discretion = replace(requested, escalation_discretion="Abroad; accepted by the SLT.")
    assert check_transition(Action.ACCEPT_ESCALATION, with_discretion, PIVOTAL) is (
        CaseState.AWAITING_ALLOCATION
    )
    assert check_transition(Action.REFUSE_ESCALATION, requested, PIVOTAL) is CaseState.CLOSED
    assert PIVOTAL.stage(2).request_refused_closes_with == "appeal_not_accepted"
    # A case closed by a decision (§10.1 a) still cannot be reopened, late or not.
    decided = closed_automatically(closure_reason="10.1a", escalation_requested_on=LATE)
    with pytest.raises(TransitionRejected, match="closed by a decision"):
        check_transition(Action.REQUEST_ESCALATION, decided, PIVOTAL)


def test_an_automatically_closed_case_with_no_window_may_still_be_asked_to_escalate():
    # With no window recorded there is no date to be late against, so the request is taken
    # and, like any escalation with no window, accepted without a discretionary decision.
    case = closed_automatically(escalation_window_closes=None, escalation_requested_on=LATE)
    assert check_transition(Action.REQUEST_ESCALATION, case, PIVOTAL) is (
        CaseState.ESCALATION_REQUESTED
    )
    requested = replace(case, state=CaseState.ESCALATION_REQUESTED, closure_reason=None)
    assert check_transition(Action.ACCEPT_ESCALATION, requested, PIVOTAL) is (
        CaseState.AWAITING_ALLOCATION
    )
    # A case closed by a decision (§10.1 a) with no window still cannot be reopened.
    decided = closed_automatically(closure_reason="10.1a", escalation_window_closes=None)
    with pytest.raises(TransitionRejected, match="closed by a decision"):
        check_transition(Action.REQUEST_ESCALATION, decided, PIVOTAL)


@pytest.mark.parametrize("reason", ["10.1a", "10.1b", "10.1d", "10.1e", "10.1f", None, "bogus"])
def test_a_case_closed_by_a_decision_never_reopens_on_escalation(reason):
    # Only §10.1 c (nothing heard) is marked reopens_on_escalation; the others are decisions.
    case = closed_automatically(closure_reason=reason, escalation_requested_on=IN_WINDOW)
    with pytest.raises(TransitionRejected) as refused:
        check_transition(Action.REQUEST_ESCALATION, case, PIVOTAL)
    assert str(refused.value) == (
        "This case was closed by a decision, so an escalation cannot reopen it. Log a new case "
        "if the complainant raises something new."
    )


def escalation_requested(requested_on: date, discretion: str = "", stage: int = 1, **kw):
    return snap(
        state=CaseState.ESCALATION_REQUESTED,
        stage=stage,
        escalation_window_closes=WINDOW_CLOSES,
        escalation_requested_on=requested_on,
        escalation_discretion=discretion,
        **kw,
    )


@pytest.mark.parametrize("pack", [PIVOTAL, MMBM], ids=["pivotal", "mmbm"])
@pytest.mark.parametrize("requested_on", [IN_WINDOW, ON_LAST_DAY])
def test_an_escalation_in_its_window_is_accepted_without_discretion(pack, requested_on):
    case = escalation_requested(requested_on)
    assert check_transition(Action.ACCEPT_ESCALATION, case, pack) is CaseState.AWAITING_ALLOCATION


@pytest.mark.parametrize("pack", [PIVOTAL, MMBM], ids=["pivotal", "mmbm"])
@pytest.mark.parametrize("discretion", ["", "   "])
def test_a_late_escalation_needs_a_recorded_discretionary_decision(pack, discretion):
    # Pivotal §9 stage 2 point 5: "It is at the discretion of the SLT member to decide whether
    # they will accept an appeal". MMBM §8.2.2: "It is up to our discretion to allow requests
    # past 28 days in exceptional circumstances". A blank decision is no decision.
    case = escalation_requested(LATE, discretion)
    with pytest.raises(TransitionRejected) as refused:
        check_transition(Action.ACCEPT_ESCALATION, case, pack)
    assert str(refused.value) == (
        "The request arrived on Tue 2 Jul 2024, after the window closed on Mon 1 Jul 2024. "
        "Record the discretionary decision (why it is accepted anyway) to accept it."
    )


@pytest.mark.parametrize("pack", [PIVOTAL, MMBM], ids=["pivotal", "mmbm"])
def test_a_late_escalation_is_accepted_with_a_recorded_discretionary_decision(pack):
    case = escalation_requested(LATE, "In hospital for the whole window; accepted.")
    assert check_transition(Action.ACCEPT_ESCALATION, case, pack) is CaseState.AWAITING_ALLOCATION


def test_a_late_escalation_is_refused_even_with_discretion_where_the_pack_says_so():
    stage2 = replace(PIVOTAL.stage(2), late_request=LateRequest.REFUSE)
    strict = replace(PIVOTAL, stages=(PIVOTAL.stage(1), stage2))
    case = escalation_requested(LATE, "Accepted anyway.")
    with pytest.raises(TransitionRejected) as refused:
        check_transition(Action.ACCEPT_ESCALATION, case, strict)
    assert str(refused.value) == (
        "The request arrived on Tue 2 Jul 2024, after the window closed on Mon 1 Jul 2024, and "
        "the policy does not allow late requests."
    )


def test_an_escalation_with_no_window_is_never_late():
    # MMBM stage 3 and the Code's stage 2 set no window for asking (MMBM §8.3.1; Code 6.12).
    case = snap(
        state=CaseState.ESCALATION_REQUESTED,
        stage=2,
        escalation_requested_on=LATE,
        escalation_exceptional_circumstances="About a senior manager (§8.3.2).",
    )
    assert check_transition(Action.ACCEPT_ESCALATION, case, MMBM) is CaseState.AWAITING_ALLOCATION
    case = replace(case, stage=1)
    assert check_transition(Action.ACCEPT_ESCALATION, case, HOS) is CaseState.AWAITING_ALLOCATION


@pytest.mark.parametrize(
    ("pack_name", "stage", "closes_with"),
    [
        # §9 stage 2 point 5: the SLT member decides; if not, the stage 1 response is final.
        ("pivotal", 1, "appeal_not_accepted"),
        ("mmbm", 1, "review_not_agreed"),  # §8.2.4: only if there is scope for investigation
        ("mmbm", 2, "review_final"),  # §8.3.1, §8.3.2: only in exceptional circumstances
        ("hos-code-2024", 1, "escalation_refused"),  # Code 5.11: only for a reason in section 2
    ],
)
def test_an_escalation_may_be_refused_where_the_pack_allows_it(pack_name, stage, closes_with):
    # Refusing makes the last response final, so the case closes with the next stage's reason.
    pack = PACKS[pack_name]
    case = snap(state=CaseState.ESCALATION_REQUESTED, stage=stage)
    assert check_transition(Action.REFUSE_ESCALATION, case, pack) is CaseState.CLOSED
    assert pack.stage(stage + 1).request_refused_closes_with == closes_with
    assert pack.closure_reason(closes_with).code == closes_with


def test_an_escalation_may_not_be_refused_where_the_pack_forbids_it():
    stage2 = replace(HOS.stage(2), may_refuse_request=False)
    strict = replace(HOS, stages=(HOS.stage(1), stage2))
    case = snap(state=CaseState.ESCALATION_REQUESTED, stage=1)
    with pytest.raises(TransitionRejected) as refused:
        check_transition(Action.REFUSE_ESCALATION, case, strict)
    assert str(refused.value) == (
        "The Housing Ombudsman Service model policy does not allow a request for Stage 2 to be "
        "refused."
    )


def test_closing_needs_the_pack_to_list_closure_reasons():
    bare = replace(PIVOTAL, closure_reasons=())
    with pytest.raises(TransitionRejected) as refused:
        check_transition(Action.CLOSE, snap(state=CaseState.INVESTIGATING), bare)
    assert str(refused.value) == "The policy lists no closure reasons, so nothing can close it."


def test_allowed_actions_lists_what_the_table_and_guards_allow_now():
    # A Pivotal stage 1 response has been sent: the complainant may appeal (§9 stage 2), the
    # case may close (§10.1), and the receipt of the response may be recorded.
    case = snap(state=CaseState.RESPONDED, stage=1)
    assert allowed_actions(case, PIVOTAL) == [
        Action.RECORD_RESPONSE_RECEIPT,
        Action.REQUEST_ESCALATION,
        Action.CLOSE,
        Action.AUTO_CLOSE,
        Action.APPLY_RESTRICTION,
        Action.REVIEW_RESTRICTION,
        Action.LIFT_RESTRICTION,
        Action.RESTRICT_ACCESS,  # the lead, at any time (restricted access)
        Action.CHANGE_ACCESS_NAMES,
        Action.UNRESTRICT_ACCESS,
        Action.RECORD_OMBUDSMAN_REFERRAL,
        Action.ASSESS_EXTENSION_REASON,
        Action.ADD_NOTE,
        Action.RECORD_MANAGERS_TOLD,  # §9 stage 1 step 5, whenever it happened
        Action.RECORD_COMMUNICATION,
        Action.REFER_TO_AGENCY,  # §18.4, at any time
        Action.CORRECT_DETAILS,  # a detail typed wrongly is put right at any time
        # §12 and App. 3 I: the person's restrictions on contact, from any of their cases.
        Action.WARN_BEHAVIOUR,
        Action.REPORT_BEHAVIOUR,
        Action.RECORD_RESTRICTION_NOTICE,
        Action.SEND_LETTER,  # a letter confirming any step, at any time
        Action.RECORD_MISSED_DEADLINE,  # the worker's sweep, while the case is open
        Action.RECORD_WINDOW_CLOSED,  # the worker's sweep, once the appeal window has passed
        Action.AGREE_UPDATES,  # §11.2 b and e: how often the complainant hears, while open
        Action.HOLD_AUTO_CLOSE,  # §10.1 c: keep it open while the auto-close window runs
    ]
    # At the last stage there is nothing to escalate to.
    final = snap(state=CaseState.CLOSED, stage=2, closure_reason="final_response")
    assert Action.REQUEST_ESCALATION not in allowed_actions(final, PIVOTAL)
    assert Action.RECORD_FEEDBACK in allowed_actions(final, PIVOTAL)


# ---------------------------------------------------------------------------------------------
# check_extension (KPIS.md "told before the original due date"; Pivotal §9 stage 1 step 7)
# ---------------------------------------------------------------------------------------------

CURRENT = date(2024, 9, 6)  # Fri 6 Sep 2024
LIMIT = date(2024, 9, 20)  # Fri 20 Sep 2024


def test_an_extension_within_the_limit_is_allowed():
    check_extension(current_due=CURRENT, new_due=date(2024, 9, 13), limit=LIMIT, limit_cites="x")
    check_extension(current_due=CURRENT, new_due=LIMIT, limit=LIMIT, limit_cites="x")


def test_an_extension_with_no_limit_may_give_any_later_date():
    # Pivotal §9 stage 2 point 4 sets no limit, only a written explanation and a new date.
    check_extension(current_due=CURRENT, new_due=date(2025, 9, 6), limit=None, limit_cites="")


@pytest.mark.parametrize("new_due", [CURRENT, date(2024, 9, 5), date(2024, 1, 1)])
def test_an_extension_never_makes_a_due_date_earlier_or_leaves_it_as_it_is(new_due):
    with pytest.raises(TransitionRejected) as refused:
        check_extension(current_due=CURRENT, new_due=new_due, limit=LIMIT, limit_cites="x")
    message = str(refused.value)
    assert message.startswith(f"The new date {new_due:%a} {new_due.day} {new_due:%b %Y} must be")
    assert message.endswith(
        "after the current due date Fri 6 Sep 2024; an extension never makes a due date earlier."
    )


def test_an_extension_past_a_hard_limit_needs_a_reason_and_is_outside_the_rule():
    # KPIS.md: an extension "never goes past the limit the pack sets"; what was agreed is still
    # recorded, with the reason, but it is outside the rule.
    with pytest.raises(TransitionRejected) as refused:
        check_extension(
            current_due=CURRENT,
            new_due=date(2024, 9, 23),
            limit=LIMIT,
            limit_cites="§9 stage 1 step 7; §14.2",
        )
    assert str(refused.value) == (
        "The new date Mon 23 Sep 2024 is after Fri 20 Sep 2024, the latest the policy allows "
        "(§9 stage 1 step 7; §14.2). Choose Fri 20 Sep 2024 or earlier, or give the reason for "
        "going beyond it: the later date is recorded as agreed, but counts as on time only up "
        "to Fri 20 Sep 2024."
    )
    within = check_extension(
        current_due=CURRENT,
        new_due=date(2024, 9, 23),
        limit=LIMIT,
        limit_cites="§9 stage 1 step 7; §14.2",
        beyond_limit_reason="The contractor cannot come sooner.",
    )
    assert within is False


def test_an_extension_past_a_good_reason_limit_counts_with_the_reason_and_the_agreement():
    # Pivotal §9 stage 1 step 7: "an alternative timeframe must be agreed with the customer".
    rule = {
        "current_due": CURRENT,
        "new_due": date(2024, 9, 23),
        "limit": LIMIT,
        "limit_cites": "§9 stage 1 step 7",
        "beyond_limit": BeyondLimit.GOOD_REASON,
        "agreed_by": "the customer",
    }
    with pytest.raises(TransitionRejected, match="give the good reason for going beyond it"):
        check_extension(**rule)
    with pytest.raises(TransitionRejected) as refused:
        check_extension(**rule, beyond_limit_reason="A second report is needed.")
    assert str(refused.value) == (
        "Going beyond Fri 20 Sep 2024 needs the customer's agreement (§9 stage 1 step 7): "
        "confirm that the customer agreed the later date."
    )
    assert check_extension(
        **rule, beyond_limit_reason="A second report is needed.", beyond_limit_agreed=True
    )
    # Within the limit needs neither.
    assert check_extension(**{**rule, "new_due": LIMIT})


# ---------------------------------------------------------------------------------------------
# check_different_handler (Code 6.13; Pivotal §9 stage 2; MMBM §8.3)
# ---------------------------------------------------------------------------------------------

STAGE1_HANDLER = 7
STAGE2_HANDLER = 8


@pytest.mark.parametrize(
    ("pack_name", "stage", "message"),
    [
        (
            "pivotal",
            2,
            "The SLT member for Stage 2 (appeal to the SLT) must be someone other than the person "
            "who handled stage 1 (§9 stage 2).",
        ),
        (
            "hos-code-2024",
            2,
            "The Stage 2 reviewer for Stage 2 must be someone other than the person who handled "
            "stage 1 (Code 6.10 to 6.19).",
        ),
        (
            "mmbm",
            2,
            "The Senior manager for Stage 2 (review) must be someone other than the person who "
            "handled stage 1 (§8.2).",
        ),
        (
            "mmbm",
            3,
            "The Director for Stage 3 (appeal to the Directors) must be someone other than the "
            "person who handled stage 2 (§8.3).",
        ),
    ],
)
def test_the_next_stage_must_be_handled_by_someone_else(pack_name, stage, message):
    handlers = {1: STAGE1_HANDLER, 2: STAGE2_HANDLER}
    previous = handlers[stage - 1]
    case = snap(state=CaseState.AWAITING_ALLOCATION, stage=stage, stage_handlers=handlers)
    with pytest.raises(TransitionRejected) as refused:
        check_different_handler(case, PACKS[pack_name], previous)
    assert str(refused.value) == message
    check_different_handler(case, PACKS[pack_name], 99)  # anyone else will do


def test_the_first_stage_and_stages_without_the_rule_may_keep_the_handler():
    handlers = {1: STAGE1_HANDLER, 2: STAGE2_HANDLER}
    stage1 = snap(state=CaseState.AWAITING_ALLOCATION, stage=1, stage_handlers=handlers)
    check_different_handler(stage1, PIVOTAL, STAGE1_HANDLER)
    # MMBM §8.2.1 and §8.2.4 give the review to "a more senior member of staff", so the pack
    # sets different_handler on stage 2; a stage without the rule may keep the handler.
    assert MMBM.stage(2).different_handler
    relaxed_stage2 = replace(MMBM.stage(2), different_handler=False)
    relaxed = replace(MMBM, stages=(MMBM.stage(1), relaxed_stage2, MMBM.stage(3)))
    check_different_handler(replace(stage1, stage=2), relaxed, STAGE1_HANDLER)


def test_a_stage_whose_previous_stage_had_no_handler_accepts_anyone():
    case = snap(state=CaseState.AWAITING_ALLOCATION, stage=2, stage_handlers={})
    check_different_handler(case, PIVOTAL, STAGE1_HANDLER)


# ---------------------------------------------------------------------------------------------
# required_capability: who may do what, at each stage of each pack
# ---------------------------------------------------------------------------------------------

ALLOC = Capability.ALLOCATE
INV = Capability.INVESTIGATE
REV = Capability.REVIEW
DIR = Capability.DIRECT
LEAD = Capability.LEAD
LOG = Capability.LOG

# Actions whose capability never depends on the pack or stage.
_FIXED = {
    Action.ACCEPT: ALLOC,  # Pivotal §9 stage 1 (Head of Services); MMBM §8 (local manager)
    Action.REFUSE: ALLOC,
    Action.START_LOCAL_RESOLUTION: ALLOC,
    Action.RESOLVE_LOCALLY: ALLOC,
    Action.NOT_INVESTIGATE: ALLOC,  # Pivotal §18.3: the departmental manager decides
    Action.REFER_TO_AGENCY: ALLOC,  # Pivotal §18.4
    Action.ROUTE_OUT: ALLOC,  # Pivotal §6.1 g and h, §17.1; MMBM §3: whoever decides acceptance
    Action.CHANGE_KIND: ALLOC,  # Pivotal §4.0, §5.3: triage, by whoever decides acceptance
    Action.APPLY_RESTRICTION: LEAD,  # MMBM §9; Pivotal §12
    Action.REVIEW_RESTRICTION: LEAD,
    Action.LIFT_RESTRICTION: LEAD,
    # Restricted access: the lead restricts, names who may see and unrestricts (Pivotal App. 3
    # E: need to know; MMBM 7.6: the strictest of confidence).
    Action.RESTRICT_ACCESS: LEAD,
    Action.CHANGE_ACCESS_NAMES: LEAD,
    Action.UNRESTRICT_ACCESS: LEAD,
    Action.WARN_BEHAVIOUR: LEAD,  # MMBM §9: the warning before restrictions
    Action.RECORD_RESTRICTION_NOTICE: LEAD,  # MMBM §9: "confirmed in writing"
    Action.REPORT_BEHAVIOUR: LOG,  # Pivotal App. 3 I: whoever saw it reports it
    Action.TAKE_INTO_RESPONSE: LOG,  # Pivotal §9 stage 1 step 8: whoever is told logs it
    Action.ASSESS_EXTENSION_REASON: LEAD,  # KPIS.md 21.3 (g): the lead officer's view
    Action.RECEIVE: LOG,
    Action.RECORD_RESPONSE_RECEIPT: LOG,
    Action.REQUEST_ESCALATION: LOG,
    Action.AUTO_CLOSE: LOG,
    Action.CONVERT_TO_COMPLAINT: LOG,
    Action.FORWARD_COMPLIMENT: LOG,
    Action.CLOSE_CONTACT: LOG,
    Action.RECORD_OMBUDSMAN_REFERRAL: LOG,
    Action.RECORD_FEEDBACK: LOG,
    Action.ADD_NOTE: LOG,
    Action.RECORD_MANAGERS_TOLD: LOG,  # Pivotal §9 stage 1 step 5: the colleague tells them
    Action.RECORD_COMMUNICATION: LOG,
    Action.SEND_LETTER: LOG,  # any colleague who may see the case confirms a step in writing
    Action.RECORD_MISSED_DEADLINE: LOG,  # Fairhear itself records it; never offered
    Action.RECORD_WINDOW_CLOSED: LOG,  # Fairhear itself records it; never offered
    # Pivotal §11.2 b and e: whoever may see the case and talks to the complainant, as for
    # recording a communication.
    Action.AGREE_UPDATES: LOG,
}
# Pivotal §10.1 c: the window follows the stage 1 response; its handler keeps the case open.
_STAGE1_HANDLER = {"pivotal": INV, "mmbm": INV, "hos-code-2024": INV}
_BY_STAGE = [Action.ALLOCATE, Action.ACKNOWLEDGE, Action.EXTEND, Action.RESPOND, Action.CLOSE]
# Pivotal §9 stage 1 step 7 and §13: the Head of Services signs off stage 1's extension and
# outcome; where a pack names no sign-off, only the lead officer could record one (and the
# guard refuses it anyway).
_SIGNER = {("pivotal", 0): ALLOC, ("pivotal", 1): ALLOC}
# Pivotal §14.3: whoever would agree the revised date records that it was not agreed.
_LIKE_EXTEND = [Action.RECORD_DATE_NOT_AGREED]
_ESCALATION = [Action.ACCEPT_ESCALATION, Action.REFUSE_ESCALATION]

# (pack, stage) -> capability for ALLOCATE, ACKNOWLEDGE, EXTEND, RESPOND, CLOSE, and for
# accepting or refusing the request for the next stage.
_STAGE_TABLE = {
    # Stage 0, before acceptance: the allocator decides acceptance and may close early.
    ("pivotal", 0): ((ALLOC, INV, INV, INV, ALLOC), REV),
    # §9 stage 1: the Head of Services allocates a Service Manager, who acknowledges,
    # investigates and responds; the appeal is the SLT member's to accept (§9 stage 2 point 5).
    ("pivotal", 1): ((ALLOC, INV, INV, INV, INV), REV),
    # §9 stage 2: the SLT member does everything; there is no stage 3 to ask for.
    ("pivotal", 2): ((REV, REV, REV, REV, REV), REV),
    ("mmbm", 0): ((ALLOC, INV, INV, INV, ALLOC), REV),
    # §8.1: the local management team; §8.2.4: a more senior member of staff decides on review.
    ("mmbm", 1): ((ALLOC, INV, INV, INV, INV), REV),
    # §8.2: the senior manager; §8.3.1-8.3.2: the Directors decide whether stage 3 goes ahead.
    ("mmbm", 2): ((REV, REV, REV, REV, REV), DIR),
    # §8.3: a Director.
    ("mmbm", 3): ((DIR, DIR, DIR, DIR, DIR), DIR),
    ("hos-code-2024", 1): ((ALLOC, INV, INV, INV, INV), REV),
    ("hos-code-2024", 2): ((REV, REV, REV, REV, REV), REV),
}


@pytest.mark.parametrize(("pack_name", "stage"), list(_STAGE_TABLE))
def test_required_capability_for_each_action_at_each_stage(pack_name, stage):
    pack = PACKS[pack_name]
    by_stage, escalation = _STAGE_TABLE[(pack_name, stage)]
    expected = dict(_FIXED)
    expected.update(zip(_BY_STAGE, by_stage, strict=True))
    expected.update(dict.fromkeys(_ESCALATION, escalation))
    expected.update(dict.fromkeys(_LIKE_EXTEND, expected[Action.EXTEND]))
    # The stage's response is drafted by whoever responds (Pivotal §9 stage 1 step 6).
    expected[Action.DRAFT_RESPONSE] = expected[Action.RESPOND]
    expected[Action.SIGN_OFF] = _SIGNER.get((pack_name, stage), LEAD)
    expected[Action.HOLD_AUTO_CLOSE] = _STAGE1_HANDLER[pack_name]
    # Whoever answers for the case corrects its details: the allocator before acceptance,
    # then the role that acknowledges at the stage.
    expected[Action.CORRECT_DETAILS] = ALLOC if stage == 0 else expected[Action.ACKNOWLEDGE]
    assert set(expected) == set(Action)
    actual = {action: required_capability(action, pack, stage) for action in Action}
    assert actual == expected


def test_every_required_capability_has_a_role_title_in_each_pack():
    # The refusal message names the pack's own word for the role (BRIEF "Who uses it").
    for pack in PACKS.values():
        stages = [0, *(s.number for s in pack.stages)]
        needed = {required_capability(a, pack, n) for a in Action for n in stages}
        assert needed <= set(pack.roles), pack.name


def test_unknown_stage_numbers_are_refused_rather_than_guessed():
    with pytest.raises(KeyError):
        required_capability(Action.RESPOND, PIVOTAL, 3)


def test_keeping_a_case_open_is_offered_only_where_the_pack_closes_cases_by_itself():
    """Pivotal §10.1 c closes a case by itself after its stage 1 response; MMBM has no such
    rule, so there is nothing to keep open."""
    waiting = snap(state=CaseState.RESPONDED, stage=1)
    assert Action.HOLD_AUTO_CLOSE in allowed_actions(waiting, PIVOTAL)
    assert Action.HOLD_AUTO_CLOSE not in allowed_actions(waiting, MMBM)
    with pytest.raises(TransitionRejected, match="does not close cases by itself"):
        check_transition(Action.HOLD_AUTO_CLOSE, waiting, MMBM)
    investigating = snap(state=CaseState.INVESTIGATING, stage=1)
    assert Action.HOLD_AUTO_CLOSE not in allowed_actions(investigating, PIVOTAL)
