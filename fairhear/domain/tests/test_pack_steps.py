"""The pack fields for steps: sign-offs (Pivotal §9 stage 1 step 7; §13), a response date agreed
at acknowledgement and the offer of written confirmation (MMBM §8.1, §8.1.5), and the signposts
given when a revised date is not agreed (Pivotal §14.3). Each is optional, with a default that
keeps an older pack's meaning."""

import pytest

from fairhear.domain.policy.load import PACKS_DIR, PackInvalid, load_pack_text
from fairhear.domain.policy.schema import Capability, SignOff

PIVOTAL_TEXT = (PACKS_DIR / "pivotal.toml").read_text(encoding="utf-8")
STAGE1_SIGN_OFF = 'response_sign_off = { by = "allocate", cites = "§13; §9 stage 1 step 3" }'


def problems_with(new: str) -> list[str]:
    assert PIVOTAL_TEXT.count(STAGE1_SIGN_OFF) == 1
    with pytest.raises(PackInvalid) as caught:
        load_pack_text(PIVOTAL_TEXT.replace(STAGE1_SIGN_OFF, new), source="pivotal.toml")
    return [str(p) for p in caught.value.problems]


def test_pivotal_declares_who_signs_its_stage_1_steps():
    pack = load_pack_text(PIVOTAL_TEXT, source="pivotal.toml")
    assert pack.stage(1).response_sign_off == SignOff(Capability.ALLOCATE, "§13; §9 stage 1 step 3")
    extension = pack.clocks["stage1_response_due"].extension
    assert extension.sign_off == SignOff(Capability.ALLOCATE, "§9 stage 1 step 7")
    assert extension.not_agreed_signposts == ("housing_ombudsman",)
    assert pack.stage(2).response_sign_off is None


def test_a_sign_off_by_an_unknown_capability_is_named():
    assert problems_with('response_sign_off = { by = "boss", cites = "§13" }') == [
        "pivotal.toml: stages[0].response_sign_off.by: is 'boss'; use one of 'log', "
        "'allocate', 'investigate', 'review', 'direct', 'lead', 'administer'."
    ]


def test_a_sign_off_by_a_role_the_pack_gives_no_title_is_named():
    assert problems_with('response_sign_off = { by = "direct", cites = "§13" }') == [
        "pivotal.toml: stages[0].response_sign_off.by: names 'direct', which has no title under "
        "[roles]; add one so the case page can say who signs."
    ]


def test_a_sign_off_needs_its_cites_and_no_unknown_fields():
    problems = problems_with('response_sign_off = { by = "allocate", who = "Lisa" }')
    assert "pivotal.toml: stages[0].response_sign_off.cites: is missing; give it some text." in (
        problems
    )
    assert any(
        "stages[0].response_sign_off.who: is not a field Fairhear knows" in p for p in problems
    )


def test_a_not_agreed_signpost_must_be_one_of_the_packs_signposts():
    text = PIVOTAL_TEXT.replace(
        'not_agreed_signposts = ["housing_ombudsman"]\nnot_agreed_cites = "§14.3"\n# Step 7',
        'not_agreed_signposts = ["lgsco"]\nnot_agreed_cites = "§14.3"\n# Step 7',
    )
    with pytest.raises(PackInvalid) as caught:
        load_pack_text(text, source="pivotal.toml")
    assert [str(p) for p in caught.value.problems] == [
        "pivotal.toml: clocks.stage1_response_due.extension.not_agreed_signposts: names the "
        "signpost 'lgsco', which is not listed under [[signposts]]."
    ]


def test_packs_without_the_step_fields_keep_their_meaning():
    text = PIVOTAL_TEXT.replace(STAGE1_SIGN_OFF + "\n", "")
    pack = load_pack_text(text, source="pivotal.toml")
    stage = pack.stage(1)
    assert (stage.response_sign_off, stage.agreed_response_date) == (None, False)
    assert stage.offer_written_confirmation is False
