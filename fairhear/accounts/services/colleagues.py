"""Inviting colleagues and changing what they may do; each change is recorded in the
administrative change log in the same transaction."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from fairhear.accounts.audit import admin_change_record, differences
from fairhear.accounts.models import Organisation, User
from fairhear.accounts.services.organisation import AdministrationError
from fairhear.domain.policy.schema import Capability
from fairhear.outbox.services import outbox_enqueue

COLLEAGUE_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "capabilities",
    "line_manager",
    "service_area",
)


def _check(organisation: Organisation, changes: dict[str, object], user: User | None) -> None:
    manager = changes.get("line_manager")
    if manager is not None and manager.organisation_id != organisation.pk:
        raise AdministrationError("The line manager must be a colleague in your organisation.")
    if manager is not None and user is not None:
        seen = manager
        while seen is not None:
            if seen.pk == user.pk:
                raise AdministrationError(
                    f"{manager} cannot be {user}'s line manager: {user} is already above "
                    f"{manager} in the line. Choose someone else."
                )
            seen = seen.line_manager
    area = changes.get("service_area")
    if area is not None and area.organisation_id != organisation.pk:
        raise AdministrationError("The service area must be one of your organisation's.")
    known = {c.value for c in Capability}
    if not set(changes.get("capabilities") or []) <= known:
        raise AdministrationError("Choose capabilities from the list.")


def colleague_invite(
    *, organisation: Organisation, actor: User, email: str, changes: dict[str, object], site: str
) -> User:
    """Create a colleague's account (signing in with their e-mail address) and queue an e-mail
    in the same transaction with a link to choose their password: Django's password-reset
    token, which works once, within settings.PASSWORD_RESET_TIMEOUT."""
    email = email.strip().lower()
    if User.objects.filter(username__iexact=email).exists() or (
        User.objects.filter(email__iexact=email).exists()
    ):
        raise AdministrationError(
            f"There is already an account for {email}. Find it in the list of colleagues."
        )
    _check(organisation, changes, None)
    with transaction.atomic(durable=True):
        user = User(organisation=organisation, username=email, email=email, **changes)
        user.set_unusable_password()
        user.save()
        _, after = differences({}, {"email": email, **changes})
        admin_change_record(
            organisation=organisation,
            actor=actor,
            what="colleague.invite",
            summary=f"Invited {user} ({email})",
            after=after,
        )
        _queue_invitation(user, actor, site)
    return user


def _queue_invitation(user: User, actor: User, site: str) -> None:
    context = {
        "user": user,
        "invited_by": actor,
        "organisation": user.organisation,
        "site": site,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "timeout_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation.txt", context)
    outbox_enqueue(
        organisation_id=user.organisation_id,
        to=[user.email],
        subject=subject,
        body_text=body,
        kind="invitation",
    )


def colleague_resend_invitation(
    *, organisation: Organisation, actor: User, colleague: User, site: str
) -> None:
    """Send a new set-password link to a colleague who has not chosen a password yet."""
    if colleague.organisation_id != organisation.pk:
        raise AdministrationError("That colleague is not in your organisation.")
    if colleague.has_usable_password():
        raise AdministrationError(
            f"{colleague} has already chosen a password; they can reset it from the sign-in "
            "page if they have forgotten it."
        )
    with transaction.atomic(durable=True):
        admin_change_record(
            organisation=organisation,
            actor=actor,
            what="colleague.invite",
            summary=f"Sent {colleague} a new set-password link",
        )
        _queue_invitation(colleague, actor, site)


def colleague_update(
    *, organisation: Organisation, actor: User, colleague: User, changes: dict[str, object]
) -> list[str]:
    """Change a colleague's names, job title, capabilities, line manager or service area;
    returns the fields changed. An administrator cannot take Administer from themself, so
    that the organisation always keeps one."""
    if colleague.organisation_id != organisation.pk:
        raise AdministrationError("That colleague is not in your organisation.")
    unknown = set(changes) - set(COLLEAGUE_FIELDS)
    if unknown:
        raise AdministrationError(f"These cannot be changed here: {sorted(unknown)}.")
    _check(organisation, changes, colleague)
    if colleague.pk == actor.pk and "capabilities" in changes:
        keeps = {Capability.ADMINISTER.value, Capability.LEAD.value} & set(changes["capabilities"])
        if not keeps:
            raise AdministrationError(
                "You cannot take the Administer capability from yourself. Ask another "
                "administrator to do it."
            )
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=colleague.pk)
        before, after = differences({k: getattr(user, k) for k in changes}, changes)
        if not after:
            return []
        for field, value in changes.items():
            setattr(user, field, value)
        user.save(update_fields=list(after))
        admin_change_record(
            organisation=organisation,
            actor=actor,
            what="colleague.change",
            summary=f"Changed {user}'s {', '.join(f.replace('_', ' ') for f in after)}",
            before=before,
            after=after,
        )
    for field in after:
        setattr(colleague, field, getattr(user, field))
    return list(after)


def colleague_set_active(
    *, organisation: Organisation, actor: User, colleague: User, active: bool
) -> None:
    """Switch a colleague's account off (they can no longer sign in; everything they recorded
    stays, with their name) or on again. Nobody can switch off their own account."""
    if colleague.organisation_id != organisation.pk:
        raise AdministrationError("That colleague is not in your organisation.")
    if colleague.pk == actor.pk and not active:
        raise AdministrationError(
            "You cannot switch off your own account. Ask another administrator."
        )
    if colleague.is_active == active:
        state = "already switched on" if active else "already switched off"
        raise AdministrationError(f"{colleague}'s account is {state}.")
    with transaction.atomic(durable=True):
        User.objects.filter(pk=colleague.pk).update(is_active=active)
        admin_change_record(
            organisation=organisation,
            actor=actor,
            what="colleague.activate" if active else "colleague.deactivate",
            summary=f"{'Switched on' if active else 'Switched off'} {colleague}'s account",
            before={"active": not active},
            after={"active": active},
        )
    colleague.is_active = active
