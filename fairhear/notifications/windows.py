"""The sweep's windows: what happens when a window the pack gives the complainant passes.

- A window to ask for the next stage (a stage's `request_clock`: Pivotal `appeal_request_due`,
  §9 stage 2 point 1; MMBM `stage2_request_due`, §8.2.2) that passes with no request is
  recorded on the case as a `window_closed` event (actor Fairhear, the clock, its last day, the
  section), once, so that a request made later shows as late. The request can still be
  recorded; accepting it then asks for the discretionary decision, as before. This step runs
  before the automatic closure (Pivotal §10.1 c), which closes the case the same night.
- The chance to change after a behaviour warning (the pack's `restrictions.warning_clock`:
  MMBM `behaviour_change_due`, §9) that ends tells the lead officer and the colleague who gave
  the warning that the decision on restrictions is due: once per warning and last day (a
  ClockNotice on the case the warning was recorded on, inserted with their notifications in
  the app and the e-mails their preferences ask for; notifications/told.py). Whether to
  restrict contact stays a person's decision.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.utils import timezone

from fairhear.accounts.models import Organisation, User
from fairhear.accounts.selectors import colleague_list_with
from fairhear.alerts.services import Mail
from fairhear.cases.due import clocks_ended_before, windows_ended_before
from fairhear.cases.models import Case, CaseClock, CaseEvent
from fairhear.cases.restrictions import person_latest_warning
from fairhear.cases.selectors import case_visible_to
from fairhear.cases.services import TransitionRejected, case_record_window_closed
from fairhear.domain.clock import fmt_day, london_date
from fairhear.domain.policy.schema import Capability, PolicyPack
from fairhear.links import case_url
from fairhear.notifications.models import ClockNotice
from fairhear.notifications.told import clock_tell_once
from fairhear.policies.selectors import (
    PolicyVersionTampered,
    policy_pack_for,
    policy_packs_in_use,
)

logger = logging.getLogger(__name__)


def sweep_windows(organisation: Organisation, now: datetime) -> dict:
    """Record the escalation windows that closed and tell who decides on restrictions once a
    chance to change has ended, for one organisation; what was done."""
    today = timezone.localdate(now)
    closed = []
    names = _request_clocks(organisation)
    ended = windows_ended_before(organisation_id=organisation.pk, today=today, names=names)
    for clock in ended if names else ():
        pack = _pack(clock.case)
        if pack is None or clock.name not in {s.request_clock for s in pack.stages}:
            continue  # not a window to ask for a stage (Pivotal's auto-close window is not)
        try:
            case_record_window_closed(case=clock.case, clock=clock.name, due=clock.due, today=today)
        except TransitionRejected as passed_by:
            # Recorded by another worker meanwhile, or requested, closed or moved since.
            logger.info("No window closed for %s: %s", clock.case.reference, passed_by)
            continue
        closed.append(f"{clock.case.reference} {clock.name}")
    return {"closed": closed, "behaviour": _behaviour_windows(organisation, today)}


def _request_clocks(organisation: Organisation) -> set[str]:
    """The windows to ask for the next stage of any of the organisation's intact pack versions
    (a tampered one's cases are passed over, with a warning, by _pack)."""
    packs = policy_packs_in_use(organisation_id=organisation.pk).packs
    return {s.request_clock for pack in packs for s in pack.stages if s.request_clock}


def _pack(case: Case) -> PolicyPack | None:
    try:
        return policy_pack_for(case.policy_version)
    except PolicyVersionTampered as stopped:
        logger.warning("Nothing swept for %s: %s", case.reference, stopped)
        return None


def _behaviour_windows(organisation: Organisation, today: date) -> list[str]:
    version = organisation.active_policy_version
    names = set()
    if version is not None:
        try:
            warning_clock = policy_pack_for(version).restriction_warning_clock
        except PolicyVersionTampered:
            warning_clock = None
        if warning_clock:
            names.add(warning_clock)
    if not names:
        return []
    leads = list(colleague_list_with(organisation=organisation, capability=Capability.LEAD))
    told = []
    untold = ClockNotice.objects.filter(kind=ClockNotice.Kind.REMINDER)
    seen: set[tuple[int, date]] = set()
    for clock in clocks_ended_before(
        organisation_id=organisation.pk, today=today, names=names, untold=untold
    ):
        # Every case of the person runs the same clock; the warning's own case is told once.
        warning = person_latest_warning(clock.case)
        if warning is None or (warning.pk, clock.due) in seen:
            continue
        seen.add((warning.pk, clock.due))
        if _tell_decision_due(organisation, warning, clock, leads):
            told.append(f"{warning.case.reference} {clock.name}")
    return told


def _tell_decision_due(
    organisation: Organisation, warning: CaseEvent, clock: CaseClock, leads: list[User]
) -> bool:
    case = warning.case
    if ClockNotice.objects.filter(
        case=case, clock=clock.name, due=clock.due, kind=ClockNotice.Kind.REMINDER
    ).exists():
        return False  # told from another of the person's cases
    people = {u.pk: u for u in leads}
    if warning.actor_id and warning.actor.is_active:
        people.setdefault(warning.actor_id, warning.actor)
    recipients = [u for u in people.values() if u.email and case_visible_to(user=u, case=case)]
    pack = policy_pack_for(case.policy_version)
    subject = (
        f"Decision due: restrictions on contact for {case.reference}, the chance to change "
        f"ended {fmt_day(clock.due)}"
    )
    return clock_tell_once(
        case=case,
        clock=clock.name,
        due=clock.due,
        kind=ClockNotice.Kind.REMINDER,
        people=recipients,
        what="behaviour_decision_due",
        title=subject,
        line="Decide whether restrictions on contact are needed, or note that they are not.",
        mail=lambda user: Mail(subject, _decision_text(user, case, warning, clock, pack)),
    )


def _decision_text(
    user: User, case: Case, warning: CaseEvent, clock: CaseClock, pack: PolicyPack
) -> str:
    url = case_url(case.reference)
    by = f" by {warning.actor_label}" if warning.actor_label else ""
    return (
        f"Hello {user.first_name or user},\n\n"
        f"The complainant on {case.reference} was warned about their behaviour"
        f"{by} on {fmt_day(london_date(warning.occurred_at))}. "
        f"{clock.label} ended on {fmt_day(clock.due)}. The {pack.organisation} policy gives "
        f"them that chance before any further action ({clock.cites}).\n\n"
        "A decision is now due: if restrictions on contact are needed, apply them from the "
        "case; if they are not, add a note to the case saying so. Fairhear does not restrict "
        "anyone by itself.\n\n"
        f"Open the case: {url}\n\n"
        "You are sent this because you are the lead officer or gave the warning.\n"
    )
