"""Immediate notices (services/notices.py), on both shipped packs, with who is told worked out
by hand from the team of factories.make_team:

    colleague     log             line manager: lead
    allocator     log, allocate   Pivotal's "Head of Services" (allocate); MMBM's "Local manager"
    investigator  log, investigate line manager: lead
    lead          log, lead       Pivotal's Lead Officer; MMBM's "Directors"

Pivotal's pack names a Head of Services (allocate); MMBM's does not, so there the lead officer
stands in for it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from fairhear.cases.models import CaseClock
from fairhear.cases.services import (
    case_accept,
    case_allocate,
    case_apply_restriction,
    case_forward_compliment,
    case_warn_about_behaviour,
)
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action, CaseKind
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.sender import outbox_send_due
from fairhear.outbox.tests.conftest import smtp_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

# Wednesday 4 March 2026, 10:00 in London.
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def sent(kind: str) -> list[tuple[str, str]]:
    """(recipient, subject) of each message of a kind, by recipient."""
    return sorted(
        (m.to[0], m.subject) for m in OutboundMessage.objects.filter(kind=kind).order_by("pk")
    )


def test_a_new_pivotal_complaint_tells_the_line_manager_and_head_of_services_by_priority_e_mail(
    smtp_server,  # noqa: F811
):
    team = make_team("pivotal")

    case = receive_complaint(team, NOW, notify=True)

    # Pivotal §9 stage 1 step 5: the logger's line manager (the lead) and the Head of Services.
    assert sent("new_complaint") == sorted(
        [
            (team.lead.email, f"New complaint {case.reference}"),
            (team.allocator.email, f"New complaint {case.reference}"),
        ]
    )
    told = case.events.get(kind=Action.RECORD_MANAGERS_TOLD)
    assert told.actor_label == "Fairhear (automatic)"
    assert told.data["how"] == "email"
    assert told.data["told"] == f"{team.lead}, {team.allocator}, by priority e-mail"
    assert sorted(told.data["message_ids"]) == sorted(
        OutboundMessage.objects.filter(kind="new_complaint").values_list("message_id", flat=True)
    )
    # The clock is met on the day (received Wed 4 March, due Thu 5 March)...
    clock = CaseClock.objects.get(case=case, name="log_and_notify_due")
    assert (clock.status, clock.due, clock.met_on) == ("met", date(2026, 3, 5), date(2026, 3, 4))
    # ...so the next deadline is allocation within 2 working days: Friday 6 March.
    case.refresh_from_db()
    assert case.next_due == date(2026, 3, 6)

    # And the priority headers reach the mail server.
    report = outbox_send_due()
    assert len(report.sent) == 2
    for received in smtp_server.mailbox.received:
        assert received.message["Importance"] == "high"
        assert received.message["X-Priority"] == "1"
        assert case.reference in received.message.get_body(("plain",)).get_content()
    # Nothing about the complainant goes in the e-mail.
    assert not any(
        "Ada Lovelace" in r.message.get_body(("plain",)).get_content()
        for r in smtp_server.mailbox.received
    )


def test_only_those_who_may_open_the_case_get_its_link():
    team = make_team("pivotal")

    case = receive_complaint(team, NOW, notify=True)

    bodies = {m.to[0]: m.body_text for m in OutboundMessage.objects.filter(kind="new_complaint")}
    # The lead and the allocator both may open an unallocated complaint.
    assert all(f"/cases/{case.reference}/" in body for body in bodies.values())
    assert all("Pivotal §9 stage 1 step 5" in body for body in bodies.values())


def test_mmbm_asks_nobody_to_be_told_of_a_new_complaint():
    team = make_team("mmbm")

    case = receive_complaint(team, NOW, notify=True)

    assert not OutboundMessage.objects.exists()
    assert not case.events.filter(kind=Action.RECORD_MANAGERS_TOLD).exists()


def test_history_being_imported_or_a_case_logged_without_notify_tells_nobody():
    team = make_team("pivotal")

    case = receive_complaint(team, NOW)

    assert not OutboundMessage.objects.exists()
    assert list(case.events.values_list("kind", flat=True)) == ["received"]


def test_a_compliment_is_not_a_complaint_and_tells_no_manager_when_logged():
    team = make_team("pivotal")

    receive_complaint(team, NOW, kind=CaseKind.COMPLIMENT, notify=True, categories=[])

    assert not OutboundMessage.objects.filter(kind="new_complaint").exists()


@pytest.mark.parametrize("pack", ["pivotal", "mmbm"])
def test_a_case_flagged_safeguarding_tells_the_lead_at_once(pack):
    team = make_team(pack)

    case = receive_complaint(team, NOW, safeguarding=True, health_and_safety=True, notify=True)

    # Pivotal §9.2, App. 3 F: the lead officer (MMBM: its lead, "Directors"), one e-mail.
    subject = f"Safeguarding and health and safety: {case.reference}"
    assert sent("flagged") == [(team.lead.email, subject)]
    message = OutboundMessage.objects.get(kind="flagged")
    assert message.headers == {"Importance": "high", "X-Priority": "1"}
    received = case.events.get(kind=Action.RECEIVE)
    assert received.data["lead_told"] == {
        "told_names": [str(team.lead)],
        "message_ids": [message.message_id],
    }


def test_a_case_not_flagged_tells_the_lead_nothing_of_the_kind():
    team = make_team("pivotal")

    receive_complaint(team, NOW, notify=True)

    assert not OutboundMessage.objects.filter(kind="flagged").exists()


@pytest.mark.parametrize("pack", ["pivotal", "mmbm"])
def test_a_compliment_reaches_each_line_manager_once_naming_their_colleagues(pack):
    team = make_team(pack)
    case = receive_complaint(
        team,
        NOW,
        kind=CaseKind.COMPLIMENT,
        summary="Thank you to the night workers.",
        about_colleagues=[team.colleague, team.investigator],
        categories=[],
    )

    case_forward_compliment(case=case, actor=team.allocator, note="Well done.")

    # Pivotal §19.3, MMBM §4: both colleagues' line manager is the lead: one e-mail.
    about = " and ".join(sorted([str(team.colleague), str(team.investigator)]))  # by name
    assert sent("compliment_forwarded") == [
        (team.lead.email, f"A compliment about {about} ({case.reference})")
    ]
    message = OutboundMessage.objects.get(kind="compliment_forwarded")
    assert "Thank you to the night workers." in message.body_text
    forwarded = case.events.get(kind=Action.FORWARD_COMPLIMENT)
    assert forwarded.data["message_ids"] == [message.message_id]


def test_pivotal_restrictions_are_reported_to_the_line_managers_and_head_of_services():
    team = make_team("pivotal")
    team.lead.line_manager = team.director
    team.lead.save()
    case = receive_complaint(team, NOW)
    case_accept(case=case, actor=team.allocator)
    case_allocate(case=case, actor=team.allocator, handler=team.investigator)

    case_apply_restriction(
        case=case, actor=team.lead, restrictions="Letters only", reason="threats to staff (§12.1)"
    )

    # App. 3 I, worked out: the handler (investigator); the handler's line manager is the lead,
    # who is acting and so left out; the lead's line manager (director); the Head of Services
    # (allocator). Three e-mails, one each.
    subject = f"Unacceptable behaviour on {case.reference}"
    assert sent("behaviour_reported") == sorted(
        [
            (team.investigator.email, subject),
            (team.director.email, subject),
            (team.allocator.email, subject),
        ]
    )
    body = OutboundMessage.objects.filter(kind="behaviour_reported").first().body_text
    assert (
        f"{team.lead} recorded on {case.reference}: they restricted contact "
        "(Letters only) because threats to staff (§12.1)."
    ) in body
    assert "Pivotal §12; Appendix 3 I" in body
    applied = case.events.get(kind=Action.APPLY_RESTRICTION)
    assert applied.data["reported_to"]["told_names"] == [
        str(team.investigator),
        str(team.director),
        str(team.allocator),
    ]


def test_an_mmbm_warning_goes_to_the_lead_s_line_manager_and_not_back_to_the_lead():
    team = make_team("mmbm")
    team.lead.line_manager = team.director
    team.lead.save()
    case = receive_complaint(team, NOW)

    case_warn_about_behaviour(
        case=case, actor=team.lead, behaviour="Shouting at reception.", how="letter"
    )

    # MMBM §9 ("relevant MMBM staff"): no handler yet; the lead's line manager (director); the
    # lead stands in for the Head of Services MMBM does not name, but is the one acting.
    assert sent("behaviour_reported") == [
        (team.director.email, f"Unacceptable behaviour on {case.reference}")
    ]
    body = OutboundMessage.objects.get(kind="behaviour_reported").body_text
    assert "they warned the complainant about: Shouting at reception." in body
    assert "MMBM §9" in body


def test_with_nobody_else_to_tell_no_report_is_queued():
    team = make_team("mmbm")
    case = receive_complaint(team, NOW)

    case_warn_about_behaviour(case=case, actor=team.lead, behaviour="Shouting.", how="letter")

    # The lead has no line manager and is MMBM's stand-in Head of Services.
    assert sent("behaviour_reported") == []
    assert "reported_to" not in case.events.get(kind=Action.WARN_BEHAVIOUR).data


def test_a_compliment_passed_on_in_an_imported_history_tells_nobody_now():
    team = make_team("pivotal")
    earlier = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)  # Monday, two days before today
    case = receive_complaint(
        team, earlier, kind=CaseKind.COMPLIMENT, about_colleagues=[team.colleague], categories=[]
    )

    case_forward_compliment(case=case, actor=team.allocator, occurred_at=earlier)

    assert sent("compliment_forwarded") == []
    assert "message_ids" not in case.events.get(kind=Action.FORWARD_COMPLIMENT).data


def test_a_case_marked_safeguarding_by_a_correction_tells_the_lead_at_once():
    from fairhear.cases.services import case_correct_details

    team = make_team("pivotal")
    case = receive_complaint(team, NOW, notify=True)
    assert not OutboundMessage.objects.filter(kind="flagged").exists()

    # Pivotal §9.2, App. 3 F: marked safeguarding after it came in (by the Head of Services,
    # who corrects details), the lead is told then.
    case = case_correct_details(
        case=case,
        actor=team.allocator,
        changes={"safeguarding": True},
        reason="The caller said the tenant is at risk.",
        confirm_effects=True,
    )

    message = OutboundMessage.objects.get(kind="flagged")
    assert (message.to, message.subject) == ([team.lead.email], f"Safeguarding: {case.reference}")
    assert message.headers == {"Importance": "high", "X-Priority": "1"}
    corrected = case.events.get(kind=Action.CORRECT_DETAILS)
    assert corrected.data["lead_told"]["message_ids"] == [message.message_id]

    # A correction that leaves the mark as it was tells nobody again.
    case_correct_details(
        case=case,
        actor=team.allocator,
        changes={"summary": "The boiler has not worked since January."},
        reason="The date was wrong.",
        confirm_effects=True,
    )
    assert OutboundMessage.objects.filter(kind="flagged").count() == 1


def test_a_correction_written_up_afterwards_tells_nobody_now():
    from fairhear.cases.services import case_correct_details

    team = make_team("pivotal")
    case = receive_complaint(team, datetime(2026, 2, 2, 10, tzinfo=LONDON))

    case_correct_details(
        case=case,
        actor=team.allocator,
        changes={"health_and_safety": True},
        reason="Written up from the February file.",
        confirm_effects=True,
        occurred_at=datetime(2026, 2, 3, 10, tzinfo=LONDON),
    )

    assert not OutboundMessage.objects.filter(kind="flagged").exists()
