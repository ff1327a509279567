"""Two-factor sign-in (django-otp): a code from an authenticator app (TOTP), or one of ten
recovery codes that each work once (a static device). Optional for every colleague; an
organisation can require it of its leads and administrators (docs/security.md).

After the password, a colleague who has set it up is asked for a code before any other page;
one who must have it and has not set it up is sent to set it up.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fairhear.accounts.audit import admin_change_record
from fairhear.accounts.models import User
from fairhear.domain.policy.schema import Capability

APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"
WRONG_CODE = (
    "That code is not right. Enter the 6-digit code your authenticator app shows for "
    "Fairhear now (it changes every 30 seconds), or one of your recovery codes. A recovery "
    "code works only once."
)


class TwoFactorError(ValueError):
    """A code that was refused, or a change that cannot be made, in plain words."""


def two_factor_required(user: User) -> bool:
    """True when the colleague's organisation requires two-factor sign-in of them: leads and
    administrators, when the organisation's setting is on."""
    org = user.organisation
    held = set(user.capabilities or [])
    return bool(
        org is not None
        and org.require_two_factor
        and held & {Capability.LEAD.value, Capability.ADMINISTER.value}
    )


def two_factor_enrolled(user: User) -> bool:
    """True when the colleague has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, name=APP_DEVICE, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes the colleague has."""
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE).count()


def two_factor_start(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: a new secret, unconfirmed until a code from it is
    entered (one already half set up is started again, so an old QR code stops working)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def two_factor_pending(*, user: User) -> TOTPDevice | None:
    """The authenticator app being set up, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What the set-up page shows: the secret as a QR code (inline SVG) and as text."""

    qr_svg: str
    secret: str


def enrolment_for(device: TOTPDevice) -> Enrolment:
    """The QR code and the secret (base32, in groups of four) for an authenticator app."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=4, dark="#0b0c0c")
    svg = svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code to scan with your authenticator app" ', 1
    )
    return Enrolment(svg, " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)))


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.FAIRHEAR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def two_factor_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator app with a code from it, sign this session in with it, and
    return new recovery codes (shown once; only they are stored, never shown again)."""
    user = request.user
    if device.user_id != user.pk or device.confirmed:
        raise TwoFactorError("Start setting up your authenticator app again.")
    with transaction.atomic():
        if not device.verify_token(_digits(token)):
            raise TwoFactorError(
                "That code is not right. Enter the 6-digit code the authenticator app shows "
                "for Fairhear now; it changes every 30 seconds."
            )
        TOTPDevice.objects.filter(user=user, name=APP_DEVICE, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
    otp_login(request, device)
    return codes


def two_factor_new_recovery_codes(*, user: User) -> list[str]:
    """Replace the colleague's recovery codes (the old ones stop working)."""
    if not two_factor_enrolled(user):
        raise TwoFactorError("Set up an authenticator app first.")
    with transaction.atomic():
        return _new_recovery_codes(user)


def _digits(token: str) -> str:
    return "".join(token.split()).lower()


def two_factor_verify(*, request: HttpRequest, token: str) -> None:
    """Sign this session in with a code from the app or a recovery code (which then stops
    working); TwoFactorError saying what to do if it is wrong or tries come too fast."""
    user = request.user
    token = _digits(token)
    devices = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]
    allowed = [d for d in devices if d.verify_is_allowed()[0]]
    if devices and not allowed:
        raise TwoFactorError(
            "There have been several wrong codes, so codes are paused for a few seconds. "
            "Wait a moment, then enter the code the app shows."
        )
    with transaction.atomic():
        for device in allowed:
            if device.verify_token(token):
                otp_login(request, device)
                return
    raise TwoFactorError(WRONG_CODE)


def two_factor_remove(*, user: User, actor: User) -> None:
    """Remove a colleague's authenticator app and recovery codes: by themself (if not
    required of them), or by an administrator of their organisation for a colleague who has
    lost their phone (recorded in the change log)."""
    if actor.pk == user.pk and two_factor_required(user):
        raise TwoFactorError(
            "Your organisation requires two-factor sign-in for your role, so it cannot be "
            "switched off. To change phone, set it up again."
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        if actor.pk != user.pk:
            admin_change_record(
                organisation=user.organisation,
                actor=actor,
                what="colleague.two_factor",
                summary=f"Reset {user}'s two-factor sign-in",
                before={"two-factor": True},
                after={"two-factor": False},
            )


_NOTHING_TO_ASK = "fairhear_two_factor_nothing_to_ask"


def note_sign_in(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """On signing in (Django's user_logged_in, as django-otp itself listens): note in the new
    session when there is nothing to ask of this colleague (no app set up, none required), so
    that pages need not ask the database again until they next sign in."""
    session = getattr(request, "session", None)
    if session is not None and not user_has_device(user) and not two_factor_required(user):
        session[_NOTHING_TO_ASK] = user.pk


def _allowed_paths() -> tuple[str, ...]:
    return (
        reverse("two_factor_verify"),
        reverse("two_factor_set_up"),
        reverse("logout"),
        settings.STATIC_URL,
    )


class TwoFactorMiddleware:
    """Between the password and every other page: a colleague with two-factor set up enters a
    code first; one whose organisation requires it, and who has not set it up, sets it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and request.session.get(_NOTHING_TO_ASK) != user.pk
            and not request.path.startswith(_allowed_paths())
        ):
            if user_has_device(user):
                return redirect(f"{reverse('two_factor_verify')}?next={request.path}")
            if two_factor_required(user):
                return redirect("two_factor_set_up")
            # A session from before this check existed: noted once, as at sign-in.
            request.session[_NOTHING_TO_ASK] = user.pk
        return self.get_response(request)
