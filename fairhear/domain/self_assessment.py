"""The Housing Ombudsman Complaint Handling Code 2024 as a self-assessment (Code 8.1, 8.2;
KPIS.md "annual complaints performance and service-improvement report"): each provision of
sections 1 to 9 in a few words of our own, where its number comes from (`source`: "S" where
REGULATION.md §1 confirms the paragraph, "M" where the number is from memory and only the
substance is confirmed), and what answers it:

- a rule of the organisation's policy pack (`rule`: a key of PACK_RULES below), compared with
  the Code by the policy lint (policy/rules.py departures_from_code);
- a figure Fairhear counts from the cases (`figure`: a key of FIGURES below);
- or neither: only the organisation can say how it meets the provision.

From these, a draft answer the lead officer can start from: the pack's rule and its cites,
whether the pack departs from the Code there, and the figure for the year with its numerator
and denominator. Nothing here reads the database; the reporting app counts the figures.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from fairhear.domain.policy.rules import ALL_RULES, Departure
from fairhear.domain.policy.schema import Capability, PolicyPack


class Evidence(StrEnum):
    """What kind of evidence answers a provision."""

    PACK = "pack"  # a rule of the policy pack
    FIGURE = "figure"  # a figure from the data
    ORGANISATION = "organisation"  # the organisation must say


@dataclass(frozen=True, slots=True)
class Provision:
    """One provision of the Code."""

    number: str  # "6.3"
    text: str  # a few words of our own, not the Code's text
    source: str = "S"  # "S": paragraph confirmed; "M": number from memory (REGULATION.md §1)
    rule: str = ""  # a key of PACK_RULES, or ""
    figure: str = ""  # a key of FIGURES, or ""

    @property
    def section(self) -> int:
        return int(self.number.split(".")[0])

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        kinds = (Evidence.PACK,) * bool(self.rule) + (Evidence.FIGURE,) * bool(self.figure)
        return kinds or (Evidence.ORGANISATION,)


SECTIONS = {
    1: "Definitions",
    2: "Exclusions",
    3: "Accessibility and awareness",
    4: "Complaint handling staff",
    5: "The complaint handling process",
    6: "Complaint stages",
    7: "Putting things right",
    8: "Self-assessment, reporting and compliance",
    9: "Scrutiny and oversight",
}

P = Provision

PROVISIONS: tuple[Provision, ...] = (
    P(
        "1.2",
        "A complaint is any expression of dissatisfaction with the landlord's service, "
        "action or lack of action, however it is made.",
    ),
    P(
        "1.3",
        "Whenever dissatisfaction is expressed the resident is offered the choice to "
        "complain; the word 'complaint' is not needed, and representatives follow the same "
        "policy.",
    ),
    P("1.4", "Service requests are recorded, monitored and reviewed regularly."),
    P(
        "1.5",
        "Dissatisfaction with a service request's response is taken as a complaint, "
        "without stopping work on the request.",
    ),
    P(
        "1.6",
        "Dissatisfaction in a survey is not a complaint, but the resident is told how to complain.",
        "M",
    ),
    P(
        "2.1",
        "A complaint is accepted unless there is a valid reason, and the reasoning is evidenced.",
        rule="refusal_reasons",
        figure="refused",
    ),
    P(
        "2.2",
        "Only the Code's exclusions are used: over 12 months ago, legal proceedings "
        "filed at court, already considered.",
        rule="refusal_reasons",
    ),
    P(
        "2.3",
        "Complaints within 12 months of the issue (or of becoming aware of it) are "
        "accepted, with discretion considered beyond that.",
        rule="time_limit",
    ),
    P("2.4", "A refusal explains why and gives the right to take it to the Ombudsman."),
    P("2.5", "No blanket exclusions.", "M"),
    P(
        "3.1",
        "Complaints can be made through several channels, with Equality Act duties anticipated.",
    ),
    P("3.2", "A complaint can be made in any way, to any member of staff."),
    P("3.3", "A high volume of complaints is not seen as a negative.", figure="received"),
    P(
        "3.4",
        "Residents may have a representative or companion; the policy, the Code and the "
        "Ombudsman are publicised.",
        "M",
    ),
    P("4.1", "A named complaints officer or team with access to staff at all levels."),
    P("4.2", "The complaints officer has the authority and autonomy to put things right."),
    P("4.3", "Staff who handle complaints are trained."),
    P("5.1", "One complaints policy, and residents are not treated differently for complaining."),
    P("5.2", "No 'stage 0' or informal stage before stage 1.", rule="no_stage_zero"),
    P("5.3", "Two stages, never more.", rule="stages"),
    P(
        "5.4",
        "Contractors' complaints are handled within the two stages, and the landlord "
        "stays responsible for them.",
    ),
    P(
        "5.6",
        "On logging or escalation the complaint is defined (the landlord's understanding "
        "and the outcomes sought), asking for clarification where needed.",
        rule="response_parts",
    ),
    P(
        "5.8",
        "The handler is impartial, weighs the evidence and manages conflicts of interest.",
        "M",
    ),
    P(
        "5.9",
        "Where a response will miss the Code's timescale, update intervals are agreed "
        "with the resident.",
        "M",
    ),
    P(
        "5.10",
        "Reasonable adjustments and disabilities disclosed are recorded and kept under "
        "active review.",
        "M",
    ),
    P("5.11", "Escalation is refused only for a reason in section 2.", "M", rule="escalation"),
    P(
        "5.12",
        "A full record of each complaint: the complaint and its date received, "
        "correspondence, reports and the outcome at each stage.",
        "M",
    ),
    P("5.13", "A remedy can be offered at any stage.", "M"),
    P(
        "5.14",
        "Restrictions on a resident's contact have evidenced reasons and are reviewed regularly.",
        "M",
        rule="restrictions",
    ),
    P("5.15", "Restrictions are proportionate, with regard to the Equality Act.", "M"),
    P(
        "6.2",
        "Stage 1: the complaint is acknowledged, defined and logged within 5 working days "
        "of receipt.",
        rule="stage1_acknowledgement",
    ),
    P(
        "6.3",
        "Stage 1: the response within 10 working days of the acknowledgement.",
        rule="stage1_response",
        figure="stage1_on_time",
    ),
    P(
        "6.4",
        "Stage 1: an extension of at most 10 more working days without good reason, "
        "the reasons explained.",
        rule="stage1_extension",
    ),
    P("6.5", "On an extension the resident is given the Ombudsman's contact details."),
    P(
        "6.6",
        "The response is sent when the answer is known, with outstanding actions tracked "
        "and the resident kept updated.",
    ),
    P("6.7", "Every point is answered, with reasons citing policy, law or good practice."),
    P(
        "6.9",
        "The stage 1 response gives the stage, the complaint definition, the decision and "
        "reasons, any remedy, outstanding actions and how to escalate.",
        rule="response_parts",
    ),
    P("6.10", "Stage 2 is the landlord's final response."),
    P(
        "6.11",
        "Stage 2: the escalation is acknowledged within 5 working days of the request.",
        rule="stage2_acknowledgement",
    ),
    P("6.12", "No reason is needed to escalate.", rule="escalation"),
    P("6.13", "The stage 2 handler is not the stage 1 handler.", rule="different_handler"),
    P(
        "6.14",
        "Stage 2: the response within 20 working days of the acknowledgement.",
        rule="stage2_response",
        figure="stage2_on_time",
    ),
    P(
        "6.15",
        "Stage 2: an extension of at most 20 more working days.",
        "M",
        rule="stage2_extension",
    ),
    P(
        "6.19",
        "The stage 2 response gives the same parts as at stage 1, and how to go to the "
        "Housing Ombudsman.",
        "M",
        rule="response_parts",
    ),
    P(
        "7.1",
        "Remedies may include an apology, an explanation, putting things right, a "
        "financial remedy, and changes to policy or practice.",
    ),
    P("7.2", "A remedy is proportionate to the impact on the resident.", "M"),
    P("7.3", "The response says what will be done and by when, and it is followed through.", "M"),
    P("7.4", "The Ombudsman's remedies guidance is followed.", "M"),
    P(
        "8.1",
        "An annual complaints performance and service improvement report, with this "
        "self-assessment and a summary of the types of complaints refused.",
        figure="refused",
    ),
    P(
        "8.2",
        "The report goes to the governing body and is published with its response; the "
        "self-assessment is approved at least once a year.",
    ),
    P("8.3", "The self-assessment is repeated after a restructure, merger or change of procedure."),
    P("9.1", "Learning from complaints is reported to residents, staff and committees."),
    P("9.4", "A senior lead is responsible for complaints.", "M", rule="lead"),
    P("9.5", "A Member Responsible for Complaints sits on the governing body."),
    P(
        "9.7",
        "The member and the board receive complaint volumes, categories, outcomes and "
        "performance, trends, Ombudsman findings and the annual report.",
        figure="received",
    ),
    P("9.8", "Staff have a standard objective on complaint handling.", "M"),
)

del P


# ---------------------------------------------------------------------------------------------
# What the pack says


def who(pack: PolicyPack) -> str:
    """The policy's short name for its cites: "Pivotal", "MMBM"."""
    return pack.organisation.split(" (")[0]


def _cited(pack: PolicyPack, cites: str) -> str:
    return f"({who(pack)} {cites})" if cites else ""


_STARTS = {
    "received": "receipt",
    "acknowledged": "the acknowledgement",
    "allocated": "allocation",
    "stage2_requested": "the escalation request",
    "stage2_acknowledged": "the stage 2 acknowledgement",
}


def _starts(events: tuple[str, ...]) -> str:
    return " or ".join(_STARTS.get(x, x.replace("_", " ")) for x in events)


def _clock(pack: PolicyPack, stage: int, what: str) -> list[str]:
    try:
        s = pack.stage(stage)
    except KeyError:
        return [f"Our policy has no stage {stage}."]
    name = getattr(s, what)
    kind = "acknowledgement" if what == "acknowledgement_clock" else "response"
    if name is None:
        return [f"Our policy sets no {kind} deadline for {s.name}."]
    rule = pack.clocks[name]
    return [
        f"Our policy sets {rule.duration} from {_starts(rule.starts_from)} to "
        f"{rule.label[:1].lower()}{rule.label[1:]} {_cited(pack, rule.cites)}"
    ]


def _extension(pack: PolicyPack, stage: int) -> list[str]:
    try:
        s = pack.stage(stage)
    except KeyError:
        return [f"Our policy has no stage {stage}."]
    rule = pack.clocks[s.response_clock]
    ext = rule.extension
    if ext is None:
        return [
            f"Our policy allows no extension of the response at {s.name} {_cited(pack, rule.cites)}"
        ]
    if ext.by_at_most is not None:
        limit = f"by at most {ext.by_at_most}"
    elif ext.up_to_clock:
        up_to = pack.clocks[ext.up_to_clock]
        limit = f"up to {up_to.duration} from {_starts(up_to.starts_from)}"
    else:
        limit = "with no limit"
    return [
        f"Our policy allows the response at {s.name} to be extended {limit} "
        f"{_cited(pack, ext.cites or rule.cites)}"
    ]


def _time_limit(pack: PolicyPack) -> list[str]:
    t = pack.time_limit
    discretion = (
        "and may accept one made later in exceptional circumstances"
        if t.exceptional_circumstances
        else "and never accepts one made later"
    )
    return [
        f"Our policy accepts complaints made within {t.months} months of the issue "
        f"{discretion} {_cited(pack, t.cites)}"
    ]


def _refusal_reasons(pack: PolicyPack) -> list[str]:
    if not pack.refusal_reasons:
        return ["Our policy names no reasons to refuse a complaint"]
    names = "; ".join(f"{r.label} {_cited(pack, r.cites)}".strip() for r in pack.refusal_reasons)
    return [f"Our policy refuses a complaint only for these reasons: {names}"]


def _no_stage_zero(pack: PolicyPack) -> list[str]:
    local = pack.local_resolution
    if local is None:
        return ["Our policy has no stage before stage 1"]
    return [
        f"Our policy tries to resolve a complaint locally before stage 1 "
        f"{_cited(pack, local.cites)}"
    ]


def _stages(pack: PolicyPack) -> list[str]:
    names = "; ".join(f"{s.name} {_cited(pack, s.cites)}" for s in pack.stages)
    return [f"Our policy has {len(pack.stages)} stages: {names}"]


def _escalation(pack: PolicyPack) -> list[str]:
    try:
        s = pack.stage(2)
    except KeyError:
        return ["Our policy has no stage 2."]
    if not s.may_refuse_request:
        return [f"Our policy never refuses a request for {s.name} {_cited(pack, s.cites)}"]
    reasons = ", ".join(
        pack.refusal_reason(r).label
        for r in s.request_refusal_reasons
        if any(x.code == r for x in pack.refusal_reasons)
    )
    said = s.request_criteria or f"a request for {s.name} may be refused"
    return [
        f"Our policy: {said.rstrip('.')}"
        + (f" (reasons: {reasons})" if reasons else "")
        + f" {_cited(pack, s.cites)}"
    ]


def _different_handler(pack: PolicyPack) -> list[str]:
    try:
        s = pack.stage(2)
    except KeyError:
        return ["Our policy has no stage 2."]
    if s.different_handler:
        return [
            f"Our policy has {s.name} handled by someone other than the stage 1 handler "
            f"{_cited(pack, s.cites)}"
        ]
    return [f"Our policy does not require a different handler for {s.name} {_cited(pack, s.cites)}"]


def _response_parts(pack: PolicyPack) -> list[str]:
    r = pack.responses
    if not r.required_parts:
        return ["Our policy asks for nothing in a response beyond a decision and its reasons"]
    parts = ", ".join(p.value.replace("_", " ") for p in r.required_parts)
    return [f"Our policy requires each response to give: {parts} {_cited(pack, r.cites)}"]


def _restrictions(pack: PolicyPack) -> list[str]:
    clock = pack.restriction_review_clock
    if clock is None:
        return [
            "Our policy sets no review of restrictions on contact"
            + (f" {_cited(pack, pack.restriction_cites)}" if pack.restriction_cites else "")
        ]
    rule = pack.clocks[clock]
    return [
        f"Our policy reviews restrictions on contact every {rule.duration} "
        f"{_cited(pack, rule.cites)}"
    ]


def _lead(pack: PolicyPack) -> list[str]:
    return [f"Our policy gives the lead on complaints to the {pack.role_title(Capability.LEAD)}"]


PACK_RULES: dict[str, Callable[[PolicyPack], list[str]]] = {
    "time_limit": _time_limit,
    "refusal_reasons": _refusal_reasons,
    "no_stage_zero": _no_stage_zero,
    "stages": _stages,
    "stage1_acknowledgement": lambda p: _clock(p, 1, "acknowledgement_clock"),
    "stage1_response": lambda p: _clock(p, 1, "response_clock"),
    "stage1_extension": lambda p: _extension(p, 1),
    "stage2_acknowledgement": lambda p: _clock(p, 2, "acknowledgement_clock"),
    "stage2_response": lambda p: _clock(p, 2, "response_clock"),
    "stage2_extension": lambda p: _extension(p, 2),
    "escalation": _escalation,
    "different_handler": _different_handler,
    "response_parts": _response_parts,
    "restrictions": _restrictions,
    "lead": _lead,
}


def pack_evidence(provision: Provision, pack: PolicyPack) -> list[str]:
    """What the pack says on the provision, each a sentence ending in its cites (no full
    stop), or [] when no pack rule answers it."""
    return [" ".join(s.split()) for s in PACK_RULES[provision.rule](pack)] if provision.rule else []


# ---------------------------------------------------------------------------------------------
# The figures and the departures


@dataclass(frozen=True, slots=True)
class FigureWords:
    """How a figure reads in a sentence: "{percent} of {what} in {year} {were}"."""

    what: str  # "stage 1 responses"
    were: str  # "were on time by the Code's dates"
    count_only: bool = False  # a count (numerator alone), not a share


FIGURES: dict[str, FigureWords] = {
    "stage1_on_time": FigureWords("stage 1 responses", "were on time by the Code's dates"),
    "stage2_on_time": FigureWords("stage 2 responses", "were on time by the Code's dates"),
    "refused": FigureWords("complaints received", "were not accepted"),
    "received": FigureWords("complaints", "were received", count_only=True),
}

_CODE_NUMBER = re.compile(r"Code (\d+\.\d+)")


def paragraph(section: str) -> str:
    """ "6.15" from a lint rule's section "Code 6.15 [M]" ("" when it names none)."""
    found = _CODE_NUMBER.match(section)
    return found.group(1) if found else ""


# The paragraphs the policy lint checks: only there can Fairhear say a pack meets the Code.
LINTED = frozenset(paragraph(rule.section) for rule in ALL_RULES)


def departures_at(provision: Provision, departures: list[Departure]) -> list[Departure]:
    """The pack's departures from the Code at this provision (matched by paragraph)."""
    return [d for d in departures if paragraph(d.section) == provision.number]


def _percent(numerator: int, denominator: int) -> str:
    share = Decimal(100 * numerator) / Decimal(denominator)
    return f"{share.quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"


def figure_sentence(key: str, figure: dict, year: str) -> str:
    """ "83% of stage 1 responses in 2026-27 were on time by the Code's dates (25 of 30)."."""
    words = FIGURES[key]
    n, d = figure["numerator"], figure["denominator"]
    if words.count_only:
        return f"{n} {words.what} {words.were} in {year}."
    if not d:
        return f"There were no {words.what} in {year}."
    return f"{_percent(n, d)} of {words.what} in {year} {words.were} ({n} of {d})."


def draft_answer(
    provision: Provision,
    pack: PolicyPack,
    departures: list[Departure],
    figure: dict | None,
    year: str,
) -> str:
    """Fairhear's proposed answer: the pack's rule, whether it meets the Code, the figure."""
    sentences = []
    rules = pack_evidence(provision, pack)
    here = departures_at(provision, departures)
    if rules:
        said = "; ".join(rules)
        if here:
            sentences.append(
                f"{said}. This departs from the Code: " + " ".join(d.detail for d in here)
            )
        elif provision.number in LINTED:
            sentences.append(f"{said}, as the Code requires.")
        else:
            sentences.append(f"{said}. Say how this meets the Code.")
    elif here:
        sentences.append("Our policy departs from the Code: " + " ".join(d.detail for d in here))
    if provision.figure and figure is not None:
        sentences.append(figure_sentence(provision.figure, figure, year))
    if not sentences:
        return "Fairhear holds no evidence for this: say how the organisation meets it."
    return " ".join(sentences)
