"""How a response or acknowledgement was given, the response date agreed at acknowledgement
(MMBM seed 000 §8.1, §8.1.4, §8.1.5) and a revised date the complainant will not agree (Pivotal
seed 003 §14.3), through the services on the real database.

Calendar: England and Wales, 2026. Good Friday is Fri 3 Apr and Easter Monday Mon 6 Apr 2026;
there are no other bank holidays in March or April.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fairhear.cases.models import Case
from fairhear.cases.services import (
    TransitionRejected,
    case_accept,
    case_acknowledge,
    case_allocate,
    case_extend,
    case_record_date_not_agreed,
    case_respond,
)
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Monday 2 March 2026, 10:00.
RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


def at(month: int, day: int, hour: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=LONDON)


def allocated(team: Team) -> Case:
    case = receive_complaint(team, RECEIVED)
    case_accept(case=case, actor=team.allocator)
    case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    return case


def response_clock(case: Case):
    return case.clocks.get(name="stage1_response_due")


def last_event(case: Case):
    return case.events.order_by("-sequence").first()


def test_mmbm_an_earlier_response_date_agreed_at_acknowledgement_is_the_due_date():
    team = make_team("mmbm")
    with time_machine.travel(at(3, 4), tick=False):
        case = allocated(team)
        # §8.1.3: 28 working days from Mon 2 Mar 2026: 3-6 Mar (4), 9-13 (9), 16-20 (14),
        # 23-27 (19), 30 Mar-2 Apr (23), Good Friday and Easter Monday skipped, 7-10 Apr (27),
        # Mon 13 Apr (28).
        assert response_clock(case).due == date(2026, 4, 13)

        # §8.1: acknowledged by telephone on Wed 4 Mar, agreeing a response by Fri 27 Mar.
        case_acknowledge(
            case=case,
            actor=team.investigator,
            means="phone",
            agreed_response_date=date(2026, 3, 27),
        )

    clock = response_clock(case)
    assert clock.due == date(2026, 3, 27)
    assert clock.original_due == date(2026, 3, 27)
    assert (
        "held to Fri 27 Mar 2026, the date agreed with the complainant at acknowledgement (§8.1)"
        in clock.explanation
    )
    case.refresh_from_db()
    # The soonest deadline the case is held to is now the agreed date.
    assert case.next_due == date(2026, 3, 27)
    assert last_event(case).data["means"] == "phone"


def test_mmbm_a_response_after_the_agreed_date_is_late_though_within_28_working_days():
    team = make_team("mmbm")
    with time_machine.travel(at(3, 4), tick=False) as t:
        case = allocated(team)
        case_acknowledge(
            case=case,
            actor=team.investigator,
            means="letter",
            agreed_response_date=date(2026, 3, 27),
        )
        # Mon 30 Mar is after the agreed Fri 27 Mar, though before the policy's Mon 13 Apr.
        t.move_to(at(3, 30))
        case_respond(
            case=case,
            actor=team.investigator,
            outcome="upheld",
            reasons="The repair was late.",
            means="email",
        )
    event = last_event(case)
    assert (event.data["on_time_due"], event.data["on_time"]) == ("2026-03-27", False)
    assert response_clock(case).status == "met_late"


def test_mmbm_an_agreed_date_later_than_the_policy_date_is_refused_and_points_to_an_extension():
    team = make_team("mmbm")
    with time_machine.travel(at(3, 4), tick=False):
        case = allocated(team)
        with pytest.raises(TransitionRejected) as refused:
            case_acknowledge(
                case=case, actor=team.investigator, agreed_response_date=date(2026, 4, 14)
            )
    assert str(refused.value) == (
        "The agreed response date Tue 14 Apr 2026 is after Mon 13 Apr 2026, the date the policy "
        "sets (§8.1). Agree Mon 13 Apr 2026 or earlier here; a later date is an extension, "
        "agreed with its reason."
    )
    assert case.events.filter(kind="acknowledged").count() == 0


def test_mmbm_an_agreed_date_before_the_acknowledgement_is_refused():
    team = make_team("mmbm")
    with time_machine.travel(at(3, 4), tick=False):
        case = allocated(team)
        with pytest.raises(TransitionRejected, match="before the acknowledgement on Wed 4 Mar"):
            case_acknowledge(
                case=case, actor=team.investigator, agreed_response_date=date(2026, 3, 3)
            )


def test_pivotal_has_no_agreed_response_date_at_acknowledgement():
    team = make_team("pivotal")
    with time_machine.travel(at(3, 3), tick=False):
        case = allocated(team)
        with pytest.raises(TransitionRejected, match="Pivotal policy does not agree a response"):
            case_acknowledge(
                case=case, actor=team.investigator, agreed_response_date=date(2026, 3, 10)
            )


def test_mmbm_a_response_by_telephone_needs_the_offer_of_written_confirmation():
    team = make_team("mmbm")
    with time_machine.travel(at(3, 4), tick=False) as t:
        case = allocated(team)
        case_acknowledge(case=case, actor=team.investigator, means="letter")
        t.move_to(at(3, 20))
        with pytest.raises(TransitionRejected) as refused:
            case_respond(
                case=case,
                actor=team.investigator,
                outcome="upheld",
                reasons="The repair was late.",
                means="phone",
            )
        assert "must come with an offer to confirm it in writing (§8.1)" in str(refused.value)
        case_respond(
            case=case,
            actor=team.investigator,
            outcome="upheld",
            reasons="The repair was late.",
            means="phone",
            written_confirmation_offered=True,
        )
    data = last_event(case).data
    assert (data["means"], data["written_confirmation_offered"]) == ("phone", True)


def test_a_means_that_is_not_one_of_the_four_is_refused_in_words():
    team = make_team("mmbm")
    with time_machine.travel(at(3, 4), tick=False):
        case = allocated(team)
        with pytest.raises(TransitionRejected) as refused:
            case_acknowledge(case=case, actor=team.investigator, means="pigeon")
    assert str(refused.value) == (
        "Say how the acknowledgement was given: letter, email, face to face, telephone; "
        "'pigeon' is not one of them."
    )


def test_pivotal_a_revised_date_not_agreed_is_recorded_with_the_housing_ombudsman_details():
    team = make_team("pivotal")
    with time_machine.travel(at(3, 3), tick=False) as t:
        case = allocated(team)
        case_acknowledge(case=case, actor=team.investigator, means="email")
        # §9 stage 1 step 6: 10 working days from Mon 2 Mar 2026 is Mon 16 Mar.
        assert response_clock(case).due == date(2026, 3, 16)
        t.move_to(at(3, 12))
        case_record_date_not_agreed(
            case=case,
            actor=team.investigator,
            proposed_due=date(2026, 3, 25),
            note="They want the response by Monday as promised.",
        )
    data = last_event(case).data
    assert data["cites"] == "§14.3"
    assert data["proposed_due"] == "2026-03-25"
    assert [s["name"] for s in data["signposts"]] == ["Housing Ombudsman Service"]
    assert "0300 111 3000" in data["signposts"][0]["contact"]
    # Nothing was agreed, so the response is still due on Mon 16 Mar.
    assert response_clock(case).due == date(2026, 3, 16)
    case.refresh_from_db()
    assert case.state == "investigating"


def test_a_revised_date_not_agreed_after_an_extension_leaves_the_extended_date():
    team = make_team("pivotal")
    with time_machine.travel(at(3, 3), tick=False) as t:
        case = allocated(team)
        case_acknowledge(case=case, actor=team.investigator)
        t.move_to(at(3, 10))
        signed_off(team, case, "extension")
        case_extend(
            case=case,
            actor=team.investigator,
            new_due=date(2026, 3, 20),
            reason="Waiting for the contractor.",
            told_on=date(2026, 3, 10),
        )
        t.move_to(at(3, 18))
        case_record_date_not_agreed(
            case=case, actor=team.investigator, proposed_due=date(2026, 3, 27)
        )
    assert response_clock(case).due == date(2026, 3, 20)
