"""The sweep's reminder of the CQC's requests for a summary (CQC Regulation 16(3): within 28
days beginning the day after receipt of the request): the lead officer(s) are told (in the app,
and by the e-mail their preference asks for) CQC_REMIND_BEFORE working days before the summary
is due, and once more the day after it passes unsent. Each is told once per request
(CqcSummaryNotice's unique key, inserted in the same transaction as the notifications); nothing
is sent once the summary is recorded as sent."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from fairhear.accounts.models import Organisation, User
from fairhear.accounts.selectors import organisation_calendar
from fairhear.alerts.services import Mail
from fairhear.domain.clock import fmt_day
from fairhear.domain.cqc import CITES, cqc_overdue_is_due, cqc_reminder_is_due
from fairhear.links import absolute_url
from fairhear.notifications.models import CqcSummaryNotice
from fairhear.notifications.told import leads_to_tell, notice_told_once
from fairhear.reporting.cqc import cqc_requests_unsent
from fairhear.reporting.models import CqcRequest

Kind = CqcSummaryNotice.Kind


def sweep_cqc_requests(organisation: Organisation, now: datetime) -> dict:
    """Remind the lead officer of each unsent summary due soon, or tell them it is overdue;
    what was sent ({"reminder": [ids], "overdue": [ids]}, or nothing)."""
    today = timezone.localdate(now)
    unsent = list(cqc_requests_unsent(organisation=organisation))
    if not unsent:
        return {}
    calendar = organisation_calendar(organisation)
    told: dict[str, list[int]] = {}
    leads: list[User] | None = None
    for request in unsent:
        due = request.due
        if cqc_overdue_is_due(today, due):
            kind = Kind.OVERDUE
        elif cqc_reminder_is_due(calendar, today, due):
            kind = Kind.REMINDER
        else:
            continue
        if CqcSummaryNotice.objects.filter(request=request, due=due, kind=kind).exists():
            continue
        if leads is None:
            leads = leads_to_tell(organisation)
        if not leads:
            return {"cqc": "no lead officer with an e-mail address to tell"}
        if _tell(organisation, request, kind, leads):
            told.setdefault(str(kind), []).append(request.pk)
    return told


def _tell(organisation: Organisation, request: CqcRequest, kind: str, leads: list[User]) -> bool:
    due = request.due
    link = reverse("reporting:cqc_request", args=[request.pk])

    return notice_told_once(
        record=lambda told: CqcSummaryNotice.objects.create(
            request=request, due=due, kind=kind, **told
        ),
        people=leads,
        organisation_id=organisation.pk,
        source=f"cqc_summary:{request.pk}:{due.isoformat()}:{kind}",
        kind=f"cqc_summary_{kind}",
        title=_subject(kind, request),
        line="Send the summary, then record it as sent on the request's page.",
        mail=lambda user: Mail(_subject(kind, request), _text(user, request, kind, link)),
        link=link,
    )


def _subject(kind: str, request: CqcRequest) -> str:
    if kind == Kind.OVERDUE:
        return f"The summary the CQC asked for was due on {fmt_day(request.due)}"
    return f"The summary the CQC asked for is due by {fmt_day(request.due)}"


def _text(user: User, request: CqcRequest, kind: str, link: str) -> str:
    when = (
        f"was due on {fmt_day(request.due)} and has not been recorded as sent"
        if kind == Kind.OVERDUE
        else f"is due by {fmt_day(request.due)}"
    )
    reference = f" (its reference {request.cqc_reference})" if request.cqc_reference else ""
    url = absolute_url(link)
    return (
        f"Hello {user.first_name or user},\n\n"
        f"The Care Quality Commission asked on {fmt_day(request.received_on)}{reference} for a "
        f"summary of complaints, responses and correspondence for {request.period_from:%-d %B %Y} "
        f"to {request.period_to:%-d %B %Y}. It {when}: {CITES} gives 28 days beginning the day "
        "after the request was received, and the CQC can prosecute a failure to send it "
        "without a warning notice first.\n\n"
        f"The summary, and a PDF of it, are on the request's page: {url}\n"
        "When it has gone, record it as sent there.\n\n"
        "You are sent this because you are the lead officer for complaints.\n"
    )
