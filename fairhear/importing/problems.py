"""A problem found in an import file, said in plain words with where it is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong and where: the case (its number in the file, counting from 1, and its
    source reference), the event (its number within the case and its kind) and the field; or,
    in a spreadsheet, the row (as the spreadsheet numbers it) and the column. Any of them may
    be absent, for a problem with the organisation or the whole file."""

    message: str
    case: int | None = None
    source_reference: str = ""
    event: int | None = None
    kind: str = ""
    field: str = ""
    row: int | None = None
    column: str = ""

    def where(self) -> str:
        """Where the problem is, as a person reading the file would look for it."""
        parts = []
        if self.row is not None:
            ref = f" ({self.source_reference})" if self.source_reference else ""
            parts.append(f"Row {self.row}{ref}")
        if self.case is not None:
            ref = f" ({self.source_reference})" if self.source_reference else ""
            parts.append(f"Case {self.case}{ref}")
        if self.event is not None:
            parts.append(f"event {self.event}" + (f" ({self.kind})" if self.kind else ""))
        if self.field:
            parts.append(f"field {self.field!r}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts) if parts else "The file"

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


class ImportRefused(Exception):
    """The import found problems, so nothing was written; `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''}; nothing was imported.")
        self.problems = problems
