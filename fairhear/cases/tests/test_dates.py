"""When things happened: every action is dated (a date and a time, now by default), a step that
moves a case is never dated before the step it follows, and a London time the clock changes
make ambiguous is read as a person means it (docs/time.md "Entering a date and time").

Days of the week are from a printed 2026 calendar: Fri 2 Oct, Mon 5 Oct, Tue 1 Dec 2026. In
2026 British Summer Time begins Sun 29 Mar at 01:00 GMT (the clocks go to 02:00) and ends
Sun 25 Oct at 02:00 BST (the clocks go back to 01:00); in between London is UTC+1.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.forms import new_idempotency_key
from fairhear.cases.models import Case
from fairhear.cases.tests.factories import Team, make_team, receive_complaint
from fairhear.cases.tests.test_views import error_summary, page_text, when
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action, CaseState, TransitionRejected

pytestmark = pytest.mark.django_db

# Tuesday 1 December 2026, 12:00:30 in London (GMT, so also 12:00:30 UTC).
NOW = datetime(2026, 12, 1, 12, 0, 30, tzinfo=LONDON)
# Friday 2 October 2026, 10:00 BST (09:00 UTC): a case logged late, two months after receipt.
RECEIVED = datetime(2026, 10, 2, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team() -> Team:
    return make_team("pivotal")


def _kinds(case: Case) -> list[str]:
    return list(case.events.order_by("sequence").values_list("kind", flat=True))


# ---------------------------------------------------------------------------------------------
# Item 19: a step cannot be dated before the step it follows; a record may be


def test_an_allocation_cannot_be_dated_before_the_acceptance_it_follows(team):
    case = receive_complaint(team, RECEIVED)
    case = s.case_accept(case=case, actor=team.allocator)  # now: Tue 1 Dec 2026

    with pytest.raises(TransitionRejected) as refused:
        s.case_allocate(
            case=case,
            actor=team.allocator,
            handler=team.investigator,
            occurred_at=datetime(2026, 10, 2, 11, 0, tzinfo=LONDON),
        )

    assert str(refused.value) == (
        "The allocation cannot be dated Fri 2 Oct 2026: the complaint was accepted on "
        "Tue 1 Dec 2026. Use that date or later."
    )
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_ALLOCATION
    assert _kinds(case) == [Action.RECEIVE, Action.ACCEPT]


def test_on_the_same_day_the_refusal_names_both_times(team):
    case = receive_complaint(team, RECEIVED)
    case = s.case_accept(
        case=case, actor=team.allocator, occurred_at=datetime(2026, 12, 1, 10, 15, tzinfo=LONDON)
    )

    with pytest.raises(TransitionRejected) as refused:
        s.case_allocate(
            case=case,
            actor=team.allocator,
            handler=team.investigator,
            occurred_at=datetime(2026, 12, 1, 9, 0, tzinfo=LONDON),
        )

    assert str(refused.value) == (
        "The allocation cannot be dated Tue 1 Dec 2026 at 09:00: the complaint was accepted on "
        "Tue 1 Dec 2026 at 10:15. Use that time or later."
    )


def test_a_step_is_not_dated_before_the_receipt(team):
    # Received at 10:00 on Fri 2 Oct; accepting it at 09:00 that morning would put the
    # acceptance before the complaint arrived.
    case = receive_complaint(team, RECEIVED)

    with pytest.raises(TransitionRejected) as refused:
        s.case_accept(
            case=case, actor=team.allocator, occurred_at=datetime(2026, 10, 2, 9, 0, tzinfo=LONDON)
        )

    assert str(refused.value) == (
        "The acceptance cannot be dated Fri 2 Oct 2026 at 09:00: the case was received on "
        "Fri 2 Oct 2026 at 10:00. Use that time or later."
    )


def test_a_backdated_history_in_order_is_recorded_with_its_true_dates(team):
    case = receive_complaint(team, RECEIVED)
    accepted = datetime(2026, 10, 2, 14, 0, tzinfo=LONDON)
    allocated = datetime(2026, 10, 5, 9, 30, tzinfo=LONDON)
    case = s.case_accept(case=case, actor=team.allocator, occurred_at=accepted)
    case = s.case_allocate(
        case=case, actor=team.allocator, handler=team.investigator, occurred_at=allocated
    )

    events = {e.kind: e.occurred_at for e in case.events.all()}
    assert events[Action.ACCEPT] == datetime(2026, 10, 2, 13, 0, tzinfo=UTC)  # 14:00 BST
    assert events[Action.ALLOCATE] == datetime(2026, 10, 5, 8, 30, tzinfo=UTC)  # 09:30 BST
    # The same minute as the latest step is not earlier than it (times are typed to the minute).
    s.case_acknowledge(case=case, actor=team.investigator, occurred_at=allocated)


def test_a_note_logged_late_keeps_its_true_earlier_date(team):
    case = receive_complaint(team, RECEIVED)
    case = s.case_accept(case=case, actor=team.allocator)  # Tue 1 Dec 2026
    called = datetime(2026, 10, 5, 16, 20, tzinfo=LONDON)  # before the acceptance

    case = s.case_add_note(
        case=case, actor=team.colleague, text="They phoned to chase.", occurred_at=called
    )

    note = case.events.get(kind=Action.ADD_NOTE)
    assert note.occurred_at == datetime(2026, 10, 5, 15, 20, tzinfo=UTC)  # 16:20 BST
    # A note moves nothing, so the next step still follows the acceptance, not the note.
    with pytest.raises(TransitionRejected, match="the complaint was accepted on Tue 1 Dec 2026"):
        s.case_allocate(
            case=case,
            actor=team.allocator,
            handler=team.investigator,
            occurred_at=datetime(2026, 11, 30, 9, 0, tzinfo=LONDON),
        )


def test_a_record_still_cannot_be_dated_before_the_case_was_received(team):
    case = receive_complaint(team, RECEIVED)

    with pytest.raises(s.CaseInputError, match=r"before the case was received \(Fri 2 Oct 2026\)"):
        s.case_add_note(
            case=case,
            actor=team.colleague,
            text="Too early.",
            occurred_at=datetime(2026, 10, 1, 16, 0, tzinfo=LONDON),
        )


# ---------------------------------------------------------------------------------------------
# Item 19 through the pages: every action's form asks when, with a time, now by default


def _typed_in(body: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', body) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', body
    )
    return match.group(1) if match else ""


def test_the_acceptance_form_asks_when_with_a_time_and_shows_now_by_default(client, team):
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.allocator)

    response = client.get(reverse("cases:action", args=[case.reference, Action.ACCEPT]))

    body = response.content.decode()
    assert "When did it happen?" in page_text(response)
    for label in ("Day", "Month", "Year", "Time"):
        assert f">{label}</label>" in body
    # Now is Tue 1 Dec 2026 12:00:30, shown to the minute.
    typed = {part: _typed_in(body, f"occurred_at_{part}") for part in ("day", "month", "year")}
    assert typed == {"day": "1", "month": "12", "year": "2026"}
    assert _typed_in(body, "occurred_at_time") == "12:00"


def test_a_backdated_acceptance_is_dated_as_typed_and_reads_in_order(client, team):
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.allocator)

    client.post(
        reverse("cases:action", args=[case.reference, Action.ACCEPT]),
        {"note": "", **when(datetime(2026, 10, 2, 15, 45, tzinfo=LONDON))},
    )
    response = client.post(
        reverse("cases:action", args=[case.reference, Action.ALLOCATE]),
        {
            "handler": team.investigator.pk,
            **when(datetime(2026, 10, 5, 9, 5, tzinfo=LONDON)),
        },
        follow=True,
    )

    accepted = case.events.get(kind=Action.ACCEPT)
    assert accepted.occurred_at == datetime(2026, 10, 2, 14, 45, tzinfo=UTC)  # 15:45 BST
    text = page_text(response)
    # Newest first: allocated on the Monday after the Friday it was accepted, no invented 12:00.
    assert text.index("Allocated (stage 1) Mon 5 Oct 2026 at 09:05") < text.index(
        "Accepted Fri 2 Oct 2026 at 15:45"
    )


def test_an_allocation_dated_before_the_acceptance_is_refused_on_the_page(client, team):
    case = receive_complaint(team, RECEIVED)
    s.case_accept(case=case, actor=team.allocator)  # Tue 1 Dec 2026
    client.force_login(team.allocator)

    response = client.post(
        reverse("cases:action", args=[case.reference, Action.ALLOCATE]),
        {"handler": team.investigator.pk, **when(datetime(2026, 10, 2, 11, 0, tzinfo=LONDON))},
    )

    assert response.status_code == 200
    assert (
        "The allocation cannot be dated Fri 2 Oct 2026: the complaint was accepted on "
        "Tue 1 Dec 2026. Use that date or later."
    ) in error_summary(response)
    assert not case.events.filter(kind=Action.ALLOCATE).exists()


def test_an_acceptance_with_its_date_left_blank_is_dated_now(client, team):
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.allocator)

    client.post(reverse("cases:action", args=[case.reference, Action.ACCEPT]), {"note": ""})

    assert case.events.get(kind=Action.ACCEPT).occurred_at == NOW


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"occurred_at_day": "31", "occurred_at_month": "11"}, "Enter a real date"),
        ({"occurred_at_year": "26"}, "Enter the year as four digits, for example 2026."),
        ({"occurred_at_month": ""}, "The date must include a month."),
        ({"occurred_at_time": "25:00"}, "Enter the time as hours and minutes on the 24-hour"),
        ({"occurred_at_time": ""}, "Enter the time, for example 14:30."),
        ({"occurred_at_day": "2"}, "The date and time cannot be in the future."),
        # Hostile values are refused in words, never a server error.
        ({"occurred_at_day": "9" * 30}, "Enter a real date"),
        ({"occurred_at_year": "２０２６", "occurred_at_month": "²"}, "Enter a real date"),
        ({"occurred_at_time": "1²:30"}, "Enter the time as hours and minutes on the 24-hour"),
        ({"occurred_at_time": "²³⁴⁵"}, "Enter the time as hours and minutes on the 24-hour"),
    ],
)
def test_a_date_and_time_that_cannot_be_read_says_how_to_write_it(client, team, typed, message):
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.colleague)

    response = client.post(
        reverse("cases:action", args=[case.reference, Action.ADD_NOTE]),
        {"text": "Called them.", **when(datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)), **typed},
    )

    assert response.status_code == 200
    assert message in error_summary(response)
    assert 'href="#id_occurred_at_0"' in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Item 20: times in the 2026 clock changes, through the forms


def _log(client, team: Team, received: dict) -> object:
    return client.post(
        reverse("cases:log"),
        {
            "kind": "complaint",
            "channel": "phone",
            "summary": "The night porter did not answer the door.",
            "idempotency_key": new_idempotency_key(),
            "complainant_name": "Grace Hopper",
            "tenure": "lcra",
            "categories": ["repairs"],
            **received,
        },
        follow=True,
    )


def _typed(day: int, month: int, clock: str, name: str = "received_at") -> dict:
    return {
        f"{name}_day": str(day),
        f"{name}_month": str(month),
        f"{name}_year": "2026",
        f"{name}_time": clock,
    }


def test_a_case_received_at_a_time_the_spring_change_skipped_is_read_an_hour_later(client, team):
    client.force_login(team.colleague)

    response = _log(client, team, _typed(29, 3, "01:30"))

    # 01:30 did not exist on Sun 29 Mar 2026: read as 02:30 BST, which is 01:30 UTC.
    case = Case.objects.get()
    assert case.received_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    text = page_text(response)
    assert f"Success Logged as {case.reference}." in text
    assert (
        "01:30 on Sun 29 Mar 2026 did not happen in London: the clocks went forward an hour at "
        "01:00 that night. It was recorded as 02:30 BST, the same time an hour later."
    ) in text
    assert "Received Sun 29 Mar 2026 at 02:30" in text


def test_a_case_received_at_a_time_the_autumn_change_repeated_takes_the_first(client, team):
    client.force_login(team.colleague)

    response = _log(client, team, _typed(25, 10, "01:30"))

    # 01:30 happened twice on Sun 25 Oct 2026: the first was BST, 00:30 UTC.
    case = Case.objects.get()
    assert case.received_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert (
        "01:30 on Sun 25 Oct 2026 happened twice in London: the clocks went back an hour at "
        "02:00 that night. It was recorded as the first 01:30, in BST (00:30 UTC)."
    ) in page_text(response)


def test_an_ordinary_time_on_a_change_day_needs_no_notice(client, team):
    client.force_login(team.colleague)

    response = _log(client, team, _typed(25, 10, "09:00"))

    assert Case.objects.get().received_at == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)  # GMT
    assert "happened twice" not in page_text(response)
    assert "did not happen" not in page_text(response)


@pytest.mark.parametrize(
    ("day", "month", "utc", "notice"),
    [
        (29, 3, datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "did not happen in London"),
        (25, 10, datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "happened twice in London"),
    ],
)
def test_an_action_at_a_clock_change_time_is_read_the_same_way(
    client, team, day, month, utc, notice
):
    case = receive_complaint(team, datetime(2026, 3, 2, 9, 0, tzinfo=LONDON))
    client.force_login(team.colleague)

    response = client.post(
        reverse("cases:action", args=[case.reference, Action.ADD_NOTE]),
        {"text": "A night-time call.", **_typed(day, month, "01:30", "occurred_at")},
        follow=True,
    )

    assert case.events.get(kind=Action.ADD_NOTE).occurred_at == utc
    assert notice in page_text(response)
