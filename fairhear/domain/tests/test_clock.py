"""London dates from timestamps, durations, due dates and their explanations (docs/time.md).

Expected dates are worked out by hand from a printed calendar, the UK clock changes (British
Summer Time from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
October) and the gov.uk bank-holiday lists.
"""

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from fairhear.domain.calendar import Nation, WorkingDayCalendar
from fairhear.domain.clock import (
    Duration,
    NaiveTimestampError,
    Unit,
    add_duration,
    explain_due,
    fmt_day,
    fmt_short,
    london_date,
    parse_timestamp,
    resolve_london,
)

EW = WorkingDayCalendar(Nation.ENGLAND_AND_WALES)
SCT = WorkingDayCalendar(Nation.SCOTLAND)
NI = WorkingDayCalendar(Nation.NORTHERN_IRELAND)


# ---------------------------------------------------------------------------------------------
# london_date
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # BST began at 01:00 UTC on Sun 31 Mar 2024.
        ("2024-03-30T23:30:00+00:00", date(2024, 3, 30)),  # 23:30 GMT, Saturday
        ("2024-03-31T00:30:00+00:00", date(2024, 3, 31)),  # 00:30 GMT, before the change
        ("2024-03-31T01:30:00+00:00", date(2024, 3, 31)),  # 02:30 BST
        ("2024-03-31T22:59:00+00:00", date(2024, 3, 31)),  # 23:59 BST
        ("2024-03-31T23:00:00+00:00", date(2024, 4, 1)),  # 00:00 BST on Monday
        ("2024-03-31T23:30:00+00:00", date(2024, 4, 1)),  # 00:30 BST on Monday
        # BST ended at 01:00 UTC on Sun 27 Oct 2024.
        ("2024-10-26T22:59:00+00:00", date(2024, 10, 26)),  # 23:59 BST, Saturday
        ("2024-10-26T23:30:00+00:00", date(2024, 10, 27)),  # 00:30 BST, still summer time
        ("2024-10-27T00:30:00+00:00", date(2024, 10, 27)),  # 01:30 BST, the first 01:30
        ("2024-10-27T01:30:00+00:00", date(2024, 10, 27)),  # 01:30 GMT, the second 01:30
        ("2024-10-27T23:30:00+00:00", date(2024, 10, 27)),  # 23:30 GMT, still Sunday
        ("2024-10-28T00:30:00+00:00", date(2024, 10, 28)),  # 00:30 GMT on Monday
        # In winter London is on UTC.
        ("2024-01-04T23:30:00+00:00", date(2024, 1, 4)),
        # An offset other than UTC is converted: 03:00 at +05:30 is 21:30 UTC the day before,
        # 22:30 BST on Fri 31 May 2024.
        ("2024-06-01T03:00:00+05:30", date(2024, 5, 31)),
        # 00:30 at +01:00 in winter is 23:30 GMT the day before.
        ("2024-01-05T00:30:00+01:00", date(2024, 1, 4)),
    ],
)
def test_london_date_is_taken_after_converting_to_europe_london(text, expected):
    assert london_date(datetime.fromisoformat(text)) == expected


def test_london_date_accepts_any_aware_timezone():
    # 19:30 EDT (UTC-4) on Sun 31 Mar 2024 is 23:30 UTC, 00:30 BST on Mon 1 Apr.
    moment = datetime(2024, 3, 31, 19, 30, tzinfo=ZoneInfo("America/New_York"))
    assert london_date(moment) == date(2024, 4, 1)
    # A fixed offset of zero behaves like UTC.
    assert london_date(datetime(2024, 7, 4, 12, 0, tzinfo=timezone(timedelta(0)))) == date(
        2024, 7, 4
    )


def test_a_naive_timestamp_is_refused_because_its_london_date_is_unknown():
    with pytest.raises(NaiveTimestampError, match=r"no UTC offset.*\+00:00"):
        london_date(datetime(2024, 3, 31, 23, 30))


def test_naive_timestamp_error_is_a_value_error():
    assert issubclass(NaiveTimestampError, ValueError)


# ---------------------------------------------------------------------------------------------
# parse_timestamp
# ---------------------------------------------------------------------------------------------


def test_parse_timestamp_reads_iso_8601_with_an_offset():
    assert parse_timestamp("2024-01-05T14:30:00+00:00") == datetime(2024, 1, 5, 14, 30, tzinfo=UTC)
    assert parse_timestamp("  2024-07-05T14:30:00+01:00\n") == datetime(
        2024, 7, 5, 13, 30, tzinfo=UTC
    )
    assert parse_timestamp("2024-01-05T14:30:00Z") == datetime(2024, 1, 5, 14, 30, tzinfo=UTC)


def test_parse_timestamp_then_london_date_gives_the_london_date():
    # 23:30 UTC on Sun 31 Mar 2024 is 00:30 BST on Mon 1 Apr.
    assert london_date(parse_timestamp("2024-03-31T23:30:00+00:00")) == date(2024, 4, 1)


def test_parse_timestamp_error_for_text_that_is_not_a_date_says_how_to_write_it():
    with pytest.raises(ValueError, match="ISO 8601") as caught:
        parse_timestamp("next Tuesday")
    message = str(caught.value)
    assert "'next Tuesday'" in message
    assert "for example 2024-01-05T14:30:00+00:00" in message


def test_parse_timestamp_error_for_a_missing_offset_gives_a_corrected_example():
    with pytest.raises(ValueError, match="no UTC offset") as caught:
        parse_timestamp("2024-01-05T14:30:00")
    message = str(caught.value)
    assert "for example 2024-01-05T14:30:00+00:00" in message
    assert "+01:00 for British Summer Time" in message


@pytest.mark.parametrize(
    "text", ["2024-01-05T14:30:00", "2024-01-05 14:30", "2024-01-05", "2024-01-05+00:00"]
)
def test_parse_timestamp_example_in_the_error_can_itself_be_parsed(text):
    with pytest.raises(ValueError, match="no UTC offset") as caught:
        parse_timestamp(text)
    suggestion = re.search(r"for example (\S+)", str(caught.value))
    assert suggestion is not None
    fixed = parse_timestamp(suggestion.group(1))
    assert fixed.utcoffset() == timedelta(0)
    # The suggested time keeps the date the person wrote.
    assert fixed.date() == date(2024, 1, 5)


# ---------------------------------------------------------------------------------------------
# Durations, formatting
# ---------------------------------------------------------------------------------------------


def test_durations_read_as_the_policy_states_them():
    assert str(Duration(10, Unit.WORKING_DAYS)) == "10 working days"
    assert str(Duration(1, Unit.WORKING_DAYS)) == "1 working day"
    assert str(Duration(1, Unit.CALENDAR_DAYS)) == "1 calendar day"
    assert str(Duration(28, Unit.CALENDAR_DAYS)) == "28 calendar days"
    assert str(Duration(1, Unit.MONTHS)) == "1 month"
    assert str(Duration(6, Unit.MONTHS)) == "6 months"
    assert str(Duration(0, Unit.WORKING_DAYS)) == "0 working days"


def test_days_are_written_with_weekday_day_month_and_year():
    assert fmt_day(date(2023, 12, 22)) == "Fri 22 Dec 2023"
    assert fmt_day(date(2024, 1, 5)) == "Fri 5 Jan 2024"  # no leading zero
    assert fmt_day(date(2024, 2, 29)) == "Thu 29 Feb 2024"
    assert fmt_short(date(2024, 1, 1)) == "1 Jan"


# ---------------------------------------------------------------------------------------------
# add_duration
# ---------------------------------------------------------------------------------------------


def test_add_duration_in_working_days():
    # Fri 22 Dec 2023 + 10 working days; 25, 26 Dec and 1 Jan are bank holidays: Wed 10 Jan.
    assert add_duration(EW, date(2023, 12, 22), Duration(10, Unit.WORKING_DAYS)) == date(
        2024, 1, 10
    )


def test_add_duration_in_calendar_days():
    # Fri 22 Dec 2023 + 28 days: 22 + 28 = 50 December = 19 Jan 2024.
    assert add_duration(EW, date(2023, 12, 22), Duration(28, Unit.CALENDAR_DAYS)) == date(
        2024, 1, 19
    )


def test_add_duration_in_months_clamps_to_the_month_end():
    # 31 Aug 2023 + 6 months: February 2024, which has 29 days.
    assert add_duration(EW, date(2023, 8, 31), Duration(6, Unit.MONTHS)) == date(2024, 2, 29)
    # 29 Feb 2024 + 12 months: 28 Feb 2025.
    assert add_duration(EW, date(2024, 2, 29), Duration(12, Unit.MONTHS)) == date(2025, 2, 28)


def test_add_duration_ignores_holidays_for_calendar_days_and_months():
    # 25 Nov 2023 + 1 month is 25 Dec 2023 (Christmas Day) all the same.
    assert add_duration(EW, date(2023, 11, 25), Duration(1, Unit.MONTHS)) == date(2023, 12, 25)
    # 24 Dec 2023 + 1 day is 25 Dec.
    assert add_duration(EW, date(2023, 12, 24), Duration(1, Unit.CALENDAR_DAYS)) == date(
        2023, 12, 25
    )


def test_leap_day_as_day_zero_for_every_unit():
    # Thu 29 Feb 2024: +1 working day Fri 1 Mar; +1 calendar day Fri 1 Mar; +1 month 29 Mar.
    start = date(2024, 2, 29)
    assert add_duration(EW, start, Duration(1, Unit.WORKING_DAYS)) == date(2024, 3, 1)
    assert add_duration(EW, start, Duration(1, Unit.CALENDAR_DAYS)) == date(2024, 3, 1)
    assert add_duration(EW, start, Duration(1, Unit.MONTHS)) == date(2024, 3, 29)


# ---------------------------------------------------------------------------------------------
# Deadlines across a clock change
# ---------------------------------------------------------------------------------------------


def test_a_thursday_evening_utc_in_summer_is_received_on_friday_in_london():
    # 23:30 UTC on Thu 4 Jul 2024 is 00:30 BST on Fri 5 Jul: Fri 5 Jul is day 0.
    received = london_date(parse_timestamp("2024-07-04T23:30:00+00:00"))
    assert received == date(2024, 7, 5)
    # One working day after Friday is Mon 8 Jul (not Fri 5 Jul, as the UTC date would give).
    assert add_duration(EW, received, Duration(1, Unit.WORKING_DAYS)) == date(2024, 7, 8)
    # Ten: Mon 8 (1) ... Fri 12 (5), Mon 15 (6) ... Fri 19 Jul (10).
    assert add_duration(EW, received, Duration(10, Unit.WORKING_DAYS)) == date(2024, 7, 19)
    # In Northern Ireland Fri 12 Jul is a bank holiday: one day later, Mon 22 Jul.
    assert add_duration(NI, received, Duration(10, Unit.WORKING_DAYS)) == date(2024, 7, 22)


def test_the_same_evening_time_in_winter_stays_on_thursday():
    # 23:30 UTC on Thu 4 Jan 2024 is 23:30 GMT: Thu 4 Jan is day 0; one working day is Fri 5 Jan.
    received = london_date(parse_timestamp("2024-01-04T23:30:00+00:00"))
    assert received == date(2024, 1, 4)
    assert add_duration(EW, received, Duration(1, Unit.WORKING_DAYS)) == date(2024, 1, 5)


def test_a_deadline_is_met_when_the_london_date_is_on_or_before_the_due_date():
    due = date(2024, 7, 19)  # the summer example above
    # 22:59 UTC on Fri 19 Jul is 23:59 BST the same Friday: on time.
    assert london_date(parse_timestamp("2024-07-19T22:59:00+00:00")) <= due
    # 23:00 UTC on Fri 19 Jul is 00:00 BST on Sat 20 Jul: late, although the UTC date is the 19th.
    assert london_date(parse_timestamp("2024-07-19T23:00:00+00:00")) > due


def test_a_deadline_counted_over_the_spring_clock_change():
    # 23:30 UTC on Sun 31 Mar 2024 is Mon 1 Apr (Easter Monday) in London: day 0 is Easter Monday.
    received = london_date(parse_timestamp("2024-03-31T23:30:00+00:00"))
    # England: Tue 2 Apr (1). Scotland has no Easter Monday holiday, still Tue 2 Apr (1).
    assert add_duration(EW, received, Duration(1, Unit.WORKING_DAYS)) == date(2024, 4, 2)
    assert add_duration(SCT, received, Duration(1, Unit.WORKING_DAYS)) == date(2024, 4, 2)
    # Had the UTC date (Sun 31 Mar) been used, England would still give Tue 2 Apr but Scotland
    # would give Mon 1 Apr; the London date is the one that counts.
    assert received == date(2024, 4, 1)


# ---------------------------------------------------------------------------------------------
# explain_due
# ---------------------------------------------------------------------------------------------


def test_explain_due_names_the_bank_holidays_skipped_at_christmas_2023():
    text = explain_due(EW, date(2023, 12, 22), Duration(10, Unit.WORKING_DAYS), date(2024, 1, 10))
    assert text == (
        "10 working days after Fri 22 Dec 2023, skipping the bank holidays 25 Dec, 26 Dec and 1 Jan"
    )


def test_explain_due_in_scotland_also_names_2_january():
    # Scotland: 25, 26 Dec, 1 and 2 Jan skipped; due Thu 11 Jan 2024.
    text = explain_due(SCT, date(2023, 12, 22), Duration(10, Unit.WORKING_DAYS), date(2024, 1, 11))
    assert text == (
        "10 working days after Fri 22 Dec 2023, skipping the bank holidays 25 Dec, 26 Dec, "
        "1 Jan and 2 Jan"
    )


def test_explain_due_names_closure_days_after_the_bank_holidays():
    # Closed 27-29 Dec 2023; due Mon 15 Jan 2024 (worked in test_calendar).
    cal = WorkingDayCalendar(
        Nation.ENGLAND_AND_WALES,
        closures=[date(2023, 12, 27), date(2023, 12, 28), date(2023, 12, 29)],
    )
    text = explain_due(cal, date(2023, 12, 22), Duration(10, Unit.WORKING_DAYS), date(2024, 1, 15))
    assert text == (
        "10 working days after Fri 22 Dec 2023, skipping the bank holidays 25 Dec, 26 Dec and "
        "1 Jan and the closure days 27 Dec, 28 Dec and 29 Dec"
    )


def test_explain_due_uses_the_singular_for_one_holiday_and_one_closure():
    # Fri 5 May 2023 + 1 working day: Mon 8 May (Coronation) skipped, Tue 9 May.
    text = explain_due(EW, date(2023, 5, 5), Duration(1, Unit.WORKING_DAYS), date(2023, 5, 9))
    assert text == "1 working day after Fri 5 May 2023, skipping the bank holiday 8 May"
    # Closed Tue 9 Jan 2024; Mon 8 Jan + 1 working day is Wed 10 Jan.
    cal = WorkingDayCalendar(Nation.ENGLAND_AND_WALES, closures=[date(2024, 1, 9)])
    text = explain_due(cal, date(2024, 1, 8), Duration(1, Unit.WORKING_DAYS), date(2024, 1, 10))
    assert text == "1 working day after Mon 8 Jan 2024, skipping the closure day 9 Jan"


def test_explain_due_says_nothing_about_weekends_or_a_holiday_on_day_zero():
    # Fri 5 Jan 2024 + 1 working day: Mon 8 Jan; the weekend is not mentioned.
    text = explain_due(EW, date(2024, 1, 5), Duration(1, Unit.WORKING_DAYS), date(2024, 1, 8))
    assert text == "1 working day after Fri 5 Jan 2024"
    # Day 0 is Christmas Day 2023; only Boxing Day is skipped; due Wed 27 Dec.
    text = explain_due(EW, date(2023, 12, 25), Duration(1, Unit.WORKING_DAYS), date(2023, 12, 27))
    assert text == "1 working day after Mon 25 Dec 2023, skipping the bank holiday 26 Dec"


def test_explain_due_for_calendar_days_and_months_names_no_holidays():
    text = explain_due(EW, date(2023, 12, 22), Duration(10, Unit.CALENDAR_DAYS), date(2024, 1, 1))
    assert text == "10 calendar days after Fri 22 Dec 2023"
    text = explain_due(EW, date(2023, 8, 31), Duration(6, Unit.MONTHS), date(2024, 2, 29))
    assert text == "6 months after Thu 31 Aug 2023"


def test_explain_due_on_a_leap_day():
    # Thu 15 Feb 2024 + 10 working days is Thu 29 Feb; no holidays on the way.
    text = explain_due(EW, date(2024, 2, 15), Duration(10, Unit.WORKING_DAYS), date(2024, 2, 29))
    assert text == "10 working days after Thu 15 Feb 2024"


# ---------------------------------------------------------------------------------------------
# resolve_london: a wall-clock time as a person means it, across the 2026 clock changes
# ---------------------------------------------------------------------------------------------
# 2026: BST begins Sun 29 Mar at 01:00 GMT (clocks go to 02:00); it ends Sun 25 Oct at 02:00 BST
# (clocks go back to 01:00). Each expected instant is worked out from those two facts.


@pytest.mark.parametrize(
    ("day", "clock", "utc", "noted"),
    [
        # An ordinary winter and summer time: London is UTC in January, UTC+1 in July.
        (date(2026, 1, 6), time(14, 30), datetime(2026, 1, 6, 14, 30, tzinfo=UTC), False),
        (date(2026, 7, 6), time(14, 30), datetime(2026, 7, 6, 13, 30, tzinfo=UTC), False),
        # 29 Mar: 00:59 GMT is the last minute before the change; 02:00 BST is 01:00 UTC.
        (date(2026, 3, 29), time(0, 59), datetime(2026, 3, 29, 0, 59, tzinfo=UTC), False),
        (date(2026, 3, 29), time(2, 0), datetime(2026, 3, 29, 1, 0, tzinfo=UTC), False),
        # 01:00 and 01:30 never happen: read as 02:00 and 02:30 BST, i.e. 01:00 and 01:30 UTC.
        (date(2026, 3, 29), time(1, 0), datetime(2026, 3, 29, 1, 0, tzinfo=UTC), True),
        (date(2026, 3, 29), time(1, 30), datetime(2026, 3, 29, 1, 30, tzinfo=UTC), True),
        (date(2026, 3, 29), time(1, 59), datetime(2026, 3, 29, 1, 59, tzinfo=UTC), True),
        # 25 Oct: 00:59 BST is 23:59 UTC the day before; 02:00 is GMT again, 02:00 UTC.
        (date(2026, 10, 25), time(0, 59), datetime(2026, 10, 24, 23, 59, tzinfo=UTC), False),
        (date(2026, 10, 25), time(2, 0), datetime(2026, 10, 25, 2, 0, tzinfo=UTC), False),
        # 01:00 to 01:59 happen twice: the first, in BST, is 00:00 to 00:59 UTC.
        (date(2026, 10, 25), time(1, 0), datetime(2026, 10, 25, 0, 0, tzinfo=UTC), True),
        (date(2026, 10, 25), time(1, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC), True),
    ],
)
def test_resolve_london_reads_a_wall_clock_time_as_a_person_means_it(
    day: date, clock: time, utc: datetime, noted: bool
) -> None:
    read = resolve_london(day, clock)
    assert read.moment == utc
    assert read.moment.utcoffset() is not None
    assert bool(read.note) is noted


def test_resolve_london_says_how_a_time_in_the_spring_gap_was_read() -> None:
    read = resolve_london(date(2026, 3, 29), time(1, 30))
    assert read.note == (
        "01:30 on Sun 29 Mar 2026 did not happen in London: the clocks went forward an hour at "
        "01:00 that night. It was recorded as 02:30 BST, the same time an hour later."
    )
    assert f"{read.moment.astimezone(ZoneInfo('Europe/London')):%H:%M}" == "02:30"


def test_resolve_london_says_which_of_the_two_autumn_times_was_taken() -> None:
    read = resolve_london(date(2026, 10, 25), time(1, 30))
    assert read.note == (
        "01:30 on Sun 25 Oct 2026 happened twice in London: the clocks went back an hour at "
        "02:00 that night. It was recorded as the first 01:30, in BST (00:30 UTC)."
    )
