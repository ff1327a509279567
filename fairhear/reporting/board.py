"""The three board reports: what each covers, which narrative sections the lead writes for it,
and how the period it is for is written and read.

- The monthly KPI sheet: one calendar month with the financial year to date (Pivotal 21.3).
- The quarterly report to the board or the directors: one calendar quarter, beside the quarter
  before and the same quarter a year earlier (MMBM 11; Pivotal 22.4 and 22.5).
- The annual complaints performance and service-improvement report: one financial year, 1 April
  to 31 March, with the Housing Ombudsman Code's required contents (Code 8.1 and 8.2).

Plain Python: the figures are counted by figures.py, mmbm.py, tsm.py and dashboard.py, and laid
out for the PDF by board_pdf.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from fairhear.domain import kpis
from fairhear.domain.kpis import Period


class Kind(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


TITLES = {
    Kind.MONTHLY: "Monthly complaints KPI sheet",
    Kind.QUARTERLY: "Quarterly report on complaints and compliments",
    Kind.ANNUAL: "Annual complaints performance and service-improvement report",
}


@dataclass(frozen=True)
class Section:
    """A narrative section: its key, its heading, and what the lead is asked to write."""

    key: str
    title: str
    hint: str


TRENDS = Section(
    "trends",
    "Trends",
    "What the figures show over time: more or fewer complaints, which causes are rising, how "
    "timeliness is changing, and why.",
)
SYSTEMIC = Section(
    "systemic_issues",
    "Systemic issues and serious risks",
    "Problems that appear in more than one complaint or service, and any serious risk the "
    "board should act on (Pivotal 22.5).",
)
LESSONS = Section(
    "lessons_learned",
    "Lessons learned and service improvements",
    "What was learned from complaints and what has changed because of them (Pivotal 22.1 and "
    "22.4; Code 8.1).",
)
SELF_ASSESSMENT = Section(
    "self_assessment",
    "Self-assessment against the Code",
    "A summary of the self-assessment against the Housing Ombudsman's Complaint Handling Code, "
    "with any provision not met and what is being done about it (Code 8.1).",
)
OMBUDSMAN = Section(
    "ombudsman",
    "Ombudsman findings, orders and reports",
    "Findings of non-compliance, determinations and orders, how each order was complied with, "
    "and the Ombudsman's annual letter or report on the organisation (Code 8.1).",
)
RESPONSE = Section(
    "governing_body_response",
    "The governing body's response",
    "The board's or directors' response to this report, published alongside it (Code 8.2).",
)

SECTIONS: dict[Kind, tuple[Section, ...]] = {
    Kind.MONTHLY: (TRENDS, SYSTEMIC, LESSONS),
    Kind.QUARTERLY: (TRENDS, SYSTEMIC, LESSONS, RESPONSE),
    Kind.ANNUAL: (SELF_ASSESSMENT, TRENDS, SYSTEMIC, LESSONS, OMBUDSMAN, RESPONSE),
}

# How each kind's period is written in a URL, on the form and on the command line.
EXAMPLES = {Kind.MONTHLY: "2026-05", Kind.QUARTERLY: "2026-Q2", Kind.ANNUAL: "2026"}
_PATTERNS = {
    Kind.MONTHLY: re.compile(r"^(\d{4})-(\d{2})$"),
    Kind.QUARTERLY: re.compile(r"^(\d{4})-Q([1-4])$"),
    Kind.ANNUAL: re.compile(r"^(\d{4})$"),
}
_WORDS = {
    Kind.MONTHLY: "a month as year and month",
    Kind.QUARTERLY: "a quarter as year, Q and the quarter's number (Q1 is January to March)",
    Kind.ANNUAL: "the year the financial year starts in (1 April)",
}


class BadPeriod(ValueError):
    """A period that cannot be read, or that has not started yet; the message says how to fix
    it."""


@dataclass(frozen=True)
class ReportPeriod:
    """The period a board report is for: `key` as written ("2026-05"), `period` its dates, and
    `year_to_date` (the monthly sheet) and `before` (what it is compared with)."""

    kind: Kind
    key: str
    period: Period

    @property
    def words(self) -> str:
        """'May 2026', 'April to June 2026 (2026-Q2)', '1 April 2026 to 31 March 2027'."""
        start, end = self.period.start, self.period.end
        if self.kind is Kind.MONTHLY:
            return f"{start:%B %Y}"
        if self.kind is Kind.QUARTERLY:
            return f"{start:%B} to {end:%B %Y} ({self.key})"
        return f"{start:%-d %B %Y} to {end:%-d %B %Y}"

    @property
    def year_to_date(self) -> Period:
        """From 1 April of the financial year the period ends in, to the period's end."""
        end = self.period.end
        first = date(end.year if end.month >= 4 else end.year - 1, 4, 1)
        return Period("year to date", first, end)


def read_period(kind: Kind, text: str, today: date) -> ReportPeriod:
    """`text` read as a period of `kind`; BadPeriod, in plain words, when it cannot be."""
    text = text.strip().upper()
    match = _PATTERNS[kind].match(text)
    example = EXAMPLES[kind]
    if not match:
        raise BadPeriod(f"Enter {_WORDS[kind]}, for example {example}.")
    year = int(match.group(1))
    if not kpis.EARLIEST.year <= year < kpis.LATEST.year:
        raise BadPeriod(f"Choose a year from {kpis.EARLIEST.year} to {kpis.LATEST.year - 1}.")
    if kind is Kind.MONTHLY:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise BadPeriod(f"The month must be from 01 to 12, for example {example}.")
        start = date(year, month, 1)
        end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        period = Period(text, start, end)
    elif kind is Kind.QUARTERLY:
        quarter = kpis.quarters(year)[int(match.group(2)) - 1]
        period = Period(text, quarter.start, quarter.end)
    else:
        fy = kpis.financial_year(year)
        period = Period(fy.label, fy.start, fy.end)
    if period.start > today:
        raise BadPeriod(f"{text} has not started yet; choose a period that has begun.")
    return ReportPeriod(kind, text.lower() if kind is Kind.ANNUAL else text, period)


def latest(kind: Kind, today: date) -> str:
    """The last whole period before today, as written (the choosers' starting value)."""
    if kind is Kind.MONTHLY:
        before = today.replace(day=1) - timedelta(days=1)
        return f"{before:%Y-%m}"
    if kind is Kind.QUARTERLY:
        first = kpis.bucket_start(today, kpis.By.QUARTER) - timedelta(days=1)
        return kpis.bucket_label(kpis.bucket_start(first, kpis.By.QUARTER), kpis.By.QUARTER)
    # The financial year that ended most recently.
    return str(today.year - 1 if today.month >= 4 else today.year - 2)


def previous_quarter(period: Period) -> Period:
    end = period.start - timedelta(days=1)
    start = kpis.bucket_start(end, kpis.By.QUARTER)
    return Period(kpis.bucket_label(start, kpis.By.QUARTER), start, end)


def year_before(period: Period) -> Period:
    """The same quarter or financial year a year earlier (quarters and financial years start
    and end on days every year has)."""
    start = period.start.replace(year=period.start.year - 1)
    end = period.end.replace(year=period.end.year - 1)
    label = (
        kpis.bucket_label(start, kpis.By.QUARTER)
        if period.label[4:6] == "-Q"
        else kpis.financial_year(start.year).label
    )
    return Period(label, start, end)
