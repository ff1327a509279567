"""Every clock rule and time-limit rule of the three shipped packs, on dates worked out by hand.

Each test cites the section of the policy it checks: "Pivotal §9 stage 1" is seed 003,
"MMBM §8.2.2" is seed 000, "Code 6.3" is the Housing Ombudsman Complaint Handling Code 2024.

The expected dates were counted on a calendar, not computed. The bank holidays used are:

- England and Wales: 2023: 25 and 26 Dec. 2024: 1 Jan, 29 Mar (Good Friday), 1 Apr (Easter
  Monday), 6 May, 27 May, 26 Aug, 25 and 26 Dec. 2025: 1 Jan, 18 and 21 Apr, 5 May, 26 May,
  25 Aug, 25 and 26 Dec. 2026: 1 Jan.
- Scotland differs: 2 Jan is a holiday too, Easter Monday is not, the summer holiday is the
  first Monday of August (4 Aug 2025) and St Andrew's Day 30 Nov 2025 (a Sunday) is observed
  on Mon 1 Dec 2025.

"Day 0" is the day of the starting event, whatever kind of day it is; "(n)" below marks the
n-th working day counted after it.
"""

from datetime import date

import pytest

from fairhear.domain.calendar import Nation, WorkingDayCalendar
from fairhear.domain.clock import (
    Duration,
    Unit,
    add_duration,
    fmt_day,
    london_date,
    parse_timestamp,
)
from fairhear.domain.policy.evaluate import (
    AgreedExtension,
    ClockResult,
    ClockStatus,
    Occurrence,
    TimetableInputError,
    compute_timetable,
    time_limit_verdict,
)
from fairhear.domain.policy.load import load_shipped_pack
from fairhear.domain.policy.schema import PolicyPack, Purpose

EW = WorkingDayCalendar(Nation.ENGLAND_AND_WALES)
SCOTLAND = WorkingDayCalendar(Nation.SCOTLAND)

PIVOTAL = load_shipped_pack("pivotal")
MMBM = load_shipped_pack("mmbm")
CODE = load_shipped_pack("hos-code-2024")


def d(text: str) -> date:
    return date.fromisoformat(text)


def london(timestamp: str) -> date:
    """The Europe/London date of an ISO timestamp with an offset."""
    return london_date(parse_timestamp(timestamp))


def clocks(
    pack: PolicyPack,
    *events: tuple[str, str | date],
    cal: WorkingDayCalendar = EW,
    extensions: tuple[AgreedExtension, ...] = (),
    today: str | None = None,
) -> dict[str, ClockResult]:
    """The pack's clocks for a case whose milestones are (name, date) pairs."""
    occurrences = [Occurrence(name, on if isinstance(on, date) else d(on)) for name, on in events]
    results = compute_timetable(
        pack, cal, occurrences, extensions=extensions, today=d(today) if today else None
    )
    return {c.name: c for c in results}


def verdict(pack: PolicyPack, received: str, incident: str | None, **kwargs: object):
    return time_limit_verdict(
        pack,
        received_on=d(received),
        incident_on=d(incident) if incident else None,
        **kwargs,
    )


# =============================================================================================
# Pivotal (seed 003)
# =============================================================================================


def test_the_pivotal_pack_has_exactly_the_clocks_tested_here():
    """Guards this file: a new clock in the pack needs its own tests below."""
    assert set(PIVOTAL.clocks) == {
        "log_and_notify_due",
        "allocation_due",
        "acknowledgement_due",
        "stage1_response_due",
        "stage1_extended_response_due",
        "appeal_request_due",
        "appeal_acknowledgement_due",
        "appeal_response_due",
        "auto_close_due",
    }


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Fri 22 Dec 2023 is day 0; Sat 23, Sun 24 are the weekend, Mon 25 and Tue 26 Dec are
        # bank holidays, so Wed 27 Dec is the first working day (1).
        ("2023-12-22", "2023-12-27"),
        # Received on a Saturday (BRIEF): Sat 6 Jan 2024 is day 0, Sun 7 skipped, Mon 8 Jan (1).
        ("2024-01-06", "2024-01-08"),
        # Thu 28 Mar 2024 is day 0; Fri 29 Mar Good Friday, the weekend and Mon 1 Apr Easter
        # Monday are skipped, so Tue 2 Apr (1).
        ("2024-03-28", "2024-04-02"),
    ],
)
def test_pivotal_log_and_notify_within_1_working_day(received, due):
    """Pivotal §9 stage 1 (colleague receiving the complaint, steps 3 and 5); §13.1; App. 1."""
    clock = clocks(PIVOTAL, ("received", received))["log_and_notify_due"]
    assert clock.due == d(due)
    assert clock.started_by == "received"
    assert clock.status is ClockStatus.RUNNING


def test_pivotal_log_deadline_met_when_the_managers_are_told_on_the_due_date():
    """Pivotal §9 stage 1 step 5; §13.1: told Wed 27 Dec 2023, the due date itself, is met (on
    or before). Logging alone (step 3) does not meet it."""
    logged = clocks(PIVOTAL, ("received", "2023-12-22"), ("logged", "2023-12-22"))
    assert logged["log_and_notify_due"].status is ClockStatus.RUNNING
    clock = clocks(
        PIVOTAL,
        ("received", "2023-12-22"),
        ("logged", "2023-12-22"),
        ("managers_told", "2023-12-27"),
    )
    assert clock["log_and_notify_due"].status is ClockStatus.MET
    assert clock["log_and_notify_due"].met_on == d("2023-12-27")


@pytest.mark.parametrize(
    ("timestamp", "london_day", "log_due"),
    [
        # 23:30 UTC on Thu 24 Oct 2024 is 00:30 BST on Fri 25 Oct (clocks go back on 27 Oct).
        # Day 0 is Friday, so the 1-working-day deadline is Mon 28 Oct, not Fri 25 Oct.
        ("2024-10-24T23:30:00+00:00", "2024-10-25", "2024-10-28"),
        # A week later the clocks have gone back: 23:30 UTC on Thu 31 Oct is 23:30 GMT on
        # Thu 31 Oct, so day 0 is Thursday and the deadline is Fri 1 Nov.
        ("2024-10-31T23:30:00+00:00", "2024-10-31", "2024-11-01"),
        # 23:30 UTC on Sun 31 Mar 2024, the night the clocks went forward, is 00:30 BST on
        # Mon 1 Apr (BRIEF): Easter Monday is day 0 even though it is a bank holiday, and
        # Tue 2 Apr is (1).
        ("2024-03-31T23:30:00+00:00", "2024-04-01", "2024-04-02"),
        # The same instant written with its BST offset is the same London day.
        ("2024-04-01T00:30:00+01:00", "2024-04-01", "2024-04-02"),
    ],
)
def test_pivotal_timestamps_near_midnight_take_the_london_date(timestamp, london_day, log_due):
    """Pivotal §9 stage 1 on BRIEF "all dates are Europe/London local dates"."""
    received_on = london(timestamp)
    assert received_on == d(london_day)
    assert clocks(PIVOTAL, ("received", received_on))["log_and_notify_due"].due == d(log_due)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Thu 28 Mar 2024: Good Friday, the weekend and Easter Monday skipped; Tue 2 Apr (1),
        # Wed 3 Apr (2).
        ("2024-03-28", "2024-04-03"),
        # Fri 22 Dec 2023: weekend, 25 and 26 Dec skipped; Wed 27 (1), Thu 28 Dec (2).
        ("2023-12-22", "2023-12-28"),
        # Fri 30 Aug 2024 (month end): weekend skipped; Mon 2 Sep (1), Tue 3 Sep (2).
        ("2024-08-30", "2024-09-03"),
    ],
)
def test_pivotal_allocation_within_2_working_days_of_receipt(received, due):
    """Pivotal §9 stage 1 (Head of Services, step 1); App. 1."""
    assert clocks(PIVOTAL, ("received", received))["allocation_due"].due == d(due)


def test_pivotal_allocation_a_day_late_is_met_late():
    """Pivotal §9 stage 1 (Head of Services, step 1): due Wed 3 Apr 2024, allocated Thu 4 Apr."""
    clock = clocks(PIVOTAL, ("received", "2024-03-28"), ("allocated", "2024-04-04"))
    assert clock["allocation_due"].status is ClockStatus.MET_LATE


@pytest.mark.parametrize(
    ("received", "allocated", "due"),
    [
        # Allocated Fri 22 Dec 2023: weekend, 25 and 26 Dec skipped; Wed 27 (1), Thu 28 Dec (2).
        # Counted from receipt (Mon 18 Dec, Appendix 1's reading) it would be Wed 20 Dec.
        ("2023-12-18", "2023-12-22", "2023-12-28"),
        # Allocated Fri 24 May 2024: weekend and Mon 27 May (spring bank holiday) skipped;
        # Tue 28 (1), Wed 29 May (2).
        ("2024-05-23", "2024-05-24", "2024-05-29"),
        # Allocated Fri 23 Aug 2024: weekend and Mon 26 Aug (summer bank holiday) skipped;
        # Tue 27 (1), Wed 28 Aug (2).
        ("2024-08-22", "2024-08-23", "2024-08-28"),
    ],
)
def test_pivotal_acknowledgement_counts_from_allocation_not_receipt(received, allocated, due):
    """Pivotal §9 stage 1 (allocated Service Manager, step 1): "in no more than the 2 working days
    from it being allocated to them" (the pack's choice over Appendix 1's "of receipt")."""
    clock = clocks(PIVOTAL, ("received", received), ("allocated", allocated))["acknowledgement_due"]
    assert clock.started_by == "allocated"
    assert clock.start == d(allocated)
    assert clock.due == d(due)


def test_pivotal_acknowledgement_clock_waits_for_allocation():
    """Pivotal §9 stage 1 (allocated Service Manager, step 1): nothing to count from before
    allocation."""
    clock = clocks(PIVOTAL, ("received", "2023-12-18"))["acknowledgement_due"]
    assert clock.status is ClockStatus.NOT_STARTED
    assert clock.due is None
    assert clock.start is None


def test_pivotal_acknowledgement_clock_stopped_by_a_stage1_response():
    """Pivotal §9 stage 1 step 6: a response sent before any acknowledgement makes it moot."""
    clock = clocks(
        PIVOTAL,
        ("received", "2024-05-23"),
        ("allocated", "2024-05-24"),
        ("stage1_response_sent", "2024-05-28"),
    )["acknowledgement_due"]
    assert clock.status is ClockStatus.STOPPED


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Wed 27 Mar 2024: Thu 28 (1), Good Friday, weekend, Easter Monday, Tue 2 Apr (2),
        # Wed 3 (3), Thu 4 (4), Fri 5 (5), Mon 8 (6), Tue 9 (7), Wed 10 (8), Thu 11 (9),
        # Fri 12 Apr (10).
        ("2024-03-27", "2024-04-12"),
        # Fri 23 Aug 2024: weekend, Mon 26 Aug bank holiday; Tue 27 (1) .. Fri 30 (4),
        # Mon 2 Sep (5) .. Fri 6 (9), Mon 9 Sep (10). Crosses the month end.
        ("2024-08-23", "2024-09-09"),
        # Mon 18 Dec 2023: Tue 19 (1) .. Fri 22 (4), 25 and 26 Dec skipped, Wed 27 (5),
        # Thu 28 (6), Fri 29 (7), Mon 1 Jan bank holiday, Tue 2 (8), Wed 3 (9), Thu 4 Jan (10).
        ("2023-12-18", "2024-01-04"),
    ],
)
def test_pivotal_stage1_response_10_working_days_from_receipt(received, due):
    """Pivotal §9 stage 1 (allocated Service Manager, step 6): "no later than 10 working days
    from the date the organisation received the complaint"; App. 1."""
    clock = clocks(PIVOTAL, ("received", received))["stage1_response_due"]
    assert clock.due == d(due)


def test_pivotal_stage1_response_does_not_move_with_a_late_allocation():
    """Pivotal §9 stage 1 step 6 counts from receipt, so a late allocation buys no time."""
    late = clocks(PIVOTAL, ("received", "2024-03-27"), ("allocated", "2024-04-05"))
    assert late["stage1_response_due"].due == d("2024-04-12")


@pytest.mark.parametrize(
    ("received", "limit"),
    [
        # Wed 27 Mar 2024: (10) is Fri 12 Apr as above; Mon 15 (11) .. Fri 19 (15),
        # Mon 22 (16) .. Fri 26 Apr (20).
        ("2024-03-27", "2024-04-26"),
        # Mon 18 Dec 2023: (10) is Thu 4 Jan; Fri 5 (11), Mon 8 (12) .. Fri 12 (16),
        # Mon 15 (17), Tue 16 (18), Wed 17 (19), Thu 18 Jan (20).
        ("2023-12-18", "2024-01-18"),
    ],
)
def test_pivotal_stage1_extension_limit_is_20_working_days_from_receipt(received, limit):
    """Pivotal §9 stage 1 step 7: the date given "should not exceed 20 days from the date the
    organisation received the complaint" (read as working days: the pack's choice)."""
    result = clocks(PIVOTAL, ("received", received))
    assert result["stage1_extended_response_due"].due == d(limit)
    assert result["stage1_extended_response_due"].rule.purpose is Purpose.LIMIT
    assert PIVOTAL.clocks["stage1_response_due"].extension.up_to_clock == (
        "stage1_extended_response_due"
    )


@pytest.mark.parametrize(
    ("told_on", "told_in_time"),
    [
        ("2024-04-11", True),  # the day before the original due date
        ("2024-04-12", True),  # on the original due date: "on or before" (KPIS.md)
        ("2024-04-15", False),  # the next working day after it
        (None, False),  # never told
    ],
)
def test_pivotal_stage1_extension_moves_the_due_date(told_on, told_in_time):
    """Pivotal §9 stage 1 step 7 and §14.2; KPIS.md "told before the original due date".

    Received Wed 27 Mar 2024: original due Fri 12 Apr, extended to the limit Fri 26 Apr.
    """
    extension = AgreedExtension(
        "stage1_response_due", d("2024-04-26"), d(told_on) if told_on else None
    )
    clock = clocks(
        PIVOTAL,
        ("received", "2024-03-27"),
        ("stage1_response_sent", "2024-04-25"),
        extensions=(extension,),
    )["stage1_response_due"]
    assert clock.original_due == d("2024-04-12")
    assert clock.due == d("2024-04-26")
    assert clock.extended
    assert clock.told_before_original_due is told_in_time
    # Sent Thu 25 Apr: met against the agreed date either way ...
    assert clock.status is ClockStatus.MET
    # ... but for the reports it counts as on time only when told in time.
    assert clock.on_time_due == (d("2024-04-26") if told_in_time else d("2024-04-12"))
    assert "extended to Fri 26 Apr 2024" in clock.explanation


def test_pivotal_a_later_extension_told_late_keeps_the_earlier_one_told_in_time():
    """Pivotal §9 stage 1 step 7 ("an alternative timeframe must be agreed"): the latest agreed
    date is the due date; KPIS.md "on time": the latest extension the complainant was told of
    by the original due date counts (this test pinned the latest extension alone before)."""
    clock = clocks(
        PIVOTAL,
        ("received", "2024-03-27"),
        extensions=(
            AgreedExtension("stage1_response_due", d("2024-04-19"), d("2024-04-10")),
            AgreedExtension("stage1_response_due", d("2024-04-26"), d("2024-04-18")),
        ),
    )["stage1_response_due"]
    assert clock.due == d("2024-04-26")
    # Told of the second date on Thu 18 Apr, after the original Fri 12 Apr; of the first on
    # Wed 10 Apr, in time: Fri 19 Apr decides "on time".
    assert clock.told_before_original_due is True
    assert clock.on_time_due == d("2024-04-19")
    assert "on time means by Fri 19 Apr 2024" in clock.explanation


def test_pivotal_extension_of_one_clock_leaves_the_others_alone():
    """Pivotal §9 stage 1 step 7 extends the stage 1 response only."""
    result = clocks(
        PIVOTAL,
        ("received", "2024-03-27"),
        extensions=(AgreedExtension("stage1_response_due", d("2024-04-26"), d("2024-04-10")),),
    )
    assert result["allocation_due"].extended is False
    assert result["stage1_extended_response_due"].due == d("2024-04-26")


def test_pivotal_appeal_window_counts_from_receipt_of_the_stage1_response():
    """Pivotal §9 stage 2 point 1; App. 1 stage 2 point 1: "no later than 10 working days after
    the complainant received the Stage 1 response".

    Sent Fri 24 May 2024, received Tue 28 May (Mon 27 May is the spring bank holiday). From Tue
    28 May: Wed 29 (1), Thu 30 (2), Fri 31 (3), Mon 3 Jun (4) .. Fri 7 (8), Mon 10 (9),
    Tue 11 Jun (10).
    """
    clock = clocks(
        PIVOTAL,
        ("received", "2024-05-13"),
        ("stage1_response_sent", "2024-05-24"),
        ("stage1_response_received", "2024-05-28"),
    )["appeal_request_due"]
    assert clock.started_by == "stage1_response_received"
    assert clock.due == d("2024-06-11")
    assert clock.rule.purpose is Purpose.WINDOW


def test_pivotal_appeal_window_falls_back_to_the_date_sent():
    """Pivotal §9 stage 2 point 1 (the pack's choice when no receipt date is recorded).

    From Fri 24 May 2024: weekend, Mon 27 May bank holiday; Tue 28 (1) .. Fri 31 (4),
    Mon 3 Jun (5) .. Fri 7 (9), Mon 10 Jun (10).
    """
    clock = clocks(PIVOTAL, ("received", "2024-05-13"), ("stage1_response_sent", "2024-05-24"))[
        "appeal_request_due"
    ]
    assert clock.started_by == "stage1_response_sent"
    assert clock.due == d("2024-06-10")


@pytest.mark.parametrize(
    ("requested", "status"),
    [("2024-06-11", ClockStatus.MET), ("2024-06-12", ClockStatus.MET_LATE)],
)
def test_pivotal_appeal_on_the_last_day_is_in_time_and_the_next_day_late(requested, status):
    """Pivotal §9 stage 2 point 1 (window ends Tue 11 Jun 2024, as above); a late appeal needs
    the SLT member's discretion (§9 stage 2 point 5)."""
    clock = clocks(
        PIVOTAL,
        ("received", "2024-05-13"),
        ("stage1_response_sent", "2024-05-24"),
        ("stage1_response_received", "2024-05-28"),
        ("stage2_requested", requested),
    )["appeal_request_due"]
    assert clock.status is status


@pytest.mark.parametrize(
    ("requested", "due"),
    [
        # Fri 20 Dec 2024: Mon 23 (1), Tue 24 (2), 25 and 26 Dec skipped, Fri 27 Dec (3).
        ("2024-12-20", "2024-12-27"),
        # Thu 28 Mar 2024: Good Friday, weekend, Easter Monday skipped; Tue 2 (1), Wed 3 (2),
        # Thu 4 Apr (3).
        ("2024-03-28", "2024-04-04"),
    ],
)
def test_pivotal_appeal_acknowledged_within_3_working_days(requested, due):
    """Pivotal §9 stage 2 point 2; App. 1 stage 2 point 1."""
    clock = clocks(
        PIVOTAL,
        ("received", "2024-01-02"),
        ("stage1_response_sent", "2024-01-10"),
        ("stage2_requested", requested),
    )["appeal_acknowledgement_due"]
    assert clock.due == d(due)


def test_pivotal_appeal_response_20_working_days_from_receipt_of_the_appeal():
    """Pivotal §9 stage 2 point 3; App. 1 stage 2 point 2.

    Appeal Fri 20 Dec 2024: Mon 23 (1), Tue 24 (2), 25 and 26 Dec skipped, Fri 27 (3),
    Mon 30 (4), Tue 31 (5), Wed 1 Jan bank holiday, Thu 2 (6), Fri 3 (7), Mon 6 (8) ..
    Fri 10 (12), Mon 13 (13) .. Fri 17 (17), Mon 20 (18), Tue 21 (19), Wed 22 Jan 2025 (20).
    """
    result = clocks(
        PIVOTAL,
        ("received", "2024-11-01"),
        ("stage1_response_sent", "2024-11-14"),
        ("stage2_requested", "2024-12-20"),
        ("stage2_acknowledged", "2024-12-27"),
    )
    assert result["appeal_response_due"].due == d("2025-01-22")
    # The acknowledgement on the third working day does not move it: it counts from receipt.
    assert result["appeal_response_due"].started_by == "stage2_requested"
    assert result["appeal_acknowledgement_due"].status is ClockStatus.MET


def test_pivotal_appeal_response_may_be_extended_without_a_limit():
    """Pivotal §9 stage 2 point 4: a written explanation and a new date; the policy sets no
    limit, so the pack gives none."""
    extension = PIVOTAL.clocks["appeal_response_due"].extension
    assert extension is not None
    assert extension.up_to_clock is None
    assert extension.by_at_most is None


def test_pivotal_appeal_not_accepted_stops_the_appeal_clocks():
    """Pivotal §9 stage 2 point 5: the SLT member may decline the appeal."""
    result = clocks(
        PIVOTAL,
        ("received", "2024-11-01"),
        ("stage1_response_sent", "2024-11-14"),
        ("stage2_requested", "2024-12-20"),
        ("stage2_request_refused", "2024-12-23"),
        today="2025-03-01",
    )
    assert result["appeal_acknowledgement_due"].status is ClockStatus.STOPPED
    assert result["appeal_response_due"].status is ClockStatus.STOPPED


def test_pivotal_auto_close_10_working_days_after_the_stage1_response_was_sent():
    """Pivotal §10.1 c: "no further communications ... within 10 working days of a Stage 1
    response sent".

    Sent Fri 24 May 2024: weekend and Mon 27 May skipped; Tue 28 (1) .. Fri 31 (4),
    Mon 3 Jun (5) .. Fri 7 (9), Mon 10 Jun (10). It counts from the date sent even when a later
    receipt date is recorded, but the case never closes itself while the appeal window is open:
    received Tue 28 May, the window runs to Tue 11 Jun (§9 stage 2 point 1), so that is the
    auto-close date (this test pinned Mon 10 Jun before).

    The clock is a window, not a staff task: Fairhear closes the case itself when it passes, so
    nothing meets it; the closure stops it like every other open clock.
    """
    rule = PIVOTAL.clocks["auto_close_due"]
    assert rule.purpose is Purpose.WINDOW
    assert rule.label == "Closes by itself if nothing more is heard by"
    assert rule.met_by == ()
    assert rule.stopped_by == ("stage2_requested", "communication_received", "auto_close_held")
    running = clocks(
        PIVOTAL,
        ("received", "2024-05-13"),
        ("stage1_response_sent", "2024-05-24"),
        ("stage1_response_received", "2024-05-28"),
        today="2024-06-11",
    )["auto_close_due"]
    assert running.original_due == d("2024-06-10")
    assert running.due == d("2024-06-11")
    assert running.status is ClockStatus.RUNNING
    assert running.explanation.endswith(
        "; not before Tue 11 Jun 2024, the last day for the complainant to appeal"
    )
    result = clocks(
        PIVOTAL,
        ("received", "2024-05-13"),
        ("stage1_response_sent", "2024-05-24"),
        ("stage1_response_received", "2024-05-28"),
        ("closed", "2024-06-10"),
    )
    assert result["auto_close_due"].due == d("2024-06-10")
    assert result["auto_close_due"].started_by == "stage1_response_sent"
    assert result["auto_close_due"].status is ClockStatus.STOPPED
    assert result["auto_close_due"].met_on is None
    assert PIVOTAL.auto_close.clock == "auto_close_due"
    assert PIVOTAL.closure_reason(PIVOTAL.auto_close.reason).reopens_on_escalation


def test_pivotal_auto_close_stopped_by_an_appeal():
    """Pivotal §10.1 c: an appeal is a further communication, so there is nothing to close."""
    clock = clocks(
        PIVOTAL,
        ("received", "2024-05-13"),
        ("stage1_response_sent", "2024-05-24"),
        ("stage2_requested", "2024-06-05"),
        today="2024-07-01",
    )["auto_close_due"]
    assert clock.due == d("2024-06-10")
    assert clock.status is ClockStatus.STOPPED


def test_pivotal_auto_close_stopped_by_a_colleague_keeping_it_open():
    """Pivotal §10.1 c: a colleague keeps the case open, with a reason, the day before its
    auto-close date (sent Fri 24 May 2024, due Mon 10 Jun): the window stops, nothing closes."""
    clock = clocks(
        PIVOTAL,
        ("received", "2024-05-13"),
        ("stage1_response_sent", "2024-05-24"),
        ("auto_close_held", "2024-06-07"),
        today="2024-07-01",
    )["auto_close_due"]
    assert clock.due == d("2024-06-10")
    assert clock.status is ClockStatus.STOPPED


def test_pivotal_appeal_window_can_outlast_auto_closure():
    """Pivotal §10.1 c against §9 stage 2 point 1 (the pack's choice "auto-closure and late
    receipt"): closed on Mon 10 Jun 2024, 10 working days after sending, but the complainant
    received the response on Tue 28 May, so the appeal on Tue 11 Jun is still in its window."""
    result = clocks(
        PIVOTAL,
        ("received", "2024-05-13"),
        ("stage1_response_sent", "2024-05-24"),
        ("stage1_response_received", "2024-05-28"),
        ("closed", "2024-06-10"),
        ("stage2_requested", "2024-06-11"),
    )
    # The closure stops the auto-closure window (nothing meets it; Fairhear acted on it).
    assert result["auto_close_due"].status is ClockStatus.STOPPED
    assert result["appeal_request_due"].status is ClockStatus.MET
    # The appeal clocks start after the closure, so it does not stop them.
    assert result["appeal_acknowledgement_due"].status is ClockStatus.RUNNING
    # Tue 11 Jun: Wed 12 (1), Thu 13 (2), Fri 14 Jun (3).
    assert result["appeal_acknowledgement_due"].due == d("2024-06-14")


@pytest.mark.parametrize(
    ("incident", "received", "in_time"),
    [
        # 31 Aug 2023 + 6 months = 29 Feb 2024 (clamped; 2024 is a leap year).
        ("2023-08-31", "2024-02-29", True),
        ("2023-08-31", "2024-03-01", False),
        # 31 Aug 2024 + 6 months = 28 Feb 2025 (clamped; not a leap year).
        ("2024-08-31", "2025-02-28", True),
        ("2024-08-31", "2025-03-01", False),
        # 15 Jan 2024 + 6 months = 15 Jul 2024: exactly 6 months is in time, one day more not.
        ("2024-01-15", "2024-07-15", True),
        ("2024-01-15", "2024-07-16", False),
        # Received the same day as the incident.
        ("2024-01-15", "2024-01-15", True),
    ],
)
def test_pivotal_time_limit_6_months(incident, received, in_time):
    """Pivotal §6.1 a: "occurred over 6 months ago"."""
    result = verdict(PIVOTAL, received, incident, category="repairs")
    assert result.in_time is in_time
    assert result.needs_exceptional_circumstances is False


def test_pivotal_time_limit_has_no_exceptional_circumstances():
    """Pivotal §6.1 a gives no discretion: recording exceptional circumstances changes nothing."""
    result = verdict(
        PIVOTAL, "2024-03-01", "2023-08-31", category="repairs", exceptional_circumstances=True
    )
    assert result.in_time is False
    assert "29 Feb 2024" in result.reason


@pytest.mark.parametrize("category", ["safeguarding", "health_and_safety"])
def test_pivotal_safeguarding_and_health_and_safety_have_no_time_limit(category):
    """Pivotal §6.1 a "(unless related to safeguarding or health and safety matters)"."""
    result = verdict(PIVOTAL, "2024-08-30", "2020-01-15", category=category)
    assert result.in_time is True
    assert "exempt" in result.reason


def test_pivotal_no_incident_date_means_the_time_limit_is_not_applied():
    """Pivotal §6.1 a needs the date the issue occurred; without it nothing can be refused."""
    assert verdict(PIVOTAL, "2024-08-30", None).in_time is True


def test_an_incident_after_receipt_is_refused_as_input():
    """Pivotal §6.1 a: the issue cannot have occurred after the complaint about it arrived."""
    with pytest.raises(TimetableInputError, match="after the complaint was received"):
        verdict(PIVOTAL, "2024-08-30", "2024-08-31")


# =============================================================================================
# MMBM (seed 000)
# =============================================================================================


def test_the_mmbm_pack_has_exactly_the_clocks_tested_here():
    """Guards this file: a new clock in the pack needs its own tests below."""
    assert set(MMBM.clocks) == {
        "local_resolution_contact_due",
        "stage1_acknowledgement_due",
        "stage1_response_due",
        "stage2_request_due",
        "stage2_acknowledgement_due",
        "stage2_response_due",
        "stage3_outcome_due",
        "restriction_review_due",
        "behaviour_change_due",
    }


def test_mmbm_local_resolution_contact_within_2_working_days_over_easter():
    """MMBM §8 (second paragraph): "contact you ... within 2 working days of receipt".

    Thu 17 Apr 2025: Good Friday 18 Apr, weekend, Easter Monday 21 Apr skipped; Tue 22 (1),
    Wed 23 Apr (2).
    """
    clock = clocks(MMBM, ("received", "2025-04-17"))["local_resolution_contact_due"]
    assert clock.due == d("2025-04-23")
    assert MMBM.local_resolution.clock == "local_resolution_contact_due"


def test_mmbm_local_resolution_contact_stopped_by_going_to_stage_1():
    """MMBM §8: once the complaint is acknowledged at stage 1, local resolution is over."""
    clock = clocks(MMBM, ("received", "2025-04-17"), ("acknowledged", "2025-04-22"))
    assert clock["local_resolution_contact_due"].status is ClockStatus.STOPPED


def test_mmbm_stage1_acknowledgement_within_3_working_days():
    """MMBM §8.1: "within 3 working days".

    Thu 17 Apr 2025: Good Friday, weekend, Easter Monday skipped; Tue 22 (1), Wed 23 (2),
    Thu 24 Apr (3).
    """
    clock = clocks(MMBM, ("received", "2025-04-17"))["stage1_acknowledgement_due"]
    assert clock.due == d("2025-04-24")


def test_mmbm_stage1_response_28_working_days_from_receipt():
    """MMBM §8.1.3: "We aim to resolve complaints within 28 working days".

    Thu 17 Apr 2025: Tue 22 (1) .. Fri 25 (4), Mon 28 (5) .. Fri 2 May (9), Mon 5 May bank
    holiday, Tue 6 (10) .. Fri 9 (13), Mon 12 (14) .. Fri 16 (18), Mon 19 (19) .. Fri 23 (23),
    Mon 26 May bank holiday, Tue 27 (24) .. Fri 30 (27), Mon 2 Jun 2025 (28).
    """
    clock = clocks(MMBM, ("received", "2025-04-17"), ("acknowledged", "2025-04-22"))[
        "stage1_response_due"
    ]
    assert clock.due == d("2025-06-02")
    assert clock.started_by == "received"


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        # Fri 17 Jan 2025 + 28 days: 14 days to 31 Jan, 14 more is Fri 14 Feb.
        ("2025-01-17", "2025-02-14"),
        # Thu 8 Feb 2024 + 28 days: 21 days to 29 Feb (a leap year), 7 more is Thu 7 Mar.
        ("2024-02-08", "2024-03-07"),
        # Fri 7 Feb 2025 + 28 days: 21 days to 28 Feb, 7 more is Fri 7 Mar.
        ("2025-02-07", "2025-03-07"),
        # Thu 1 Feb 2024 + 28 days is Thu 29 Feb 2024 itself.
        ("2024-02-01", "2024-02-29"),
        # Fri 28 Nov 2025 + 28 days: 2 days to 30 Nov, 26 more is Fri 26 Dec, Boxing Day: a
        # calendar-day window does not move off a bank holiday.
        ("2025-11-28", "2025-12-26"),
    ],
)
def test_mmbm_review_request_window_is_28_calendar_days(sent, due):
    """MMBM §8.2.2: "within 28 days of the date we responded" (calendar days: the pack's
    choice)."""
    clock = clocks(MMBM, ("received", "2023-06-01"), ("stage1_response_sent", sent))[
        "stage2_request_due"
    ]
    assert clock.due == d(due)
    assert clock.rule.duration == Duration(28, Unit.CALENDAR_DAYS)
    assert clock.explanation == f"28 calendar days after {fmt_day(d(sent))}"


@pytest.mark.parametrize(
    ("requested", "status"),
    [("2024-03-07", ClockStatus.MET), ("2024-03-08", ClockStatus.MET_LATE)],
)
def test_mmbm_review_request_on_the_28th_day_is_in_time(requested, status):
    """MMBM §8.2.2: window from Thu 8 Feb 2024 ends Thu 7 Mar; later only in exceptional
    circumstances (late_request = discretion)."""
    clock = clocks(
        MMBM,
        ("received", "2024-01-02"),
        ("stage1_response_sent", "2024-02-08"),
        ("stage2_requested", requested),
    )["stage2_request_due"]
    assert clock.status is status
    assert MMBM.stage(2).late_request.value == "discretion"


def test_mmbm_stage2_acknowledgement_within_3_working_days_over_christmas():
    """MMBM §8.2.5: "acknowledged in the same way as at the initial stage, within 3 working days".

    Requested Wed 24 Dec 2025: 25 and 26 Dec skipped, weekend; Mon 29 (1), Tue 30 (2),
    Wed 31 Dec (3).
    """
    clock = clocks(
        MMBM,
        ("received", "2025-10-01"),
        ("stage1_response_sent", "2025-12-01"),
        ("stage2_requested", "2025-12-24"),
    )["stage2_acknowledgement_due"]
    assert clock.due == d("2025-12-31")


def test_mmbm_stage2_response_28_working_days_from_the_acknowledgement():
    """MMBM §8.2.7: "within 28 working days from acknowledgement".

    Acknowledged Wed 31 Dec 2025: Thu 1 Jan bank holiday, Fri 2 (1), Mon 5 (2) .. Fri 9 (6),
    Mon 12 (7) .. Fri 16 (11), Mon 19 (12) .. Fri 23 (16), Mon 26 (17) .. Fri 30 (21),
    Mon 2 Feb (22) .. Fri 6 (26), Mon 9 (27), Tue 10 Feb 2026 (28). Counted from the request
    (Wed 24 Dec) it would be three working days earlier.
    """
    result = clocks(
        MMBM,
        ("received", "2025-10-01"),
        ("stage1_response_sent", "2025-12-01"),
        ("stage2_requested", "2025-12-24"),
        ("stage2_acknowledged", "2025-12-31"),
    )
    assert result["stage2_response_due"].started_by == "stage2_acknowledged"
    assert result["stage2_response_due"].due == d("2026-02-10")
    assert result["stage2_acknowledgement_due"].status is ClockStatus.MET


def test_mmbm_stage2_response_waits_for_the_acknowledgement():
    """MMBM §8.2.7 counts from the acknowledgement; until then there is no date."""
    clock = clocks(
        MMBM,
        ("received", "2025-10-01"),
        ("stage1_response_sent", "2025-12-01"),
        ("stage2_requested", "2025-12-24"),
    )["stage2_response_due"]
    assert clock.status is ClockStatus.NOT_STARTED


@pytest.mark.parametrize(
    ("timestamp", "due"),
    [
        # 23:30 UTC on Sun 31 Mar 2024 is 00:30 BST on Mon 1 Apr; + 28 days is Mon 29 Apr.
        # Taking the UTC date (31 Mar) would wrongly give Sun 28 Apr.
        ("2024-03-31T23:30:00+00:00", "2024-04-29"),
        # Thu 1 Feb 2024 + 28 days is Thu 29 Feb 2024 ...
        ("2024-02-01T10:00:00+00:00", "2024-02-29"),
        # ... but Sat 1 Feb 2025 + 28 days is Sat 1 Mar 2025 (February has 28 days).
        ("2025-02-01T10:00:00+00:00", "2025-03-01"),
        # Tue 3 Dec 2024 + 28 days is Tue 31 Dec 2024.
        ("2024-12-03T09:00:00+00:00", "2024-12-31"),
    ],
)
def test_mmbm_stage3_outcome_28_calendar_days_from_receipt_of_the_appeal(timestamp, due):
    """MMBM §8.3.3: "within 28 days of receipt of the appeal" (calendar days)."""
    clock = clocks(MMBM, ("received", "2023-06-01"), ("stage3_requested", london(timestamp)))[
        "stage3_outcome_due"
    ]
    assert clock.due == d(due)


def test_mmbm_stage3_has_no_request_window():
    """MMBM §8.3.1 sets no time for an appeal to the Directors (the pack's choice)."""
    assert MMBM.stage(3).request_clock is None
    assert MMBM.stage(3).final


@pytest.mark.parametrize(
    ("events", "due"),
    [
        # Applied Sat 31 Aug 2024 + 6 months = 28 Feb 2025 (clamped to February's end).
        ((("restriction_applied", "2024-08-31"),), "2025-02-28"),
        # Applied 31 Aug 2023 + 6 months = 29 Feb 2024 (clamped; leap year).
        ((("restriction_applied", "2023-08-31"),), "2024-02-29"),
        # Reviewed 29 Feb 2024: the next review is due from the latest review, 29 Aug 2024.
        (
            (("restriction_applied", "2023-08-31"), ("restriction_reviewed", "2024-02-29")),
            "2024-08-29",
        ),
        # Applied 31 Mar 2024, reviewed 30 Sep 2024: 30 Mar 2025 (a Sunday; months are not
        # working days, so it stays there).
        (
            (("restriction_applied", "2024-03-31"), ("restriction_reviewed", "2024-09-30")),
            "2025-03-30",
        ),
        # Reviewed early, on 15 Jan 2025: the clock restarts from that review, 15 Jul 2025.
        (
            (("restriction_applied", "2024-08-31"), ("restriction_reviewed", "2025-01-15")),
            "2025-07-15",
        ),
    ],
)
def test_mmbm_restrictions_reviewed_every_6_months_from_the_latest_review(events, due):
    """MMBM §9: "We must also review our decision at least every six months"."""
    clock = clocks(MMBM, ("received", "2023-06-01"), *events)["restriction_review_due"]
    assert clock.due == d(due)
    assert clock.started_by == events[-1][0]
    assert MMBM.restriction_review_clock == "restriction_review_due"


def test_mmbm_restriction_review_timestamp_in_summer_time():
    """MMBM §9: a review recorded at 23:30 UTC on Sat 31 Aug 2024 happened at 00:30 BST on Sun
    1 Sep, so the next is due 1 Mar 2025 (from 31 Aug it would be 28 Feb 2025)."""
    reviewed = london("2024-08-31T23:30:00+00:00")
    clock = clocks(
        MMBM,
        ("received", "2024-01-08"),
        ("restriction_applied", "2024-02-29"),
        ("restriction_reviewed", reviewed),
    )["restriction_review_due"]
    assert clock.due == d("2025-03-01")


def test_mmbm_restriction_review_overdue_and_lifted():
    """MMBM §9: overdue when the 6 months pass with no review; no review once lifted."""
    applied = (("received", "2024-01-08"), ("restriction_applied", "2024-02-29"))
    # 29 Feb 2024 + 6 months = 29 Aug 2024.
    assert clocks(MMBM, *applied, today="2024-08-29")["restriction_review_due"].status is (
        ClockStatus.RUNNING
    )
    assert clocks(MMBM, *applied, today="2024-08-30")["restriction_review_due"].status is (
        ClockStatus.OVERDUE
    )
    lifted = clocks(MMBM, *applied, ("restriction_lifted", "2024-06-01"), today="2024-09-30")
    assert lifted["restriction_review_due"].status is ClockStatus.STOPPED


def test_mmbm_a_warning_gives_a_month_to_change_which_closing_the_complaint_does_not_end():
    """MMBM §9: before restrictions, "give them the opportunity to change their behaviours
    within a reasonable timescale"; the pack's reading is one month (clamped to the month's end).

    Warned Thu 31 Oct 2024: 31 Nov does not exist, so the chance to change runs to Sat 30 Nov;
    the complaint closing on 5 Nov does not end it; restrictions applied on 2 Dec stop it.
    """
    warned = (("received", "2024-10-28"), ("behaviour_warned", "2024-10-31"))
    running = clocks(MMBM, *warned, ("closed", "2024-11-05"), today="2024-11-30")
    assert running["behaviour_change_due"].due == d("2024-11-30")
    assert running["behaviour_change_due"].status is ClockStatus.RUNNING
    applied = clocks(MMBM, *warned, ("restriction_applied", "2024-12-02"), today="2024-12-02")
    assert applied["behaviour_change_due"].status is ClockStatus.STOPPED


def test_mmbm_restrictions_still_need_review_after_the_complaint_closes():
    """MMBM §9: restrictions stay "in force" until lifted and must be reviewed at least every six
    months; closing the complaint does not lift them.

    Applied 29 Feb 2024, complaint closed 5 Mar 2024: the review is still due 29 Aug 2024 and is
    overdue on 30 Aug.
    """
    clock = clocks(
        MMBM,
        ("received", "2024-01-08"),
        ("restriction_applied", "2024-02-29"),
        ("closed", "2024-03-05"),
        today="2024-08-30",
    )["restriction_review_due"]
    assert clock.due == d("2024-08-29")
    assert clock.status is ClockStatus.OVERDUE


@pytest.mark.parametrize(
    ("incident", "received", "in_time"),
    [
        # 31 Mar 2023 + 12 months = 31 Mar 2024: exactly a year is in time, one day more not.
        ("2023-03-31", "2024-03-31", True),
        ("2023-03-31", "2024-04-01", False),
        # 29 Feb 2024 + 12 months = 28 Feb 2025 (clamped).
        ("2024-02-29", "2025-02-28", True),
        ("2024-02-29", "2025-03-01", False),
    ],
)
def test_mmbm_time_limit_12_months(incident, received, in_time):
    """MMBM §6.1: "more than a year ago"."""
    result = verdict(MMBM, received, incident)
    assert result.in_time is in_time
    assert result.needs_exceptional_circumstances is (not in_time)


def test_mmbm_exceptional_circumstances_bring_a_late_complaint_in():
    """MMBM §6.1: "unless there are exceptional circumstances"."""
    result = verdict(MMBM, "2024-04-01", "2023-03-31", exceptional_circumstances=True)
    assert result.in_time is True
    assert "exceptional circumstances are recorded" in result.reason


def test_mmbm_has_no_exempt_categories():
    """MMBM §6.1 names no exempt subject: an old safeguarding complaint needs exceptional
    circumstances too."""
    result = verdict(MMBM, "2024-04-01", "2023-03-31", category="safeguarding")
    assert result.in_time is False
    assert result.needs_exceptional_circumstances is True


# =============================================================================================
# Housing Ombudsman Complaint Handling Code 2024
# =============================================================================================


def test_the_code_pack_has_exactly_the_clocks_tested_here():
    """Guards this file: a new clock in the pack needs its own tests below."""
    assert set(CODE.clocks) == {
        "stage1_acknowledgement_due",
        "stage1_response_due",
        "stage2_acknowledgement_due",
        "stage2_response_due",
        "restriction_review_due",
    }


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # REGULATION.md worked example: Fri 19 Dec 2025; Mon 22 (1), Tue 23 (2), Wed 24 (3),
        # 25 and 26 Dec skipped, Mon 29 (4), Tue 30 Dec (5).
        ("2025-12-19", "2025-12-30"),
        # Thu 22 Aug 2024: Fri 23 (1), Mon 26 Aug bank holiday, Tue 27 (2) .. Fri 30 Aug (5).
        ("2024-08-22", "2024-08-30"),
    ],
)
def test_code_stage1_acknowledgement_within_5_working_days(received, due):
    """Code 6.2: acknowledge, define and log within 5 working days of receipt."""
    assert clocks(CODE, ("received", received))["stage1_acknowledgement_due"].due == d(due)


def test_code_stage1_response_10_working_days_from_the_acknowledgement():
    """Code 6.3: 10 working days from the acknowledgement when it was on time.

    Received Thu 22 Aug 2024 (acknowledgement due Fri 30 Aug), acknowledged Tue 27 Aug:
    Wed 28 (1), Thu 29 (2), Fri 30 (3), Mon 2 Sep (4) .. Fri 6 (8), Mon 9 (9), Tue 10 Sep (10).
    """
    clock = clocks(CODE, ("received", "2024-08-22"), ("acknowledged", "2024-08-27"))[
        "stage1_response_due"
    ]
    assert clock.started_by == "acknowledged"
    assert clock.due == d("2024-09-10")


def test_code_stage1_late_acknowledgement_buys_no_time():
    """Code 6.3 with KPIS.md CH02: from the acknowledgement's due date when that is earlier.

    Acknowledgement due Fri 30 Aug 2024 but given Wed 4 Sep: count from Fri 30 Aug; Mon 2 Sep
    (1) .. Fri 6 (5), Mon 9 (6) .. Fri 13 Sep (10). From 4 Sep it would be Wed 18 Sep.
    """
    clock = clocks(CODE, ("received", "2024-08-22"), ("acknowledged", "2024-09-04"))[
        "stage1_response_due"
    ]
    assert clock.started_by == "stage1_acknowledgement_due"
    assert clock.start == d("2024-08-30")
    assert clock.due == d("2024-09-13")
    assert "came first" in clock.explanation


def test_code_stage1_response_runs_from_the_acknowledgement_due_date_before_acknowledgement():
    """Code 6.3 with KPIS.md CH02: with no acknowledgement yet, the response date is already
    known (Fri 13 Sep 2024, as above) and it is overdue after it."""
    clock = clocks(CODE, ("received", "2024-08-22"), today="2024-09-16")["stage1_response_due"]
    assert clock.due == d("2024-09-13")
    assert clock.status is ClockStatus.OVERDUE
    assert "has not happened yet" in clock.explanation


def test_code_stage1_response_sent_before_any_acknowledgement_is_met():
    """Code 6.3 and 6.6 (respond when the answer is known): a stage 1 response sent on Wed 3 Jul
    2024, two days after receipt on Mon 1 Jul and with no separate acknowledgement, meets the
    response clock (due 10 working days after the acknowledgement due date Mon 8 Jul:
    Mon 22 Jul 2024)."""
    result = clocks(
        CODE,
        ("received", "2024-07-01"),
        ("stage1_response_sent", "2024-07-03"),
        today="2024-08-01",
    )
    assert result["stage1_acknowledgement_due"].status is ClockStatus.STOPPED
    assert result["stage1_response_due"].due == d("2024-07-22")
    assert result["stage1_response_due"].status is ClockStatus.MET
    assert result["stage1_response_due"].met_on == d("2024-07-03")


def test_code_stage1_extension_at_most_10_working_days():
    """Code 6.4 and 6.5: no more than 10 further working days.

    Original due Tue 10 Sep 2024 (as above); 10 working days more: Wed 11 (1) .. Fri 13 (3),
    Mon 16 (4) .. Fri 20 (8), Mon 23 (9), Tue 24 Sep (10).
    """
    rule = CODE.clocks["stage1_response_due"]
    assert rule.extension.by_at_most == Duration(10, Unit.WORKING_DAYS)
    assert add_duration(EW, d("2024-09-10"), rule.extension.by_at_most) == d("2024-09-24")
    clock = clocks(
        CODE,
        ("received", "2024-08-22"),
        ("acknowledged", "2024-08-27"),
        ("stage1_response_sent", "2024-09-24"),
        extensions=(AgreedExtension("stage1_response_due", d("2024-09-24"), d("2024-09-10")),),
    )["stage1_response_due"]
    assert clock.original_due == d("2024-09-10")
    assert clock.due == d("2024-09-24")
    assert clock.told_before_original_due is True
    assert clock.status is ClockStatus.MET


@pytest.mark.parametrize(
    ("received", "ew_due", "scottish_due"),
    [
        # Thu 31 Jul 2025. E&W: Fri 1 Aug (1), Mon 4 (2) .. Thu 7 Aug (5). Scotland: Mon 4 Aug
        # is its summer bank holiday, so Fri 1 (1), Tue 5 (2) .. Fri 8 Aug (5).
        ("2025-07-31", "2025-08-07", "2025-08-08"),
        # Thu 27 Nov 2025. E&W: Fri 28 (1), Mon 1 Dec (2) .. Thu 4 Dec (5). Scotland: St
        # Andrew's Day falls on Sun 30 Nov and is observed on Mon 1 Dec, so Fri 5 Dec (5).
        ("2025-11-27", "2025-12-04", "2025-12-05"),
        # Thu 17 Apr 2025. E&W: Good Friday and Easter Monday skipped, Tue 22 (1) .. Fri 25 (4),
        # Mon 28 Apr (5). Scotland has no Easter Monday holiday: Mon 21 (1) .. Fri 25 Apr (5).
        ("2025-04-17", "2025-04-28", "2025-04-25"),
    ],
)
def test_code_stage1_acknowledgement_on_the_scottish_calendar(received, ew_due, scottish_due):
    """Code 6.2 for an organisation whose nation is Scotland (REGULATION.md §5)."""
    assert clocks(CODE, ("received", received))["stage1_acknowledgement_due"].due == d(ew_due)
    scottish = clocks(CODE, ("received", received), cal=SCOTLAND)
    assert scottish["stage1_acknowledgement_due"].due == d(scottish_due)


def test_code_stage1_response_on_the_scottish_calendar():
    """Code 6.2 and 6.3 (REGULATION.md §1 worked example on the Scottish calendar).

    Received Thu 31 Jul 2025, not yet acknowledged: the acknowledgement is due Fri 8 Aug
    (above), so the response is due 10 Scottish working days later: Mon 11 (1) .. Fri 15 (5),
    Mon 18 (6) .. Fri 22 Aug 2025 (10). On the England and Wales calendar: from Thu 7 Aug,
    Fri 8 (1), Mon 11 (2) .. Fri 15 (6), Mon 18 (7) .. Thu 21 Aug (10).
    """
    assert clocks(CODE, ("received", "2025-07-31"))["stage1_response_due"].due == d("2025-08-21")
    scottish = clocks(CODE, ("received", "2025-07-31"), cal=SCOTLAND)["stage1_response_due"]
    assert scottish.due == d("2025-08-22")
    assert scottish.start == d("2025-08-08")


def test_code_stage1_response_over_new_year_in_scotland():
    """Code 6.3 (REGULATION.md §1): acknowledged Tue 30 Dec 2025; Scotland skips 1 and 2 Jan:
    Wed 31 Dec (1), Mon 5 (2) .. Fri 9 (6), Mon 12 (7) .. Thu 15 Jan 2026 (10)."""
    clock = clocks(CODE, ("received", "2025-12-19"), ("acknowledged", "2025-12-30"), cal=SCOTLAND)[
        "stage1_response_due"
    ]
    assert clock.due == d("2026-01-15")
    assert clock.explanation == (
        "10 working days after Tue 30 Dec 2025, skipping the bank holidays 1 Jan and 2 Jan"
    )


@pytest.mark.parametrize(
    ("requested", "due"),
    [
        # Tue 17 Dec 2024: Wed 18 (1), Thu 19 (2), Fri 20 (3), Mon 23 (4), Tue 24 Dec (5).
        ("2024-12-17", "2024-12-24"),
        # Fri 20 Dec 2024: Mon 23 (1), Tue 24 (2), 25 and 26 Dec skipped, Fri 27 (3),
        # Mon 30 (4), Tue 31 Dec (5).
        ("2024-12-20", "2024-12-31"),
    ],
)
def test_code_stage2_acknowledgement_within_5_working_days(requested, due):
    """Code 6.11: acknowledge the escalation within 5 working days of the request."""
    clock = clocks(
        CODE,
        ("received", "2024-11-01"),
        ("acknowledged", "2024-11-04"),
        ("stage1_response_sent", "2024-11-15"),
        ("stage2_requested", requested),
    )["stage2_acknowledgement_due"]
    assert clock.due == d(due)


@pytest.mark.parametrize(
    ("acknowledged", "started_by", "due"),
    [
        # Acknowledged Mon 23 Dec 2024, before its due date Tue 31 Dec: Tue 24 (1), 25 and 26
        # Dec skipped, Fri 27 (2), Mon 30 (3), Tue 31 (4), Wed 1 Jan skipped, Thu 2 (5),
        # Fri 3 (6), Mon 6 (7) .. Fri 10 (11), Mon 13 (12) .. Fri 17 (16), Mon 20 (17),
        # Tue 21 (18), Wed 22 (19), Thu 23 Jan 2025 (20).
        ("2024-12-23", "stage2_acknowledged", "2025-01-23"),
        # Acknowledged late on Mon 6 Jan 2025: count from the due date Tue 31 Dec instead;
        # Thu 2 (1), Fri 3 (2), Mon 6 (3) .. Fri 10 (7), Mon 13 (8) .. Fri 17 (12), Mon 20 (13)
        # .. Fri 24 (17), Mon 27 (18), Tue 28 (19), Wed 29 Jan 2025 (20).
        ("2025-01-06", "stage2_acknowledgement_due", "2025-01-29"),
        # Not acknowledged at all: the same date as the late acknowledgement.
        (None, "stage2_acknowledgement_due", "2025-01-29"),
    ],
)
def test_code_stage2_response_20_working_days_from_the_acknowledgement(
    acknowledged, started_by, due
):
    """Code 6.14 with KPIS.md CH02: 20 working days from the acknowledgement or from the
    acknowledgement's due date, whichever is earlier."""
    events = [
        ("received", "2024-11-01"),
        ("acknowledged", "2024-11-04"),
        ("stage1_response_sent", "2024-11-15"),
        ("stage2_requested", "2024-12-20"),
    ]
    if acknowledged:
        events.append(("stage2_acknowledged", acknowledged))
    clock = clocks(CODE, *events)["stage2_response_due"]
    assert clock.started_by == started_by
    assert clock.due == d(due)


def test_code_stage2_clocks_not_started_without_an_escalation():
    """Code 6.11 and 6.14: nothing runs at stage 2 until the resident asks for it, and the Code
    sets no window for asking (Code 6.12)."""
    result = clocks(CODE, ("received", "2024-11-01"), ("acknowledged", "2024-11-04"))
    assert result["stage2_acknowledgement_due"].status is ClockStatus.NOT_STARTED
    assert result["stage2_response_due"].status is ClockStatus.NOT_STARTED
    assert result["stage2_response_due"].due is None
    assert CODE.stage(2).request_clock is None


def test_code_escalation_refused_before_acknowledgement_stops_the_stage2_response_clock():
    """Code 5.11 and 6.14: an escalation refused (for a section 2 reason) the day after it was
    asked for needs no stage 2 response, even though the response clock's start is the
    acknowledgement's due date, which comes after the refusal."""
    result = clocks(
        CODE,
        ("received", "2024-07-01"),
        ("acknowledged", "2024-07-02"),
        ("stage1_response_sent", "2024-07-03"),
        ("stage2_requested", "2024-07-10"),
        ("stage2_request_refused", "2024-07-11"),
        today="2024-09-01",
    )
    assert result["stage2_acknowledgement_due"].status is ClockStatus.STOPPED
    assert result["stage2_response_due"].status is ClockStatus.STOPPED


def test_code_stage2_extension_at_most_20_working_days():
    """Code 6.15 [M] and 6.16 [M] (the pack's choice of 20, not 10).

    Original due Thu 23 Jan 2025; 20 working days more: Fri 24 (1), Mon 27 (2) .. Fri 31 (6),
    Mon 3 Feb (7) .. Fri 7 (11), Mon 10 (12) .. Fri 14 (16), Mon 17 (17) .. Thu 20 Feb (20).
    """
    by = CODE.clocks["stage2_response_due"].extension.by_at_most
    assert by == Duration(20, Unit.WORKING_DAYS)
    assert add_duration(EW, d("2025-01-23"), by) == d("2025-02-20")


def test_code_restrictions_reviewed_every_6_months():
    """Code 5.14 [M] ("regularly reviewed"; 6 months is the pack's choice). Reviewed Sun 31 Aug
    2025: next due 28 Feb 2026 (clamped to February's end)."""
    clock = clocks(
        CODE,
        ("received", "2025-01-06"),
        ("restriction_applied", "2025-02-28"),
        ("restriction_reviewed", "2025-08-31"),
    )["restriction_review_due"]
    assert clock.due == d("2026-02-28")


@pytest.mark.parametrize(
    ("incident", "received", "exceptional", "in_time"),
    [
        # 15 Jan 2024 + 12 months = 15 Jan 2025.
        ("2024-01-15", "2025-01-15", False, True),
        ("2024-01-15", "2025-01-16", False, False),
        # Code 2.3: discretion beyond 12 months.
        ("2024-01-15", "2025-01-16", True, True),
        # 29 Feb 2024 + 12 months = 28 Feb 2025.
        ("2024-02-29", "2025-02-28", False, True),
        ("2024-02-29", "2025-03-01", False, False),
    ],
)
def test_code_time_limit_12_months_with_discretion(incident, received, exceptional, in_time):
    """Code 2.2 and 2.3: within 12 months of the issue; consider discretion beyond."""
    result = verdict(CODE, received, incident, exceptional_circumstances=exceptional)
    assert result.in_time is in_time
    assert result.needs_exceptional_circumstances is (not in_time)


def test_code_has_no_exempt_categories():
    """Code 2.2 names no exempt subject."""
    assert CODE.time_limit.exempt_categories == ()
    assert verdict(CODE, "2025-01-16", "2024-01-15", category="safeguarding").in_time is False


# =============================================================================================
# Clock statuses, with the Pivotal stage 1 response (§9 stage 1 step 6) as the example.
# Received Wed 27 Mar 2024, due Fri 12 Apr 2024 (counted above).
# =============================================================================================

RECEIVED = ("received", "2024-03-27")


def stage1(*events: tuple[str, str], today: str | None = None) -> ClockResult:
    return clocks(PIVOTAL, RECEIVED, *events, today=today)["stage1_response_due"]


def test_status_met_on_the_due_date():
    """Pivotal §9 stage 1 step 6 ("no later than"): sent on Fri 12 Apr is met."""
    clock = stage1(("stage1_response_sent", "2024-04-12"))
    assert clock.status is ClockStatus.MET
    assert clock.met_on == d("2024-04-12")
    assert not clock.open


def test_status_met_late_the_day_after():
    """Pivotal §9 stage 1 step 6: sent on Mon 15 Apr (the next working day) is met late."""
    clock = stage1(("stage1_response_sent", "2024-04-15"))
    assert clock.status is ClockStatus.MET_LATE
    assert clock.status.label == "Met late"


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (None, ClockStatus.RUNNING),  # no "today" given: never overdue
        ("2024-04-11", ClockStatus.RUNNING),
        ("2024-04-12", ClockStatus.RUNNING),  # the due date itself is not yet overdue
        ("2024-04-13", ClockStatus.OVERDUE),  # a Saturday, but the day after the due date
    ],
)
def test_status_overdue_only_after_the_due_date(today, status):
    """Pivotal §9 stage 1 step 6; BRIEF "a deadline is met when the event happens on or before
    the due date"."""
    clock = stage1(today=today)
    assert clock.status is status
    assert clock.open


@pytest.mark.parametrize("ending", ["closed", "refused"])
def test_status_stopped_when_the_case_closes_or_is_refused(ending):
    """Pivotal §10.1 (closing) and §6.2 (refusal): open deadlines are no longer needed."""
    result = clocks(PIVOTAL, RECEIVED, (ending, "2024-04-02"), today="2024-05-01")
    assert result["stage1_response_due"].status is ClockStatus.STOPPED
    assert result["stage1_response_due"].status.label == "No longer needed"
    assert result["allocation_due"].status is ClockStatus.STOPPED


def test_status_a_response_on_the_day_of_closure_counts_as_met():
    """Pivotal §10.1 and §9 stage 1 step 6: the met event wins over a stop."""
    clock = stage1(("closed", "2024-04-10"), ("stage1_response_sent", "2024-04-10"))
    assert clock.status is ClockStatus.MET


def test_status_not_started():
    """Pivotal §9 stage 2 point 2: no appeal, no appeal clocks."""
    clock = clocks(PIVOTAL, RECEIVED, today="2025-01-01")["appeal_acknowledgement_due"]
    assert clock.status is ClockStatus.NOT_STARTED
    assert clock.due is None
    assert clock.original_due is None
    assert clock.explanation.startswith("Starts when ")


def test_closure_days_are_skipped_and_explained():
    """Pivotal §9 stage 1 step 6 on BRIEF "not a closure day": with the organisation closed on
    Tue 2 Apr 2024 the count from Wed 27 Mar moves one working day, to Mon 15 Apr."""
    cal = WorkingDayCalendar(Nation.ENGLAND_AND_WALES, closures=[d("2024-04-02")])
    clock = clocks(PIVOTAL, RECEIVED, cal=cal)["stage1_response_due"]
    assert clock.due == d("2024-04-15")
    assert clock.explanation == (
        "10 working days after Wed 27 Mar 2024, skipping the bank holidays 29 Mar and 1 Apr "
        "and the closure day 2 Apr"
    )
