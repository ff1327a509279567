"""The column mapping for a spreadsheet log: which column holds which of Fairhear's fields, and
the values to use where a column is blank or missing (docs/import.md, "A spreadsheet log")."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from fairhear.importing.problems import Problem

# Each field a log's column may hold, and what sort of value it is.
FIELDS = {
    "source_reference": "text",
    "kind": "kind",
    "channel": "channel",
    "summary": "text",
    "desired_outcome": "text",
    "complainant_name": "text",
    "complainant_email": "text",
    "complainant_phone": "text",
    "complainant_address": "text",
    "anonymous": "yes/no",
    "safeguarding": "yes/no",
    "health_and_safety": "yes/no",
    "service_area": "text",
    "categories": "categories",
    "tenure": "tenure",
    "incident_date": "date",
    "received": "date",
    "accepted": "date",
    "refused": "date",
    "refusal_reason": "refusal",
    "acknowledged": "date",
    "responded": "date",
    "outcome": "outcome",
    "response_reasons": "text",
    "remedy": "text",
    "response_received": "date",
    "escalated": "date",
    "stage2_acknowledged": "date",
    "stage2_responded": "date",
    "stage2_outcome": "outcome",
    "stage2_reasons": "text",
    "closed": "date",
    "closure_reason": "closure",
    "handler": "colleague",
    "stage2_handler": "colleague",
}
# Values that are not a column's but the import's own: who is recorded as doing each step.
SETTINGS = {"by"}
REQUIRED = ("source_reference", "summary", "received")


@dataclass
class Mapping:
    """Column header → field, and field → the value used when its cell is blank."""

    columns: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)


def read_mapping(path: Path | None, overrides: list[str]) -> tuple[Mapping, list[Problem]]:
    """The mapping from a TOML file (`[columns]` and `[defaults]`) and `column=field` pairs
    given on the command line, which win; with every problem found in them."""
    problems: list[Problem] = []
    mapping = Mapping()
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            return mapping, [Problem(f"The mapping file cannot be read: {exc}.")]
        mapping.columns = {str(k).strip(): str(v) for k, v in data.get("columns", {}).items()}
        mapping.defaults = {str(k): str(v) for k, v in data.get("defaults", {}).items()}
    for pair in overrides:
        column, sep, target = pair.partition("=")
        if not sep:
            problems.append(Problem(f"--map {pair!r} should be written column=field."))
            continue
        mapping.columns[column.strip()] = target.strip()
    for column, target in mapping.columns.items():
        if target not in FIELDS:
            problems.append(
                Problem(
                    f"{target!r} is not a field Fairhear takes from a log; use one of "
                    f"{', '.join(FIELDS)}.",
                    column=column,
                )
            )
    for target in mapping.defaults:
        if target not in FIELDS and target not in SETTINGS:
            problems.append(Problem(f"{target!r} is not a field to give a default for."))
    mapped = set(mapping.columns.values())
    for target in REQUIRED:
        if target not in mapped:
            problems.append(Problem(f"Map a column to {target}: every case needs one."))
    if "by" not in mapping.defaults:
        problems.append(
            Problem(
                "Say who the import records as taking each step: by = a colleague's e-mail "
                "address under [defaults] (the lead officer, usually)."
            )
        )
    return mapping, problems
