"""The Code's provisions as a self-assessment: every paragraph the policy lint checks is a
provision, the departures of each shipped pack land at their provision, and the draft answer
says what the pack sets, whether it meets the Code and the year's figure."""

from fairhear.domain.policy.load import load_shipped_pack
from fairhear.domain.policy.rules import ALL_RULES, departures_from_code
from fairhear.domain.self_assessment import (
    LINTED,
    PROVISIONS,
    SECTIONS,
    Evidence,
    departures_at,
    draft_answer,
    figure_sentence,
    paragraph,
)

CODE = load_shipped_pack("hos-code-2024")
BY_NUMBER = {p.number: p for p in PROVISIONS}


def test_sections_1_to_9_are_covered_and_every_linted_paragraph_is_a_provision():
    assert {p.section for p in PROVISIONS} == set(range(1, 10)) == set(SECTIONS)
    assert len(BY_NUMBER) == len(PROVISIONS)  # no provision twice
    assert {paragraph(rule.section) for rule in ALL_RULES} <= set(BY_NUMBER)
    assert all(p.source in {"S", "M"} for p in PROVISIONS)
    # Provisions nothing in Fairhear can evidence say so.
    assert BY_NUMBER["4.3"].evidence == (Evidence.ORGANISATION,)
    assert BY_NUMBER["6.3"].evidence == (Evidence.PACK, Evidence.FIGURE)


def test_pivotal_departs_at_2_3_and_6_15_and_the_draft_says_so():
    pivotal = load_shipped_pack("pivotal")
    departures = departures_from_code(pivotal, CODE)
    at = {p.number: departures_at(p, departures) for p in PROVISIONS}
    assert sorted(n for n, d in at.items() if d) == ["2.3", "6.15"]
    assert len(at["2.3"]) == 2  # 6 months, and never out of time (Pivotal §6.1 a)
    draft = draft_answer(BY_NUMBER["2.3"], pivotal, departures, None, "2026-27")
    assert draft.startswith(
        "Our policy accepts complaints made within 6 months of the issue and never accepts one "
        "made later (Pivotal §6.1 a). This departs from the Code: The pack refuses complaints "
        "made more than 6 months after the issue"
    )
    # Stage 1 response: 10 working days (Pivotal §9 stage 1 step 6) meets the Code; the year's
    # figure 4 of 5 is 80%.
    figure = {"numerator": 4, "denominator": 5}
    assert draft_answer(BY_NUMBER["6.3"], pivotal, departures, figure, "2026-27") == (
        "Our policy sets 10 working days from receipt to send the stage 1 response (Pivotal §9 "
        "stage 1 (allocated Service Manager, step 6); App. 1), as the Code requires. 80% of "
        "stage 1 responses in 2026-27 were on time by the Code's dates (4 of 5)."
    )


def test_mmbm_departs_at_its_three_stages_and_its_long_clocks():
    mmbm = load_shipped_pack("mmbm")
    departures = departures_from_code(mmbm, CODE)
    assert sorted(
        (p.number for p in PROVISIONS if departures_at(p, departures)),
        key=lambda n: tuple(map(int, n.split("."))),
    ) == ["5.2", "5.3", "6.3", "6.4", "6.14", "6.15"]
    assert "This departs from the Code: The pack has 3 stages" in draft_answer(
        BY_NUMBER["5.3"], mmbm, departures, None, "2026-27"
    )


def test_only_paragraphs_the_lint_checks_are_said_to_meet_the_code():
    pivotal = load_shipped_pack("pivotal")
    departures = departures_from_code(pivotal, CODE)
    assert "5.14" not in LINTED
    draft = draft_answer(BY_NUMBER["5.14"], pivotal, departures, None, "2026-27")
    assert "as the Code requires" not in draft
    assert draft.endswith("Say how this meets the Code.")
    assert draft_answer(BY_NUMBER["4.3"], pivotal, departures, None, "2026-27") == (
        "Fairhear holds no evidence for this: say how the organisation meets it."
    )


def test_figure_sentences_round_half_up_and_never_divide_by_nothing():
    # 5 of 8 is 62.5%: shown as 63%.
    assert figure_sentence("stage1_on_time", {"numerator": 5, "denominator": 8}, "2026-27") == (
        "63% of stage 1 responses in 2026-27 were on time by the Code's dates (5 of 8)."
    )
    assert figure_sentence("stage2_on_time", {"numerator": 0, "denominator": 0}, "2025-26") == (
        "There were no stage 2 responses in 2025-26."
    )
    assert figure_sentence("received", {"numerator": 7, "denominator": None}, "2026-27") == (
        "7 complaints were received in 2026-27."
    )
