"""What the administration pages show, worked out from the pack and the log."""

from __future__ import annotations

from dataclasses import dataclass

from fairhear.domain.policy.schema import PolicyPack


@dataclass(frozen=True, slots=True)
class CategoryRow:
    code: str
    label: str
    cites: str
    rules: tuple[str, ...]


def category_rows(pack: PolicyPack) -> list[CategoryRow]:
    """Each category of the pack with the rules of the pack that name it."""
    rows = []
    for category in pack.categories:
        rules = []
        if category.code in pack.time_limit.exempt_categories:
            rules.append(f"No time limit applies ({pack.time_limit.cites})")
        if pack.anonymous and category.code in pack.anonymous.investigated_categories:
            rules.append(f"Investigated even when anonymous ({pack.anonymous.cites})")
        for signpost in pack.signposts:
            if category.code in signpost.applies_when.categories:
                rules.append(f"Signposts {signpost.name}")
        if category.consult_on_allocation:
            rules.append("The allocator is asked to consult before allocating")
        rules_t = tuple(rules)
        rows.append(CategoryRow(category.code, category.label, category.cites, rules_t))
    return rows


def _words(value: object) -> str:
    if value in (None, "", []):
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True, slots=True)
class ValueChange:
    field: str
    before: str
    after: str


def change_values(before: dict, after: dict) -> list[ValueChange]:
    """A log entry's values as field, before and after in words ("(none)" when not set)."""
    fields = [*before, *(k for k in after if k not in before)]
    return [
        ValueChange(
            k.replace("_", " ").capitalize(),
            _words(before.get(k)) if k in before else "",
            _words(after.get(k)) if k in after else "",
        )
        for k in fields
    ]


@dataclass(frozen=True, slots=True)
class ChangeSection:
    title: str
    changes: tuple


def change_sections(changes: list) -> list[ChangeSection]:
    """The pack's changes grouped by section, in the order the diff gives them."""
    sections: dict[str, list] = {}
    for change in changes:
        sections.setdefault(change.section, []).append(change)
    return [ChangeSection(title, tuple(items)) for title, items in sections.items()]
