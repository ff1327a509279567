"""The clocks do what the policies say, through the services on the real database.

Every date below was worked out by hand; the comment beside it says which days were counted
and which skipped. "Within N working days of X": X's date is day 0 and the due date is the
N-th working day after it (docs/time.md). Pivotal is seed 003, MMBM seed 000, "Code" the
Housing Ombudsman Complaint Handling Code 2024.

Bank holidays used: Mon 26 Aug 2024 (summer). No bank holiday falls in February or March
2026 (Good Friday 2026 is 3 April).
"""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_actions_for, my_work_for
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off
from fairhear.domain.lifecycle import Action, CaseKind, CaseState
from fairhear.policies.selectors import policy_pack_for
from fairhear.policies.services import policy_version_publish

pytestmark = pytest.mark.django_db

PUBLISHED = Path(__file__).parents[2] / "domain" / "tests" / "published"
FIRST_PIVOTAL = PUBLISHED / "pivotal-3.0-first-published.toml"

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def clock(case: Case, name: str):
    return case.clocks.get(name=name)


def last_event(case: Case):
    return case.events.order_by("-sequence").first()


def handled(team: Team, at: datetime, handler=None) -> Case:
    """A complaint received, accepted, allocated and acknowledged at `at`."""
    handler = handler or team.investigator
    case = receive_complaint(team, at)
    pack = policy_pack_for(case.policy_version)
    if any("managers_told" in c.met_by for c in pack.clocks.values()):
        # Pivotal §9 stage 1 step 5: the line manager and Head of Services told at once.
        s.case_record_managers_told(
            case=case, actor=team.colleague, told="Line manager", how="email", occurred_at=at
        )
    s.case_accept(case=case, actor=team.allocator, occurred_at=at)
    s.case_allocate(case=case, actor=team.allocator, handler=handler, occurred_at=at)
    return s.case_acknowledge(case=case, actor=handler, occurred_at=at)


# ---------------------------------------------------------------------------------------------
# My work: cases with nothing due sort last, on SQLite and PostgreSQL alike


def test_my_work_puts_a_case_with_nothing_due_after_an_overdue_one(client):
    team = make_team("pivotal")
    with travel(london(2026, 3, 4)):
        # Answered at stage 1 on Wed 4 Mar: nothing is due from the Service Manager now (the
        # appeal window is the complainant's, not a deadline).
        answered = handled(team, london(2026, 3, 2))
        signed_off(team, answered, "response")
        s.case_respond(case=answered, actor=team.investigator, outcome="upheld", reasons="Late.")
        # Received Mon 2 Feb: the stage 1 response was due 10 working days later, Mon 16 Feb.
        overdue = handled(team, london(2026, 2, 2))
        answered.refresh_from_db()
        assert answered.next_due is None
        assert overdue.next_due == date(2026, 2, 16)

        listed = [c.reference for c in my_work_for(user=team.investigator)]
        client.force_login(team.investigator)
        page = client.get(reverse("cases:my_work")).content.decode()

    assert listed == [overdue.reference, answered.reference]
    assert page.index(overdue.reference) < page.index(answered.reference)


# ---------------------------------------------------------------------------------------------
# MMBM §8: the local-resolution contact clock ends when the complaint is accepted at stage 1


def test_mmbm_accepting_into_stage_1_stops_the_local_resolution_contact_clock():
    team = make_team("mmbm")
    with travel(london(2026, 3, 2)) as t:
        # Received Mon 2 Mar 2026; §8 second paragraph: contact within 2 working days, Wed 4 Mar.
        case = receive_complaint(team, london(2026, 3, 2))
        assert clock(case, "local_resolution_contact_due").due == date(2026, 3, 4)
        # Accepted straight into stage 1 the same day, not yet allocated.
        s.case_accept(case=case, actor=team.allocator)
        # Fri 6 Mar: past Wed 4 Mar, but local resolution is no longer the route.
        t.move_to(london(2026, 3, 6))
        s.case_add_note(case=case, actor=team.colleague, text="Waiting for allocation.")
        case.refresh_from_db()

    assert clock(case, "local_resolution_contact_due").status == "stopped"
    # What is due next is the stage 1 acknowledgement (§8.1: 3 working days, Thu 5 Mar).
    assert case.next_due_label == "Acknowledge the complaint (stage 1)"
    assert case.next_due == date(2026, 3, 5)


# ---------------------------------------------------------------------------------------------
# A service request turned into a complaint: the time limit runs from first contact, the
# response clocks from the conversion (KPIS.md "complaint")


def test_converted_service_request_is_in_time_from_first_contact_and_clocks_run_from_conversion():
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)) as t:
        # First contact Mon 2 Sep 2024, about a repair on Sat 2 Mar 2024: exactly 6 months
        # later, so in time (§6.1 a: the limit runs to Mon 2 Sep 2024).
        case = receive_complaint(
            team, london(2024, 9, 2), kind=CaseKind.SERVICE_REQUEST, incident_date=date(2024, 3, 2)
        )
        # Wed 4 Sep: still unhappy, so logged as a complaint; our own two days must not put it
        # out of time.
        t.move_to(london(2024, 9, 4, 14))
        s.case_convert_to_complaint(case=case, actor=team.colleague, reason="Still unhappy.")
        s.case_accept(case=case, actor=team.allocator)
        case.refresh_from_db()

    assert (case.state, case.stage) == (CaseState.AWAITING_ALLOCATION, 1)
    assert last_event(case).kind == Action.ACCEPT
    assert last_event(case).data["time_limit"] == (
        "First contact Mon 2 Sep 2024 (before it was logged as a complaint on Wed 4 Sep 2024), "
        "within the 6-month time limit (§6.1 a), which runs to Mon 2 Sep 2024."
    )
    # §9 stage 1 step 6: 10 working days from the conversion on Wed 4 Sep: Thu 5 (1), Fri 6
    # (2), Mon 9 to Fri 13 (7), Mon 16 (8), Tue 17 (9), Wed 18 Sep (10).
    assert clock(case, "stage1_response_due").due == date(2024, 9, 18)


# ---------------------------------------------------------------------------------------------
# Extensions (KPIS.md "on time", "told before the original due date")


def pivotal_investigating(team: Team) -> Case:
    """Received Thu 22 Aug 2024, accepted, allocated and acknowledged the same day.

    §9 stage 1 step 6: response due 10 working days after receipt: Fri 23 (1), Mon 26 Aug is
    the summer bank holiday, Tue 27 to Fri 30 (5), Mon 2 to Fri 6 Sep (10). Step 7's limit, 20
    working days: Mon 9 to Fri 13 (15), Mon 16 to Fri 20 Sep (20).
    """
    return handled(team, london(2024, 8, 22))


def test_a_later_extension_told_late_keeps_the_earlier_one_told_in_time():
    team = make_team("pivotal")
    with travel(london(2024, 8, 22)) as t:
        case = pivotal_investigating(team)
        # Tue 3 Sep: extended to Thu 12 Sep, the complainant told that day (before Fri 6 Sep).
        t.move_to(london(2024, 9, 3))
        signed_off(team, case, "extension")
        s.case_extend(
            case=case,
            actor=team.investigator,
            new_due=date(2024, 9, 12),
            reason="Waiting for the contractor's report.",
            told_on=date(2024, 9, 3),
        )
        # Tue 10 Sep: extended again to Thu 19 Sep, but told only on Tue 10 Sep, after Fri 6 Sep.
        t.move_to(london(2024, 9, 10))
        signed_off(team, case, "extension")
        s.case_extend(
            case=case,
            actor=team.investigator,
            new_due=date(2024, 9, 19),
            reason="The report needs a second visit.",
            told_on=date(2024, 9, 10),
        )
        response = clock(case, "stage1_response_due")
        assert response.due == date(2024, 9, 19)  # the date the complainant now expects
        assert response.told_before_original_due  # the first extension was told in time
        # Wed 11 Sep: by the first extended date, which the complainant was told of in time.
        t.move_to(london(2024, 9, 11))
        signed_off(team, case, "response")
        s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Agreed.")

    sent = last_event(case)
    assert sent.kind == Action.RESPOND
    assert (sent.data["on_time_due"], sent.data["on_time"]) == ("2024-09-12", True)


def test_a_late_told_extension_after_one_told_in_time_does_not_rescue_a_response_after_it():
    team = make_team("pivotal")
    with travel(london(2024, 8, 22)) as t:
        case = pivotal_investigating(team)
        t.move_to(london(2024, 9, 3))
        signed_off(team, case, "extension")
        s.case_extend(
            case=case,
            actor=team.investigator,
            new_due=date(2024, 9, 12),
            reason="Waiting for the contractor's report.",
            told_on=date(2024, 9, 3),
        )
        t.move_to(london(2024, 9, 10))
        signed_off(team, case, "extension")
        s.case_extend(
            case=case,
            actor=team.investigator,
            new_due=date(2024, 9, 19),
            reason="The report needs a second visit.",
            told_on=date(2024, 9, 10),
        )
        # Wed 18 Sep: by the second date, but after Thu 12 Sep, the last date told in time.
        t.move_to(london(2024, 9, 18))
        signed_off(team, case, "response")
        s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Agreed.")

    sent = last_event(case)
    assert (sent.data["due"], sent.data["on_time_due"], sent.data["on_time"]) == (
        "2024-09-19",
        "2024-09-12",
        False,
    )


def test_code_extension_agreed_before_the_acknowledgement_counts_only_up_to_the_codes_limit():
    team = make_team("hos-code-2024")
    with travel(london(2026, 1, 5)) as t:
        # Received Mon 5 Jan 2026. Code 6.2: acknowledge within 5 working days, by Mon 12 Jan.
        # Code 6.3 before the acknowledgement: 10 working days from Mon 12 Jan, Mon 26 Jan;
        # Code 6.4: an extension of at most 10 more working days, to Mon 9 Feb.
        case = receive_complaint(team, london(2026, 1, 5))
        s.case_accept(case=case, actor=team.allocator)
        s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        t.move_to(london(2026, 1, 6))
        signed_off(team, case, "extension")
        s.case_extend(
            case=case,
            actor=team.investigator,
            new_due=date(2026, 2, 9),
            reason="A surveyor's report is needed.",
            told_on=date(2026, 1, 6),
        )
        # Wed 7 Jan: acknowledged early, so the response is due 10 working days later: Thu 8
        # (1), Fri 9 (2), Mon 12 to Fri 16 (7), Mon 19 (8), Tue 20 (9), Wed 21 Jan (10); and
        # the Code's limit is 10 working days after that: Thu 22 (1), Fri 23 (2), Mon 26 to
        # Fri 30 (7), Mon 2 (8), Tue 3 (9), Wed 4 Feb (10).
        t.move_to(london(2026, 1, 7))
        s.case_acknowledge(case=case, actor=team.investigator)
        response = clock(case, "stage1_response_due")
        assert (response.original_due, response.due) == (date(2026, 1, 21), date(2026, 2, 9))
        assert "Wed 4 Feb 2026" in response.explanation
        # Fri 6 Feb: by the agreed date, but after the Code's limit, so late.
        t.move_to(london(2026, 2, 6))
        signed_off(team, case, "response")
        s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Agreed.")

    sent = last_event(case)
    assert (sent.data["on_time_due"], sent.data["on_time"]) == ("2026-02-04", False)


def test_pivotal_extension_past_the_20_day_limit_is_recorded_when_agreed_with_the_customer():
    team = make_team("pivotal")
    with travel(london(2024, 8, 22)) as t:
        case = pivotal_investigating(team)
        t.move_to(london(2024, 9, 3))
        # Past Fri 20 Sep with no reason: refused, saying how to record it (§9 stage 1 step 7).
        with pytest.raises(s.TransitionRejected) as refused:
            s.case_extend(
                case=case,
                actor=team.investigator,
                new_due=date(2024, 9, 27),
                reason="Waiting for the contractor's report.",
                told_on=date(2024, 9, 3),
            )
        assert str(refused.value) == (
            "The new date Fri 27 Sep 2024 is after Fri 20 Sep 2024, the latest the policy allows "
            "(§9 stage 1 step 7; §14.2). Choose Fri 20 Sep 2024 or earlier, or give the good "
            "reason for going beyond it and confirm that the customer agreed the later date."
        )
        with pytest.raises(s.TransitionRejected, match="confirm that the customer agreed"):
            s.case_extend(
                case=case,
                actor=team.investigator,
                new_due=date(2024, 9, 27),
                reason="Waiting for the contractor's report.",
                told_on=date(2024, 9, 3),
                beyond_limit_reason="The contractor cannot visit until 24 September.",
            )
        signed_off(team, case, "extension")
        s.case_extend(
            case=case,
            actor=team.investigator,
            new_due=date(2024, 9, 27),
            reason="Waiting for the contractor's report.",
            told_on=date(2024, 9, 3),
            beyond_limit_reason="The contractor cannot visit until 24 September.",
            beyond_limit_agreed=True,
        )
        agreed = last_event(case)
        assert agreed.kind == Action.EXTEND
        assert agreed.data["limit"] == "2024-09-20"
        assert agreed.data["beyond_limit"] is True
        assert agreed.data["within_rule"] is True
        assert agreed.data["beyond_limit_agreed_by"] == "the customer"
        assert agreed.data["beyond_limit_reason"] == (
            "The contractor cannot visit until 24 September."
        )
        # Thu 26 Sep: by the date agreed with the customer, which the policy allows.
        t.move_to(london(2024, 9, 26))
        signed_off(team, case, "response")
        s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Agreed.")

    sent = last_event(case)
    assert (sent.data["on_time_due"], sent.data["on_time"]) == ("2024-09-27", True)


def test_under_a_pack_with_a_hard_limit_a_later_agreed_date_is_recorded_but_counts_to_the_limit():
    # The first published Pivotal text says nothing about going beyond the limit, so its limit
    # is hard: what was agreed is recorded, and "on time" stops at the limit (KPIS.md "never
    # goes past the limit the pack sets").
    with travel(london(2024, 8, 22)) as t:
        team = make_team("pivotal")
        policy_version_publish(
            organisation=team.org,
            toml_text=FIRST_PIVOTAL.read_text(encoding="utf-8"),
            source_name=FIRST_PIVOTAL.name,
        )
        team.org.refresh_from_db()
        case = pivotal_investigating(team)
        t.move_to(london(2024, 9, 3))
        with pytest.raises(s.TransitionRejected, match="give the reason for going beyond it"):
            s.case_extend(
                case=case,
                actor=team.investigator,
                new_due=date(2024, 9, 27),
                reason="Waiting for the contractor's report.",
                told_on=date(2024, 9, 3),
            )
        signed_off(team, case, "extension")
        s.case_extend(
            case=case,
            actor=team.investigator,
            new_due=date(2024, 9, 27),
            reason="Waiting for the contractor's report.",
            told_on=date(2024, 9, 3),
            beyond_limit_reason="The contractor cannot visit until 24 September.",
        )
        agreed = last_event(case)
        assert (agreed.data["beyond_limit"], agreed.data["within_rule"]) == (True, False)
        assert clock(case, "stage1_response_due").due == date(2024, 9, 27)
        t.move_to(london(2024, 9, 26))
        signed_off(team, case, "response")
        s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Agreed.")

    sent = last_event(case)
    assert (sent.data["on_time_due"], sent.data["on_time"]) == ("2024-09-20", False)


def test_the_extension_form_records_a_date_past_the_limit_agreed_with_the_customer(client):
    team = make_team("pivotal")
    # Received Mon 2 Mar 2026: §9 stage 1 step 7's limit is 20 working days later, Mon 30 Mar
    # (no bank holiday in March 2026).
    with travel(london(2026, 3, 4)):
        case = handled(team, london(2026, 3, 2))
        client.force_login(team.investigator)
        signed_off(team, case, "extension")  # §9 stage 1 step 7: the Head of Services agrees
        url = reverse("cases:action", args=[case.reference, Action.EXTEND])
        form = client.get(url).content.decode()
        response = client.post(
            url,
            {
                "new_due": "2026-04-10",
                "reason": "Waiting for a report.",
                "told_on": "2026-03-04",
                "beyond_limit_reason": "The surveyor cannot come before 7 April.",
                "beyond_limit_agreed": "on",
            },
        )

    assert "Going beyond the limit: the customer agreed the later date" in form
    assert response.status_code == 302
    agreed = last_event(case)
    assert agreed.kind == Action.EXTEND
    assert (agreed.data["limit"], agreed.data["within_rule"]) == ("2026-03-30", True)
    assert clock(case, "stage1_response_due").due == date(2026, 4, 10)
    with travel(london(2026, 3, 4)):
        page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Beyond the policy&#x27;s limit of Mon 30 Mar 2026" in page
    assert "The surveyor cannot come before 7 April." in page
    assert "Yes, the policy allows a later date with a good reason agreed by the customer" in page


# ---------------------------------------------------------------------------------------------
# Pivotal §10.1 c and §9 stage 2 point 1: a case never closes itself while it may be appealed


def test_pivotal_case_does_not_close_itself_while_the_appeal_window_is_open():
    team = make_team("pivotal")
    with travel(london(2024, 5, 13)) as t:
        case = handled(team, london(2024, 5, 13))
        # Sent Fri 24 May 2024, received Tue 28 May (Mon 27 May is the spring bank holiday).
        t.move_to(london(2024, 5, 24, 12))
        signed_off(team, case, "response")
        s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late.")
        t.move_to(london(2024, 5, 28, 12))
        s.case_record_response_receipt(
            case=case, actor=team.investigator, received_on=london(2024, 5, 28, 9)
        )
        # §10.1 c alone: 10 working days from Fri 24 May: Tue 28 May (1) .. Fri 31 (4), Mon 3
        # to Fri 7 Jun (9), Mon 10 Jun (10). §9 stage 2 point 1: 10 working days from Tue 28
        # May: Wed 29 (1) .. Fri 31 (3), Mon 3 to Fri 7 Jun (8), Mon 10 (9), Tue 11 Jun (10).
        auto = clock(case, "auto_close_due")
        assert (auto.original_due, auto.due) == (date(2024, 6, 10), date(2024, 6, 11))
        assert "not before Tue 11 Jun 2024" in auto.explanation
        # Tue 11 Jun: the complainant may still appeal today, so the sweep leaves it open.
        t.move_to(london(2024, 6, 11, 6))
        assert s.cases_auto_close_sweep(today=date(2024, 6, 11)) == []
        with pytest.raises(s.TransitionRejected, match="has not passed yet"):
            s.case_auto_close(case=case, today=date(2024, 6, 11))
        case.refresh_from_db()
        assert case.state == CaseState.RESPONDED
        # Wed 12 Jun: both have passed.
        t.move_to(london(2024, 6, 12, 6))
        assert s.cases_auto_close_sweep(today=date(2024, 6, 12)) == [case.reference]
        case.refresh_from_db()

    assert (case.state, case.closure_reason) == (CaseState.CLOSED, "10.1c")
    assert last_event(case).data["clock_due"] == "2024-06-11"


# ---------------------------------------------------------------------------------------------
# Pivotal §9 stage 2 point 1: the response's receipt is recorded once; a change is a correction


def test_recording_the_receipt_again_is_refused_and_a_correction_says_what_moved(client):
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)) as t:
        case = handled(team, london(2024, 9, 2))
        # Sent Fri 6 Sep 2024, received Mon 9 Sep: the appeal window is 10 working days from
        # Mon 9 Sep: Tue 10 to Fri 13 (4), Mon 16 to Fri 20 (9), Mon 23 Sep (10).
        t.move_to(london(2024, 9, 6, 12))
        signed_off(team, case, "response")
        s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late.")
        t.move_to(london(2024, 9, 10, 12))
        s.case_record_response_receipt(
            case=case, actor=team.investigator, received_on=london(2024, 9, 9, 9)
        )
        assert clock(case, "appeal_request_due").due == date(2024, 9, 23)
        events = case.events.count()
        # Recorded again as Tue 10 Sep, with no word of a correction: refused, nothing moves.
        with pytest.raises(s.TransitionRejected) as refused:
            s.case_record_response_receipt(
                case=case, actor=team.investigator, received_on=london(2024, 9, 10, 9)
            )
        assert str(refused.value) == (
            "The complainant's receipt of the stage 1 response is already recorded as Mon 9 Sep "
            "2024. To change it, say why the date is being corrected."
        )
        assert case.events.count() == events
        assert clock(case, "appeal_request_due").due == date(2024, 9, 23)
        # The same date again is not a correction.
        with pytest.raises(s.CaseInputError, match="already recorded; there is nothing to"):
            s.case_record_response_receipt(
                case=case,
                actor=team.investigator,
                received_on=london(2024, 9, 9, 15),
                correction_reason="Checked the post book.",
            )
        # A correction to Tue 10 Sep: the window now ends Tue 24 Sep (Wed 11 (1) .. Fri 13 (3),
        # Mon 16 to Fri 20 (8), Mon 23 (9), Tue 24 (10)), and so does the auto-closure, which
        # never comes before it.
        s.case_record_response_receipt(
            case=case,
            actor=team.investigator,
            received_on=london(2024, 9, 10, 9),
            correction_reason="The letter was delivered a day late; the post book shows it.",
        )
        corrected = last_event(case)
        client.force_login(team.investigator)
        page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()

    assert corrected.kind == Action.RECORD_RESPONSE_RECEIPT
    assert corrected.data["previous_received_on"] == "2024-09-09"
    assert corrected.data["received_on"] == "2024-09-10"
    assert corrected.data["correction_reason"] == (
        "The letter was delivered a day late; the post book shows it."
    )
    assert corrected.data["moved"] == [
        {
            "clock": "appeal_request_due",
            "label": "Last day for the complainant to appeal",
            "from": "2024-09-23",
            "to": "2024-09-24",
        },
        {
            "clock": "auto_close_due",
            "label": "Closes by itself if nothing more is heard by",
            "from": "2024-09-23",
            "to": "2024-09-24",
        },
    ]
    assert clock(case, "appeal_request_due").due == date(2024, 9, 24)
    assert case.events.filter(kind=Action.RECORD_RESPONSE_RECEIPT).count() == 2
    assert "Receipt date corrected" in page
    assert "Mon 9 Sep 2024 → Tue 10 Sep 2024" in page
    assert "Last day for the complainant to appeal: Mon 23 Sep 2024 → Tue 24 Sep 2024" in page


def test_a_receipt_corrected_to_an_earlier_date_moves_the_window_back():
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)) as t:
        case = handled(team, london(2024, 9, 2))
        t.move_to(london(2024, 9, 6, 12))
        signed_off(team, case, "response")
        s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late.")
        t.move_to(london(2024, 9, 11, 12))
        s.case_record_response_receipt(
            case=case, actor=team.investigator, received_on=london(2024, 9, 10, 9)
        )
        # Corrected to Mon 9 Sep: the later, mistaken date no longer counts (the latest of
        # several receipts would otherwise still start the window): Mon 23 Sep again.
        s.case_record_response_receipt(
            case=case,
            actor=team.investigator,
            received_on=london(2024, 9, 9, 9),
            correction_reason="The complainant says it came on Monday.",
        )

    assert clock(case, "appeal_request_due").due == date(2024, 9, 23)


# ---------------------------------------------------------------------------------------------
# Pivotal §9 stage 1 (allocated Service Manager, step 1): a reallocated complaint is acknowledged
# again by the new Service Manager, who introduces themselves


def test_pivotal_reallocation_asks_the_new_service_manager_to_acknowledge_within_2_days():
    team = make_team("pivotal")
    with travel(london(2026, 3, 2)) as t:
        case = handled(team, london(2026, 3, 2))
        assert case.state == CaseState.INVESTIGATING
        # Wed 4 Mar: reallocated to another Service Manager.
        t.move_to(london(2026, 3, 4))
        s.case_allocate(case=case, actor=team.allocator, handler=team.investigator2)
        case.refresh_from_db()
        assert case.state == CaseState.AWAITING_ACKNOWLEDGEMENT
        # 2 working days from the reallocation on Wed 4 Mar: Thu 5 (1), Fri 6 Mar (2).
        ack = clock(case, "acknowledgement_due")
        assert (ack.due, ack.status) == (date(2026, 3, 6), "running")
        assert case.next_due == date(2026, 3, 6)
        assert Action.ACKNOWLEDGE in case_actions_for(case=case, user=team.investigator2)
        # Thu 5 Mar: the new Service Manager introduces themselves.
        t.move_to(london(2026, 3, 5))
        s.case_acknowledge(
            case=case, actor=team.investigator2, understanding="Boiler repair missed."
        )
        case.refresh_from_db()

    assert case.state == CaseState.INVESTIGATING
    assert clock(case, "acknowledgement_due").status == "met"
    # What is due now is the response: 10 working days from Mon 2 Mar: Tue 3 to Fri 6 (4),
    # Mon 9 to Fri 13 (9), Mon 16 Mar (10).
    assert (case.next_due, case.next_due_label) == (date(2026, 3, 16), "Send the stage 1 response")


def test_mmbm_reallocation_leaves_the_acknowledgement_alone():
    # MMBM §8.1: acknowledged within 3 working days of receipt, not of allocation, so a new
    # investigator does not acknowledge again.
    team = make_team("mmbm")
    with travel(london(2026, 3, 2)) as t:
        case = handled(team, london(2026, 3, 2))
        t.move_to(london(2026, 3, 4))
        s.case_allocate(case=case, actor=team.allocator, handler=team.investigator2)
        case.refresh_from_db()

    assert case.state == CaseState.INVESTIGATING
    assert clock(case, "stage1_acknowledgement_due").status == "met"


# ---------------------------------------------------------------------------------------------
# Pivotal §10.1 c: "no further communications are received from a complainant within 10
# working days of a Stage 1 response sent"


def pivotal_answered(team: Team, t) -> Case:
    """Received Mon 2 Mar 2026, answered Wed 4 Mar: §10.1 c's 10 working days run to Wed 18 Mar
    (Thu 5 (1), Fri 6 (2), Mon 9 to Fri 13 (7), Mon 16 (8), Tue 17 (9), Wed 18 (10)), and so
    does the appeal window, with no receipt date recorded (§9 stage 2 point 1)."""
    case = handled(team, london(2026, 3, 2))
    t.move_to(london(2026, 3, 4, 12))
    signed_off(team, case, "response")
    return s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late.")


def test_pivotal_a_call_from_the_complainant_inside_the_window_stops_the_auto_closure(client):
    team = make_team("pivotal")
    with travel(london(2026, 3, 2)) as t:
        case = pivotal_answered(team, t)
        assert clock(case, "auto_close_due").due == date(2026, 3, 18)
        # Tue 10 Mar: the complainant phones with a question about the outcome.
        t.move_to(london(2026, 3, 10, 15))
        s.case_record_communication(
            case=case,
            actor=team.colleague,
            direction="in",
            channel="call",
            summary="Asked when the boiler service will be booked.",
        )
        recorded = last_event(case)
        assert (recorded.kind, recorded.to_state) == (Action.RECORD_COMMUNICATION, "responded")
        assert recorded.data == {
            "direction": "in",
            "channel": "call",
            "summary": "Asked when the boiler service will be booked.",
        }
        assert clock(case, "auto_close_due").status == "stopped"
        # Thu 19 Mar: after both dates, the sweep leaves the case for a colleague to close.
        t.move_to(london(2026, 3, 19, 6))
        assert s.cases_auto_close_sweep(today=date(2026, 3, 19)) == []
        client.force_login(team.investigator)
        page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        case.refresh_from_db()

    assert case.state == CaseState.RESPONDED
    assert "Communication from the complainant" in page
    assert "Asked when the boiler service will be booked." in page


def test_pivotal_a_letter_to_the_complainant_does_not_stop_the_auto_closure():
    team = make_team("pivotal")
    with travel(london(2026, 3, 2)) as t:
        case = pivotal_answered(team, t)
        t.move_to(london(2026, 3, 10, 15))
        s.case_record_communication(
            case=case,
            actor=team.investigator,
            direction="out",
            channel="letter",
            summary="Sent the boiler service date.",
        )
        assert clock(case, "auto_close_due").status == "running"
        t.move_to(london(2026, 3, 19, 6))
        assert s.cases_auto_close_sweep(today=date(2026, 3, 19)) == [case.reference]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"direction": "sideways"}, "Say whether it came from the complainant or went to them."),
        (
            {"channel": "pigeon"},
            "Choose how it was made: phone call, letter, e-mail, visit, meeting, other.",
        ),
        ({"summary": "  "}, "Summarise what was said."),
    ],
)
def test_a_communication_without_a_direction_channel_or_summary_is_refused_plainly(given, message):
    team = make_team("pivotal")
    with travel(london(2026, 3, 2)):
        case = receive_complaint(team, london(2026, 3, 2))
        given = {"direction": "in", "channel": "email", "summary": "Chased.", **given}
        with pytest.raises(s.CaseInputError) as refused:
            s.case_record_communication(case=case, actor=team.colleague, **given)
    assert str(refused.value) == message


def test_any_kind_of_case_records_communications_through_its_form(client):
    team = make_team("pivotal")
    with travel(london(2026, 3, 2)):
        suggestion = receive_complaint(team, london(2026, 3, 2), kind=CaseKind.SUGGESTION)
        client.force_login(team.colleague)
        url = reverse("cases:action", args=[suggestion.reference, Action.RECORD_COMMUNICATION])
        response = client.post(
            url, {"direction": "out", "channel": "email", "summary": "Thanked them."}
        )

    assert response.status_code == 302
    assert last_event(suggestion).data["channel"] == "email"
