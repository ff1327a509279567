"""Which ombudsman or regulator each case is told about, and the refusal words that tell them.

Pivotal is seed 003 (§1.4, §6.2, §16: the Housing Ombudsman Service); MMBM is seed 000 (§8.3.6:
the CQC for CQC-registered services; the LGSCO for care, REGULATION.md §3); "Code" is the
Housing Ombudsman Complaint Handling Code 2024 (2.4: a refusal gives the right to go to the
Ombudsman).
"""

from pathlib import Path

import pytest

from fairhear.cli import main
from fairhear.domain.policy.load import PackInvalid, load_pack_text, load_shipped_pack
from fairhear.domain.policy.schema import ServiceKind, SignpostMoment
from fairhear.domain.policy.signposts import (
    SignpostFacts,
    refusal_letter_text,
    refusal_signpost_problems,
    signposts_for,
)

PUBLISHED = Path(__file__).parent / "published"
HOS_CONTACT = (
    "PO Box 152, Liverpool L33 7WQ. Telephone 0300 111 3000. Email info@housing-ombudsman.org.uk"
)


def codes(signposts) -> list[str]:
    return [s.code for s in signposts]


# ---------------------------------------------------------------------------------------------
# Item 7: Pivotal's refusal wording gives the Housing Ombudsman (§6.2)


@pytest.mark.parametrize("code", [r.code for r in load_shipped_pack("pivotal").refusal_reasons])
def test_every_pivotal_refusal_gives_the_right_to_challenge_with_the_housing_ombudsman(code):
    pack = load_shipped_pack("pivotal")
    text = refusal_letter_text(pack, pack.refusal_reason(code), SignpostFacts())
    # §6.2: "has the right to challenge our decision using the Housing Ombudsman service";
    # §16: the contact details.
    assert text.startswith(pack.refusal_reason(code).letter_text)
    assert "right to challenge our decision using the Housing Ombudsman Service" in text
    assert text.endswith(f"Housing Ombudsman Service: {HOS_CONTACT}")


@pytest.mark.parametrize("name", ["pivotal", "mmbm", "hos-code-2024"])
def test_no_shipped_pack_has_a_refusal_text_that_omits_a_signpost(name):
    assert refusal_signpost_problems(load_shipped_pack(name)) == []


def test_the_first_published_pivotal_text_fails_the_refusal_signpost_check():
    # The first published Pivotal text gave no words for the Ombudsman and none of its eight
    # refusal texts (§6.1 a to h) named it, so each one is a problem.
    pack = load_pack_text((PUBLISHED / "pivotal-3.0-first-published.toml").read_text())
    problems = refusal_signpost_problems(pack)
    assert len(problems) == 8
    assert problems[0] == (
        "refusal_reasons[0] (6.1a): the refusal text does not give the right to go to the "
        "Housing Ombudsman Service or its contact, though signposts[0] is given with refusals. "
        'Add right = "…" to signposts[0] (its words and contact are then added to every '
        "refusal letter), or write both into letter_text."
    )


def test_policy_check_fails_a_pack_whose_refusal_text_omits_a_signpost(capsys):
    status = main(["policy", "check", str(PUBLISHED / "pivotal-3.0-first-published.toml")])
    out, err = capsys.readouterr()
    assert status == 1
    assert out == ""
    assert err.splitlines()[0] == (
        "The policy pack pivotal is not valid: its refusal texts leave out a signpost:"
    )
    assert "  refusal_reasons[7] (6.1h): the refusal text does not give the right" in err


def test_a_refusal_text_naming_a_body_that_applies_only_to_some_cases_is_a_problem():
    text = (
        (PUBLISHED.parent.parent / "policy" / "packs" / "mmbm.toml")
        .read_text()
        .replace(
            "cannot deal with under its policy (section 6).",
            "cannot deal with under its policy (section 6). You can tell the Care Quality "
            "Commission (CQC).",
            1,
        )
    )
    problems = refusal_signpost_problems(load_pack_text(text))
    assert problems == [
        "refusal_reasons[0] (local_authority): the refusal text names the Care Quality "
        "Commission (CQC), which applies only to some cases (signposts[0].applies_when). Take "
        "it out of letter_text: the signpost's own words are added to the letters of the cases "
        "it applies to."
    ]


# ---------------------------------------------------------------------------------------------
# The right body for each case


def test_pivotal_names_the_housing_ombudsman_for_every_case_housing_or_care():
    # §1.4 and §16 name only the Housing Ombudsman Service, for all of Pivotal's services.
    pack = load_shipped_pack("pivotal")
    for facts in [
        SignpostFacts(),
        SignpostFacts(ServiceKind.HOUSING, False, ("repairs",)),
        SignpostFacts(ServiceKind.CARE, True, ("care_and_support",)),
    ]:
        assert codes(signposts_for(pack, facts, SignpostMoment.REFUSAL)) == ["housing_ombudsman"]


def test_mmbm_supported_living_cqc_registered_care_complaint_names_cqc_and_lgsco():
    pack = load_shipped_pack("mmbm")
    facts = SignpostFacts(ServiceKind.SUPPORTED_LIVING, True, ("support",))
    # §8.3.6: CQC-registered service → CQC; care in supported living → LGSCO (REGULATION §3).
    assert codes(signposts_for(pack, facts, SignpostMoment.FINAL_RESPONSE)) == ["cqc", "lgsco"]


def test_mmbm_housing_complaint_in_supported_living_does_not_go_to_the_lgsco():
    # REGULATION.md §3: in supported living, housing complaints are not the LGSCO's; the
    # service is not CQC-registered, so MMBM names no body at all for this case.
    pack = load_shipped_pack("mmbm")
    facts = SignpostFacts(ServiceKind.SUPPORTED_LIVING, False, ("housing",))
    assert signposts_for(pack, facts, SignpostMoment.FINAL_RESPONSE) == ()
    assert refusal_letter_text(pack, pack.refusal_reason("other_bodies"), facts) == (
        pack.refusal_reason("other_bodies").letter_text
    )


def test_mmbm_care_service_not_registered_names_the_lgsco_only():
    pack = load_shipped_pack("mmbm")
    facts = SignpostFacts(ServiceKind.CARE, False, ("support", "housing"))
    text = refusal_letter_text(pack, pack.refusal_reason("over_12_months"), facts)
    assert "Local Government and Social Care Ombudsman: 0300 061 0614" in text
    assert "Care Quality Commission" not in text


def test_a_case_with_no_service_area_gets_every_signpost_of_the_moment():
    # Not recorded counts as matching: leaving out the body that applies is the worse mistake.
    pack = load_shipped_pack("mmbm")
    assert codes(signposts_for(pack, SignpostFacts(), SignpostMoment.REFUSAL)) == ["cqc", "lgsco"]


def test_the_code_pack_gives_the_ombudsman_with_an_extension_but_pivotal_does_not():
    # Code 6.5: an extension gives the Ombudsman's contact details; Pivotal §9 stage 1 step 7
    # does not ask for them.
    hos = load_shipped_pack("hos-code-2024")
    pivotal = load_shipped_pack("pivotal")
    given = signposts_for(hos, SignpostFacts(), SignpostMoment.EXTENSION)
    assert codes(given) == ["housing_ombudsman"]
    assert signposts_for(pivotal, SignpostFacts(), SignpostMoment.EXTENSION) == ()


def test_an_old_pack_gives_every_signpost_to_every_case_at_every_moment():
    pack = load_pack_text((PUBLISHED / "mmbm-1-first-published.toml").read_text())
    facts = SignpostFacts(ServiceKind.HOUSING, False, ("housing",))
    for moment in SignpostMoment:
        assert codes(signposts_for(pack, facts, moment)) == ["cqc", "lgsco"]
    # With no words of its own, a signpost adds nothing to the letter (as before).
    reason = pack.refusal_reason("other_bodies")
    assert refusal_letter_text(pack, reason, facts) == reason.letter_text


# ---------------------------------------------------------------------------------------------
# The pack format


def _with_signpost(extra: str) -> str:
    text = (PUBLISHED.parent.parent / "policy" / "packs" / "pivotal.toml").read_text()
    cites = 'cites = "§1.4; §6.2; §9 stage 2 point 5; §16"\n'
    assert cites in text
    return text.replace(cites, f"{cites}{extra}\n", 1)


def test_a_signpost_with_an_unknown_service_kind_category_or_moment_is_refused_by_name():
    text = _with_signpost(
        '[signposts.applies_when]\nservice_kinds = ["hostel"]\ncategories = ["parking"]\n'
        'cqc_registered = "yes"'
    ).replace(
        'given_with = ["refusal", "request_refused", "final_response"]', 'given_with = ["letter"]'
    )
    with pytest.raises(PackInvalid) as exc:
        load_pack_text(text, source="p.toml")
    assert [str(p) for p in exc.value.problems] == [
        "p.toml: signposts[0].given_with: names 'letter'; use one or more of 'refusal', "
        "'request_refused', 'final_response', 'extension'.",
        "p.toml: signposts[0].applies_when.service_kinds: names 'hostel'; use one or more of "
        "'housing', 'care', 'supported_living'.",
        "p.toml: signposts[0].applies_when.categories: names the category 'parking', which is "
        "not listed under [[categories]].",
        "p.toml: signposts[0].applies_when.cqc_registered: must be true or false.",
    ]
