"""The sweep's reminder of the policy's own review (Pivotal §24.1: "reviewed annually by
Pivotal's Senior Leadership Team"): the lead officer is told (in the app, and by the e-mail
their preference asks for) REVIEW_REMIND_BEFORE working days before the review is due, and
once more the day after it passes unrecorded. Each is told once per due date
(PolicyReviewNotice's unique key, inserted in the same transaction as the notifications);
recording the review (Administration, Policy versions: the lead officer or an administrator)
moves the due date."""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from fairhear.accounts.models import Organisation, User
from fairhear.accounts.selectors import organisation_calendar
from fairhear.alerts.services import Mail
from fairhear.domain.clock import fmt_day
from fairhear.domain.policy_review import review_reminder_is_due
from fairhear.links import absolute_url
from fairhear.notifications.models import PolicyReviewNotice
from fairhear.notifications.told import leads_to_tell, notice_told_once
from fairhear.policies.selectors import PolicyReviewState, policy_review_state

Kind = PolicyReviewNotice.Kind


def sweep_policy_review(organisation: Organisation, now: datetime) -> dict:
    """Remind the lead officer of the policy's review, or tell them it is overdue; what was
    sent ({"policy_review": "reminder"|"overdue"} or nothing)."""
    state = policy_review_state(organisation=organisation)
    if state is None or state.due is None:
        return {}
    today = timezone.localdate(now)
    if today > state.due:
        kind = Kind.OVERDUE
    elif review_reminder_is_due(organisation_calendar(organisation), today, state.due):
        kind = Kind.REMINDER
    else:
        return {}
    leads = leads_to_tell(organisation)
    if not leads:
        return {"policy_review": "no lead officer with an e-mail address to tell"}

    told = notice_told_once(
        record=lambda told: PolicyReviewNotice.objects.create(
            organisation=organisation, due=state.due, kind=kind, **told
        ),
        people=leads,
        organisation_id=organisation.pk,
        source=f"policy_review:{organisation.pk}:{state.due.isoformat()}:{kind}",
        kind=f"policy_review_{kind}",
        title=_subject(kind, state.due),
        line="Record the review on the Policy versions page of Administration.",
        mail=lambda user: Mail(
            _subject(kind, state.due), _text(user, organisation, state, kind, today)
        ),
        link=reverse("administration:policy"),
    )
    if not told:
        return {}  # told already, by another sweep or worker
    return {"policy_review": str(kind)}


def _subject(kind: str, due: date) -> str:
    if kind == Kind.OVERDUE:
        return f"The policy's review was due on {fmt_day(due)}"
    return f"The policy is due for review by {fmt_day(due)}"


def _text(
    user: User, organisation: Organisation, state: PolicyReviewState, kind: str, today: date
) -> str:
    version = organisation.active_policy_version
    every = "year" if state.every_months == 12 else f"{state.every_months} months"
    since = (
        f"It was last reviewed on {fmt_day(state.last.reviewed_on)}."
        if state.last
        else "No review of this version has been recorded in Fairhear."
    )
    when = (
        f"was due on {fmt_day(state.due)} and has not been recorded"
        if kind == Kind.OVERDUE
        else f"is due by {fmt_day(state.due)}"
    )
    url = absolute_url(reverse("administration:policy"))
    return (
        f"Hello {user.first_name or user},\n\n"
        f"The review of {organisation}'s complaints policy ({version}) {when}. "
        f"The policy asks for a review every {every} ({state.cites}). {since}\n\n"
        "When the review is done, record it (the date and what it decided, even if nothing "
        f"changes) on the Policy versions page of Administration: {url}\n\n"
        "You are sent this because you are the lead officer for complaints.\n"
    )
