"""The need-to-know rule on its own, with facts written out by hand (domain/access.py)."""

from __future__ import annotations

import pytest

from fairhear.domain.access import (
    CaseAccessFacts,
    ColleagueFacts,
    Visibility,
    access_for,
)
from fairhear.domain.lifecycle import CaseState
from fairhear.domain.policy.schema import Capability as Cap

LOGGER, HANDLER, OTHER, LEAD, NAMED = 1, 2, 3, 4, 5
DORSET, DEVON = 10, 11


def me(id_: int, *caps: Cap, area: int | None = None) -> ColleagueFacts:
    return ColleagueFacts(id=id_, capabilities=frozenset({Cap.LOG, *caps}), service_area_id=area)


def case(**kw) -> CaseAccessFacts:
    facts = {
        "state": CaseState.INVESTIGATING,
        "stage": 1,
        "handler_id": HANDLER,
        "logged_by_id": LOGGER,
        "service_area_id": DORSET,
        "handled_ids": frozenset({HANDLER}),
    }
    facts.update(kw)
    return CaseAccessFacts(**facts)


def seen(colleague: ColleagueFacts, facts: CaseAccessFacts) -> Visibility:
    return access_for(colleague, facts).visibility


def test_the_handler_sees_the_case_they_handle_and_still_after_it_moves_on():
    assert seen(me(HANDLER, Cap.INVESTIGATE), case()) is Visibility.FULL
    moved_on = case(handler_id=OTHER, handled_ids=frozenset({HANDLER, OTHER}))
    assert seen(me(HANDLER, Cap.INVESTIGATE), moved_on) is Visibility.FULL


def test_another_investigator_sees_nothing():
    verdict = access_for(me(OTHER, Cap.INVESTIGATE), case())
    assert verdict.visibility is Visibility.NONE
    assert verdict.reason == "You have no part in this case."


def test_the_colleague_who_logged_it_sees_it_until_it_is_allocated_then_only_that_they_did():
    waiting = case(state=CaseState.RECEIVED, stage=0, handler_id=None, handled_ids=frozenset())
    assert seen(me(LOGGER), waiting) is Visibility.FULL
    assert seen(me(LOGGER), case()) is Visibility.LOGGED_ONLY
    # Back to awaiting allocation at stage 2 with no handler: it was allocated once, so still not.
    later = case(state=CaseState.AWAITING_ALLOCATION, stage=2, handler_id=None)
    assert seen(me(LOGGER), later) is Visibility.LOGGED_ONLY


def test_allocators_see_their_service_area_and_cases_with_none():
    assert seen(me(OTHER, Cap.ALLOCATE, area=DORSET), case()) is Visibility.FULL
    assert seen(me(OTHER, Cap.ALLOCATE, area=DEVON), case()) is Visibility.NONE
    assert seen(me(OTHER, Cap.ALLOCATE, area=DEVON), case(service_area_id=None)) is Visibility.FULL
    # An allocator with no service area allocates for the whole organisation (ADR-006).
    assert seen(me(OTHER, Cap.ALLOCATE), case(service_area_id=DEVON)) is Visibility.FULL


def test_a_decision_keeps_sight_of_the_case():
    decided = case(decided_ids=frozenset({OTHER}))
    assert seen(me(OTHER, Cap.REVIEW), decided) is Visibility.FULL


@pytest.mark.parametrize("caps", [(Cap.REVIEW,), (Cap.DIRECT,)])
def test_reviewers_and_directors_see_what_is_put_to_them(caps):
    # Pivotal §9 stage 2 point 5; MMBM 8.3.1: the request to escalate waits on their decision.
    requested = case(state=CaseState.ESCALATION_REQUESTED)
    stage_two = case(state=CaseState.AWAITING_ALLOCATION, stage=2, handler_id=None)
    assert seen(me(OTHER, *caps), requested) is Visibility.FULL
    assert seen(me(OTHER, *caps), stage_two) is Visibility.FULL
    assert seen(me(OTHER, *caps), case()) is Visibility.NONE
    stage_one = case(state=CaseState.AWAITING_ALLOCATION, stage=1, handler_id=None)
    assert seen(me(OTHER, *caps), stage_one) is Visibility.NONE


def test_the_lead_sees_everything_except_a_complaint_that_names_them():
    assert seen(me(LEAD, Cap.LEAD), case(restricted=True)) is Visibility.FULL
    verdict = access_for(me(LEAD, Cap.LEAD), case(about_ids=frozenset({LEAD})))
    assert verdict.visibility is Visibility.NONE
    assert verdict.reason == "The complaint names you."


def test_a_colleague_named_in_a_complaint_never_sees_it_whatever_their_part():
    about = case(about_ids=frozenset({HANDLER, LOGGER}))
    assert seen(me(HANDLER, Cap.INVESTIGATE), about) is Visibility.NONE
    assert seen(me(LOGGER), about) is Visibility.NONE


def test_restricted_access_only_the_named_the_handler_and_the_lead():
    restricted = case(restricted=True, named_ids=frozenset({NAMED}))
    assert seen(me(NAMED), restricted) is Visibility.FULL
    assert seen(me(HANDLER, Cap.INVESTIGATE), restricted) is Visibility.FULL
    assert seen(me(OTHER, Cap.ALLOCATE, area=DORSET), restricted) is Visibility.NONE
    past = case(restricted=True, handler_id=OTHER, handled_ids=frozenset({HANDLER, OTHER}))
    assert seen(me(HANDLER, Cap.INVESTIGATE), past) is Visibility.NONE
    assert seen(me(LOGGER), restricted) is Visibility.LOGGED_ONLY


def test_an_administrator_sees_no_casework():
    admin = ColleagueFacts(id=OTHER, capabilities=frozenset({Cap.ADMINISTER}))
    assert seen(admin, case()) is Visibility.NONE
    assert seen(admin, case(state=CaseState.ESCALATION_REQUESTED)) is Visibility.NONE
