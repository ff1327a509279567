"""Changing an organisation's settings, closure days and service areas; each change is
recorded in the administrative change log in the same transaction."""

import secrets
from datetime import date
from typing import IO

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from fairhear.accounts.audit import admin_change_record, differences, shown
from fairhear.accounts.models import ClosureDay, Organisation, ServiceArea, User
from fairhear.domain.branding import check_brand_colour, logo_kind

SETTINGS_FIELDS = (
    "name",
    "nation",
    "homes_lcra",
    "homes_lcho",
    "address",
    "phone",
    "email",
    "website",
    "brand_colour",
    "require_two_factor",
)
SERVICE_AREA_FIELDS = ("name", "kind", "cqc_registered")


class AdministrationError(ValueError):
    """A change that cannot be made, said in plain words with how to put it right."""


def organisation_update(
    *, organisation: Organisation, actor: User, changes: dict[str, object]
) -> list[str]:
    """Change the organisation's settings; returns the names of the fields that changed.

    The brand colour must give white text enough contrast (domain.branding)."""
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise AdministrationError(f"These settings cannot be changed here: {sorted(unknown)}.")
    if changes.get("brand_colour"):
        changes = {**changes, "brand_colour": check_brand_colour(str(changes["brand_colour"]))}
    with transaction.atomic(durable=True):
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before, after = differences({k: getattr(org, k) for k in changes}, changes)
        if not after:
            return []
        for field, value in changes.items():
            setattr(org, field, value)
        org.save(update_fields=list(after))
        admin_change_record(
            organisation=org,
            actor=actor,
            what="organisation.settings",
            summary=f"Changed the organisation's {', '.join(_words(f) for f in after)}",
            before=before,
            after=after,
        )
    for field in after:
        setattr(organisation, field, getattr(org, field))
    return list(after)


def _words(field: str) -> str:
    return {
        "homes_lcra": "low-cost rental homes",
        "homes_lcho": "low-cost home ownership homes",
        "require_two_factor": "two-factor requirement",
        "email": "e-mail address",
    }.get(field, field.replace("_", " "))


def organisation_set_logo(
    *, organisation: Organisation, actor: User, upload: IO[bytes], size: int
) -> str:
    """Store a new logo through Django's storage, checked by its content (PNG or JPEG, at most
    domain.branding.LOGO_MAX_BYTES); returns the stored name."""
    head = upload.read(16)
    kind = logo_kind(head, size)
    content = head + upload.read()
    name = f"{organisation.slug}-{secrets.token_hex(8)}.{kind.extension}"
    with transaction.atomic(durable=True):
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        previous = org.logo.name or ""
        org.logo.save(name, ContentFile(content), save=False)
        org.save(update_fields=["logo"])
        admin_change_record(
            organisation=org,
            actor=actor,
            what="organisation.logo",
            summary="Uploaded a new logo",
            before={"logo": previous},
            after={"logo": org.logo.name},
        )
    organisation.logo = org.logo
    return org.logo.name


def organisation_remove_logo(*, organisation: Organisation, actor: User) -> None:
    """Stop using the logo. The file is kept in storage: letters already sent printed it."""
    with transaction.atomic(durable=True):
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if not org.logo:
            raise AdministrationError("There is no logo to remove.")
        previous = org.logo.name
        org.logo = ""
        org.save(update_fields=["logo"])
        admin_change_record(
            organisation=org,
            actor=actor,
            what="organisation.logo",
            summary="Removed the logo",
            before={"logo": previous},
            after={"logo": ""},
        )
    organisation.logo = ""


def closure_day_add(
    *, organisation: Organisation, actor: User, day: date, reason: str
) -> ClosureDay:
    """Add a day the organisation is closed: it stops being a working day for deadlines that
    are worked out from now on (cases' stored clocks are refreshed by their next event)."""
    with transaction.atomic(durable=True):
        if ClosureDay.objects.filter(organisation=organisation, day=day).exists():
            raise AdministrationError(
                f"{day:%-d %B %Y} is already a closure day. Choose another date."
            )
        closure = ClosureDay.objects.create(organisation=organisation, day=day, reason=reason)
        admin_change_record(
            organisation=organisation,
            actor=actor,
            what="organisation.closure_day",
            summary=f"Added the closure day {day:%-d %B %Y}",
            after={"day": day.isoformat(), "reason": reason},
        )
    return closure


def closure_day_remove(*, organisation: Organisation, actor: User, day: date) -> None:
    """Remove a closure day: it becomes a working day again (if it is a weekday and no bank
    holiday)."""
    with transaction.atomic(durable=True):
        closure = ClosureDay.objects.filter(organisation=organisation, day=day).first()
        if closure is None:
            raise AdministrationError(f"{day:%-d %B %Y} is not a closure day.")
        reason = closure.reason
        closure.delete()
        admin_change_record(
            organisation=organisation,
            actor=actor,
            what="organisation.closure_day",
            summary=f"Removed the closure day {day:%-d %B %Y}",
            before={"day": day.isoformat(), "reason": reason},
        )


def service_area_save(
    *,
    organisation: Organisation,
    actor: User,
    changes: dict[str, object],
    service_area: ServiceArea | None = None,
) -> ServiceArea:
    """Add a service area (service_area None) or change one; names are unique within the
    organisation."""
    creating = service_area is None
    area = service_area or ServiceArea(organisation=organisation)
    if area.organisation_id != organisation.pk:
        raise AdministrationError("That service area belongs to another organisation.")
    before, after = differences(
        {k: (None if creating else getattr(area, k)) for k in changes}, changes
    )
    if not after:
        return area
    for field, value in changes.items():
        setattr(area, field, value)
    try:
        with transaction.atomic(durable=True):
            area.save()
            admin_change_record(
                organisation=organisation,
                actor=actor,
                what="service_area.add" if creating else "service_area.change",
                summary=(
                    f"Added the service area {area.name}"
                    if creating
                    else f"Changed the service area {area.name}"
                ),
                before={} if creating else before,
                after={k: shown(getattr(area, k)) for k in SERVICE_AREA_FIELDS}
                if creating
                else after,
            )
    except IntegrityError:
        raise AdministrationError(
            f"There is already a service area called {area.name}. Choose another name."
        ) from None
    return area
