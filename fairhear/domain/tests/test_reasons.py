"""When a pack's reasons apply, and who decides a request: the pack fields, their validation,
and the domain's answers, with no database. Pivotal is seed 003, MMBM seed 000, "Code" the
Housing Ombudsman Complaint Handling Code 2024."""

from pathlib import Path

import pytest

from fairhear.domain.authority import check_override, needs_override
from fairhear.domain.lifecycle import (
    Action,
    CaseSnapshot,
    CaseState,
    TransitionRejected,
    required_capability,
)
from fairhear.domain.policy.load import (
    PackInvalid,
    load_pack_file,
    load_pack_text,
    load_shipped_pack,
)
from fairhear.domain.policy.schema import Capability
from fairhear.domain.reasons import (
    closure_reason_refusal,
    closure_reasons_for,
    concludes_with_final_decision,
    refusal_reason_refusal,
    refusal_reasons_for,
    refusal_reasons_prompted,
    same_subject,
)
from fairhear.domain.tests.test_policy_load import PIVOTAL_TEXT, edit, problems_after

PIVOTAL = load_shipped_pack("pivotal")
MMBM = load_shipped_pack("mmbm")
CODE = load_shipped_pack("hos-code-2024")
PUBLISHED = Path(__file__).parent / "published"


def at(state: CaseState, stage: int, responded: set[int] = frozenset(), **kw) -> CaseSnapshot:
    return CaseSnapshot(
        kind="complaint",
        state=state,
        stage=stage,
        responded_stages=frozenset(responded),
        **kw,
    )


def codes(reasons) -> list[str]:
    return [r.code for r in reasons]


# ---------------------------------------------------------------------------------------------
# Closure reasons (Pivotal §10.1; MMBM §2, §8.2.2; Code 6.9, 6.12)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "stage", "responded", "expected"),
    [
        # Before acceptance: withdrawal (b) and behaviour (f) only.
        (CaseState.RECEIVED, 0, set(), ["10.1b", "10.1f"]),
        (CaseState.INVESTIGATING, 1, set(), ["10.1b", "10.1d", "10.1e", "10.1f"]),
        (
            CaseState.RESPONDED,
            1,
            {1},
            ["10.1a", "10.1b", "10.1c", "10.1d", "10.1e", "10.1f"],
        ),
        # §9 stage 2 point 5: the SLT member decides; only a withdrawal closes it meanwhile.
        (CaseState.ESCALATION_REQUESTED, 1, {1}, ["10.1b"]),
        (CaseState.INVESTIGATING, 2, {1}, ["10.1b", "10.1d", "10.1e", "10.1f"]),
    ],
)
def test_pivotal_closure_reasons_that_apply_in_each_state(state, stage, responded, expected):
    assert codes(closure_reasons_for(at(state, stage, responded), PIVOTAL)) == expected


def test_the_refusals_say_why_a_reason_does_not_apply():
    investigating = at(CaseState.INVESTIGATING, 1)
    assert closure_reason_refusal(investigating, PIVOTAL, PIVOTAL.closure_reason("10.1c")) == (
        "“Nothing heard within 10 working days of the stage 1 response” (§10.1 c) applies only "
        "while the case is “Response sent”; it is “Investigating”."
    )
    before = at(CaseState.AWAITING_ALLOCATION, 0)
    assert closure_reason_refusal(before, PIVOTAL, PIVOTAL.closure_reason("10.1d")) == (
        "“Litigation, or a judge has ruled” (§10.1 d) applies only at Stage 1 or Stage 2 "
        "(appeal to the SLT); the case is at before acceptance (stage 0)."
    )
    # requires_response alone: a pack whose reason names the state but relies on the response.
    responded_without = at(CaseState.RESPONDED, 1)
    assert closure_reason_refusal(responded_without, PIVOTAL, PIVOTAL.closure_reason("10.1a")) == (
        "“The complainant is satisfied with the outcome” (§10.1 a) applies only once the "
        "Stage 1 response has been sent, and it has not been."
    )


@pytest.mark.parametrize(
    ("pack", "state", "stage", "responded", "expected"),
    [
        (MMBM, CaseState.RESPONDED, 1, {1}, ["satisfied", "withdrawn", "no_review_requested"]),
        (MMBM, CaseState.RESPONDED, 2, {1, 2}, ["satisfied", "withdrawn", "review_final"]),
        (MMBM, CaseState.ESCALATION_REQUESTED, 2, {1, 2}, ["withdrawn"]),
        (CODE, CaseState.INVESTIGATING, 1, set(), ["withdrawn"]),
        (CODE, CaseState.RESPONDED, 1, {1}, ["satisfied", "withdrawn", "not_escalated"]),
    ],
)
def test_mmbm_and_code_closure_reasons_that_apply(pack, state, stage, responded, expected):
    assert codes(closure_reasons_for(at(state, stage, responded), pack)) == expected


@pytest.mark.parametrize("name", sorted(p.name for p in PUBLISHED.glob("*.toml")))
def test_first_published_packs_keep_every_closure_reason_open_as_before(name):
    # Packs published before the conditions: every reason applies in every open state except
    # while a request waits (a lifecycle rule: the request's decider decides).
    pack = load_pack_file(PUBLISHED / name)
    investigating = at(CaseState.INVESTIGATING, 1)
    assert codes(closure_reasons_for(investigating, pack)) == codes(pack.closure_reasons)
    waiting = at(CaseState.ESCALATION_REQUESTED, 1, {1})
    assert closure_reasons_for(waiting, pack) == []
    assert all(not r.needs_facts for r in pack.refusal_reasons)


# ---------------------------------------------------------------------------------------------
# Refusal reasons need the case's facts (Pivotal §6.1 a and g; MMBM §6.1; Code 2.2)
# ---------------------------------------------------------------------------------------------


def test_refusal_reasons_that_fit_the_facts():
    all_pivotal = codes(PIVOTAL.refusal_reasons)
    assert codes(refusal_reasons_for(PIVOTAL.refusal_reasons, frozenset())) == [
        c for c in all_pivotal if c not in {"6.1a", "6.1g"}
    ]
    facts = frozenset({"incident_date", "out_of_time", "names_colleague"})
    assert codes(refusal_reasons_for(PIVOTAL.refusal_reasons, facts)) == all_pivotal
    assert codes(refusal_reasons_prompted(PIVOTAL, facts)) == ["6.1a", "6.1g"]
    assert refusal_reason_refusal(PIVOTAL.refusal_reason("6.1g"), frozenset()) == (
        "“About a Pivotal colleague: passed to their line manager” (§6.1 g; §7.2) applies only "
        "when it names a colleague; for this case that is not so."
    )
    for pack in (MMBM, CODE):
        assert pack.refusal_reason(pack.time_limit.refusal_reason).needs_facts == ("out_of_time",)


# ---------------------------------------------------------------------------------------------
# Who decides a request; who acts on an allocated case
# ---------------------------------------------------------------------------------------------


def test_request_deciders_and_their_criteria():
    assert required_capability(Action.REFUSE_ESCALATION, PIVOTAL, 1) is Capability.REVIEW
    assert required_capability(Action.ACCEPT_ESCALATION, MMBM, 2) is Capability.DIRECT
    assert MMBM.stage(3).request_needs_exceptional_circumstances
    assert CODE.stage(2).request_refusal_reasons == (
        "over_12_months",
        "legal_proceedings",
        "already_considered",
    )
    lead_decides = load_pack_text_with('request_decided_by = "lead"\n')
    assert required_capability(Action.ACCEPT_ESCALATION, lead_decides, 1) is Capability.LEAD


def load_pack_text_with(stage2_line: str):
    text = edit(
        PIVOTAL_TEXT, "different_handler = true\n", "different_handler = true\n" + stage2_line
    )
    return load_pack_text(text, source="pivotal.toml")


def test_the_handler_acts_and_others_only_with_a_reason():
    case = at(CaseState.INVESTIGATING, 1, handler_id=7)
    assert not needs_override(case, Action.RESPOND, 7)
    assert needs_override(case, Action.RESPOND, 8)
    assert not needs_override(case, Action.ADD_NOTE, 8)  # a note is anyone's
    assert check_override(case, Action.RESPOND, actor_id=7, handler="Ann", override="") is None
    with pytest.raises(TransitionRejected, match="allocated to Ann"):
        check_override(case, Action.EXTEND, actor_id=8, handler="Ann", override="  ")
    assert check_override(
        case, Action.CLOSE, actor_id=8, handler="Ann", override=" On leave. "
    ) == {"for_handler_id": 7, "for_handler": "Ann", "reason": "On leave."}


# ---------------------------------------------------------------------------------------------
# Validation: each new field names its problem
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            'code = "10.1f"\n',
            'code = "10.1f"\napplies_in_states = ["open"]\n',
            "closure_reasons[5].applies_in_states",
            "names 'open', which is not an open case state; use one of awaiting_acknowledgement, "
            "awaiting_allocation, escalation_requested, investigating, local_resolution, "
            "received, responded.",
        ),
        (
            'code = "10.1f"\n',
            'code = "10.1f"\napplies_at_stages = [3]\n',
            "closure_reasons[5].applies_at_stages",
            "names stage 3, but the pack's stages end at 2.",
        ),
        (
            'code = "10.1f"\n',
            'code = "10.1f"\napplies_at_stages = "1"\n',
            "closure_reasons[5].applies_at_stages",
            "must be a list of stage numbers such as [1] or [0, 1] (0 is before acceptance).",
        ),
        (
            'code = "6.1b"\n',
            'code = "6.1b"\nneeds_facts = ["elsewhere"]\n',
            "refusal_reasons[1].needs_facts",
            "names 'elsewhere', which is not a fact Fairhear knows; use one of "
            "anti_social_behaviour, health_and_safety, incident_date, names_colleague, "
            "out_of_time, reopens_concluded, safeguarding.",
        ),
        (
            "different_handler = true\n",
            'different_handler = true\nrequest_refusal_reasons = ["6.1z"]\n',
            "stages[1].request_refusal_reasons",
            "'6.1z' is not one of the refusal reasons.",
        ),
    ],
)
def test_a_bad_condition_is_named_with_its_path(old, new, field, message):
    problems = problems_after(old, new)
    assert [(p.field, p.message) for p in problems] == [(field, message)]


def test_a_closure_reason_field_on_a_refusal_reason_is_unknown():
    with pytest.raises(PackInvalid, match=r"refusal_reasons\[0\]\.by_hand: is not a field"):
        load_pack_text_with_edit('code = "6.1a"\n', 'code = "6.1a"\nby_hand = false\n')


def load_pack_text_with_edit(old: str, new: str):
    return load_pack_text(edit(PIVOTAL_TEXT, old, new), source="pivotal.toml")


def test_pivotal_logging_clock_is_met_by_telling_and_the_first_published_text_by_logging():
    # §9 stage 1 step 5: met when the line manager and Head of Services are told; the version
    # published before the "told" event keeps its meaning for the cases opened under it.
    assert PIVOTAL.clocks["log_and_notify_due"].met_by == ("managers_told",)
    first = load_pack_file(PUBLISHED / "pivotal-3.0-first-published.toml")
    assert first.clocks["log_and_notify_due"].met_by == ("logged",)


def test_pivotal_6_1f_is_prompted_by_an_earlier_concluded_complaint_but_not_needed():
    """Pivotal §6.1 f: "An attempt is made to reopen/reconsider a previously concluded complaint
    where we have provided a final decision." The earlier decision may predate the system, so
    the reason is offered whatever the facts, and prompted when an earlier one is found."""
    reopening = PIVOTAL.refusal_reason("6.1f")
    assert reopening.prompted_by_facts == ("reopens_concluded",)
    assert reopening in refusal_reasons_for(PIVOTAL.refusal_reasons, frozenset())
    assert reopening not in refusal_reasons_prompted(PIVOTAL, frozenset())
    assert reopening in refusal_reasons_prompted(PIVOTAL, frozenset({"reopens_concluded"}))
    # Concluded with a decision: closed after a response; not one refused or withdrawn first.
    assert concludes_with_final_decision(closed=True, responded=True, refused=False)
    assert not concludes_with_final_decision(closed=True, responded=False, refused=False)
    assert not concludes_with_final_decision(closed=False, responded=True, refused=False)
    # The same subject: a shared category; no category is compared with nothing.
    assert same_subject(["repairs", "communication"], ["repairs"])
    assert not same_subject(["repairs"], ["care"])
    assert not same_subject([], [])
