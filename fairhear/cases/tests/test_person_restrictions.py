"""Restrictions on contact are the person's (Pivotal §12 and Appendix 3 I; MMBM §9): applied
from one complaint, they show on every case of the person, open and new, until lifted; each
case of theirs runs the same review clock; the people the policy names are told."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases.services import (
    TransitionRejected,
    case_apply_restriction,
    case_lift_restriction,
    case_report_behaviour,
    case_review_restriction,
)
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import page_text
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action

pytestmark = pytest.mark.django_db

MON = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)  # Monday 2 March 2026
WED = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)


def _detail(client, case) -> str:
    return page_text(client.get(reverse("cases:detail", args=[case.reference])))


def test_pivotal_restrictions_applied_on_one_case_show_on_every_case_of_the_person(client):
    team = make_team("pivotal")
    with time_machine.travel(WED, tick=False):
        open_case = receive_complaint(team, MON)
        other_person = receive_complaint(team, MON, complainant=None, anonymous=True)
        applied_on = receive_complaint(team, MON)
        # Pivotal §12.2 asks for no warning first: restrictions may be applied straight away.
        case_apply_restriction(
            case=applied_on,
            actor=team.lead,
            restrictions="Contact by e-mail only, to the complaints team.",
            reason="Abusive calls to the Service Manager (§12.1).",
            notice_sent_on=date(2026, 3, 4),
        )
        new_case = receive_complaint(team, WED)
        client.force_login(team.lead)
        pages = {c: _detail(client, c) for c in (open_case, applied_on, new_case, other_person)}
    banner = (
        "Restrictions on contact are in force for Ada Lovelace: Contact by e-mail only, to the "
        f"complaints team. Applied Wed 4 Mar 2026 on case {applied_on.reference}"
    )
    for case in (open_case, applied_on, new_case):
        assert banner in pages[case]
        # App. 3 I: "reported immediately to the Line Manager and Head of Services".
        assert (
            "Not yet recorded as told to the Line Manager and Head of Services (§12; Appendix 3 I)"
            in pages[case]
        )
    assert "Restrictions on contact" not in pages[other_person]
    # The restrictions are the person's: applying them again from another case is refused.
    with time_machine.travel(WED, tick=False), pytest.raises(TransitionRejected) as again:
        case_apply_restriction(
            case=new_case, actor=team.lead, restrictions="Again.", reason="Again."
        )
    assert "already in force for this person" in str(again.value)


def test_telling_the_line_manager_and_head_of_services_is_recorded_for_the_person(client):
    team = make_team("pivotal")
    with time_machine.travel(WED, tick=False):
        first = receive_complaint(team, MON)
        second = receive_complaint(team, MON)
        case_apply_restriction(
            case=first, actor=team.lead, restrictions="Letters only.", reason="Threats (§12.1)."
        )
        # Any colleague who saw the behaviour reports it (App. 3 I), from any case of theirs.
        case_report_behaviour(
            case=second,
            actor=team.colleague,
            told="Sam Patel (line manager) and the Head of Services",
            how="email",
        )
        client.force_login(team.investigator)
        page = _detail(client, first)
    assert "Not yet recorded as told" not in page
    assert second.events.order_by("-sequence").first().kind == Action.REPORT_BEHAVIOUR


def test_a_review_on_one_case_moves_the_review_date_on_every_case_of_the_person():
    # MMBM §9: reviewed "at least every six months"; the Code pack reads 6 months too (5.14).
    team = make_team("hos-code-2024")
    with time_machine.travel(datetime(2026, 3, 31, 12, 0, tzinfo=LONDON), tick=False) as t:
        first = receive_complaint(team, datetime(2026, 3, 30, 9, 0, tzinfo=LONDON))
        second = receive_complaint(team, datetime(2026, 3, 30, 10, 0, tzinfo=LONDON))
        case_apply_restriction(
            case=first, actor=team.lead, restrictions="E-mail only.", reason="Abuse."
        )
        # Tue 31 Mar 2026 + 6 months: 31 Sep does not exist, so Wed 30 Sep 2026.
        for case in (first, second):
            assert case.clocks.get(name="restriction_review_due").due == date(2026, 9, 30)
        t.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=LONDON))
        case_review_restriction(case=second, actor=team.lead, decision="Kept.")
        # Mon 15 Jun 2026 + 6 months = Tue 15 Dec 2026, on the case it was applied on too.
        for case in (first, second):
            assert case.clocks.get(name="restriction_review_due").due == date(2026, 12, 15)
        case_lift_restriction(case=first, actor=team.lead, reason="No contact since April.")
        for case in (first, second):
            assert case.clocks.get(name="restriction_review_due").status == "stopped"
        with pytest.raises(TransitionRejected, match="No restrictions are in force"):
            case_review_restriction(case=second, actor=team.lead, decision="Again.")


def test_an_anonymous_complaint_has_nobody_to_restrict():
    team = make_team("pivotal")
    with time_machine.travel(WED, tick=False):
        case = receive_complaint(team, MON, complainant=None, anonymous=True)
        with pytest.raises(TransitionRejected, match="no named complainant"):
            case_apply_restriction(
                case=case, actor=team.lead, restrictions="E-mail only.", reason="Abuse."
            )
