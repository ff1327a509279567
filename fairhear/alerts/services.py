"""Telling colleagues: the in-app notification for each person, once per thing told, and the
e-mail their preference asks for, queued in the caller's transaction (so both are kept if and
only if the event that causes them is).

- An urgent notice (the priority e-mails: a new complaint, a safeguarding or health and safety
  flag; Pivotal §9 stage 1 step 5, §9.2, Appendix 3 F) is e-mailed at once to everyone.
- Anything else is e-mailed at once, left for the next daily digest, or not e-mailed, as each
  colleague chose (NotificationPreference; the notifications page "How you are e-mailed").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from fairhear.accounts.models import User
from fairhear.alerts.models import DailyDigest, Notification, NotificationPreference
from fairhear.outbox.services import OutboxInputError, outbox_enqueue

Email = NotificationPreference.Email
Emailed = Notification.Emailed


@dataclass(frozen=True, slots=True)
class Mail:
    """The e-mail that tells one person, should their preference ask for it now."""

    subject: str
    body_text: str
    headers: Mapping[str, str] | None = None
    thread: str = ""


@dataclass(frozen=True, slots=True)
class Sent:
    """One person told: their notification and, if it was e-mailed now, the Message-ID."""

    user: User
    notification: Notification
    message_id: str


def preferences_of(user_ids: Iterable[int]) -> dict[int, str]:
    """Each colleague's choice of e-mail (immediately unless they chose otherwise): one query."""
    ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids).values_list("user_id", "email")
    )
    return {pk: chosen.get(pk, Email.IMMEDIATELY) for pk in ids}


def notify_people(
    *,
    people: Iterable[User],
    organisation_id: int,
    source: str,
    kind: str,
    title: str,
    line: str = "",
    mail: Callable[[User], Mail],
    case_id: int | None = None,
    link: str = "",
    urgent: bool = False,
) -> list[Sent]:
    """Tell each person once of the thing `source` names: their notification row and, as
    their preference (or the notice's urgency) asks, the e-mail `mail(user)` at once. A person
    told of it before is passed by (the unique key (user, source)); who was told now is
    returned, in order. Call it inside the transaction of the change that causes it."""
    if len(source) > Notification._meta.get_field("source").max_length:
        raise OutboxInputError("A notification's source is at most 150 characters.")
    if not transaction.get_connection().in_atomic_block:
        raise OutboxInputError(
            "Tell colleagues inside the transaction of the change that causes it "
            "(transaction.atomic), so that the two commit together."
        )
    people = list({u.pk: u for u in people}.values())
    told_before = set(
        Notification.objects.filter(source=source, user_id__in=[u.pk for u in people]).values_list(
            "user_id", flat=True
        )
    )
    people = [u for u in people if u.pk not in told_before]
    chosen = preferences_of(u.pk for u in people)
    sent: list[Sent] = []
    for user in people:
        how = _how(chosen[user.pk], urgent=urgent, has_address=bool(user.email))
        message_id = ""
        if how == Emailed.NOW:
            message = mail(user)
            message_id = outbox_enqueue(
                organisation_id=organisation_id,
                to=[user.email],
                subject=message.subject,
                body_text=message.body_text,
                headers=message.headers,
                kind=kind,
                thread=message.thread,
            ).message_id
        row = Notification(
            organisation_id=organisation_id,
            user=user,
            source=source,
            kind=kind,
            urgent=urgent,
            case_id=case_id,
            title=title[:300],
            line=line[:500],
            link=link,
            emailed=how,
            message_id=message_id,
        )
        sent.append(Sent(user, row, message_id))
    # One INSERT, no savepoint (the public form's transaction has none). Should another
    # transaction have told the same person of the same thing meanwhile, the unique key
    # refuses this one whole, e-mails included, rather than tell anyone twice.
    Notification.objects.bulk_create([s.notification for s in sent])
    return sent


def _how(preference: str, *, urgent: bool, has_address: bool) -> str:
    if not has_address:
        return Emailed.NONE
    if urgent or preference == Email.IMMEDIATELY:
        return Emailed.NOW
    return Emailed.DIGEST if preference == Email.DIGEST else Emailed.NONE


def notification_preference_set(*, user: User, email: str) -> NotificationPreference:
    """Keep how the colleague wants to be e-mailed."""
    if email not in Email.values:
        raise ValueError(
            "Choose how you want to be e-mailed: each one as it happens, one e-mail each "
            "working day, or no e-mail."
        )
    preference, created = NotificationPreference.objects.get_or_create(
        user=user, defaults={"email": email}
    )
    if not created and preference.email != email:
        # Saved only when it changes: the digest's "new since" starts from the change.
        preference.email = email
        preference.save(update_fields=["email", "updated_at"])
    return preference


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the colleague read; how many were."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_mark_read(*, notification: Notification) -> None:
    """Mark one notification read (once: the first time it was opened is kept)."""
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def daily_digest_send(
    *,
    user: User,
    organisation_id: int,
    day: date,
    counts: Mapping[str, int],
    mail: Mail | None,
) -> DailyDigest | None:
    """Record the colleague's digest of `day` and queue its e-mail (`mail`; None when there is
    nothing to tell, and the day is still marked done), in one transaction; None when it was
    sent already, by another sweep or worker (the unique key (user, day))."""
    try:
        with transaction.atomic():
            digest = DailyDigest.objects.create(
                organisation_id=organisation_id,
                user=user,
                day=day,
                sent_at=timezone.now(),
                counts=dict(counts),
            )
            if mail is not None:
                digest.message_id = outbox_enqueue(
                    organisation_id=organisation_id,
                    to=[user.email],
                    subject=mail.subject,
                    body_text=mail.body_text,
                    kind="daily_digest",
                ).message_id
                digest.save(update_fields=["message_id"])
    except IntegrityError:
        return None
    return digest
