"""The administrative change log: every change an administrator makes, recorded with who made
it, when, and the values before and after, in the same transaction as the change itself."""

from collections.abc import Mapping

from django.utils import timezone

from fairhear.accounts.models import AdministrativeChange, Organisation, User


class AnonymousChange(ValueError):
    """An administrative change with nobody to attribute it to: refused, never recorded blank."""


def admin_change_record(
    *,
    organisation: Organisation,
    actor: User | None,
    what: str,
    summary: str,
    before: Mapping[str, object] | None = None,
    after: Mapping[str, object] | None = None,
) -> AdministrativeChange:
    """Append one change to the log; AnonymousChange when there is no signed-in actor."""
    if actor is None or not actor.is_authenticated:
        raise AnonymousChange("An administrative change must say who made it.")
    return AdministrativeChange.objects.create(
        organisation=organisation,
        actor=actor,
        actor_label=str(actor),
        at=timezone.now(),
        what=what,
        summary=summary[:500],
        before=dict(before or {}),
        after=dict(after or {}),
    )


def shown(value: object) -> object:
    """A value as the log keeps it: JSON-safe, readable (dates as ISO, rows by name)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple | set):
        return [shown(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "name") and isinstance(getattr(value, "name", None), str):
        return value.name or ""
    return str(value)


def differences(
    before: Mapping[str, object], after: Mapping[str, object]
) -> tuple[dict[str, object], dict[str, object]]:
    """Only the fields whose value changed, before and after."""
    changed = [k for k in after if shown(before.get(k)) != shown(after[k])]
    return {k: shown(before.get(k)) for k in changed}, {k: shown(after[k]) for k in changed}
