"""The "my work" list: what this colleague should act on next, soonest due first."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fairhear.accounts.selectors import organisation_calendar
from fairhear.cases.presenters import due_tag, stage_label, state_label
from fairhear.cases.selectors import integrity_report_for, my_work_for
from fairhear.domain.policy.schema import PolicyPack
from fairhear.policies.selectors import PolicyVersionTampered, policy_pack_for

STOPPED = "Stopped: its policy version failed its integrity check"


def my_work(request: HttpRequest) -> HttpResponse:
    """Open cases for the colleague, ordered by the next due date, overdue and due soon marked."""
    user = request.user
    today = timezone.localdate()
    rows = []
    if user.organisation_id:
        cal = organisation_calendar(user.organisation)
        # Most rows share a version or two: check and read each once, not once per row.
        packs: dict[int, PolicyPack | None] = {}
        for case in my_work_for(user=user).select_related("policy_version")[:200]:
            if case.policy_version_id not in packs:
                try:
                    packs[case.policy_version_id] = policy_pack_for(case.policy_version)
                except PolicyVersionTampered:
                    packs[case.policy_version_id] = None
            pack = packs[case.policy_version_id]
            stage = stage_label(case, pack) if pack is not None else STOPPED
            rows.append(
                {
                    "case": case,
                    "stage": stage,
                    "state": state_label(case),
                    "tag": due_tag(case.next_due, today=today, cal=cal),
                }
            )
    counts = {
        "overdue": sum(1 for r in rows if r["tag"].tone == "overdue"),
        "soon": sum(1 for r in rows if r["tag"].tone == "soon"),
    }
    return render(
        request,
        "cases/pages/my_work.html",
        {
            "rows": rows,
            "counts": counts,
            "today": today,
            "integrity": integrity_report_for(user=user),
        },
    )


def log_check(request: HttpRequest) -> HttpResponse:
    """For the lead officer: what the latest check of the case log found (docs/adr/ADR-005)."""
    integrity = integrity_report_for(user=request.user)
    if integrity is None:
        raise Http404("Only the lead officer can see the log check.")
    return render(request, "cases/pages/log_check.html", {"integrity": integrity})
