"""The self-assessment against the Housing Ombudsman Code for one financial year (Code 8.1,
8.2): each provision (domain/self_assessment.py) with the evidence Fairhear holds, from the
organisation's active pack and from the cases the lead may see (cases.selectors
.case_list_visible_to), the pack's departures from the Code (the policy lint,
policy/rules.py), Fairhear's draft answer and the lead's own answer. Saving the answers records
each save in the administrative change log (accounts/audit.py) in the same transaction."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date

from django.db import transaction
from django.utils import timezone

from fairhear.accounts.audit import admin_change_record
from fairhear.accounts.models import Organisation, User
from fairhear.cases.export import csv_safe
from fairhear.cases.selectors import case_list_visible_to
from fairhear.domain import kpis
from fairhear.domain import self_assessment as sa
from fairhear.domain.kpis import By
from fairhear.domain.policy.load import load_shipped_pack
from fairhear.domain.policy.rules import departures_from_code
from fairhear.policies.selectors import policy_pack_for
from fairhear.reporting.events import Scope
from fairhear.reporting.figures import pivotal_kpis
from fairhear.reporting.models import ANSWER_LIMIT, SelfAssessmentAnswer
from fairhear.reporting.tsm import CODE_PACK, code_on_time_by_stage

_BLANK_LINES = re.compile(r"\n{3,}")
FIRST_YEAR = 2024  # the Code is statutory from 1 April 2024 (REGULATION.md §1)


class AnswerTooLong(ValueError):
    """An answer longer than ANSWER_LIMIT characters: refused, never cut short."""

    def __init__(self, provision: str, length: int) -> None:
        self.provision = provision
        super().__init__(
            f"The answer to {provision} is {length:,} characters long; shorten it to "
            f"{ANSWER_LIMIT:,} or fewer."
        )


def years(today: date) -> list[int]:
    """The financial years one may assess, newest first: from 2024-25 to the current one."""
    current = today.year if today.month >= 4 else today.year - 1
    return list(range(current, FIRST_YEAR - 1, -1))


def latest_whole_year(today: date) -> int:
    """The last financial year that has ended (the one an annual report covers)."""
    return max(FIRST_YEAR, (today.year if today.month >= 4 else today.year - 1) - 1)


def tidy(text: str) -> str:
    """Line endings read as one; spaces at the ends of lines and runs of blank lines dropped.
    The words are kept."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _figures(user: User, year: int) -> dict[str, dict]:
    """The data figures the provisions cite, for the financial year, over the visible cases."""
    fy = kpis.financial_year(year)
    scope = Scope(user.organisation, cases=case_list_visible_to(user=user))
    on_time = code_on_time_by_stage(scope, fy)
    total = pivotal_kpis(scope, fy.start, fy.end, By.YEAR)["total"]["figures"]
    received = total["a_received"]
    return {
        "stage1_on_time": on_time["1"],
        "stage2_on_time": on_time["2"],
        "refused": total["a_refused"],
        "received": {**received, "numerator": received["value"], "denominator": None},
    }


def answers_for(*, organisation: Organisation, year: int) -> dict[str, str]:
    """The lead's saved answer to each provision ("" when none)."""
    saved = dict(
        SelfAssessmentAnswer.objects.filter(organisation=organisation, year=year).values_list(
            "provision", "text"
        )
    )
    return {p.number: saved.get(p.number, "") for p in sa.PROVISIONS}


def self_assessment(user: User, year: int) -> dict:
    """Every provision, in the Code's order, with its evidence, departures and answers."""
    organisation = user.organisation
    pack = policy_pack_for(organisation.active_policy_version)
    departures = departures_from_code(pack, load_shipped_pack(CODE_PACK))
    figures = _figures(user, year)
    label = kpis.financial_year(year).label
    answers = answers_for(organisation=organisation, year=year)
    rows = []
    for provision in sa.PROVISIONS:
        figure = figures.get(provision.figure) if provision.figure else None
        rows.append(
            {
                "provision": provision,
                "section": sa.SECTIONS[provision.section],
                "evidence": [e.value for e in provision.evidence],
                "pack": sa.pack_evidence(provision, pack),
                "figure": figure,
                "figure_words": (
                    sa.figure_sentence(provision.figure, figure, label) if figure else ""
                ),
                "departures": sa.departures_at(provision, departures),
                "linted": provision.number in sa.LINTED,
                "draft": sa.draft_answer(provision, pack, departures, figure, label),
                "answer": answers[provision.number],
            }
        )
    return {
        "year": year,
        "label": label,
        "pack": pack,
        "policy": sa.who(pack),
        "departures": departures,
        "rows": rows,
    }


def answers_save(
    *, organisation: Organisation, actor: User, year: int, texts: dict[str, str]
) -> list[str]:
    """Save the answers given (by provision number); returns the provisions whose answer
    changed (none: nothing is recorded). AnswerTooLong, with nothing saved, when any answer is
    too long; ValueError for a provision the Code does not have."""
    known = {p.number for p in sa.PROVISIONS}
    unknown = set(texts) - known
    if unknown:
        raise ValueError(f"The Code has no provisions {sorted(unknown)}.")
    tidied = {number: tidy(text) for number, text in texts.items()}
    for number in sorted(tidied, key=_order):
        if len(tidied[number]) > ANSWER_LIMIT:
            raise AnswerTooLong(number, len(tidied[number]))
    with transaction.atomic():
        rows = {
            a.provision: a
            for a in SelfAssessmentAnswer.objects.select_for_update().filter(
                organisation=organisation, year=year
            )
        }
        before = {n: rows[n].text if n in rows else "" for n in tidied}
        changed = sorted((n for n in tidied if tidied[n] != before[n]), key=_order)
        if not changed:
            return []
        now = timezone.now()
        for number in changed:
            SelfAssessmentAnswer.objects.update_or_create(
                organisation=organisation,
                year=year,
                provision=number,
                defaults={"text": tidied[number], "updated_at": now, "updated_by": actor},
            )
        admin_change_record(
            organisation=organisation,
            actor=actor,
            what="report.self_assessment",
            summary=(
                f"Answered Code {', '.join(changed)} in the self-assessment for "
                f"{kpis.financial_year(year).label}"
            ),
            before={n: before[n] for n in changed},
            after={n: tidied[n] for n in changed},
        )
    return changed


_ORDER = {p.number: i for i, p in enumerate(sa.PROVISIONS)}


def _order(number: str) -> int:
    return _ORDER.get(number, len(_ORDER))


CSV_HEADER = (
    "Section",
    "Provision",
    "Source",
    "What the Code asks",
    "Evidence kind",
    "Our policy",
    "Figure",
    "Numerator",
    "Denominator",
    "Departures from the Code",
    "Draft answer",
    "Our answer",
)


def self_assessment_csv_lines(report: dict) -> Iterator[str]:
    """The self-assessment as CSV lines for publishing, every cell formula-safe."""

    class _Line:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Line())
    yield writer.writerow(CSV_HEADER)
    for row in report["rows"]:
        p, figure = row["provision"], row["figure"] or {}
        cells = [
            f"{p.section} {row['section']}",
            p.number,
            p.source,
            p.text,
            "; ".join(row["evidence"]),
            "; ".join(row["pack"]),
            row["figure_words"],
            figure.get("numerator", ""),
            figure.get("denominator", "") if figure.get("denominator") is not None else "",
            " ".join(f"{d.message} {d.detail}" for d in row["departures"]),
            row["draft"],
            row["answer"],
        ]
        yield writer.writerow([csv_safe(c) for c in cells])
