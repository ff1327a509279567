"""The pack's `[[routes_out]]`: matters dealt with outside the complaints procedure (Pivotal
§6.1 g and h, §17.1; MMBM §3 and §6), read and checked."""

from pathlib import Path

import pytest

from fairhear.domain.lifecycle import Action, CaseKind, CaseSnapshot, CaseState, check_transition
from fairhear.domain.policy.load import PackInvalid, load_pack_text, load_shipped_pack
from fairhear.domain.policy.schema import RouteOut

PACKS = Path(__file__).parent.parent / "policy" / "packs"
PUBLISHED = Path(__file__).parent / "published"


def test_pivotal_routes_asb_out_with_a_closure_and_colleague_matters_as_refusals():
    pack = load_shipped_pack("pivotal")
    assert pack.route_out("asb") == RouteOut(
        code="asb",
        label="Anti-social behaviour: to the ASB process",
        to="Pivotal's ASB Policy and Procedures, recorded on the ASB register",
        cites="§17.1",
        closes_with="17.1",
        prompted_by=("anti_social_behaviour",),
    )
    assert pack.route_out("colleague").refuses_with == "6.1g"
    assert pack.route_out("colleague_grievance").refuses_with == "6.1h"


def test_first_published_packs_route_nothing_out():
    for path in PUBLISHED.glob("*.toml"):
        assert load_pack_text(path.read_text()).routes_out == (), path.name


def test_a_route_needs_exactly_one_ending_and_known_reasons_and_prompts():
    text = (PACKS / "pivotal.toml").read_text()
    text = text.replace(
        'closes_with = "17.1"\nprompted_by = ["anti_social_behaviour"]',
        'closes_with = "17.2"\nrefuses_with = "6.1z"\nprompted_by = ["noise"]',
    )
    with pytest.raises(PackInvalid) as exc:
        load_pack_text(text, source="p.toml")
    assert [str(p) for p in exc.value.problems] == [
        "p.toml: routes_out[0]: give exactly one of closes_with (a closure reason: the "
        "complaint is closed under this procedure) or refuses_with (a refusal reason: it is "
        "not accepted).",
        "p.toml: routes_out[0].closes_with: '17.2' is not a closure reason.",
        "p.toml: routes_out[0].refuses_with: '6.1z' is not a refusal reason.",
        "p.toml: routes_out[0].prompted_by: names 'noise'; use one of 'anti_social_behaviour'.",
    ]


@pytest.mark.parametrize(
    "state",
    [
        CaseState.RECEIVED,
        CaseState.LOCAL_RESOLUTION,
        CaseState.AWAITING_ALLOCATION,
        CaseState.AWAITING_ACKNOWLEDGEMENT,
        CaseState.INVESTIGATING,
    ],
)
def test_a_matter_can_be_routed_out_until_the_response_is_sent(state):
    pack = load_shipped_pack("pivotal")
    case = CaseSnapshot(kind=CaseKind.COMPLAINT, state=state, stage=1)
    assert check_transition(Action.ROUTE_OUT, case, pack) is CaseState.CLOSED
