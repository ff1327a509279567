"""The staff pages through Django's test client: my work, the case page, every action form,
and logging a case. Today is fixed with time_machine so that due-date tags are exact."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from fairhear.accounts.models import User
from fairhear.cases import services as s
from fairhear.cases.actions import ACTIONS
from fairhear.cases.forms import new_idempotency_key
from fairhear.cases.models import Case, CaseClock
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action, CaseKind, CaseState

pytestmark = pytest.mark.django_db

# Wednesday 4 March 2026, 10:00 in London (GMT). No bank holidays fall in February or March.
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)  # Monday 2 March 2026


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team() -> Team:
    return make_team("pivotal")


def page_text(response) -> str:
    """The response body as text: tags dropped, entities decoded, whitespace collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def error_summary(response) -> str:
    """The text of the GOV.UK error summary, or "" when the page has none."""
    match = re.search(
        r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), flags=re.S
    )
    if not match:
        return ""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split())


def iso(day: date) -> str:
    return day.isoformat()


def when(moment: datetime, name: str = "occurred_at") -> dict[str, str]:
    """A London date and time as a person types it into the date-and-time input."""
    local = moment.astimezone(LONDON)
    return {
        f"{name}_day": str(local.day),
        f"{name}_month": str(local.month),
        f"{name}_year": str(local.year),
        f"{name}_time": f"{local:%H:%M}",
    }


NOW_TYPED = when(NOW)  # what every action form shows by default: now, to the minute


# ---------------------------------------------------------------------------------------------
# Signing in


@pytest.mark.parametrize(
    "path",
    ["/", "/cases/", "/cases/log/", "/cases/C-2026-000001/", "/cases/C-2026-000001/accepted/"],
)
def test_every_page_needs_a_signed_in_colleague(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_a_colleague_signs_in_with_their_password_and_lands_on_my_work(client, team):
    response = client.post(
        "/sign-in/",
        {"username": team.colleague.username, "password": "correct horse battery"},
        follow=True,
    )

    assert response.redirect_chain[-1] == (reverse("cases:my_work"), 302)
    assert response.wsgi_request.user == team.colleague


def test_the_sign_in_page_is_open_to_everyone(client):
    response = client.get("/sign-in/")

    assert response.status_code == 200
    assert "Sign in" in page_text(response)


# ---------------------------------------------------------------------------------------------
# My work


def _handled_by(team: Team, received_at: datetime, handler: User | None = None) -> Case:
    """A stage 1 complaint received, accepted, allocated and acknowledged the same day."""
    handler = handler or team.investigator
    case = receive_complaint(team, received_at)
    # Pivotal §9 stage 1 step 5: the line manager and Head of Services told the same day.
    case = s.case_record_managers_told(
        case=case, actor=team.colleague, told="Line manager", how="email", occurred_at=received_at
    )
    case = s.case_accept(case=case, actor=team.allocator, occurred_at=received_at)
    case = s.case_allocate(
        case=case, actor=team.allocator, handler=handler, occurred_at=received_at
    )
    return s.case_acknowledge(case=case, actor=handler, occurred_at=received_at)


def test_my_work_lists_my_cases_soonest_due_first_with_overdue_and_due_soon_tags(client, team):
    # Stage 1 responses are due 10 working days after receipt (Pivotal §9 stage 1 step 6).
    later = _handled_by(team, datetime(2026, 3, 3, 11, 0, tzinfo=LONDON))  # due Tue 17 Mar
    overdue = _handled_by(team, datetime(2026, 2, 2, 11, 0, tzinfo=LONDON))  # due Mon 16 Feb
    soon = _handled_by(team, datetime(2026, 2, 20, 11, 0, tzinfo=LONDON))  # due Fri 6 Mar
    someone_elses = _handled_by(team, RECEIVED, handler=team.investigator2)
    client.force_login(team.investigator)

    response = client.get(reverse("cases:my_work"))

    assert response.status_code == 200
    text = page_text(response)
    assert someone_elses.reference not in text
    positions = [text.index(c.reference) for c in (overdue, soon, later)]
    assert positions == sorted(positions)
    # Overdue: 12 working days from Mon 16 Feb to Wed 4 Mar.
    assert f"{overdue.reference} Complaint Ada Lovelace" in text
    assert "Mon 16 Feb 2026 Overdue by 12 working days" in text
    # Due soon: Thu 5 and Fri 6 Mar are the 2 working days left.
    assert "Fri 6 Mar 2026 Due in 2 working days" in text
    assert "Tue 17 Mar 2026 Due in 9 working days" in text
    assert "3 open cases for you, soonest due first. 1 overdue. 1 due soon." in text
    body = response.content.decode()
    assert body.count("fh-clock-tag--overdue") == 1
    assert body.count("fh-clock-tag--due-soon") == 1


def test_cases_awaiting_acceptance_or_allocation_are_shown_to_allocators_only(client, team):
    waiting = receive_complaint(team, RECEIVED)
    accepted = s.case_accept(
        case=receive_complaint(team, RECEIVED), actor=team.allocator, occurred_at=RECEIVED
    )

    client.force_login(team.allocator)
    allocator_sees = page_text(client.get(reverse("cases:my_work")))
    client.force_login(team.investigator)
    investigator_sees = page_text(client.get(reverse("cases:my_work")))
    client.force_login(team.colleague)
    colleague_sees = page_text(client.get(reverse("cases:my_work")))

    assert waiting.reference in allocator_sees
    assert accepted.reference in allocator_sees
    assert "Awaiting allocation" in allocator_sees
    for text in (investigator_sees, colleague_sees):
        assert waiting.reference not in text
        assert accepted.reference not in text
        assert "Nothing is waiting for you." in text


def test_a_complaint_about_the_signed_in_colleague_is_invisible_to_them(client, team):
    about_them = receive_complaint(team, RECEIVED, about_colleagues=[team.allocator])
    not_about_them = receive_complaint(team, RECEIVED)
    client.force_login(team.allocator)

    my_work = page_text(client.get(reverse("cases:my_work")))
    detail = client.get(reverse("cases:detail", args=[about_them.reference]))
    action = client.get(reverse("cases:action", args=[about_them.reference, Action.ACCEPT]))

    assert not_about_them.reference in my_work
    assert about_them.reference not in my_work
    assert detail.status_code == 404
    assert action.status_code == 404
    # A colleague it is not about sees it as normal.
    client.force_login(team.lead)
    assert client.get(reverse("cases:detail", args=[about_them.reference])).status_code == 200


def test_a_case_of_another_organisation_is_a_404(client, team):
    other = make_team("pivotal")
    theirs = receive_complaint(other, RECEIVED)
    client.force_login(team.lead)

    response = client.get(reverse("cases:detail", args=[theirs.reference]))

    assert response.status_code == 404


def test_my_work_with_30_cases_takes_a_fixed_number_of_queries(
    client, team, django_assert_max_num_queries
):
    for n in range(30):
        receive_complaint(team, RECEIVED + timedelta(minutes=n))
    client.force_login(team.allocator)

    # Session, user, organisation, closure days, the count of the list, a page of cases with
    # their complainants and handlers, their policy versions, the overdue and due-soon counts,
    # the queue counts, and the session's save (12 today); at most 15 for any list page. A
    # query per row would need 30 more.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("cases:my_work"))

    # 25 a page, oldest received (soonest due) first: the other 5 are on page 2.
    text = page_text(response)
    second = page_text(client.get(reverse("cases:my_work"), {"page": 2}))
    oldest_first = list(Case.objects.order_by("received_at"))
    assert all(case.reference in text for case in oldest_first[:25])
    assert not any(case.reference in text for case in oldest_first[25:])
    assert all(case.reference in second for case in oldest_first[25:])
    assert "30 open cases for you, soonest due first." in text


def test_my_work_reads_the_policy_text_once_per_version_not_once_per_row(client, team):
    # 30 cases under one version: the list query leaves the 15 KB pack text out, and the text
    # is read once (to check its sha256) for the whole page.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(30):
        receive_complaint(team, RECEIVED + timedelta(minutes=n))
    client.force_login(team.allocator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:my_work"))

    assert response.status_code == 200
    reading_text = [q["sql"] for q in queries.captured_queries if "source_toml" in q["sql"]]
    assert len(reading_text) == 1
    assert "cases_case" not in reading_text[0]


# ---------------------------------------------------------------------------------------------
# The case page


def test_the_case_page_shows_each_clock_due_date_and_how_it_was_worked_out(client, team):
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.allocator)

    response = client.get(reverse("cases:detail", args=[case.reference]))

    assert response.status_code == 200
    text = page_text(response)
    assert re.search(
        r"Send the stage 1 response 10 working days after Mon 2 Mar 2026 \(.*?\) "
        r"Mon 16 Mar 2026 8 working days left On track",
        text,
    )
    assert re.search(
        r"Allocate a Service Manager 2 working days after Mon 2 Mar 2026 \(.*?\) "
        r"Wed 4 Mar 2026 Due today Due soon",
        text,
    )
    for clock in CaseClock.objects.filter(case=case):
        assert clock.label in text
        assert clock.explanation in text


def test_the_explanation_names_the_bank_holidays_skipped(client, team):
    # Received Thursday 2 April 2026: Good Friday (3 Apr) and Easter Monday (6 Apr) are skipped.
    with time_machine.travel(datetime(2026, 4, 2, 16, 0, tzinfo=LONDON), tick=False):
        case = receive_complaint(team, datetime(2026, 4, 2, 15, 0, tzinfo=LONDON))
        client.force_login(team.allocator)
        response = client.get(reverse("cases:detail", args=[case.reference]))

    text = page_text(response)
    assert (
        "Send the stage 1 response 10 working days after Thu 2 Apr 2026, skipping the bank "
        "holidays 3 Apr and 6 Apr"
    ) in text
    assert "Mon 20 Apr 2026 10 working days left On track" in text


def test_the_case_page_takes_a_fixed_number_of_queries(client, team, django_assert_max_num_queries):
    case = signed_off(team, _handled_by(team, RECEIVED), "extension")
    case = s.case_extend(
        case=case,
        actor=team.investigator,
        new_due=date(2026, 3, 20),
        reason="Waiting for the contractor's report.",
        told_on=TODAY,
    )
    for n in range(10):
        s.case_add_note(case=case, actor=team.investigator, text=f"Note {n}")
    client.force_login(team.investigator)

    # 11 today (the clocks and the restriction check are read more than once); a query per
    # event or clock would need 10 more.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cases:detail", args=[case.reference]))

    assert page_text(response).count("Note 9") == 1


def test_the_case_page_offers_only_what_the_colleague_may_do(client, team):
    case = receive_complaint(team, RECEIVED)

    client.force_login(team.allocator)
    allocator_sees = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    client.force_login(team.investigator)
    investigator_sees = client.get(reverse("cases:detail", args=[case.reference])).content.decode()

    accept = reverse("cases:action", args=[case.reference, Action.ACCEPT])
    assert accept in allocator_sees
    assert accept not in investigator_sees


# ---------------------------------------------------------------------------------------------
# Every action form


def _received(team: Team) -> Case:
    return receive_complaint(team, RECEIVED)


def _anonymous(team: Team) -> Case:
    """An unsigned letter about a repair (Pivotal §18.3: the manager may decide on it)."""
    return s.case_receive(
        organisation=team.org,
        logged_by=team.colleague,
        kind=CaseKind.COMPLAINT,
        channel=Case.Channel.LETTER,
        summary="An unsigned letter about a repair.",
        received_at=RECEIVED,
        anonymous=True,
        categories=["repairs"],
    )


def _awaiting_allocation(team: Team) -> Case:
    return s.case_accept(case=_received(team), actor=team.allocator)


def _awaiting_acknowledgement(team: Team) -> Case:
    return s.case_allocate(
        case=_awaiting_allocation(team), actor=team.allocator, handler=team.investigator
    )


def _investigating(team: Team) -> Case:
    return s.case_acknowledge(case=_awaiting_acknowledgement(team), actor=team.investigator)


def _investigating_agreed(step: str) -> Callable[[Team], Case]:
    """Investigating, with the Head of Services' agreement to the step (Pivotal §9 step 7; §13)."""

    def setup(team: Team) -> Case:
        return signed_off(team, _investigating(team), step)

    return setup


def _extended(team: Team) -> Case:
    return s.case_extend(
        case=_investigating_agreed("extension")(team),
        actor=team.investigator,
        new_due=date(2026, 3, 20),
        reason="Waiting for the contractor's report.",
        told_on=TODAY,
    )


def _responded(team: Team) -> Case:
    return s.case_respond(
        case=_investigating_agreed("response")(team),
        actor=team.investigator,
        outcome=s.Outcome.PARTLY_UPHELD,
        reasons="The repair was late; the contractor has been spoken to.",
    )


def _escalation_requested(team: Team) -> Case:
    return s.case_request_escalation(
        case=_responded(team), actor=team.colleague, requested_at=NOW, reasons="Still cold."
    )


def _access_restricted(team: Team) -> Case:
    return s.case_restrict_access(
        case=_received(team), actor=team.lead, reason="A safeguarding concern.", named=[]
    )


def _closed(team: Team) -> Case:
    return s.case_close(case=_received(team), actor=team.allocator, reason_code="10.1b")


def _restricted(team: Team) -> Case:
    return s.case_apply_restriction(
        case=_received(team),
        actor=team.lead,
        restrictions="Contact by email only.",
        reason="Repeated abusive calls.",
        notice_sent_on=TODAY,
    )


def _mmbm_received(team: Team) -> Case:
    mmbm = make_team("mmbm")
    return receive_complaint(mmbm, RECEIVED)


def _mmbm_local_resolution(team: Team) -> Case:
    case = _mmbm_received(team)
    allocator = _actor(team, case, "mmbm_allocator")
    return s.case_start_local_resolution(case=case, actor=allocator, note="Phoned them.")


def _contact(kind: CaseKind, **kw: object) -> Callable[[Team], Case]:
    def setup(team: Team) -> Case:
        return receive_complaint(team, RECEIVED, kind=kind, categories=[], **kw)

    return setup


def _compliment_about_investigator(team: Team) -> Case:
    return _contact(CaseKind.COMPLIMENT, about_colleagues=[team.investigator])(team)


@dataclass(frozen=True)
class FormCase:
    """How to reach an action's form, and what to post to it."""

    setup: Callable[[Team], Case]
    actor: str  # which member of the team may take the action
    valid: dict
    # A post with a required field missing: what was typed, and the field left out.
    partial: dict | None = None
    missing: str = ""


FORMS: dict[Action, FormCase] = {
    Action.ACCEPT: FormCase(_received, "allocator", {"note": "In time."}),
    Action.REFUSE: FormCase(
        _received,
        "allocator",
        {"reason_code": "6.1b", "explanation": "It is the council's road."},
        {"explanation": "It is the council's road."},
        "reason_code",
    ),
    Action.START_LOCAL_RESOLUTION: FormCase(
        _mmbm_received,
        "mmbm_allocator",
        {"note": "Phoned them about the boiler."},
    ),
    Action.RESOLVE_LOCALLY: FormCase(
        _mmbm_local_resolution,
        "mmbm_allocator",
        {"outcome": "The boiler was fixed the same day."},
        {},
        "outcome",
    ),
    Action.ALLOCATE: FormCase(
        _awaiting_allocation,
        "allocator",
        {"handler": "investigator"},
        when(datetime(2026, 3, 3, 15, 45, tzinfo=LONDON)),
        "handler",
    ),
    Action.ACKNOWLEDGE: FormCase(
        _awaiting_acknowledgement,
        "investigator",
        {"understanding": "The boiler repair was missed.", "means": "letter"},
        {"understanding": "The boiler repair was missed.", **NOW_TYPED},
        "means",
    ),
    Action.EXTEND: FormCase(
        _investigating_agreed("extension"),
        "investigator",
        {"new_due": "2026-03-20", "reason": "Waiting for a report.", "told_on": iso(TODAY)},
        {"reason": "Waiting for a report.", "told_on": "2026-03-03"},
        "new_due",
    ),
    Action.RESPOND: FormCase(
        _investigating_agreed("response"),
        "investigator",
        {"outcome": "upheld", "reasons": "The repair was missed.", "means": "email"},
        {"reasons": "The repair was missed.", "means": "email", **NOW_TYPED},
        "outcome",
    ),
    # Recorded by the handler: the colleague who logged it no longer sees it once allocated.
    Action.RECORD_RESPONSE_RECEIPT: FormCase(_responded, "investigator", {}, {}, "occurred_at_0"),
    Action.REQUEST_ESCALATION: FormCase(
        _responded,
        "investigator",
        {"reasons": "The heating is still off."},
        {"reasons": "The heating is still off."},
        "occurred_at_0",
    ),
    Action.ACCEPT_ESCALATION: FormCase(_escalation_requested, "reviewer", {}),
    Action.REFUSE_ESCALATION: FormCase(
        _escalation_requested,
        "reviewer",
        {"reason": "The appeal raises nothing new."},
        {},
        "reason",
    ),
    Action.CLOSE: FormCase(
        _received,
        "allocator",
        {"reason_code": "10.1b", "note": "They withdrew it by phone."},
        {"note": "They withdrew it by phone."},
        "reason_code",
    ),
    Action.CONVERT_TO_COMPLAINT: FormCase(
        _contact(CaseKind.SERVICE_REQUEST), "colleague", {"reason": "Not fixed promptly."}
    ),
    # Triage (Pivotal §4.0, §5.3): whoever decides acceptance says what it really is.
    Action.CHANGE_KIND: FormCase(
        _contact(CaseKind.SERVICE_REQUEST),
        "allocator",
        {"kind": "complaint", "reason": "They are unhappy with the repair."},
        {"reason": "They are unhappy with the repair."},
        "kind",
    ),
    Action.FORWARD_COMPLIMENT: FormCase(
        _compliment_about_investigator, "colleague", {"note": "Well done."}
    ),
    Action.CLOSE_CONTACT: FormCase(
        _contact(CaseKind.SUGGESTION),
        "colleague",
        {"outcome": "Passed to the gardening team."},
        {},
        "outcome",
    ),
    Action.APPLY_RESTRICTION: FormCase(
        _received,
        "lead",
        {"restrictions": "Email only.", "reason": "Abusive calls.", "notice_sent_on": iso(TODAY)},
        {"reason": "Abusive calls.", "notice_sent_on": iso(TODAY)},
        "restrictions",
    ),
    # MMBM §9 (and this Pivotal case's form alike): the review is confirmed in writing.
    Action.REVIEW_RESTRICTION: FormCase(
        _restricted,
        "lead",
        {"decision": "Keep them for 3 months.", "notice_sent_on": iso(TODAY)},
        {"notice_sent_on": iso(TODAY)},
        "decision",
    ),
    # Pivotal §9 stage 1 step 8: a new complaint raised during the investigation.
    Action.TAKE_INTO_RESPONSE: FormCase(
        _investigating,
        "investigator",  # the logger no longer sees it once allocated (need to know)
        {"summary": "The radiator in the hall leaks too.", "channel": "phone"},
        {"summary": "The radiator in the hall leaks too."},
        "channel",
    ),
    # MMBM §9 and Pivotal §12: the warning, telling the managers (App. 3 I), a notice sent later.
    Action.WARN_BEHAVIOUR: FormCase(
        _received,
        "lead",
        {"behaviour": "Abusive calls.", "how": "letter", "notice_sent_on": iso(TODAY)},
        {"behaviour": "Abusive calls."},
        "how",
    ),
    Action.REPORT_BEHAVIOUR: FormCase(
        _received,
        "colleague",
        {"told": "Sam Patel (line manager)", "how": "email"},
        {"told": "Sam Patel (line manager)"},
        "how",
    ),
    Action.RECORD_RESTRICTION_NOTICE: FormCase(
        lambda team: s.case_apply_restriction(
            case=_received(team), actor=team.lead, restrictions="E-mail only.", reason="Abuse."
        ),
        "lead",
        {"step": lambda case: f"{case.reference}:2", "sent_on": iso(TODAY)},
        {"sent_on": iso(TODAY)},
        "step",
    ),
    Action.LIFT_RESTRICTION: FormCase(
        _restricted, "lead", {"reason": "Calls are polite again."}, {}, "reason"
    ),
    Action.RESTRICT_ACCESS: FormCase(
        _received,
        "lead",
        {"reason": "It concerns a member of staff.", "named": "investigator"},
        {},
        "reason",
    ),
    Action.CHANGE_ACCESS_NAMES: FormCase(_access_restricted, "lead", {"named": "investigator2"}),
    Action.UNRESTRICT_ACCESS: FormCase(
        _access_restricted, "lead", {"reason": "Logged under the wrong category."}, {}, "reason"
    ),
    Action.RECORD_OMBUDSMAN_REFERRAL: FormCase(
        _closed,
        "colleague",
        {"body": "Housing Ombudsman Service"},
        {"body": "Housing Ombudsman Service", "note": "They wrote to us."},
        "occurred_at_0",
    ),
    Action.RECORD_FEEDBACK: FormCase(
        _closed,
        "colleague",
        {"satisfaction": "satisfied", "comments": "Quick."},
        {"comments": "Quick."},
        "satisfaction",
    ),
    Action.ASSESS_EXTENSION_REASON: FormCase(
        _extended,
        "lead",
        {"good_reason": "yes", "note": "The report was needed."},
        {"note": "The report was needed."},
        "good_reason",
    ),
    Action.SIGN_OFF: FormCase(
        _investigating,
        "allocator",
        {"step": "response", "note": "The partial uphold and the apology are right."},
        {"note": "The partial uphold and the apology are right."},
        "step",
    ),
    Action.ADD_NOTE: FormCase(_received, "colleague", {"text": "Called them back."}, {}, "text"),
    Action.RECORD_DATE_NOT_AGREED: FormCase(
        _investigating,
        "investigator",
        {"proposed_due": "2026-03-20", "note": "They want the response by Friday."},
        {"note": "They want the response by Friday."},
        "proposed_due",
    ),
    Action.RECORD_MANAGERS_TOLD: FormCase(
        _received,
        "colleague",
        {"told": "Sam Patel (line manager)", "how": "email"},
        {"told": "Sam Patel (line manager)"},
        "how",
    ),
    Action.NOT_INVESTIGATE: FormCase(
        _anonymous, "allocator", {"reason": "Nothing to go on."}, {}, "reason"
    ),
    Action.REFER_TO_AGENCY: FormCase(
        _anonymous,
        "allocator",
        {"agency": "Environmental health", "information": "The letter."},
        {"agency": "Environmental health"},
        "information",
    ),
    Action.ROUTE_OUT: FormCase(
        _received,
        "allocator",
        {"route_code": "asb", "passed_to": "ASB officer", "reason": "Noise from next door."},
        {"route_code": "asb", "reason": "Noise from next door."},
        "passed_to",
    ),
    Action.RECORD_COMMUNICATION: FormCase(
        _received,
        "colleague",
        {"direction": "in", "channel": "call", "summary": "They rang to chase."},
        {"direction": "in", "channel": "call"},
        "summary",
    ),
    # Pivotal §11.2 b and e: how often the complainant will be updated, agreed with them.
    Action.AGREE_UPDATES: FormCase(
        _received,
        "colleague",
        {"every": "5", "note": "By phone on Fridays."},
        {"note": "By phone on Fridays."},
        "every",
    ),
    Action.HOLD_AUTO_CLOSE: FormCase(
        _responded,
        "investigator",
        {"reason": "A visit is booked for Tuesday."},
        {},
        "reason",
    ),
    Action.CORRECT_DETAILS: FormCase(
        _received,
        "allocator",
        {"summary": "The boiler repair was missed twice.", "tenure": "lcra", "reason": "Typo."},
        {"summary": "The boiler repair was missed twice.", "tenure": "lcra"},
        "reason",
    ),
}


def test_every_action_has_a_form_test():
    assert set(FORMS) == set(ACTIONS)


def _actor(team: Team, case: Case, name: str) -> User:
    if name == "mmbm_allocator":
        return next(u for u in case.organisation.colleagues.all() if "allocate" in u.capabilities)
    return getattr(team, name)


def _resolve(data: dict, team: Team, case: Case | None = None) -> dict:
    """Names of team members in the data become their ids (for choosing a colleague); a value
    that depends on the case (its reference) is worked out for it."""
    return {
        k: getattr(team, v).pk if k in {"handler", "named"} else v(case) if callable(v) else v
        for k, v in data.items()
    }


def _snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return (case.state, case.stage, case.handler_id, case.closure_reason, case.events.count())


@pytest.mark.parametrize("action", list(FORMS), ids=str)
def test_each_action_form_renders(client, team, action):
    spec = FORMS[action]
    case = spec.setup(team)
    client.force_login(_actor(team, case, spec.actor))

    response = client.get(reverse("cases:action", args=[case.reference, action]))

    assert response.status_code == 200
    text = page_text(response)
    assert f"{action.label} – {case.reference}" in text  # the <title>
    assert "There is a problem" not in text
    assert 'method="post"' in response.content.decode()


@pytest.mark.parametrize("action", list(FORMS), ids=str)
def test_each_action_form_carries_out_the_action_and_says_so(client, team, action):
    spec = FORMS[action]
    case = spec.setup(team)
    before = _snapshot(case)
    client.force_login(_actor(team, case, spec.actor))

    url = reverse("cases:action", args=[case.reference, action])
    answers = {**NOW_TYPED, **_resolve(spec.valid, team, case)}
    response = client.post(url, answers)
    if ACTIONS[action].confirm:
        # What cannot be undone is checked first: nothing is saved until Confirm.
        assert response.status_code == 200, error_summary(response)
        assert "What will happen" in page_text(response)
        assert _snapshot(case) == before
        response = client.post(url, {**answers, "confirm_step": "confirm"})

    assert response.status_code == 302, error_summary(response)
    assert response["Location"] == reverse("cases:detail", args=[case.reference])
    assert _snapshot(case)[-1] == before[-1] + 1
    assert case.events.order_by("-sequence").first().kind == action
    page = client.get(response["Location"])
    assert f"Success {ACTIONS[action].done}" in page_text(page)


@pytest.mark.parametrize(
    "action", [a for a, spec in FORMS.items() if spec.partial is not None], ids=str
)
def test_each_action_form_with_a_missing_answer_says_what_is_missing_and_keeps_the_rest(
    client, team, action
):
    spec = FORMS[action]
    case = spec.setup(team)
    before = _snapshot(case)
    client.force_login(_actor(team, case, spec.actor))

    # Every form asks when it happened: a post leaves it out only when that is what is missing.
    typed_when = {} if spec.missing == "occurred_at_0" else NOW_TYPED
    response = client.post(
        reverse("cases:action", args=[case.reference, action]),
        {**typed_when, **_resolve(spec.partial, team)},
    )

    assert response.status_code == 200
    assert _snapshot(case) == before
    summary = error_summary(response)
    assert summary.startswith("There is a problem")
    body = response.content.decode()
    assert f'href="#id_{spec.missing}"' in body
    assert "govuk-form-group--error" in body
    assert f"Error: {action.label} – {case.reference}" in page_text(response)
    for value in spec.partial.values():
        assert html.escape(value) in body, f"{value!r} was not kept"


# Actions whose forms have no required answer, so a post with nothing missing is all they take
# (when it happened is asked on every form, filled in with now; left blank it means now).
def test_forms_without_required_answers_are_the_ones_expected():
    assert {a for a, spec in FORMS.items() if spec.partial is None} == {
        Action.ACCEPT,
        Action.START_LOCAL_RESOLUTION,
        Action.ACCEPT_ESCALATION,
        Action.CONVERT_TO_COMPLAINT,
        Action.FORWARD_COMPLIMENT,
        Action.CHANGE_ACCESS_NAMES,  # naming nobody leaves it to the handler and the lead
    }


def _out_of_time(team: Team) -> Case:
    # Pivotal §6.1 a: 6 months from Fri 1 Aug 2025 ends Sun 1 Feb 2026; received Mon 2 Mar.
    return receive_complaint(team, RECEIVED, incident_date=date(2025, 8, 1))


def _stage2_awaiting_allocation_after_reviewer_handled_stage1(team: Team) -> Case:
    case = _awaiting_allocation(team)
    case = s.case_allocate(case=case, actor=team.allocator, handler=team.reviewer)
    case = signed_off(team, s.case_acknowledge(case=case, actor=team.reviewer), "response")
    case = s.case_respond(
        case=case, actor=team.reviewer, outcome=s.Outcome.NOT_UPHELD, reasons="Done on time."
    )
    case = s.case_request_escalation(case=case, actor=team.colleague, requested_at=NOW)
    return s.case_accept_escalation(case=case, actor=team.reviewer2)


@pytest.mark.parametrize(
    ("setup", "action", "actor", "data", "sentence"),
    [
        pytest.param(
            _out_of_time,
            Action.ACCEPT,
            "allocator",
            {"note": "Accept it please."},
            "Received Mon 2 Mar 2026, after the 6-month time limit (§6.1 a) ended on "
            "Sun 1 Feb 2026 (6 months after the incident on Fri 1 Aug 2025). Do not accept it: "
            "refuse it with the time-limit reason.",
            id="accepting-an-out-of-time-complaint",
        ),
        pytest.param(
            _investigating,
            Action.EXTEND,
            "investigator",
            {"new_due": "2026-04-10", "reason": "Waiting for a report.", "told_on": "2026-03-03"},
            "The new date Fri 10 Apr 2026 is after Mon 30 Mar 2026, the latest the policy "
            "allows (§9 stage 1 step 7; §14.2). Choose Mon 30 Mar 2026 or earlier, or give "
            "the good reason for going beyond it and confirm that the customer agreed the later "
            "date.",
            id="extending-past-the-policy-limit",
        ),
        pytest.param(
            _stage2_awaiting_allocation_after_reviewer_handled_stage1,
            Action.ALLOCATE,
            "reviewer2",
            {"handler": "reviewer", **NOW_TYPED},
            "The SLT member for Stage 2 (appeal to the SLT) must be someone other than the "
            "person who handled stage 1 (§9 stage 2).",
            id="the-appeal-handler-handled-stage-1",
        ),
    ],
)
def test_a_refused_action_says_why_in_the_error_summary_and_changes_nothing(
    client, team, setup, action, actor, data, sentence
):
    case = setup(team)
    before = _snapshot(case)
    client.force_login(getattr(team, actor))

    response = client.post(
        reverse("cases:action", args=[case.reference, action]),
        {**NOW_TYPED, **_resolve(data, team)},
    )

    assert response.status_code == 200
    assert sentence in error_summary(response)
    assert _snapshot(case) == before
    typed = {k: v for k, v in data.items() if k != "handler"}  # a chosen colleague is an id
    for value in typed.values():
        assert html.escape(value) in response.content.decode(), f"{value!r} was not kept"


@pytest.mark.parametrize(
    ("setup", "action", "actor"),
    [
        (_received, Action.RESPOND, "lead"),  # not yet: nothing is being investigated
        (_closed, Action.CLOSE, "lead"),
        (_received, Action.ACCEPT_ESCALATION, "lead"),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_an_action_not_possible_now_says_so_without_a_form(client, team, setup, action, actor):
    case = setup(team)
    client.force_login(getattr(team, actor))

    response = client.get(reverse("cases:action", args=[case.reference, action]))

    assert response.status_code == 409
    assert "This is not something you can do on this case now." in page_text(response)
    assert 'method="post" novalidate' not in response.content.decode()


@pytest.mark.parametrize(
    ("setup", "action", "actor"),
    [
        (_received, Action.ACCEPT, "colleague"),  # logged it, may see it, does not allocate
        (_received, Action.APPLY_RESTRICTION, "allocator"),  # the lead's
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_an_action_never_the_colleagues_is_not_found(client, team, setup, action, actor):
    case = setup(team)
    client.force_login(getattr(team, actor))

    get = client.get(reverse("cases:action", args=[case.reference, action]))
    post = client.post(reverse("cases:action", args=[case.reference, action]), {"note": "Go."})

    assert (get.status_code, post.status_code) == (404, 404)
    assert case.reference not in get.content.decode()


def test_a_forbidden_action_says_why(client, team):
    case = _received(team)
    client.force_login(team.lead)

    response = client.get(reverse("cases:action", args=[case.reference, Action.RESPOND]))

    assert response.status_code == 409
    assert "“Send the response” is not possible while the case is “Received”." in page_text(
        response
    )


def test_an_unknown_action_is_a_404(client, team):
    case = _received(team)
    client.force_login(team.lead)

    response = client.get(reverse("cases:action", args=[case.reference, "delete_everything"]))

    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# Logging a case


def _log_data(**changes: str) -> dict:
    data = {
        "kind": "complaint",
        "channel": "phone",
        **when(datetime(2026, 3, 4, 9, 15, tzinfo=LONDON), "received_at"),
        "summary": "Nobody came to fix the boiler on Monday.",
        "idempotency_key": new_idempotency_key(),
        "complainant_name": "Grace Hopper",
        "complainant_phone": "01632 960 001",
        "tenure": "lcra",
        "categories": ["repairs"],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_log_form_renders(client, team):
    client.force_login(team.colleague)

    response = client.get(reverse("cases:log"))

    assert response.status_code == 200
    text = page_text(response)
    assert "Log what you were told" in text
    assert "Repairs and maintenance" in text  # the pack's categories


def test_logging_a_case_creates_it_with_a_reference_and_shows_it(client, team):
    client.force_login(team.colleague)

    response = client.post(reverse("cases:log"), _log_data(), follow=True)

    case = Case.objects.get()
    assert re.fullmatch(r"C-2026-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}", case.reference)
    assert response.redirect_chain == [(reverse("cases:detail", args=[case.reference]), 302)]
    text = page_text(response)
    assert f"Success Logged as {case.reference}." in text
    assert "Nobody came to fix the boiler on Monday." in text
    assert "Grace Hopper" in text
    assert case.kind == CaseKind.COMPLAINT
    assert case.state == CaseState.RECEIVED
    assert case.logged_by == team.colleague
    assert case.received_at == datetime(2026, 3, 4, 9, 15, tzinfo=LONDON)
    assert case.complainant.phone == "01632 960 001"

    client.post(reverse("cases:log"), _log_data(summary="A second call."))
    second = Case.objects.order_by("pk").last()
    assert second.reference not in {case.reference, ""}


def test_the_log_form_refuses_a_received_time_in_the_future(client, team):
    client.force_login(team.colleague)

    response = client.post(
        reverse("cases:log"), _log_data(received_at_day="5", received_at_time="09:15")
    )

    assert response.status_code == 200
    assert "The time received cannot be in the future." in error_summary(response)
    assert 'href="#id_received_at_0"' in response.content.decode()
    assert "Nobody came to fix the boiler on Monday." in response.content.decode()
    assert not Case.objects.exists()


def test_the_log_form_needs_a_name_unless_anonymous(client, team):
    client.force_login(team.colleague)

    response = client.post(reverse("cases:log"), _log_data(complainant_name=None))

    assert response.status_code == 200
    assert "Enter their name, or tick anonymous if they did not give it." in error_summary(response)
    assert 'href="#id_complainant_name"' in response.content.decode()
    assert "01632 960 001" in response.content.decode()  # what was typed is kept
    assert not Case.objects.exists()


def test_an_anonymous_case_needs_no_name(client, team):
    client.force_login(team.colleague)

    response = client.post(
        reverse("cases:log"), _log_data(complainant_name=None, anonymous="on"), follow=True
    )

    case = Case.objects.get()
    assert f"Success Logged as {case.reference}." in page_text(response)
    assert case.anonymous is True


def test_the_log_form_lists_what_is_missing(client, team):
    client.force_login(team.colleague)

    response = client.post(reverse("cases:log"), {"complainant_name": "Grace Hopper"})

    summary = error_summary(response)
    assert summary.startswith("There is a problem")
    for field in ("kind", "channel", "received_at_0", "summary"):
        assert f'href="#id_{field}"' in response.content.decode()
    assert 'value="Grace Hopper"' in response.content.decode()
    assert not Case.objects.exists()


def test_the_restriction_review_deadline_shows_only_once_restrictions_are_applied(client):
    # MMBM §9: restrictions are reviewed at least every six months while they are in force.
    team = make_team("mmbm")
    case = receive_complaint(team, NOW - timedelta(days=2))
    client.force_login(team.lead)
    url = reverse("cases:detail", args=[case.reference])

    assert "Review the restrictions on contact" not in page_text(client.get(url))
    assert "Chance to change the behaviour warned about" not in page_text(client.get(url))

    # Warned first (§9), on the person's earlier complaint, 40 days ago: the month has passed.
    earlier = receive_complaint(team, NOW - timedelta(days=40))
    s.case_warn_about_behaviour(
        case=earlier,
        actor=team.lead,
        behaviour="Abusive calls.",
        how="letter",
        occurred_at=NOW - timedelta(days=40),
    )
    assert "Chance to change the behaviour warned about" in page_text(client.get(url))
    s.case_apply_restriction(
        case=case,
        actor=team.lead,
        restrictions="Email only.",
        reason="Abusive calls.",
        notice_sent_on=NOW.date(),
    )
    text = page_text(client.get(url))
    assert "Review the restrictions on contact" in text
    assert "6 months after" in text


def _mmbm_awaiting_acknowledgement(team: Team) -> tuple[Case, User]:
    mmbm = make_team("mmbm")
    case = receive_complaint(mmbm, RECEIVED)
    s.case_accept(case=case, actor=mmbm.allocator)
    s.case_allocate(case=case, actor=mmbm.allocator, handler=mmbm.investigator)
    return case, mmbm.investigator


def test_mmbm_acknowledgement_form_asks_how_it_was_given_and_the_agreed_date(client, team):
    # MMBM §8.1: acknowledged "verbally or in writing", agreeing "a date or timeframe".
    case, investigator = _mmbm_awaiting_acknowledgement(team)
    client.force_login(investigator)
    url = reverse("cases:action", args=[case.reference, Action.ACKNOWLEDGE])

    text = page_text(client.get(url))
    assert "How was the acknowledgement given? Letter Email Face to face Telephone" in text
    assert "Response date agreed with the complainant (optional)" in text

    # 28 working days from Mon 2 Mar 2026 is Mon 13 Apr (Good Friday and Easter Monday skipped).
    response = client.post(
        url,
        {**NOW_TYPED, "means": "face_to_face", "agreed_response_date": "2026-04-14"},
    )
    assert "is after Mon 13 Apr 2026, the date the policy sets (§8.1)" in error_summary(response)

    response = client.post(
        url,
        {**NOW_TYPED, "means": "face_to_face", "agreed_response_date": "2026-03-27"},
    )
    assert response.status_code == 302, error_summary(response)
    page = page_text(client.get(response["Location"]))
    assert "held to Fri 27 Mar 2026, the date agreed with the complainant" in page
    assert "Given by Face to face" in page
    assert "Response date agreed Fri 27 Mar 2026 (§8.1)" in page


def test_pivotal_acknowledgement_form_has_no_agreed_date(client, team):
    case = _awaiting_acknowledgement(team)
    client.force_login(team.investigator)
    text = page_text(client.get(reverse("cases:action", args=[case.reference, Action.ACKNOWLEDGE])))
    assert "How was the acknowledgement given?" in text
    assert "Response date agreed" not in text


def test_pivotal_revised_date_not_agreed_shows_the_housing_ombudsman_details(client, team):
    # §14.3: "we will provide them with the Housing Ombudsman's details".
    case = _investigating(team)
    client.force_login(team.investigator)
    page = page_text(client.get(reverse("cases:detail", args=[case.reference])))
    assert "Record that a revised date was not agreed" in page

    response = client.post(
        reverse("cases:action", args=[case.reference, Action.RECORD_DATE_NOT_AGREED]),
        {"proposed_due": "2026-03-20", "note": "They will not wait."},
    )
    assert response.status_code == 302, error_summary(response)
    page = page_text(client.get(response["Location"]))
    assert "Revised date not agreed" in page
    assert "Date proposed Fri 20 Mar 2026" in page
    assert (
        "Details given (§14.3) Housing Ombudsman Service: PO Box 152, Liverpool L33 7WQ. "
        "Telephone 0300 111 3000." in page
    )
