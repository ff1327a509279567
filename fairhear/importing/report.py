"""What an import command prints: every problem, every case skipped, and one summary line."""

from __future__ import annotations

from typing import TextIO

from django.core.management.base import CommandError

from fairhear.importing.history import ImportSummary


def plural(count: int, word: str) -> str:
    """ "1 case", "2 cases"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def report(out: TextIO, summary: ImportSummary) -> None:
    """Write the summary; a dry run that found problems ends in a CommandError."""
    for problem in summary.problems:
        out.write(str(problem))
    for source, reference in summary.skipped:
        out.write(f"Skipped {source}: already imported as {reference}.")
    would = "would import" if summary.dry_run else "imported"
    line = (
        f"{summary.organisation or 'The organisation'}: {would} "
        f"{plural(len(summary.imported), 'case')} with {plural(summary.events, 'event')}"
    )
    if summary.skipped:
        line += f", skipped {len(summary.skipped)} already imported"
    if summary.organisation_created:
        line += "; the organisation is new"
    if summary.colleagues_created:
        line += f"; {plural(len(summary.colleagues_created), 'new colleague')}"
    out.write(line + ".")
    if summary.dry_run:
        if summary.problems:
            count = plural(len(summary.problems), "problem")
            raise CommandError(f"Dry run: {count}; nothing was written.")
        out.write("Dry run: no problems found; nothing was written.")
