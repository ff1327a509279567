"""What-if replay: each open complaint's deadlines under its own policy version and under
another one, for an administrator deciding whether to make that version active.

Information only: a case keeps the version it was opened under, so activating a new version
never moves an open case's deadlines (BRIEF core idea 1). Only cases the colleague may see
are named; the others are counted (need to know).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fairhear.accounts.models import Organisation, User
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_list_visible_to
from fairhear.cases.services import case_timetable
from fairhear.domain.lifecycle import OPEN_STATES, CaseKind
from fairhear.domain.policy.evaluate import ClockResult, TimetableInputError
from fairhear.domain.policy.schema import PolicyPack
from fairhear.policies.selectors import PolicyVersionTampered, policy_pack_for

# The most open complaints one replay works out (each reads the case's events); the page says
# when there were more.
WHAT_IF_LIMIT = 1_000


@dataclass(frozen=True, slots=True)
class ClockDifference:
    """One clock whose due date would differ (None: no such clock, or not started)."""

    label: str
    own_due: date | None
    new_due: date | None


@dataclass(slots=True)
class CaseWhatIf:
    reference: str
    own_version: str
    differences: list[ClockDifference]


@dataclass(slots=True)
class WhatIfReport:
    """The replay: how many open complaints were compared and which would differ."""

    compared: int = 0
    more_than_limit: bool = False
    differing: list[CaseWhatIf] = field(default_factory=list)
    hidden_compared: int = 0
    hidden_differing: int = 0
    not_worked_out: int = 0


def _differences(own: list[ClockResult], new: list[ClockResult]) -> list[ClockDifference]:
    """The clocks open under either version whose due dates differ, in the own pack's order
    and then the new pack's."""
    was, now = {r.name: r for r in own}, {r.name: r for r in new}
    differences = []
    for name in [*was, *(n for n in now if n not in was)]:
        before, after = was.get(name), now.get(name)
        if not ((before and before.open) or (after and after.open)):
            continue
        own_due = before.due if before else None
        new_due = after.due if after else None
        if own_due != new_due:
            label = (after or before).rule.label
            differences.append(ClockDifference(label, own_due, new_due))
    return differences


def case_deadlines_what_if(
    *, user: User, organisation: Organisation, pack: PolicyPack
) -> WhatIfReport:
    """Each open complaint's open deadlines under its own version and under `pack`."""
    report = WhatIfReport()
    cases = list(
        Case.objects.filter(
            organisation=organisation,
            kind=CaseKind.COMPLAINT,
            state__in=[s.value for s in OPEN_STATES],
        )
        .select_related("organisation", "policy_version")
        .order_by("received_at", "pk")[: WHAT_IF_LIMIT + 1]
    )
    report.more_than_limit = len(cases) > WHAT_IF_LIMIT
    cases = cases[:WHAT_IF_LIMIT]
    visible = set(
        case_list_visible_to(user=user)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    for case in cases:
        try:
            own = case_timetable(case, policy_pack_for(case.policy_version))
            new = case_timetable(case, pack)
        except (PolicyVersionTampered, TimetableInputError, KeyError):
            report.not_worked_out += 1
            continue
        differences = _differences(own, new)
        if case.pk in visible:
            report.compared += 1
            if differences:
                report.differing.append(
                    CaseWhatIf(case.reference, str(case.policy_version), differences)
                )
        else:
            report.hidden_compared += 1
            report.hidden_differing += bool(differences)
    return report
