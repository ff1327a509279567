"""The CQC's request for a summary (CQC Regulation 16(3)): "on request, give the Commission a
summary of complaints, responses to complaints and correspondence with service users and any
other information" for the period asked, within 28 days beginning the day after the request
was received (domain/cqc.py). A request is recorded, its summary counted from the case events
when it is shown or printed, and it is recorded as sent; the sweep reminds the lead officer of
it (notifications/cqc.py).

The summary reuses the figures the other reports count: complaints received and their causes,
outcomes, the stage reached and responses on time per stage are MMBM 11's (`mmbm.mmbm_figures`),
the split by service area the dashboard's (`dashboard.received_by_area`). Only the escalations
by stage and the correspondence are tallied here, from the same event sets (kpis.CQC). It is a
summary: counts only, no names and no case references.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Concat
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from fairhear.accounts.audit import admin_change_record
from fairhear.accounts.models import Organisation, ServiceArea, User
from fairhear.domain import kpis
from fairhear.domain.clock import fmt_day
from fairhear.domain.cqc import CITES, cqc_state, days_left_words, pack_names_cqc
from fairhear.domain.kpis import Period
from fairhear.domain.lifecycle import Action, CommunicationChannel, Direction
from fairhear.letters.render import (
    brand_colour,
    css_string,
    logo_data_uri,
    organisation_lines,
    pdf_from_html,
)
from fairhear.policies.selectors import policy_pack_for
from fairhear.reporting import events as ev
from fairhear.reporting.board_pdf import Part, Row, Table, share
from fairhear.reporting.dashboard import OUTCOME_NAMES, received_by_area
from fairhear.reporting.events import Scope, tally
from fairhear.reporting.mmbm import mmbm_figures
from fairhear.reporting.models import CQC_NOTES_LIMIT, CqcRequest

TITLE = "Summary of complaints for the Care Quality Commission"


class CqcRequestInvalid(ValueError):
    """A request, or its sending, that cannot be recorded; the message says what to change."""


# ---------------------------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------------------------


def organisation_names_cqc(organisation: Organisation) -> bool:
    """Does the organisation's active policy pack name the CQC (domain/cqc.py)?"""
    version = organisation.active_policy_version
    return pack_names_cqc(policy_pack_for(version) if version else None)


def cqc_request_list(*, organisation: Organisation) -> QuerySet[CqcRequest]:
    """The organisation's requests, the latest received first."""
    return CqcRequest.objects.filter(organisation=organisation).select_related(
        "service_area", "recorded_by", "sent_by"
    )


def cqc_request_get(*, organisation: Organisation, pk: int) -> CqcRequest:
    """One of the organisation's requests; 404 for any other organisation's."""
    found = cqc_request_list(organisation=organisation).filter(pk=pk).first()
    if found is None:
        raise Http404("No such request.")
    return found


def cqc_requests_unsent(*, organisation: Organisation) -> QuerySet[CqcRequest]:
    """The requests whose summary is not yet recorded as sent (the sweep's)."""
    return CqcRequest.objects.filter(organisation=organisation, sent_on__isnull=True)


def standing(request: CqcRequest, today: date) -> dict:
    """Where the request stands today: its due date, the days left in words, its state."""
    state = cqc_state(today, request.due, request.sent_on)
    return {
        "due": request.due,
        "due_words": fmt_day(request.due),
        "left": days_left_words(today, request.due, request.sent_on),
        "state": state,
        "state_label": state.label,
    }


# ---------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------


def _check(today: date, received_on: date, period_from: date, period_to: date, notes: str) -> None:
    if received_on > today:
        raise CqcRequestInvalid(
            f"The date received, {fmt_day(received_on)}, is in the future; enter the day the "
            "request arrived."
        )
    if period_to < period_from:
        raise CqcRequestInvalid("The end of the period must be the same as or after its start.")
    if len(notes) > CQC_NOTES_LIMIT:
        raise CqcRequestInvalid(f"Shorten the notes to {CQC_NOTES_LIMIT:,} characters or fewer.")


def cqc_request_record(
    *,
    organisation: Organisation,
    actor: User,
    received_on: date,
    period_from: date,
    period_to: date,
    service_area: ServiceArea | None = None,
    cqc_reference: str = "",
    notes: str = "",
) -> CqcRequest:
    """Record a request from the CQC, in the administrative change log too."""
    notes, cqc_reference = notes.strip(), cqc_reference.strip()
    _check(timezone.localdate(), received_on, period_from, period_to, notes)
    if service_area is not None and service_area.organisation_id != organisation.pk:
        raise CqcRequestInvalid("Choose one of your organisation's service areas.")
    with transaction.atomic():
        request = CqcRequest.objects.create(
            organisation=organisation,
            received_on=received_on,
            period_from=period_from,
            period_to=period_to,
            service_area=service_area,
            cqc_reference=cqc_reference,
            notes=notes,
            recorded_at=timezone.now(),
            recorded_by=actor,
        )
        admin_change_record(
            organisation=organisation,
            actor=actor,
            what="report.cqc_request",
            summary=f"Recorded a request from the CQC received on {fmt_day(received_on)}",
            after={
                "received_on": received_on.isoformat(),
                "period_from": period_from.isoformat(),
                "period_to": period_to.isoformat(),
                "service_area": service_area.name if service_area else "",
                "cqc_reference": cqc_reference,
            },
        )
    return request


def cqc_request_mark_sent(*, request: CqcRequest, actor: User, sent_on: date) -> CqcRequest:
    """Record the summary as sent on `sent_on` (once: a second time is refused)."""
    if sent_on > timezone.localdate():
        raise CqcRequestInvalid(
            f"The date sent, {fmt_day(sent_on)}, is in the future; enter the day it was sent."
        )
    if sent_on < request.received_on:
        raise CqcRequestInvalid(
            f"The date sent must be on or after the day the request was received, "
            f"{fmt_day(request.received_on)}."
        )
    with transaction.atomic():
        locked = CqcRequest.objects.select_for_update().get(pk=request.pk)
        if locked.sent_on is not None:
            raise CqcRequestInvalid(
                f"This summary was already recorded as sent on {fmt_day(locked.sent_on)}."
            )
        locked.sent_on, locked.sent_by = sent_on, actor
        locked.save(update_fields=["sent_on", "sent_by"])
        admin_change_record(
            organisation=locked.organisation,
            actor=actor,
            what="report.cqc_request_sent",
            summary=(
                f"Recorded the summary for the CQC's request of {fmt_day(locked.received_on)} "
                f"as sent on {fmt_day(sent_on)}"
            ),
            before={"sent_on": ""},
            after={"sent_on": sent_on.isoformat()},
        )
    return locked


# ---------------------------------------------------------------------------------------------
# The summary
# ---------------------------------------------------------------------------------------------


def _by_stage(counts: dict) -> dict[str, int]:
    return {str(stage): found["value"] for (_, stage), found in sorted(counts.items())}


def cqc_summary(scope: Scope, start: date, end: date) -> dict:
    """The summary's figures for the London dates `start` to `end`: counts only."""
    mmbm = mmbm_figures(scope, Period("all", start, end))
    escalated = tally(
        ev.of_kind(scope, start, end, kpis.ESCALATION_ACCEPTED_EVENT),
        None,
        per="event",
        split="stage",
    )
    communications = ev.of_kind(scope, start, end, Action.RECORD_COMMUNICATION).annotate(
        part=Concat(
            Cast(KeyTextTransform("direction", "data"), CharField()),
            Value(" "),
            Cast(KeyTextTransform("channel", "data"), CharField()),
            output_field=CharField(),
        )
    )
    letters = tally(ev.of_kind(scope, start, end, Action.SEND_LETTER), None, per="event")
    by_part = {
        part: found["value"]
        for (_, part), found in tally(communications, None, per="event", split="part").items()
    }
    responses = [
        {
            "stage": stage,
            "sent": figure["denominator"],
            "on_time": figure["numerator"],
            "late": figure["denominator"] - figure["numerator"],
            "share": share(figure),
        }
        for stage, figure in sorted(mmbm["on_time_by_stage"]["by"].items())
    ]
    return {
        "from": start,
        "to": end,
        "service_area": scope.service_area,
        "received": mmbm["received"]["value"],
        "causes": {code: f["value"] for code, f in mmbm["causes"]["by"].items()},
        "by_service_area": {
            area: f["value"] for area, f in received_by_area(scope, start, end).items()
        },
        "escalated": _by_stage(escalated),
        "responses": responses,
        "outcomes": {part: f["value"] for part, f in mmbm["outcomes"]["by"].items()},
        "stage_reached": {stage: f["value"] for stage, f in mmbm["stage_reached"]["by"].items()},
        "correspondence": {
            (d.value, c.value): by_part.get(f"{d.value} {c.value}", 0)
            for d in Direction
            for c in CommunicationChannel
        },
        "letters_sent": letters.get(("all", None), {"value": 0})["value"],
    }


def _stage(key: str) -> str:
    return "Local resolution" if key == "0" else f"Stage {key}"


def summary_tables(summary: dict, categories: dict[str, str]) -> list[Table]:
    """The summary as tables, for the page and the PDF alike."""
    received = [Row("Complaints received", [str(summary["received"])], "refused ones included")]
    received.append(Row("By category", [""], "a complaint may have two"))
    for code, label in categories.items():
        received.append(Row(label, [str(summary["causes"].get(code, 0))], sub=True))
    received.append(Row("By service area", [""]))
    for area, n in summary["by_service_area"].items():
        received.append(Row(area[:1].upper() + area[1:], [str(n)], sub=True))
    received.append(Row("By stage", [""], "escalations accepted in the period"))
    received.append(Row("Stage 1 (complaints received)", [str(summary["received"])], sub=True))
    for stage, n in summary["escalated"].items():
        received.append(Row(f"Stage {stage} (escalations accepted)", [str(n)], sub=True))

    responses = [
        Row(_stage(r["stage"]), [str(r["sent"]), str(r["on_time"]), str(r["late"])])
        for r in summary["responses"]
    ]

    order = {outcome: i for i, outcome in enumerate(kpis.OUTCOMES)}
    parts = sorted(
        (p for p in summary["outcomes"] if p.startswith("stage ")),
        key=lambda p: (int(p.split(" ")[1]), order.get(p.split(" ", 2)[2], len(order))),
    )
    outcomes = []
    for part in parts:
        _, stage, outcome = part.split(" ", 2)
        label = f"Stage {stage}: {OUTCOME_NAMES.get(outcome, outcome).lower()}"
        outcomes.append(Row(label, [str(summary["outcomes"][part])]))
    for part in ("refused", "withdrawn"):
        n = summary["outcomes"].get(part, 0)
        outcomes.append(Row(f"{OUTCOME_NAMES[part]} (complaints)", [str(n)]))
    outcomes.append(Row("Stage reached by complaints closed", [""]))
    for stage, n in sorted(summary["stage_reached"].items()):
        outcomes.append(Row(_stage(stage), [str(n)], sub=True))

    correspondence = [
        Row(
            channel.label,
            [str(summary["correspondence"][(d.value, channel.value)]) for d in Direction],
        )
        for channel in CommunicationChannel
    ]
    totals = [
        str(sum(n for (d, _), n in summary["correspondence"].items() if d == direction.value))
        for direction in Direction
    ]
    correspondence.append(Row("All communications", totals))
    correspondence.append(
        Row(
            "Letters Fairhear sent",
            ["", str(summary["letters_sent"])],
            "acknowledgements and other letters printed from the case",
        )
    )
    return [
        Table("Complaints received in the period", "Complaints", ["Number"], received),
        Table(
            "Responses sent in the period, against the policy's due dates",
            "Stage",
            ["Sent", "On time", "Late"],
            responses,
        ),
        Table("Outcomes of responses sent in the period", "Outcome", ["Number"], outcomes),
        Table(
            "Correspondence with complainants in the period",
            "Channel",
            [d.label for d in Direction],
            correspondence,
        ),
    ]


def definitions() -> list[kpis.Figure]:
    """What each figure of the summary counts (docs/reports.md)."""
    mmbm = {f.key: f for f in kpis.MMBM}
    dashboard = {f.key: f for f in kpis.DASHBOARD}
    return [
        mmbm["received"],
        mmbm["causes"],
        dashboard["received_by_service_area"],
        kpis.CQC[0],
        mmbm["on_time_by_stage"],
        mmbm["outcomes"],
        mmbm["stage_reached"],
        kpis.CQC[1],
    ]


def request_scope(request: CqcRequest, cases: QuerySet | None) -> Scope:
    """Whose events the summary counts: the organisation's (the registered service's, when the
    request names one), only the cases the colleague may see."""
    area = request.service_area.name if request.service_area_id else None
    return Scope(request.organisation, service_area=area, cases=cases)


def _when(request: CqcRequest) -> str:
    words = f"{request.period_from:%-d %B %Y} to {request.period_to:%-d %B %Y}"
    if request.service_area_id:
        words += f", {request.service_area.name}"
    return words


def cqc_summary_html(request: CqcRequest, cases: QuerySet | None, today: date) -> str:
    scope = request_scope(request, cases)
    summary = cqc_summary(scope, request.period_from, request.period_to)
    pack = policy_pack_for(request.organisation.active_policy_version)
    categories = {c.code: c.label for c in pack.categories}
    org = request.organisation
    about = [
        f"The Care Quality Commission asked on {fmt_day(request.received_on)}"
        + (f" (its reference {request.cqc_reference})" if request.cqc_reference else "")
        + f" for a summary of complaints, responses and correspondence ({CITES}). This is "
        "that summary: counts only, with no complainant's name.",
        "Every figure is counted from each case's history for the London dates of the period, "
        "inclusive: an event counts on its own date.",
    ]
    counts = [Part(f.name, words=[f"{f.counts} ({f.cites})"]) for f in definitions()]
    parts = [
        Part("About this summary", words=about),
        Part("The figures", tables=summary_tables(summary, categories)),
        Part("What each figure counts", words=[f"{p.heading}: {p.words[0]}" for p in counts]),
    ]
    return render_to_string(
        "reporting/pdf/board.html",
        {
            "organisation": org,
            "org_lines": organisation_lines(org),
            "logo": logo_data_uri(org),
            "brand_colour": brand_colour(org),
            "title": TITLE,
            "when": _when(request),
            "today": f"{today:%-d %B %Y}",
            "area": None,
            "parts": parts,
            "css_footer": css_string(f"{org.name} · {TITLE}, {request.period_from:%Y-%m-%d}"),
        },
    )


def cqc_summary_pdf(request: CqcRequest, cases: QuerySet | None, today: date) -> bytes:
    """The summary as a tagged PDF, through the board reports' template and CSS."""
    return pdf_from_html(cqc_summary_html(request, cases, today))
