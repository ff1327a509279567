"""A small Pivotal organisation's April and May 2026, lived through the real services on fixed
dates, for the report tests. Every figure the tests expect is worked out by hand in the test's
comments from the story below, never by the code under test.

Calendar (England and Wales): Good Friday Fri 3 Apr and Easter Monday Mon 6 Apr 2026; the early
May bank holiday Mon 4 May and the spring bank holiday Mon 25 May 2026. "N WD after X": X is
day 0 and the due date is the N-th working day after it.

Pivotal (seed 003 §9): the stage 1 response is due 10 WD from receipt; stage 2 20 WD from the
appeal request. The Code (CH02): acknowledge within 5 WD of receipt (or of the request),
respond within 10 WD (stage 2: 20) of the acknowledgement or of its due date, whichever is
earlier.

C1 lcra, Housing. Received Wed 1 Apr; accepted, allocated and acknowledged that day. Pivotal
   due: Thu 2 (1), [3 and 6 Apr holidays], Tue 7 to Fri 10 (5), Mon 13 to Fri 17 Apr (10).
   Stage 1 response Thu 16 Apr: on time (Pivotal, and the Code: 10 WD after Wed 1 Apr is also
   Fri 17 Apr). Appeal requested Mon 20 Apr, accepted Tue 21 Apr, acknowledged Wed 22 Apr.
   Pivotal stage 2 due 20 WD from Mon 20 Apr: 21 to 24 (4), 27 Apr to Fri 1 May (9),
   [Mon 4 May], 5 to 8 (13), 11 to 15 (18), Mon 18 (19), Tue 19 May (20). Code: acknowledged
   within 5 WD (Tue 21 (1), Wed 22 (2)); 20 WD after Wed 22 Apr: 23, 24 (2), 27 Apr to 1 May
   (7), [4 May], 5 to 8 (11), 11 to 15 (16), 18 to 21 (20): Thu 21 May. Stage 2 response
   Tue 12 May: on time both ways; it closes the case (final_response). Feedback "very
   satisfied" recorded Mon 1 Jun: it counts in May, the month it closed (KPIS.md).
C2 lcra, Housing. Received Thu 2 Apr, accepted and allocated; acknowledged late, Tue 14 Apr.
   Pivotal due 10 WD from Thu 2 Apr: 7 to 10 (4), 13 to 17 (9), Mon 20 Apr (10). Code: the
   acknowledgement was due 5 WD after Thu 2 Apr: 7, 8, 9, 10 (4), Mon 13 Apr (5); Mon 13 is
   earlier than Tue 14, so the response is due 10 WD after Mon 13: 14 to 17 (4), 20 to 24 (9),
   Mon 27 Apr (10) (counting from the late acknowledgement would give Tue 28). Response
   Tue 28 Apr: late both ways.
C3 lcho, Housing. Received Tue 7 Apr, accepted, allocated, acknowledged. Pivotal due 10 WD:
   8, 9, 10 (3), 13 to 17 (8), 20 (9), Tue 21 Apr (10); Code the same. Mon 20 Apr: an
   extension to Tue 28 Apr, the complainant told that day (before Tue 21), within Pivotal's
   20 WD limit (Wed 6 May) and the Code's 10 more WD (Wed 6 May). Response Mon 27 Apr: on time
   both ways, extended and told (f). The lead assesses the extension as having good reason (g).
C4 lcra, Care. Received Wed 8 Apr; not accepted Thu 9 Apr, reason 6.1b. Ombudsman referral
   recorded Fri 24 Apr (i counts refused complaints).
C5 lcra, Housing. A service request received Mon 27 Apr, logged as a complaint Tue 5 May (it
   counts as received in May) and accepted that day.
C6 lcra, Care. Received Mon 11 May, accepted, allocated, acknowledged. Pivotal due 10 WD:
   12 to 15 (4), 18 to 22 (9), [Mon 25 May], Tue 26 May (10); Code the same. Response Wed
   20 May: on time. Closed Thu 28 May as 10.1a (satisfied).
C9 lcra, Housing. Received Mon 13 Apr, accepted, allocated; acknowledged Fri 17 Apr (the Code's
   5 WD: 14, 15, 16, 17 (4): within). Pivotal due 10 WD from Mon 13: 14 to 17 (4), 20 to 24 (9),
   Mon 27 Apr (10). Code: 10 WD after Fri 17 Apr: 20 to 24 (5), 27 to 30 (9), Fri 1 May (10).
   Response Thu 30 Apr: late for Pivotal, on time for the Code.
A compliment (Housing) received Wed 15 Apr, and a complaint of another organisation received
Wed 1 Apr, count in no complaint figure of this organisation.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from fairhear.accounts.models import ServiceArea
from fairhear.cases.models import Case
from fairhear.cases.services import (
    case_accept,
    case_accept_escalation,
    case_acknowledge,
    case_allocate,
    case_assess_extension_reason,
    case_close,
    case_convert_to_complaint,
    case_extend,
    case_record_feedback,
    case_record_ombudsman_referral,
    case_refuse,
    case_request_escalation,
    case_resolve_locally,
    case_respond,
    case_start_local_resolution,
)
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off
from fairhear.domain.lifecycle import CaseKind

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


@dataclass
class Story:
    team: Team
    other: Team
    cases: dict[str, Case]

    def ref(self, *names: str) -> list[str]:
        return sorted(self.cases[n].reference for n in names)


def _started(team: Team, t, when: datetime, handler=None, **kw) -> Case:
    """Received, accepted and allocated at `when`."""
    t.move_to(when)
    case = receive_complaint(team, when, incident_date=date(2026, 3, 20), **kw)
    t.move_to(when.replace(hour=11))
    case_accept(case=case, actor=team.allocator)
    case_allocate(case=case, actor=team.allocator, handler=handler or team.investigator)
    return case


def _respond(team: Team, t, case: Case, when: datetime, actor=None, outcome="upheld") -> Case:
    t.move_to(when)
    signed_off(team, case, "response")
    return case_respond(
        case=case, actor=actor or team.investigator, outcome=outcome, reasons="Because."
    )


def pivotal_story() -> Story:
    team = make_team("pivotal")
    team.org.homes_lcra, team.org.homes_lcho = 2000, 400
    team.org.save()
    housing = ServiceArea.objects.create(organisation=team.org, name="Housing")
    care = ServiceArea.objects.create(organisation=team.org, name="Care")
    other = make_team("pivotal")
    cases: dict[str, Case] = {}
    with time_machine.travel(london(2026, 4, 1), tick=False) as t:
        receive_complaint(other, london(2026, 4, 1), tenure="lcra")

        c1 = _started(team, t, london(2026, 4, 1), tenure="lcra", service_area=housing)
        case_acknowledge(case=c1, actor=team.investigator)
        _respond(team, t, c1, london(2026, 4, 16))
        t.move_to(london(2026, 4, 20))
        case_request_escalation(case=c1, actor=team.colleague, requested_at=london(2026, 4, 20))
        t.move_to(london(2026, 4, 21))
        case_accept_escalation(case=c1, actor=team.reviewer)
        case_allocate(case=c1, actor=team.reviewer, handler=team.reviewer2)
        t.move_to(london(2026, 4, 22))
        case_acknowledge(case=c1, actor=team.reviewer2)
        _respond(team, t, c1, london(2026, 5, 12), actor=team.reviewer2, outcome="not_upheld")
        t.move_to(london(2026, 6, 1))
        case_record_feedback(case=c1, actor=team.lead, satisfaction="very_satisfied")
        cases["C1"] = c1

        c2 = _started(team, t, london(2026, 4, 2), tenure="lcra", service_area=housing)
        t.move_to(london(2026, 4, 14))
        case_acknowledge(case=c2, actor=team.investigator)
        cases["C2"] = _respond(team, t, c2, london(2026, 4, 28), outcome="partly_upheld")

        c3 = _started(team, t, london(2026, 4, 7), tenure="lcho", service_area=housing)
        case_acknowledge(case=c3, actor=team.investigator)
        t.move_to(london(2026, 4, 20))
        signed_off(team, c3, "extension")
        case_extend(
            case=c3,
            actor=team.investigator,
            new_due=date(2026, 4, 28),
            reason="Waiting for the contractor's report.",
            told_on=date(2026, 4, 20),
        )
        t.move_to(london(2026, 4, 21))
        case_assess_extension_reason(case=c3, actor=team.lead, good_reason=True)
        cases["C3"] = _respond(team, t, c3, london(2026, 4, 27))

        t.move_to(london(2026, 4, 8))
        c4 = receive_complaint(team, london(2026, 4, 8), tenure="lcra", service_area=care)
        t.move_to(london(2026, 4, 9))
        case_refuse(case=c4, actor=team.allocator, reason_code="6.1b")
        t.move_to(london(2026, 4, 24))
        cases["C4"] = case_record_ombudsman_referral(
            case=c4, actor=team.lead, body="Housing Ombudsman", referred_on=london(2026, 4, 24)
        )

        t.move_to(london(2026, 4, 27))
        c5 = receive_complaint(
            team,
            london(2026, 4, 27),
            kind=CaseKind.SERVICE_REQUEST,
            tenure="lcra",
            service_area=housing,
        )
        t.move_to(london(2026, 5, 5))
        case_convert_to_complaint(case=c5, actor=team.colleague)
        t.move_to(london(2026, 5, 5, 11))
        cases["C5"] = case_accept(case=c5, actor=team.allocator)

        c6 = _started(team, t, london(2026, 5, 11), tenure="lcra", service_area=care)
        case_acknowledge(case=c6, actor=team.investigator)
        _respond(team, t, c6, london(2026, 5, 20))
        t.move_to(london(2026, 5, 28))
        cases["C6"] = case_close(case=c6, actor=team.investigator, reason_code="10.1a")

        c9 = _started(team, t, london(2026, 4, 13), tenure="lcra", service_area=housing)
        t.move_to(london(2026, 4, 17))
        case_acknowledge(case=c9, actor=team.investigator)
        cases["C9"] = _respond(team, t, c9, london(2026, 4, 30), outcome="not_upheld")

        t.move_to(london(2026, 4, 15))
        cases["compliment"] = receive_complaint(
            team, london(2026, 4, 15), kind=CaseKind.COMPLIMENT, service_area=housing
        )
    for case in cases.values():
        case.refresh_from_db()
    return Story(team, other, cases)


def mmbm_story() -> tuple[Team, tuple[Case, Case, Case]]:
    """An MMBM organisation's small 2026 (seed 000 §11 reports), lived on fixed dates:

    M0 received Mon 1 Dec 2025 (the year before, for the trend).
    M1 (housing, Supported living) received Mon 2 Mar 2026, local resolution tried Tue 3 Mar,
       resolved locally Wed 4 Mar: closed in Q1 at local resolution (stage 0).
    M2 (support, Supported living) received Tue 10 Mar, accepted and allocated, acknowledged
       Wed 11 Mar, stage 1 response "not upheld" Thu 26 Mar (12 working days after receipt,
       well inside MMBM's 28: on time). Review asked for Mon 13 Apr and accepted Tue 14 Apr
       (stage 2), acknowledged Wed 15 Apr, answered "upheld" Thu 30 Apr (on time), closed
       Fri 15 May as review_final: closed in Q2 having reached stage 2.
    M3 (housing and staff conduct) received Wed 18 Mar, withdrawn Fri 20 Mar: closed in Q1,
       stage 0.
    Compliments: Thu 5 Feb (Supported living) and Mon 11 May 2026 (no service area).
    """
    team = make_team("mmbm")
    area = ServiceArea.objects.create(organisation=team.org, name="Supported living")
    with time_machine.travel(london(2025, 12, 1), tick=False) as t:
        receive_complaint(team, london(2025, 12, 1))
        t.move_to(london(2026, 3, 2))
        m1 = receive_complaint(team, london(2026, 3, 2), service_area=area, categories=["housing"])
        t.move_to(london(2026, 3, 3))
        case_start_local_resolution(case=m1, actor=team.allocator)
        t.move_to(london(2026, 3, 4))
        case_resolve_locally(case=m1, actor=team.allocator, outcome="Fixed the same day.")

        t.move_to(london(2026, 3, 10))
        m2 = receive_complaint(team, london(2026, 3, 10), service_area=area, categories=["support"])
        t.move_to(london(2026, 3, 10, 11))
        case_accept(case=m2, actor=team.allocator)
        case_allocate(case=m2, actor=team.allocator, handler=team.investigator)
        t.move_to(london(2026, 3, 11))
        case_acknowledge(case=m2, actor=team.investigator)
        t.move_to(london(2026, 3, 26))
        case_respond(case=m2, actor=team.investigator, outcome="not_upheld", reasons="Checked.")
        t.move_to(london(2026, 4, 13))
        case_request_escalation(case=m2, actor=team.colleague, requested_at=london(2026, 4, 13))
        t.move_to(london(2026, 4, 14))
        case_accept_escalation(case=m2, actor=team.reviewer)
        case_allocate(case=m2, actor=team.reviewer, handler=team.reviewer2)
        t.move_to(london(2026, 4, 15))
        case_acknowledge(case=m2, actor=team.reviewer2)
        t.move_to(london(2026, 4, 30))
        case_respond(case=m2, actor=team.reviewer2, outcome="upheld", reasons="We were wrong.")
        t.move_to(london(2026, 5, 15))
        case_close(case=m2, actor=team.reviewer2, reason_code="review_final")

        t.move_to(london(2026, 3, 18))
        m3 = receive_complaint(team, london(2026, 3, 18), categories=["housing", "staff_conduct"])
        t.move_to(london(2026, 3, 20))
        case_close(case=m3, actor=team.allocator, reason_code="withdrawn")

        t.move_to(london(2026, 2, 5))
        receive_complaint(team, london(2026, 2, 5), kind=CaseKind.COMPLIMENT, service_area=area)
        t.move_to(london(2026, 5, 11))
        receive_complaint(team, london(2026, 5, 11), kind=CaseKind.COMPLIMENT)

    for case in (m1, m2, m3):
        case.refresh_from_db()
    return team, (m1, m2, m3)
