"""The "my work" list: what this colleague should act on next, soonest due first."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fairhear.accounts.selectors import organisation_calendar
from fairhear.cases.presenters import due_tag, stage_label, state_label
from fairhear.cases.selectors import my_work_for
from fairhear.policies.selectors import policy_pack_for


def my_work(request: HttpRequest) -> HttpResponse:
    """Open cases for the colleague, ordered by the next due date, overdue and due soon marked."""
    user = request.user
    today = timezone.localdate()
    rows = []
    if user.organisation_id:
        cal = organisation_calendar(user.organisation)
        for case in my_work_for(user=user).select_related("policy_version")[:200]:
            pack = policy_pack_for(case.policy_version)
            rows.append(
                {
                    "case": case,
                    "stage": stage_label(case, pack),
                    "state": state_label(case),
                    "tag": due_tag(case.next_due, today=today, cal=cal),
                }
            )
    counts = {
        "overdue": sum(1 for r in rows if r["tag"].tone == "overdue"),
        "soon": sum(1 for r in rows if r["tag"].tone == "soon"),
    }
    return render(
        request, "cases/pages/my_work.html", {"rows": rows, "counts": counts, "today": today}
    )
