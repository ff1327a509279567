"""Working days, bank holidays, calendar days and months (BRIEF "Time is exact"; docs/time.md).

Every expected date below was worked out by hand from a printed calendar and the gov.uk
bank-holiday lists (REGULATION.md section 5); the comment beside each says how.
"""

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhear.domain.calendar import (
    Nation,
    WorkingDayCalendar,
    add_calendar_days,
    add_months,
)

EW = Nation.ENGLAND_AND_WALES
SCT = Nation.SCOTLAND
NI = Nation.NORTHERN_IRELAND


def weekday_bank_holidays(nation: Nation, year: int) -> set[date]:
    """The Monday-to-Friday dates of `year` that the calendar treats as bank holidays."""
    cal = WorkingDayCalendar(nation)
    day = date(year, 1, 1)
    found = set()
    while day.year == year:
        if day.weekday() < 5 and cal.bank_holiday(day) is not None:
            found.add(day)
        day += timedelta(days=1)
    return found


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def days(year: int, listed: str) -> set[date]:
    """'1 Jan, 10 Apr' → {date(year, 1, 1), date(year, 4, 10)}."""
    found = set()
    for item in listed.split(","):
        day, month = item.split()
        found.add(date(year, MONTHS.index(month) + 1, int(day)))
    return found


# ---------------------------------------------------------------------------------------------
# Whole years: the weekday bank holidays of each nation, as gov.uk lists them (substitute days
# included; a holiday that falls at a weekend is replaced by its substitute weekday).
# ---------------------------------------------------------------------------------------------

YEARS = {
    # 2020: VE Day Fri 8 May replaced the early-May Monday (4 May); Boxing Day was a Saturday,
    # so Mon 28 Dec is its substitute. Scotland: 2 Jan (Thu), first Monday of August (3 Aug),
    # St Andrew's Day Mon 30 Nov, no Easter Monday. NI: St Patrick's Day Tue 17 Mar; 12 July
    # was a Sunday, so Mon 13 Jul.
    (EW, 2020): days(2020, "1 Jan, 10 Apr, 13 Apr, 8 May, 25 May, 31 Aug, 25 Dec, 28 Dec"),
    (SCT, 2020): days(2020, "1 Jan, 2 Jan, 10 Apr, 8 May, 25 May, 3 Aug, 30 Nov, 25 Dec, 28 Dec"),
    (NI, 2020): days(
        2020, "1 Jan, 17 Mar, 10 Apr, 13 Apr, 8 May, 25 May, 13 Jul, 31 Aug, 25 Dec, 28 Dec"
    ),
    # 2021: Easter 2 and 5 Apr; Christmas Sat and Boxing Day Sun, so Mon 27 and Tue 28 Dec.
    # Scotland: 2 Jan was a Saturday, so Mon 4 Jan; August holiday Mon 2 Aug; 30 Nov a Tuesday.
    (EW, 2021): days(2021, "1 Jan, 2 Apr, 5 Apr, 3 May, 31 May, 30 Aug, 27 Dec, 28 Dec"),
    (SCT, 2021): days(2021, "1 Jan, 4 Jan, 2 Apr, 3 May, 31 May, 2 Aug, 30 Nov, 27 Dec, 28 Dec"),
    (NI, 2021): days(
        2021, "1 Jan, 17 Mar, 2 Apr, 5 Apr, 3 May, 31 May, 12 Jul, 30 Aug, 27 Dec, 28 Dec"
    ),
    # 2022: 1 Jan a Saturday, so Mon 3 Jan (Scotland also Tue 4 Jan for 2 Jan, a Sunday); Easter
    # 15 and 18 Apr; spring holiday moved from Mon 30 May to Thu 2 Jun, Platinum Jubilee Fri 3 Jun;
    # State Funeral Mon 19 Sep; Christmas a Sunday, so Tue 27 Dec is its substitute.
    (EW, 2022): days(
        2022, "3 Jan, 15 Apr, 18 Apr, 2 May, 2 Jun, 3 Jun, 29 Aug, 19 Sep, 26 Dec, 27 Dec"
    ),
    (SCT, 2022): days(
        2022, "3 Jan, 4 Jan, 15 Apr, 2 May, 2 Jun, 3 Jun, 1 Aug, 19 Sep, 30 Nov, 26 Dec, 27 Dec"
    ),
    (NI, 2022): days(
        2022,
        "3 Jan, 17 Mar, 15 Apr, 18 Apr, 2 May, 2 Jun, 3 Jun, 12 Jul, 29 Aug, 19 Sep, "
        "26 Dec, 27 Dec",
    ),
    # 2023: 1 Jan a Sunday, so Mon 2 Jan (Scotland: 2 Jan itself and Tue 3 Jan substitute);
    # Easter 7 and 10 Apr; early May Mon 1 May; Coronation Mon 8 May; Christmas Mon, Boxing Tue.
    (EW, 2023): days(2023, "2 Jan, 7 Apr, 10 Apr, 1 May, 8 May, 29 May, 28 Aug, 25 Dec, 26 Dec"),
    (SCT, 2023): days(
        2023, "2 Jan, 3 Jan, 7 Apr, 1 May, 8 May, 29 May, 7 Aug, 30 Nov, 25 Dec, 26 Dec"
    ),
    (NI, 2023): days(
        2023, "2 Jan, 17 Mar, 7 Apr, 10 Apr, 1 May, 8 May, 29 May, 12 Jul, 28 Aug, 25 Dec, 26 Dec"
    ),
    # 2024: Easter 29 Mar and 1 Apr. Scotland: St Andrew's Day a Saturday, so Mon 2 Dec.
    # NI: St Patrick's Day a Sunday, so Mon 18 Mar; 12 July a Friday.
    (EW, 2024): days(2024, "1 Jan, 29 Mar, 1 Apr, 6 May, 27 May, 26 Aug, 25 Dec, 26 Dec"),
    (SCT, 2024): days(2024, "1 Jan, 2 Jan, 29 Mar, 6 May, 27 May, 5 Aug, 2 Dec, 25 Dec, 26 Dec"),
    (NI, 2024): days(
        2024, "1 Jan, 18 Mar, 29 Mar, 1 Apr, 6 May, 27 May, 12 Jul, 26 Aug, 25 Dec, 26 Dec"
    ),
    # 2025 to 2027: copied from the table in REGULATION.md section 5 (gov.uk feed).
    (EW, 2025): days(2025, "1 Jan, 18 Apr, 21 Apr, 5 May, 26 May, 25 Aug, 25 Dec, 26 Dec"),
    (SCT, 2025): days(2025, "1 Jan, 2 Jan, 18 Apr, 5 May, 26 May, 4 Aug, 1 Dec, 25 Dec, 26 Dec"),
    (NI, 2025): days(
        2025, "1 Jan, 17 Mar, 18 Apr, 21 Apr, 5 May, 26 May, 14 Jul, 25 Aug, 25 Dec, 26 Dec"
    ),
    (EW, 2026): days(2026, "1 Jan, 3 Apr, 6 Apr, 4 May, 25 May, 31 Aug, 25 Dec, 28 Dec"),
    # Scotland 2026 also has Mon 15 Jun, the World Cup bank holiday appointed by Royal
    # Proclamation on 3 Feb 2026 (after the REGULATION.md copy of the feed was taken).
    (SCT, 2026): days(
        2026, "1 Jan, 2 Jan, 3 Apr, 4 May, 25 May, 15 Jun, 3 Aug, 30 Nov, 25 Dec, 28 Dec"
    ),
    (NI, 2026): days(
        2026, "1 Jan, 17 Mar, 3 Apr, 6 Apr, 4 May, 25 May, 13 Jul, 31 Aug, 25 Dec, 28 Dec"
    ),
    (EW, 2027): days(2027, "1 Jan, 26 Mar, 29 Mar, 3 May, 31 May, 30 Aug, 27 Dec, 28 Dec"),
    (SCT, 2027): days(2027, "1 Jan, 4 Jan, 26 Mar, 3 May, 31 May, 2 Aug, 30 Nov, 27 Dec, 28 Dec"),
    (NI, 2027): days(
        2027, "1 Jan, 17 Mar, 26 Mar, 29 Mar, 3 May, 31 May, 12 Jul, 30 Aug, 27 Dec, 28 Dec"
    ),
}


@pytest.mark.parametrize(("nation", "year"), sorted(YEARS, key=lambda k: (k[1], k[0].value)))
def test_weekday_bank_holidays_of_each_nation_and_year_match_the_gov_uk_list(nation, year):
    assert weekday_bank_holidays(nation, year) == YEARS[(nation, year)]


def test_plain_gb_is_not_used_so_england_keeps_easter_monday_and_the_august_holiday():
    # Mon 1 Apr 2024 is Easter Monday and Mon 26 Aug 2024 the summer holiday in England.
    cal = WorkingDayCalendar(EW)
    assert not cal.is_working_day(date(2024, 4, 1))
    assert not cal.is_working_day(date(2024, 8, 26))


# ---------------------------------------------------------------------------------------------
# Christmas and New Year, with substitute days
# ---------------------------------------------------------------------------------------------


def test_christmas_2020_boxing_day_on_saturday_is_replaced_by_monday_28_december():
    cal = WorkingDayCalendar(EW)
    # Thu 24 Dec 2020 is day 0; Fri 25 Christmas, Sat 26, Sun 27, Mon 28 substitute: Tue 29 Dec.
    assert cal.add_working_days(date(2020, 12, 24), 1) == date(2020, 12, 29)
    # Tue 29 (1), Wed 30 (2), Thu 31 (3), Fri 1 Jan holiday, weekend, Mon 4 Jan 2021 (4).
    assert cal.add_working_days(date(2020, 12, 24), 4) == date(2021, 1, 4)


def test_new_year_2021_in_scotland_adds_monday_4_january_for_2_january_on_a_saturday():
    cal = WorkingDayCalendar(SCT)
    # As in England, but Mon 4 Jan 2021 is the substitute for 2 Jan: day 4 is Tue 5 Jan.
    assert cal.add_working_days(date(2020, 12, 24), 4) == date(2021, 1, 5)


def test_christmas_2021_on_a_weekend_gives_27_and_28_december_and_3_january_2022():
    cal = WorkingDayCalendar(EW)
    # Fri 24 Dec 2021 is day 0; Sat 25, Sun 26, Mon 27 and Tue 28 substitutes: Wed 29 Dec (1).
    assert cal.add_working_days(date(2021, 12, 24), 1) == date(2021, 12, 29)
    # Wed 29 (1), Thu 30 (2), Fri 31 (3).
    assert cal.add_working_days(date(2021, 12, 24), 3) == date(2021, 12, 31)
    # Sat 1 Jan, Sun 2 Jan, Mon 3 Jan substitute for New Year's Day: Tue 4 Jan 2022 (4).
    assert cal.add_working_days(date(2021, 12, 24), 4) == date(2022, 1, 4)


def test_new_year_2022_in_scotland_skips_3_and_4_january():
    # 1 Jan (Sat) and 2 Jan (Sun) 2022 are replaced by Mon 3 and Tue 4 Jan: day 4 is Wed 5 Jan.
    assert WorkingDayCalendar(SCT).add_working_days(date(2021, 12, 24), 4) == date(2022, 1, 5)


def test_new_year_2022_in_northern_ireland_is_as_in_england():
    # NI has no 2 January holiday: Mon 3 Jan substitute only, so day 4 is Tue 4 Jan 2022.
    assert WorkingDayCalendar(NI).add_working_days(date(2021, 12, 24), 4) == date(2022, 1, 4)


def test_christmas_2022_on_a_sunday_gives_tuesday_27_december_and_2_january_2023():
    cal = WorkingDayCalendar(EW)
    # Fri 23 Dec 2022 is day 0; Sat 24, Sun 25, Mon 26 Boxing Day, Tue 27 substitute: Wed 28 (1).
    assert cal.add_working_days(date(2022, 12, 23), 1) == date(2022, 12, 28)
    # Wed 28 (1), Thu 29 (2), Fri 30 (3), weekend, Mon 2 Jan 2023 substitute: Tue 3 Jan (4).
    assert cal.add_working_days(date(2022, 12, 23), 4) == date(2023, 1, 3)
    assert not cal.is_working_day(date(2022, 12, 27))
    assert not cal.is_working_day(date(2023, 1, 2))


def test_new_year_2023_in_scotland_skips_2_and_3_january():
    # 1 Jan 2023 a Sunday: Mon 2 Jan and Tue 3 Jan are holidays; day 4 is Wed 4 Jan.
    assert WorkingDayCalendar(SCT).add_working_days(date(2022, 12, 23), 4) == date(2023, 1, 4)


def test_christmas_2023_ten_working_days_from_friday_22_december():
    # Fri 22 Dec 2023 is day 0; 25, 26 Dec and 1 Jan are bank holidays.
    # Wed 27 (1), Thu 28 (2), Fri 29 (3), Tue 2 Jan (4), Wed 3 (5), Thu 4 (6), Fri 5 (7),
    # Mon 8 (8), Tue 9 (9), Wed 10 Jan 2024 (10).
    assert WorkingDayCalendar(EW).add_working_days(date(2023, 12, 22), 10) == date(2024, 1, 10)


def test_christmas_2023_in_scotland_also_skips_2_january():
    # As above, and Tue 2 Jan 2024 is a holiday in Scotland: one day later, Thu 11 Jan.
    assert WorkingDayCalendar(SCT).add_working_days(date(2023, 12, 22), 10) == date(2024, 1, 11)


def test_christmas_2026_boxing_day_on_saturday_is_replaced_by_monday_28_december():
    cal = WorkingDayCalendar(EW)
    # Thu 24 Dec 2026 is day 0; Fri 25 Christmas, weekend, Mon 28 substitute: Tue 29 Dec (1).
    assert cal.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    # Tue 29 (1), Wed 30 (2), Thu 31 (3), Fri 1 Jan 2027 holiday, weekend, Mon 4 Jan (4).
    assert cal.add_working_days(date(2026, 12, 24), 4) == date(2027, 1, 4)


def test_new_year_2027_in_scotland_adds_monday_4_january_for_2_january_on_a_saturday():
    # Mon 4 Jan 2027 is the substitute for 2 Jan in Scotland: day 4 is Tue 5 Jan.
    assert WorkingDayCalendar(SCT).add_working_days(date(2026, 12, 24), 4) == date(2027, 1, 5)


def test_christmas_2027_on_a_weekend_gives_27_and_28_december():
    cal = WorkingDayCalendar(EW)
    # Fri 24 Dec 2027 is day 0; Sat 25, Sun 26, Mon 27 and Tue 28 substitutes: Wed 29 Dec (1).
    assert cal.add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 29)
    # Wed 29 (1), Thu 30 (2), Fri 31 (3), Sat 1 Jan 2028, Sun 2, Mon 3 Jan substitute: Tue 4 (4).
    assert cal.add_working_days(date(2027, 12, 24), 4) == date(2028, 1, 4)


def test_new_year_2028_in_scotland_skips_3_and_4_january():
    # 1 Jan (Sat) and 2 Jan (Sun) 2028 are replaced by Mon 3 and Tue 4 Jan: day 4 is Wed 5 Jan.
    assert WorkingDayCalendar(SCT).add_working_days(date(2027, 12, 24), 4) == date(2028, 1, 5)


@pytest.mark.parametrize("nation", list(Nation))
@pytest.mark.parametrize(
    "day",
    [
        date(2020, 12, 28),  # substitute for Boxing Day (Sat 26 Dec 2020)
        date(2021, 12, 27),  # substitute for Christmas Day (Sat 25 Dec 2021)
        date(2021, 12, 28),  # substitute for Boxing Day (Sun 26 Dec 2021)
        date(2022, 1, 3),  # substitute for New Year's Day (Sat 1 Jan 2022)
        date(2022, 12, 27),  # substitute for Christmas Day (Sun 25 Dec 2022)
        date(2023, 1, 2),  # substitute for New Year's Day (Sun 1 Jan 2023)
        date(2026, 12, 28),  # substitute for Boxing Day (Sat 26 Dec 2026)
        date(2027, 12, 27),  # substitute for Christmas Day (Sat 25 Dec 2027)
        date(2027, 12, 28),  # substitute for Boxing Day (Sun 26 Dec 2027)
    ],
)
def test_christmas_and_new_year_substitute_days_are_not_working_days(nation, day):
    assert not WorkingDayCalendar(nation).is_working_day(day)


# ---------------------------------------------------------------------------------------------
# Scotland and Northern Ireland where they differ
# ---------------------------------------------------------------------------------------------


def test_2_january_is_a_holiday_in_scotland_only():
    # Fri 2 Jan 2026: Scotland's 2nd January; an ordinary Friday elsewhere.
    assert not WorkingDayCalendar(SCT).is_working_day(date(2026, 1, 2))
    assert WorkingDayCalendar(EW).is_working_day(date(2026, 1, 2))
    assert WorkingDayCalendar(NI).is_working_day(date(2026, 1, 2))


def test_4_january_2027_is_a_substitute_day_in_scotland_only():
    # Sat 2 Jan 2027 is replaced by Mon 4 Jan in Scotland.
    assert not WorkingDayCalendar(SCT).is_working_day(date(2027, 1, 4))
    assert WorkingDayCalendar(EW).is_working_day(date(2027, 1, 4))


def test_st_patricks_day_stops_the_clock_in_northern_ireland_only():
    # Mon 16 Mar 2026 is day 0; Tue 17 Mar is St Patrick's Day in NI: Wed 18 Mar there.
    assert WorkingDayCalendar(NI).add_working_days(date(2026, 3, 16), 1) == date(2026, 3, 18)
    assert WorkingDayCalendar(EW).add_working_days(date(2026, 3, 16), 1) == date(2026, 3, 17)
    # Wed 17 Mar 2027.
    assert not WorkingDayCalendar(NI).is_working_day(date(2027, 3, 17))
    assert WorkingDayCalendar(SCT).is_working_day(date(2027, 3, 17))


def test_st_patricks_day_on_a_sunday_moves_to_monday_in_northern_ireland():
    # Sun 17 Mar 2024, so Mon 18 Mar 2024 is the substitute day.
    assert not WorkingDayCalendar(NI).is_working_day(date(2024, 3, 18))
    assert WorkingDayCalendar(EW).is_working_day(date(2024, 3, 18))


def test_twelfth_of_july_on_a_sunday_moves_to_monday_13_july_in_northern_ireland():
    # Fri 10 Jul 2026 is day 0; 12 July is a Sunday, so Mon 13 Jul is the NI holiday: Tue 14 Jul.
    assert WorkingDayCalendar(NI).add_working_days(date(2026, 7, 10), 1) == date(2026, 7, 14)
    assert WorkingDayCalendar(EW).add_working_days(date(2026, 7, 10), 1) == date(2026, 7, 13)


def test_twelfth_of_july_on_a_monday_is_a_holiday_in_northern_ireland():
    # Fri 9 Jul 2027 is day 0; Mon 12 Jul 2027 is the NI holiday: Tue 13 Jul there.
    assert WorkingDayCalendar(NI).add_working_days(date(2027, 7, 9), 1) == date(2027, 7, 13)
    assert WorkingDayCalendar(EW).add_working_days(date(2027, 7, 9), 1) == date(2027, 7, 12)


def test_scotland_has_its_summer_holiday_on_the_first_monday_of_august():
    # 2026: Mon 3 Aug in Scotland; Mon 31 Aug in England, Wales and NI.
    assert not WorkingDayCalendar(SCT).is_working_day(date(2026, 8, 3))
    assert WorkingDayCalendar(SCT).is_working_day(date(2026, 8, 31))
    assert WorkingDayCalendar(EW).is_working_day(date(2026, 8, 3))
    assert not WorkingDayCalendar(EW).is_working_day(date(2026, 8, 31))


def test_world_cup_monday_15_june_2026_is_a_holiday_in_scotland_only():
    # Royal Proclamation of 3 Feb 2026. Fri 12 Jun 2026 is day 0; weekend, Mon 15 Jun holiday in
    # Scotland: Tue 16 Jun there, Mon 15 Jun elsewhere.
    assert WorkingDayCalendar(SCT).add_working_days(date(2026, 6, 12), 1) == date(2026, 6, 16)
    assert WorkingDayCalendar(EW).add_working_days(date(2026, 6, 12), 1) == date(2026, 6, 15)
    assert WorkingDayCalendar(NI).is_working_day(date(2026, 6, 15))


def test_st_andrews_day_on_a_sunday_moves_to_monday_in_scotland():
    # Sun 30 Nov 2025, so Mon 1 Dec 2025 (REGULATION.md table, "1 Dec s").
    assert not WorkingDayCalendar(SCT).is_working_day(date(2025, 12, 1))
    assert WorkingDayCalendar(EW).is_working_day(date(2025, 12, 1))


# ---------------------------------------------------------------------------------------------
# Easter
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("good_friday", "easter_monday"),
    [
        (date(2020, 4, 10), date(2020, 4, 13)),
        (date(2021, 4, 2), date(2021, 4, 5)),
        (date(2022, 4, 15), date(2022, 4, 18)),
        (date(2023, 4, 7), date(2023, 4, 10)),
        (date(2024, 3, 29), date(2024, 4, 1)),
        (date(2026, 4, 3), date(2026, 4, 6)),
        (date(2027, 3, 26), date(2027, 3, 29)),
    ],
)
def test_good_friday_everywhere_and_easter_monday_except_in_scotland(good_friday, easter_monday):
    for nation in Nation:
        assert not WorkingDayCalendar(nation).is_working_day(good_friday)
    assert not WorkingDayCalendar(EW).is_working_day(easter_monday)
    assert not WorkingDayCalendar(NI).is_working_day(easter_monday)
    assert WorkingDayCalendar(SCT).is_working_day(easter_monday)


def test_easter_2026_one_working_day_from_maundy_thursday():
    # Thu 2 Apr 2026 is day 0; Fri 3 Apr Good Friday, weekend, Mon 6 Apr Easter Monday.
    assert WorkingDayCalendar(EW).add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert WorkingDayCalendar(NI).add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    # Scotland works on Easter Monday.
    assert WorkingDayCalendar(SCT).add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 6)


# ---------------------------------------------------------------------------------------------
# Early May, spring and one-off holidays
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nation", list(Nation))
def test_2020_early_may_holiday_moved_to_ve_day_friday_8_may(nation):
    cal = WorkingDayCalendar(nation)
    # Mon 4 May 2020 was a working day; Fri 8 May (VE Day) was the holiday.
    assert cal.is_working_day(date(2020, 5, 4))
    assert not cal.is_working_day(date(2020, 5, 8))
    # Fri 1 May is day 0: Mon 4 May (1). Thu 7 May is day 0: Fri 8 holiday, weekend, Mon 11 (1).
    assert cal.add_working_days(date(2020, 5, 1), 1) == date(2020, 5, 4)
    assert cal.add_working_days(date(2020, 5, 7), 1) == date(2020, 5, 11)


@pytest.mark.parametrize("nation", list(Nation))
def test_2022_spring_holiday_moved_to_2_june_with_the_platinum_jubilee_on_3_june(nation):
    cal = WorkingDayCalendar(nation)
    # Mon 30 May 2022 (the usual last Monday of May) was a working day.
    assert cal.is_working_day(date(2022, 5, 30))
    # Fri 27 May is day 0: Mon 30 May (1).
    assert cal.add_working_days(date(2022, 5, 27), 1) == date(2022, 5, 30)
    # Wed 1 Jun is day 0: Thu 2 and Fri 3 Jun holidays, weekend, Mon 6 Jun (1).
    assert cal.add_working_days(date(2022, 6, 1), 1) == date(2022, 6, 6)


@pytest.mark.parametrize("nation", list(Nation))
def test_state_funeral_monday_19_september_2022_was_a_bank_holiday(nation):
    # Fri 16 Sep 2022 is day 0; weekend, Mon 19 Sep holiday: Tue 20 Sep (1).
    cal = WorkingDayCalendar(nation)
    assert cal.add_working_days(date(2022, 9, 16), 1) == date(2022, 9, 20)


@pytest.mark.parametrize("nation", list(Nation))
def test_coronation_monday_8_may_2023_was_an_extra_bank_holiday(nation):
    cal = WorkingDayCalendar(nation)
    # Fri 5 May 2023 is day 0; weekend, Mon 8 May Coronation: Tue 9 May (1).
    assert cal.add_working_days(date(2023, 5, 5), 1) == date(2023, 5, 9)
    # Fri 28 Apr is day 0; Mon 1 May early May holiday: Tue 2 (1), Wed 3 (2), Thu 4 (3),
    # Fri 5 (4), Mon 8 Coronation, Tue 9 May (5).
    assert cal.add_working_days(date(2023, 4, 28), 5) == date(2023, 5, 9)


# ---------------------------------------------------------------------------------------------
# add_working_days: the day-0 rule
# ---------------------------------------------------------------------------------------------


def test_received_on_a_friday_one_working_day_is_the_monday():
    # Fri 5 Jan 2024 is day 0; Mon 8 Jan (1).
    assert WorkingDayCalendar(EW).add_working_days(date(2024, 1, 5), 1) == date(2024, 1, 8)


def test_received_on_a_saturday_one_working_day_is_the_monday():
    # Sat 6 Jan 2024 is day 0 even though it is not a working day; Mon 8 Jan (1).
    assert WorkingDayCalendar(EW).add_working_days(date(2024, 1, 6), 1) == date(2024, 1, 8)


def test_received_on_a_sunday_one_working_day_is_the_monday():
    # Sun 7 Jan 2024 is day 0; Mon 8 Jan (1).
    assert WorkingDayCalendar(EW).add_working_days(date(2024, 1, 7), 1) == date(2024, 1, 8)


def test_received_on_a_bank_holiday_that_day_is_day_zero():
    # Mon 25 Dec 2023 is day 0; Tue 26 Boxing Day: Wed 27 Dec (1).
    assert WorkingDayCalendar(EW).add_working_days(date(2023, 12, 25), 1) == date(2023, 12, 27)
    # Good Friday 29 Mar 2024 is day 0; weekend, Easter Monday 1 Apr: Tue 2 Apr (1) in England,
    # Mon 1 Apr (1) in Scotland.
    assert WorkingDayCalendar(EW).add_working_days(date(2024, 3, 29), 1) == date(2024, 4, 2)
    assert WorkingDayCalendar(SCT).add_working_days(date(2024, 3, 29), 1) == date(2024, 4, 1)


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 1, 8),  # a Monday
        date(2024, 1, 6),  # a Saturday
        date(2023, 12, 25),  # Christmas Day
    ],
)
def test_zero_working_days_is_the_same_date_whatever_kind_of_day(day):
    assert WorkingDayCalendar(EW).add_working_days(day, 0) == day


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError, match="negative"):
        WorkingDayCalendar(EW).add_working_days(date(2024, 1, 8), -1)


def test_ten_working_days_in_an_ordinary_fortnight():
    # Mon 8 Jan 2024 is day 0; no holidays: Mon 22 Jan (10), two weeks later.
    assert WorkingDayCalendar(EW).add_working_days(date(2024, 1, 8), 10) == date(2024, 1, 22)


# ---------------------------------------------------------------------------------------------
# working_days_between, is_working_day, next_working_day
# ---------------------------------------------------------------------------------------------


def test_working_days_between_counts_after_the_start_up_to_and_including_the_end():
    cal = WorkingDayCalendar(EW)
    # Fri 22 Dec 2023 to Wed 10 Jan 2024: the 10 days counted in the Christmas example.
    assert cal.working_days_between(date(2023, 12, 22), date(2024, 1, 10)) == 10
    # Fri 5 Jan to Mon 8 Jan 2024: Monday only.
    assert cal.working_days_between(date(2024, 1, 5), date(2024, 1, 8)) == 1
    # Sat 6 Jan to Sun 7 Jan 2024: none.
    assert cal.working_days_between(date(2024, 1, 6), date(2024, 1, 7)) == 0


def test_working_days_between_is_zero_when_the_end_is_not_after_the_start():
    cal = WorkingDayCalendar(EW)
    assert cal.working_days_between(date(2024, 1, 8), date(2024, 1, 8)) == 0
    assert cal.working_days_between(date(2024, 1, 10), date(2024, 1, 8)) == 0


def test_is_working_day_for_weekdays_weekends_and_holidays():
    cal = WorkingDayCalendar(EW)
    assert cal.is_working_day(date(2024, 1, 8))  # Mon 8 Jan 2024
    assert not cal.is_working_day(date(2024, 1, 6))  # Saturday
    assert not cal.is_working_day(date(2024, 1, 7))  # Sunday
    assert not cal.is_working_day(date(2024, 1, 1))  # New Year's Day, a Monday


def test_next_working_day_is_strictly_after_the_day():
    cal = WorkingDayCalendar(EW)
    # Mon 8 Jan 2024 (a working day) → Tue 9 Jan.
    assert cal.next_working_day(date(2024, 1, 8)) == date(2024, 1, 9)
    # Fri 22 Dec 2023 → weekend, 25 and 26 Dec holidays → Wed 27 Dec.
    assert cal.next_working_day(date(2023, 12, 22)) == date(2023, 12, 27)
    # Mon 1 Jan 2024 → Tue 2 Jan in England, Wed 3 Jan in Scotland (2 Jan holiday).
    assert cal.next_working_day(date(2024, 1, 1)) == date(2024, 1, 2)
    assert WorkingDayCalendar(SCT).next_working_day(date(2024, 1, 1)) == date(2024, 1, 3)


def test_non_working_reason_names_the_day_the_holiday_or_the_closure():
    cal = WorkingDayCalendar(EW, closures=[date(2024, 1, 9)])
    assert cal.non_working_reason(date(2024, 1, 6)) == "Saturday"
    assert cal.non_working_reason(date(2024, 1, 7)) == "Sunday"
    reason = cal.non_working_reason(date(2023, 12, 25))
    assert reason is not None
    assert reason.startswith("bank holiday (")
    assert "Christmas" in reason
    assert cal.non_working_reason(date(2024, 1, 9)) == "organisation closure day"
    assert cal.non_working_reason(date(2024, 1, 8)) is None


def test_bank_holiday_gives_the_name_or_none():
    cal = WorkingDayCalendar(EW)
    assert "Boxing" in (cal.bank_holiday(date(2023, 12, 26)) or "")
    assert cal.bank_holiday(date(2023, 12, 27)) is None


def test_nation_labels_and_values():
    assert Nation("scotland") is SCT
    assert EW.label == "England and Wales"
    assert NI.label == "Northern Ireland"


def test_a_weekend_of_all_seven_days_is_refused():
    with pytest.raises(ValueError, match="at least one working day"):
        WorkingDayCalendar(EW, weekend=range(7))


# ---------------------------------------------------------------------------------------------
# Organisation closure days and skipped_days
# ---------------------------------------------------------------------------------------------


def test_a_closure_day_is_skipped():
    # Closed Tue 9 Jan 2024. Mon 8 Jan is day 0: Wed 10 Jan (1).
    cal = WorkingDayCalendar(EW, closures=[date(2024, 1, 9)])
    assert not cal.is_working_day(date(2024, 1, 9))
    assert cal.add_working_days(date(2024, 1, 8), 1) == date(2024, 1, 10)


def test_closures_between_christmas_and_new_year_push_the_christmas_2023_example_later():
    # Closed Wed 27, Thu 28 and Fri 29 Dec 2023. Fri 22 Dec is day 0; 25, 26 Dec holidays,
    # 27-29 closed, weekend, 1 Jan holiday: Tue 2 (1), Wed 3 (2), Thu 4 (3), Fri 5 (4),
    # Mon 8 (5), Tue 9 (6), Wed 10 (7), Thu 11 (8), Fri 12 (9), Mon 15 Jan 2024 (10).
    closures = [date(2023, 12, 27), date(2023, 12, 28), date(2023, 12, 29)]
    cal = WorkingDayCalendar(EW, closures=closures)
    assert cal.add_working_days(date(2023, 12, 22), 10) == date(2024, 1, 15)


def test_a_closure_on_a_weekend_or_bank_holiday_changes_nothing():
    # Sat 23 Dec and Mon 25 Dec 2023 are not working days anyway: still Wed 10 Jan 2024.
    cal = WorkingDayCalendar(EW, closures=[date(2023, 12, 23), date(2023, 12, 25)])
    assert cal.add_working_days(date(2023, 12, 22), 10) == date(2024, 1, 10)
    # The bank holiday keeps its own reason.
    assert (cal.non_working_reason(date(2023, 12, 25)) or "").startswith("bank holiday")


def test_a_closure_on_day_zero_changes_nothing():
    # Closed Fri 5 Jan 2024, which is day 0: Mon 8 Jan (1) still.
    cal = WorkingDayCalendar(EW, closures=[date(2024, 1, 5)])
    assert cal.add_working_days(date(2024, 1, 5), 1) == date(2024, 1, 8)


def test_skipped_days_lists_the_weekday_holidays_and_closures_but_not_weekends():
    cal = WorkingDayCalendar(EW, closures=[date(2023, 12, 27)])
    skipped = cal.skipped_days(date(2023, 12, 22), date(2024, 1, 11))
    assert [d for d, _ in skipped] == [
        date(2023, 12, 25),
        date(2023, 12, 26),
        date(2023, 12, 27),
        date(2024, 1, 1),
    ]
    reasons = [r for _, r in skipped]
    assert reasons[0].startswith("bank holiday")
    assert reasons[1].startswith("bank holiday")
    assert reasons[2] == "organisation closure day"
    assert reasons[3].startswith("bank holiday")


def test_skipped_days_excludes_the_start_and_includes_the_end():
    cal = WorkingDayCalendar(EW)
    # From Mon 25 Dec 2023 (day 0, not listed) up to Tue 26 Dec (listed).
    assert [d for d, _ in cal.skipped_days(date(2023, 12, 25), date(2023, 12, 26))] == [
        date(2023, 12, 26)
    ]
    assert cal.skipped_days(date(2024, 1, 8), date(2024, 1, 8)) == []


# ---------------------------------------------------------------------------------------------
# 29 February
# ---------------------------------------------------------------------------------------------


def test_leap_day_as_day_zero():
    # Thu 29 Feb 2024 is day 0: Fri 1 Mar (1).
    assert WorkingDayCalendar(EW).add_working_days(date(2024, 2, 29), 1) == date(2024, 3, 1)
    # Tue 29 Feb 2028 is day 0: Wed 1 Mar 2028 (1).
    assert WorkingDayCalendar(EW).add_working_days(date(2028, 2, 29), 1) == date(2028, 3, 1)


def test_leap_day_as_a_due_date():
    # Thu 15 Feb 2024 is day 0: Fri 16 (1), Mon 19 (2) ... Fri 23 (6), Mon 26 (7), Tue 27 (8),
    # Wed 28 (9), Thu 29 Feb (10).
    assert WorkingDayCalendar(EW).add_working_days(date(2024, 2, 15), 10) == date(2024, 2, 29)
    # 19 Feb 2024 plus 10 calendar days: 29 Feb.
    assert add_calendar_days(date(2024, 2, 19), 10) == date(2024, 2, 29)
    # 29 Jan 2024 plus 1 month: 29 Feb.
    assert add_months(date(2024, 1, 29), 1) == date(2024, 2, 29)


def test_leap_day_plus_calendar_days():
    # 29 Feb 2024 plus 1 day is 1 Mar; plus 365 days is 28 Feb 2025 (2025 is not a leap year).
    assert add_calendar_days(date(2024, 2, 29), 1) == date(2024, 3, 1)
    assert add_calendar_days(date(2024, 2, 29), 365) == date(2025, 2, 28)


# ---------------------------------------------------------------------------------------------
# Calendar days
# ---------------------------------------------------------------------------------------------


def test_calendar_days_count_every_day():
    # Fri 22 Dec 2023 plus 10 days is Mon 1 Jan 2024, even though that is a bank holiday.
    assert add_calendar_days(date(2023, 12, 22), 10) == date(2024, 1, 1)
    # 28 Feb 2023 plus 1 is 1 Mar (not a leap year); 28 Feb 2024 plus 1 is 29 Feb.
    assert add_calendar_days(date(2023, 2, 28), 1) == date(2023, 3, 1)
    assert add_calendar_days(date(2024, 2, 28), 1) == date(2024, 2, 29)
    # Zero days is the same date.
    assert add_calendar_days(date(2024, 1, 6), 0) == date(2024, 1, 6)
    # 28 days from 4 Mar 2024 is 1 Apr 2024 (4 + 28 = 32 March = 1 April).
    assert add_calendar_days(date(2024, 3, 4), 28) == date(2024, 4, 1)


# ---------------------------------------------------------------------------------------------
# Months, clamped to the end of the month
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # February 2024 has 29 days
        (date(2023, 1, 31), 1, date(2023, 2, 28)),  # February 2023 has 28 days
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # Aug + 6 = Feb 2024, clamped to the 29th
        (date(2024, 8, 31), 6, date(2025, 2, 28)),  # Aug + 6 = Feb 2025, clamped to the 28th
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # no 29 Feb in 2025
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # 2028 is a leap year
        (date(2024, 2, 29), 1, date(2024, 3, 29)),  # the day is kept when the month has it
        (date(2024, 1, 31), 2, date(2024, 3, 31)),  # Jan + 2 = Mar 31, not clamped via Feb
        (date(2023, 10, 31), 1, date(2023, 11, 30)),  # November has 30 days
        (date(2024, 3, 31), 6, date(2024, 9, 30)),  # September has 30 days
        (date(2023, 12, 31), 2, date(2024, 2, 29)),  # across the year end, clamped
        (date(2023, 11, 15), 2, date(2024, 1, 15)),  # across the year end
        (date(2024, 1, 15), 12, date(2025, 1, 15)),  # a whole year
        (date(2024, 3, 15), 6, date(2024, 9, 15)),
        (date(2024, 5, 31), 0, date(2024, 5, 31)),  # zero months is the same date
    ],
)
def test_add_months_counts_calendar_months_and_clamps_to_the_month_end(start, n, expected):
    assert add_months(start, n) == expected


def test_exactly_n_months_after_the_incident_is_in_time():
    # A 6-month limit from an incident on 31 Aug 2023 ends on 29 Feb 2024 (clamped):
    # received 29 Feb 2024 is in time, 1 Mar 2024 is out of time.
    last_day = add_months(date(2023, 8, 31), 6)
    assert date(2024, 2, 29) <= last_day
    assert date(2024, 3, 1) > last_day
    # A 12-month limit from 15 Jan 2024: 15 Jan 2025 is in time, 16 Jan 2025 is not.
    last_day = add_months(date(2024, 1, 15), 12)
    assert date(2025, 1, 15) <= last_day
    assert date(2025, 1, 16) > last_day


def test_every_six_months_review_dates_clamp_the_same_way():
    # Restriction applied 31 Aug 2023: review 29 Feb 2024; reviewed then, next 29 Aug 2024.
    first = add_months(date(2023, 8, 31), 6)
    assert first == date(2024, 2, 29)
    assert add_months(first, 6) == date(2024, 8, 29)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

FIRST = date(2019, 1, 1)
LAST = date(2028, 12, 31)
any_day = st.dates(min_value=FIRST, max_value=LAST)
small_n = st.integers(min_value=0, max_value=60)


@st.composite
def calendars(draw: st.DrawFn) -> WorkingDayCalendar:
    """A calendar for any nation, with up to 15 closure days somewhere in 2019-2029."""
    nation = draw(st.sampled_from(list(Nation)))
    closures = draw(st.lists(st.dates(min_value=FIRST, max_value=date(2029, 3, 31)), max_size=15))
    return WorkingDayCalendar(nation, closures=closures)


@st.composite
def calendars_with_nearby_closures(draw: st.DrawFn) -> tuple[WorkingDayCalendar, date]:
    """A start date and a calendar whose closure days fall in the 100 days after it."""
    start = draw(any_day)
    nation = draw(st.sampled_from(list(Nation)))
    offsets = draw(st.lists(st.integers(min_value=0, max_value=100), max_size=20))
    closures = [start + timedelta(days=k) for k in offsets]
    return WorkingDayCalendar(nation, closures=closures), start


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)


@PROPERTY_SETTINGS
@given(calendars_with_nearby_closures(), st.integers(min_value=1, max_value=60))
def test_property_a_working_day_result_is_a_working_day(cal_start, n):
    cal, start = cal_start
    due = cal.add_working_days(start, n)
    assert cal.is_working_day(due)
    assert due > start


@PROPERTY_SETTINGS
@given(calendars_with_nearby_closures(), small_n, small_n)
def test_property_more_working_days_never_give_an_earlier_date(cal_start, n, extra):
    cal, start = cal_start
    assert cal.add_working_days(start, n) <= cal.add_working_days(start, n + extra)
    assert cal.add_working_days(start, n) >= start


@PROPERTY_SETTINGS
@given(calendars(), any_day, any_day, small_n)
def test_property_a_later_start_never_gives_an_earlier_due_date(cal, a, b, n):
    early, late = sorted((a, b))
    assert cal.add_working_days(early, n) <= cal.add_working_days(late, n)


@PROPERTY_SETTINGS
@given(calendars_with_nearby_closures(), small_n)
def test_property_working_days_between_undoes_add_working_days(cal_start, n):
    cal, start = cal_start
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@PROPERTY_SETTINGS
@given(calendars_with_nearby_closures(), st.integers(min_value=0, max_value=90))
def test_property_every_day_in_a_span_is_working_skipped_or_weekend(cal_start, span):
    cal, start = cal_start
    end = start + timedelta(days=span)
    skipped = cal.skipped_days(start, end)
    weekend = sum(1 for k in range(1, span + 1) if (start + timedelta(days=k)).weekday() >= 5)
    assert cal.working_days_between(start, end) + len(skipped) + weekend == span
    assert all(not cal.is_working_day(d) and d.weekday() < 5 for d, _ in skipped)


@PROPERTY_SETTINGS
@given(calendars_with_nearby_closures())
def test_property_next_working_day_is_one_working_day_later(cal_start):
    cal, start = cal_start
    nxt = cal.next_working_day(start)
    assert nxt == cal.add_working_days(start, 1)
    assert cal.working_days_between(start, nxt - timedelta(days=1)) == 0


@PROPERTY_SETTINGS
@given(any_day, small_n, small_n)
def test_property_add_calendar_days_never_goes_backwards(start, n, extra):
    assert add_calendar_days(start, n) >= start
    assert add_calendar_days(start, n) <= add_calendar_days(start, n + extra)
    assert (add_calendar_days(start, n) - start).days == n


@PROPERTY_SETTINGS
@given(any_day, small_n, small_n)
def test_property_add_months_never_goes_backwards(start, n, extra):
    result = add_months(start, n)
    assert result >= start
    assert result <= add_months(start, n + extra)
    # The month moves by exactly n; the day is kept or clamped to a shorter month's end.
    assert (result.year - start.year) * 12 + result.month - start.month == n
    assert result.day <= start.day
    if result.day < start.day:
        assert (result + timedelta(days=1)).day == 1


@PROPERTY_SETTINGS
@given(any_day, any_day, small_n)
def test_property_a_later_start_never_gives_an_earlier_month_date(a, b, n):
    early, late = sorted((a, b))
    assert add_months(early, n) <= add_months(late, n)


# ---------------------------------------------------------------------------------------------
# The index gives the same answers as walking day by day
# ---------------------------------------------------------------------------------------------
# The calendar counts and offsets working days from a precomputed index. The functions below are
# the plain day-by-day walk it replaced, built only on the definition (a weekday, not a bank
# holiday, not a closure day), so the index is checked against the definition itself.


def walk_is_working_day(cal: WorkingDayCalendar, day: date) -> bool:
    return (
        day.weekday() not in cal.weekend
        and cal.bank_holiday(day) is None
        and day not in cal.closures
    )


def walk_add_working_days(cal: WorkingDayCalendar, start: date, n: int) -> date:
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if walk_is_working_day(cal, day):
            counted += 1
    return day


def walk_working_days_between(cal: WorkingDayCalendar, start: date, end: date) -> int:
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if walk_is_working_day(cal, day):
            count += 1
    return count


def test_the_index_agrees_with_the_walk_on_ten_thousand_inputs():
    rng = random.Random(20261201)  # noqa: S311 - a fixed sample of inputs, not a secret
    closures = [date(2023, 12, 27), date(2024, 8, 23), date(2025, 4, 22), date(2031, 1, 2)]
    cals = [WorkingDayCalendar(nation) for nation in Nation]
    cals += [WorkingDayCalendar(nation, closures=closures) for nation in Nation]
    first = date(1995, 1, 1).toordinal()
    for _ in range(10_000):
        cal = rng.choice(cals)
        start = date.fromordinal(first + rng.randrange(50 * 365))
        n = rng.choice([0, 1, 2, 3, 5, 10, 20, 28, rng.randrange(130)])
        other = start + timedelta(days=rng.randrange(-120, 120))
        assert cal.add_working_days(start, n) == walk_add_working_days(cal, start, n), (start, n)
        assert cal.working_days_between(start, other) == walk_working_days_between(
            cal, start, other
        ), (start, other)
        assert cal.is_working_day(other) == walk_is_working_day(cal, other), other


def test_the_index_grows_to_dates_far_before_and_after_the_first_asked():
    # The first question is about 2024; later ones reach 1901 and 2199 (dates are refused
    # outside 1900-2200), and the earlier answers do not change as the index grows.
    cal = WorkingDayCalendar(SCT)
    # Fri 22 Dec 2023 + 10 working days = Wed 10 Jan 2024 in England; Scotland also keeps
    # Tue 2 Jan 2024, so Thu 11 Jan 2024.
    assert cal.add_working_days(date(2023, 12, 22), 10) == date(2024, 1, 11)
    for start, n in [(date(1901, 3, 1), 15), (date(2199, 12, 20), 40), (date(1950, 6, 1), 250)]:
        assert cal.add_working_days(start, n) == walk_add_working_days(cal, start, n)
    assert cal.add_working_days(date(2023, 12, 22), 10) == date(2024, 1, 11)
    # Across the turn of 1899 into 1900, at the far edge of the index.
    assert cal.working_days_between(date(1899, 12, 29), date(1900, 1, 5)) == (
        walk_working_days_between(cal, date(1899, 12, 29), date(1900, 1, 5))
    )


def test_a_new_closure_day_is_not_hidden_by_an_index_built_before_it():
    # Wed 3 Jan 2024 + 1 working day is Thu 4 Jan; once the organisation closes on 4 Jan, the
    # calendar built with that closure gives Fri 5 Jan, while one built without it still says 4.
    before = WorkingDayCalendar(EW)
    assert before.add_working_days(date(2024, 1, 3), 1) == date(2024, 1, 4)
    after = WorkingDayCalendar(EW, closures=[date(2024, 1, 4)])
    assert after.add_working_days(date(2024, 1, 3), 1) == date(2024, 1, 5)
    assert before.add_working_days(date(2024, 1, 3), 1) == date(2024, 1, 4)


@PROPERTY_SETTINGS
@given(calendars_with_nearby_closures(), st.integers(min_value=0, max_value=400))
def test_property_the_index_agrees_with_the_walk(cal_start, n):
    cal, start = cal_start
    assert cal.add_working_days(start, n) == walk_add_working_days(cal, start, n)
    end = start + timedelta(days=n)
    assert cal.working_days_between(start, end) == walk_working_days_between(cal, start, end)
    assert cal.working_days_between(end, start) == 0
