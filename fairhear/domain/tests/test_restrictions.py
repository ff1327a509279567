"""A person's restrictions on contact, from their events on any of their cases (MMBM §9;
Pivotal §12 and Appendix 3 I): the warning first, the written notices, who was told."""

from datetime import date

import pytest

from fairhear.domain.lifecycle import Action, TransitionRejected
from fairhear.domain.restrictions import (
    Notice,
    RestrictionRecord,
    Standing,
    check_restriction_step,
    notice_for,
    restriction_state,
)


def rec(kind, on, reference="C-A", sequence=1, **data):
    return RestrictionRecord(kind=kind, on=on, reference=reference, sequence=sequence, data=data)


WARNED = rec(Action.WARN_BEHAVIOUR, date(2024, 10, 31), behaviour="Forty calls a day.")
APPLIED = rec(
    Action.APPLY_RESTRICTION,
    date(2024, 12, 2),
    reference="C-B",
    sequence=4,
    restrictions="E-mail only.",
    notice_sent_on="2024-12-02",
)


def test_a_person_warned_on_one_case_and_restricted_on_another_is_restricted():
    state = restriction_state([WARNED, APPLIED])
    assert state.standing is Standing.IN_FORCE
    assert (state.restrictions, state.applied_on, state.reference) == (
        "E-mail only.",
        date(2024, 12, 2),
        "C-B",
    )
    # The warning went at a meeting without a written notice recorded; the restrictions' did.
    assert [(p.notice, p.on) for p in state.pending_notices] == [
        (Notice.WARNING, date(2024, 10, 31))
    ]


def test_a_notice_recorded_later_clears_the_step_it_confirms():
    review = rec(Action.REVIEW_RESTRICTION, date(2025, 5, 30), reference="C-B", sequence=9)
    state = restriction_state([WARNED, APPLIED, review])
    assert notice_for(state, reference="C-B", sequence=9) is not None
    sent = rec(
        Action.RECORD_RESTRICTION_NOTICE,
        date(2025, 6, 2),
        reference="C-C",
        sequence=3,
        for_reference="C-B",
        for_sequence=9,
    )
    after = restriction_state([WARNED, APPLIED, review, sent])
    assert notice_for(after, reference="C-B", sequence=9) is None
    assert after.reviewed_on == date(2025, 5, 30)


def test_lifting_ends_the_restrictions_and_the_notices_owed():
    lifted = rec(Action.LIFT_RESTRICTION, date(2025, 2, 27), reference="C-B", sequence=5)
    state = restriction_state([WARNED, APPLIED, lifted])
    assert state.standing is Standing.NONE
    assert not state.in_force
    assert state.pending_notices == ()


def test_telling_the_managers_counts_until_the_next_step():
    told = rec(Action.REPORT_BEHAVIOUR, date(2024, 10, 31), told="Sam (line manager)")
    assert restriction_state([WARNED, told]).reported
    assert not restriction_state([WARNED, told, APPLIED]).reported


def test_mmbm_restrictions_only_after_a_warning_and_its_chance_to_change():
    """MMBM §9: "inform the complainant in writing or at a face to face meeting why we feel
    their behaviours or actions are unacceptable ... give them the opportunity to change"."""
    nothing = restriction_state([])
    with pytest.raises(TransitionRejected, match="record the warning first"):
        check_restriction_step(
            Action.APPLY_RESTRICTION, nothing, on=date(2024, 11, 1), warn_first=True, cites="§9"
        )
    warned = restriction_state([WARNED])
    # Warned Thu 31 Oct 2024 with a month to change: until Sat 30 Nov, so from Sun 1 Dec.
    with pytest.raises(TransitionRejected) as early:
        check_restriction_step(
            Action.APPLY_RESTRICTION,
            warned,
            on=date(2024, 11, 30),
            warn_first=True,
            change_by=date(2024, 11, 30),
            cites="§9",
        )
    assert str(early.value) == (
        "The warning gave the person until Sat 30 Nov 2024 to change (§9); restrictions can be "
        "applied from the day after, if the behaviour goes on."
    )
    check_restriction_step(
        Action.APPLY_RESTRICTION,
        warned,
        on=date(2024, 12, 1),
        warn_first=True,
        change_by=date(2024, 11, 30),
    )


def test_a_pack_that_does_not_warn_first_may_restrict_straight_away():
    # Pivotal §12.2 and App. 3 I ask for no warning before restrictions.
    check_restriction_step(Action.APPLY_RESTRICTION, restriction_state([]), on=date(2024, 1, 2))


def test_restrictions_in_force_cannot_be_applied_or_warned_again_and_none_cannot_be_reviewed():
    in_force = restriction_state([WARNED, APPLIED])
    for action in (Action.APPLY_RESTRICTION, Action.WARN_BEHAVIOUR):
        with pytest.raises(TransitionRejected, match="already in force for this person"):
            check_restriction_step(action, in_force, on=date(2025, 1, 6))
    for action in (Action.REVIEW_RESTRICTION, Action.LIFT_RESTRICTION):
        with pytest.raises(TransitionRejected, match="No restrictions are in force"):
            check_restriction_step(action, restriction_state([WARNED]), on=date(2025, 1, 6))
