"""The narrative sections of the board reports and of the annual report to customers: read
them, and save what the lead writes, each save recorded in the administrative change log
(accounts/audit.py) in the same transaction."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from fairhear.accounts.audit import admin_change_record
from fairhear.accounts.models import Organisation, User
from fairhear.reporting.board import SECTIONS, TITLES, ReportPeriod, Section
from fairhear.reporting.models import NARRATIVE_LIMIT, ReportNarrative

_BLANK_LINES = re.compile(r"\n{3,}")


class NarrativeTooLong(ValueError):
    """A section longer than NARRATIVE_LIMIT characters: refused, never cut short."""


def tidy(text: str) -> str:
    """Line endings as the browser or a file may send them, read as one; spaces at the ends
    of lines and more than one blank line between paragraphs dropped. The words are kept."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def paragraphs(text: str) -> list[list[str]]:
    """Plain text as paragraphs (split at blank lines), each a list of its lines."""
    return [block.split("\n") for block in text.split("\n\n") if block.strip()]


def narrative_for(*, organisation: Organisation, report: ReportPeriod) -> dict[str, str]:
    """Each of the report's sections' text ("" when it has not been written)."""
    return narrative_texts_for(
        organisation=organisation,
        kind=report.kind,
        period=report.key,
        sections=SECTIONS[report.kind],
    )


def narrative_save(
    *, organisation: Organisation, actor: User, report: ReportPeriod, texts: dict[str, str]
) -> list[str]:
    """Save the sections given; returns the keys of those that changed (none: nothing is
    recorded). NarrativeTooLong, with nothing saved, when any section is too long."""
    return narrative_texts_save(
        organisation=organisation,
        actor=actor,
        kind=report.kind,
        period=report.key,
        sections=SECTIONS[report.kind],
        title=f"{TITLES[report.kind]} for {report.key}",
        texts=texts,
    )


def narrative_texts_for(
    *, organisation: Organisation, kind: str, period: str, sections: tuple[Section, ...]
) -> dict[str, str]:
    """The text of each of `sections` of the report `kind` for `period` ("" when not written):
    the board reports' and the annual report to customers' (customers.py)."""
    saved = dict(
        ReportNarrative.objects.filter(
            organisation=organisation, kind=kind, period=period
        ).values_list("section", "text")
    )
    return {s.key: saved.get(s.key, "") for s in sections}


def narrative_texts_save(
    *,
    organisation: Organisation,
    actor: User,
    kind: str,
    period: str,
    sections: tuple[Section, ...],
    title: str,
    texts: dict[str, str],
) -> list[str]:
    """Save the sections given of the report `kind` for `period` (`title` names it in the
    change log); returns the keys of those that changed. NarrativeTooLong, with nothing saved,
    when any section is too long."""
    keys = {s.key for s in sections}
    unknown = set(texts) - keys
    if unknown:
        raise ValueError(f"{title} has no sections {sorted(unknown)}.")
    tidied = {key: tidy(text) for key, text in texts.items()}
    for key, text in tidied.items():
        if len(text) > NARRATIVE_LIMIT:
            raise NarrativeTooLong(
                f"The section {key} is {len(text):,} characters long; "
                f"shorten it to {NARRATIVE_LIMIT:,} or fewer."
            )
    with transaction.atomic():
        rows = {
            n.section: n
            for n in ReportNarrative.objects.select_for_update().filter(
                organisation=organisation, kind=kind, period=period
            )
        }
        before = {k: rows[k].text if k in rows else "" for k in tidied}
        changed = [k for k in tidied if tidied[k] != before[k]]
        if not changed:
            return []
        now = timezone.now()
        for key in changed:
            ReportNarrative.objects.update_or_create(
                organisation=organisation,
                kind=kind,
                period=period,
                section=key,
                defaults={"text": tidied[key], "updated_at": now, "updated_by": actor},
            )
        titles = {s.key: s.title for s in sections}
        admin_change_record(
            organisation=organisation,
            actor=actor,
            what="report.narrative",
            summary=f"Wrote {', '.join(titles[k] for k in changed)} in the {title}",
            before={k: before[k] for k in changed},
            after={k: tidied[k] for k in changed},
        )
    return changed
