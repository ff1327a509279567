"""What each report figure counts: its key, its words from KPIS.md, the seed section it comes
from, and the rule (which events, which dates, what is divided by what), as plain Python.

`fairhear.reporting` turns each rule into aggregate queries over the case event log; the words
here are the definitions docs/reports.md prints. Periods are Europe/London dates, inclusive: an
event counts in the period of its own London date (KPIS.md "Each event counts in the period of
its own date").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from fairhear.domain.clock import Unit
from fairhear.domain.lifecycle import Action
from fairhear.domain.policy.schema import PolicyPack


class Measure(StrEnum):
    """How a figure is shown."""

    COUNT = "count"  # a number of events or complaints
    RATE = "rate"  # numerator of denominator, shown as a percentage
    PER_THOUSAND = "per_1000"  # numerator per 1,000 of the denominator (homes)
    BREAKDOWN = "breakdown"  # a count split by a code (reason, category, outcome)


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a report: its stable key, its name, what it counts, and where from."""

    key: str
    name: str
    counts: str
    cites: str
    measure: Measure = Measure.COUNT


# The events each figure reads (lifecycle.Action values).
RECEIPT_EVENTS = (Action.RECEIVE, Action.CONVERT_TO_COMPLAINT)
REFUSAL_EVENT = Action.REFUSE
ACCEPTANCE_EVENT = Action.ACCEPT
RESPONSE_EVENT = Action.RESPOND
EXTENSION_EVENT = Action.EXTEND
EXTENSION_ASSESSMENT_EVENT = Action.ASSESS_EXTENSION_REASON
ESCALATION_ACCEPTED_EVENT = Action.ACCEPT_ESCALATION
ESCALATION_REQUEST_EVENT = Action.REQUEST_ESCALATION
ACKNOWLEDGEMENT_EVENT = Action.ACKNOWLEDGE
OMBUDSMAN_EVENT = Action.RECORD_OMBUDSMAN_REFERRAL
FEEDBACK_EVENT = Action.RECORD_FEEDBACK
COMPLIMENT_RECEIPT_EVENT = Action.RECEIVE
RESTRICTION_EVENTS = (Action.APPLY_RESTRICTION, Action.REVIEW_RESTRICTION, Action.LIFT_RESTRICTION)
# A closure is any event that moves a complaint into the closed state from another state: a
# closure by hand or automatically, a local resolution, a final response, a refused escalation.
CLOSED_STATE = "closed"
# Feedback survey answers that count as satisfied in (h) (services/records.SATISFACTION).
SATISFIED_ANSWERS = ("satisfied", "very_satisfied")
# Response outcomes (services/stages.Outcome), in the order MMBM's report shows them.
OUTCOMES = ("upheld", "partly_upheld", "not_upheld")


PIVOTAL = (
    Figure(
        "a_received",
        "Complaints received",
        "Complaints whose date of receipt is in the period (the receipt event, or the event that "
        "logged a service request as a complaint); refused ones included.",
        "Pivotal 21.3 (a)",
    ),
    Figure(
        "a_refused",
        "Of which refused",
        "Of (a), those not accepted (a refusal event, whenever recorded); denominator (a).",
        "Pivotal 21.3 (a); Pivotal 6.1",
        Measure.RATE,
    ),
    Figure(
        "a_refused_by_reason",
        "Refused, by reason",
        "The refused complaints of (a), counted by the refusal's reason code.",
        "Pivotal 21.3 (a); Pivotal 6.1",
        Measure.BREAKDOWN,
    ),
    Figure(
        "b_resolved",
        "Complaints resolved",
        "Complaints with a closure event in the period, any closure reason (a refusal is not a "
        "closure).",
        "Pivotal 21.3 (b)",
    ),
    Figure(
        "c_escalated_stage2",
        "Escalated to stage 2",
        "Requests for stage 2 accepted in the period, dated by their acceptance.",
        "Pivotal 21.3 (c)",
    ),
    Figure(
        "d_resolved_stage2",
        "Resolved at stage 2",
        "Stage 2 responses sent in the period.",
        "Pivotal 21.3 (d)",
    ),
    Figure(
        "e_within_timeframes",
        "Resolved within the stated timeframes",
        "Responses (any stage) sent in the period on or before their due date, or the extended "
        "date where the complainant was told before the original date passed, never past the "
        "pack's limit; denominator (e_responses).",
        "Pivotal 21.3 (e)",
        Measure.RATE,
    ),
    Figure(
        "e_responses",
        "Responses sent",
        "Responses (any stage) sent in the period; a complaint answered at two stages counts "
        "twice.",
        "Pivotal 21.3 (e)",
    ),
    Figure(
        "f_extended_informed",
        "Extended timeframes, residents informed",
        "Responses sent in the period whose stage had an extension agreed and the complainant "
        "told on or before the original due date.",
        "Pivotal 21.3 (f)",
    ),
    Figure(
        "g_good_reason",
        "Extended timeframes with good reason",
        "Of (f), those whose latest extension the lead officer assessed as having good reason "
        "(the latest assessment of that extension counts); shown as N of (f).",
        "Pivotal 21.3 (g)",
        Measure.RATE,
    ),
    Figure(
        "h_satisfied",
        "Resolved to the complainant's satisfaction",
        "Of (b), those closed with a closure reason the pack marks as satisfied (Pivotal 10.1 a), "
        "or whose latest feedback survey answer, whenever recorded, is satisfied or very "
        "satisfied; denominator (b).",
        "Pivotal 21.3 (h); Pivotal 21.2",
        Measure.RATE,
    ),
    Figure(
        "i_ombudsman",
        "Escalated to the Housing Ombudsman",
        "Ombudsman referrals recorded in the period, refused complaints included.",
        "Pivotal 21.3 (i)",
    ),
)

TSM = (
    Figure(
        "ch01_1",
        "Stage 1 complaints per 1,000 homes",
        "Complaints accepted at stage 1 with a date of receipt in the year, divided by the homes "
        "of the tenure owned (organisation setting), times 1,000.",
        "TSM CH01 (1)",
        Measure.PER_THOUSAND,
    ),
    Figure(
        "ch01_2",
        "Stage 2 complaints per 1,000 homes",
        "Escalations to stage 2 accepted in the year, divided by the same homes, times 1,000.",
        "TSM CH01 (2)",
        Measure.PER_THOUSAND,
    ),
    Figure(
        "ch02_1",
        "Stage 1 complaints responded to within the Code's timescales",
        "Stage 1 responses sent in the year by the Code's due date: 10 working days after the "
        "acknowledgement or after the acknowledgement's own due date (5 working days after "
        "receipt), whichever is earlier; an extension counts only if the complainant was told "
        "by the Code's due date, and only up to 10 further working days. Denominator: stage 1 "
        "responses sent in the year.",
        "TSM CH02 (1); Code 6.2 to 6.5",
        Measure.RATE,
    ),
    Figure(
        "ch02_2",
        "Stage 2 complaints responded to within the Code's timescales",
        "The same for stage 2: 5 working days from the escalation request to acknowledge, 20 "
        "to respond, up to 20 further working days of extension.",
        "TSM CH02 (2); Code 6.11 to 6.16",
        Measure.RATE,
    ),
)
TENURES = ("lcra", "lcho")

MMBM = (
    Figure(
        "received",
        "Complaints received",
        "Complaints whose date of receipt is in the quarter, refused ones included.",
        "MMBM 11",
    ),
    Figure(
        "causes",
        "Causes",
        "Complaints received in the quarter, counted by category (a complaint in two categories "
        "counts in each), refused ones included.",
        "MMBM 11",
        Measure.BREAKDOWN,
    ),
    Figure(
        "outcomes",
        "Outcomes",
        "Responses sent in the quarter, counted per response and stage by outcome (upheld, "
        "partly upheld, not upheld), plus complaints refused and withdrawn in the quarter.",
        "MMBM 11",
        Measure.BREAKDOWN,
    ),
    Figure(
        "stage_reached",
        "Stage reached",
        "Complaints closed in the quarter, counted by the highest stage reached: local "
        "resolution (0), then 1, 2, 3; a stage is reached once its escalation is accepted.",
        "MMBM 11",
        Measure.BREAKDOWN,
    ),
    Figure(
        "on_time_by_stage",
        "On time, by stage",
        "Responses sent in the quarter that were on time against the pack's own due dates, of "
        "the responses sent, for each stage.",
        "MMBM 11; MMBM 8",
        Measure.BREAKDOWN,
    ),
    Figure(
        "compliments_by_service",
        "Compliments, by service",
        "Compliments received in the quarter, counted by service area.",
        "MMBM 11; MMBM 4",
        Measure.BREAKDOWN,
    ),
    Figure(
        "restrictions_in_force",
        "Restrictions in force",
        "Complaints whose complainant had restrictions on contact applied on or before the "
        "quarter's last day and not lifted by then.",
        "MMBM 11; MMBM 9",
    ),
    Figure(
        "restriction_reviews",
        "Restriction reviews done",
        "Reviews of restrictions on contact recorded in the quarter.",
        "MMBM 11; MMBM 9",
    ),
)


# The dashboard's charts. Most figures are those above, counted by the same code: Pivotal's (a),
# (b) and (c) month by month, and MMBM's causes, outcomes, on-time rate per stage and compliments
# for the whole period chosen. These are the dashboard's own.
DASHBOARD = (
    Figure(
        "received_by_service_area",
        "Complaints received, by service area",
        "Complaints whose date of receipt is in the period, counted by the case's service area "
        "('not recorded' where it has none), refused ones included; they add up to (a).",
        "Pivotal 21.3 (a); MMBM 11",
        Measure.BREAKDOWN,
    ),
    Figure(
        "code_on_time_by_stage",
        "On time by the Code's timescales, by stage",
        "Responses sent in the period that were on time by the Housing Ombudsman Code's due "
        "dates (the CH02 rule, every tenure together), of the responses sent, for each stage "
        "the Code has (1 and 2).",
        "TSM CH02; Code 6.2 to 6.5 and 6.11 to 6.16",
        Measure.BREAKDOWN,
    ),
    Figure(
        "stage2_rate",
        "Stage 2 rate",
        "Escalations to stage 2 accepted in the month (c), as a share of the stage 1 responses "
        "sent in the same month; shown as a percentage, or none when no stage 1 response was "
        "sent. The two need not be the same complaints: an escalation may follow a response "
        "sent the month before.",
        "Pivotal 21.3 (c); MMBM 11",
        Measure.RATE,
    ),
)


# The CQC's summary (CQC Regulation 16(3)): a summary of complaints, responses and
# correspondence for the period the CQC asks about. Most of its figures are MMBM 11's and the
# dashboard's, counted by the same code for the period; these are its own.
CQC = (
    Figure(
        "escalated_by_stage",
        "Escalations accepted, by stage",
        "Requests for the next stage accepted in the period (in their window, or late with a "
        "recorded decision), counted per request for each stage they opened (2, 3).",
        "CQC Regulation 16(3); MMBM 8.2, 8.3",
        Measure.BREAKDOWN,
    ),
    Figure(
        "correspondence",
        "Correspondence",
        "Communications with the complainant recorded on complaints in the period (a call, "
        "letter, e-mail, visit or meeting), counted per communication by direction (from or "
        "to the complainant) and channel; and the letters Fairhear sent on complaints in the "
        "period. A response is counted under responses, not here.",
        "CQC Regulation 16(3)",
        Measure.BREAKDOWN,
    ),
)

# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------


class By(StrEnum):
    """How a period is split."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Period:
    """A run of London dates, inclusive, with the label reports show for it."""

    label: str
    start: date
    end: date


# The dates a report may cover: wide enough for any complaint, narrow enough that the day after
# the last one still exists.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def date_out_of_range(day: date) -> str | None:
    """Why a report cannot start or end on `day`, or None."""
    if EARLIEST <= day <= LATEST:
        return None
    return "Choose a date from 1 January 2000 to 31 December 2099."


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def bucket_start(day: date, by: By) -> date:
    """The first day of the month, quarter or calendar year that `day` falls in."""
    if by is By.MONTH:
        return day.replace(day=1)
    if by is By.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def bucket_label(first: date, by: By) -> str:
    """'2026-01', '2026-Q1' or '2026'."""
    if by is By.MONTH:
        return f"{first:%Y-%m}"
    if by is By.QUARTER:
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return str(first.year)


def periods(start: date, end: date, by: By) -> list[Period]:
    """The months, quarters or years from `start` to `end`, the first and last cut to them."""
    out = []
    first = bucket_start(start, by)
    while first <= end:
        if by is By.MONTH:
            last = _month_end(first)
        elif by is By.QUARTER:
            last = _month_end(date(first.year, first.month + 2, 1))
        else:
            last = date(first.year, 12, 31)
        out.append(Period(bucket_label(first, by), max(first, start), min(last, end)))
        first = last + timedelta(days=1)
    return out


def financial_year(year: int) -> Period:
    """The financial year starting 1 April `year` (TSM)."""
    return Period(f"{year}-{(year + 1) % 100:02d}", date(year, 4, 1), date(year + 1, 3, 31))


def quarters(year: int) -> list[Period]:
    """The calendar year's four quarters (MMBM 11 sets no year: calendar quarters)."""
    return periods(date(year, 1, 1), date(year, 12, 31), By.QUARTER)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------


def rounded(value: Fraction | None) -> str | None:
    """Exact fraction to 1 decimal place, half up, for display only (KPIS.md "Rounding")."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percentage(numerator: int, denominator: int) -> Fraction | None:
    """numerator of denominator as a percentage; None when there is nothing to divide by."""
    return Fraction(100 * numerator, denominator) if denominator else None


def per_thousand(numerator: int, homes: int) -> Fraction | None:
    """numerator per 1,000 homes; None when no homes are recorded."""
    return Fraction(1000 * numerator, homes) if homes else None


# ---------------------------------------------------------------------------------------------
# The Code's timescales for CH02, whatever the organisation's own pack
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeStage:
    """A stage's Code timescales in working days: acknowledge within `acknowledge` of the
    start (receipt, or the escalation request), respond within `respond` of the
    acknowledgement or of its due date, whichever is earlier, extend by at most `extend`."""

    stage: int
    acknowledge: int
    respond: int
    extend: int


def code_stages(code_pack: PolicyPack) -> dict[int, CodeStage]:
    """The Code pack's stage timescales (packs/hos-code-2024.toml), by stage number."""
    out = {}
    for stage in code_pack.stages:
        ack = code_pack.clocks[stage.acknowledgement_clock or ""]
        response = code_pack.clocks[stage.response_clock]
        ext = response.extension.by_at_most if response.extension else None
        for duration in (ack.duration, response.duration, ext):
            if duration is not None and duration.unit is not Unit.WORKING_DAYS:
                raise ValueError("The Code pack's CH02 timescales must be in working days.")
        out[stage.number] = CodeStage(
            stage.number, ack.duration.amount, response.duration.amount, ext.amount if ext else 0
        )
    return out
