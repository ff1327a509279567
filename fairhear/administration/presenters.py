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


def change_values(values: dict) -> list[tuple[str, str]]:
    """A log entry's before or after values as (field, words) pairs."""
    shown = []
    for key, value in values.items():
        if value in (None, "", []):
            words = "(none)"
        elif isinstance(value, bool):
            words = "Yes" if value else "No"
        elif isinstance(value, list):
            words = ", ".join(str(v) for v in value)
        else:
            words = str(value)
        shown.append((key.replace("_", " ").capitalize(), words))
    return shown
