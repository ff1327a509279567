"""What each page of the public form reads and writes: the organisation once a request, the
service areas only where they are asked about, the answers kept in the database session with
one statement, and a sent form stored whole in one transaction (docs/adr/ADR-010)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairhear.accounts.models import Organisation, ServiceArea
from fairhear.accounts.tests.factories import ServiceAreaFactory
from fairhear.cases.models import Case, CaseClock, CaseEvent, ReferenceCounter, Submission
from fairhear.cases.services.verification import cases_verify_log
from fairhear.cases.tests.factories import make_team
from fairhear.domain.clock import LONDON
from fairhear.intake.tests.test_public_form import MYSELF, answer, start
from fairhear.outbox.models import OutboundMessage

# Wednesday 4 March 2026, 10:00 in London (GMT).
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _no_one_has_sent_anything_yet():
    cache.clear()


@pytest.fixture
def team():
    team = make_team("pivotal")
    ServiceAreaFactory(organisation=team.org, name="North scheme")
    return team


def on_table(captured: CaptureQueriesContext, model: type) -> list[str]:
    table = model._meta.db_table
    return [q["sql"] for q in captured.captured_queries if f'"{table}"' in q["sql"]]


def writes(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


@pytest.mark.django_db
def test_the_service_areas_are_read_only_on_the_page_that_asks_for_them(client, team):
    start(client, team.org)
    pages = {}
    for step in ("kind", "what", "when", "where"):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(reverse("intake:step", args=[team.org.slug, step]), MYSELF[step])
        assert response.status_code == 302
        pages[step] = captured

    for step in ("kind", "what", "when"):
        assert on_table(pages[step], ServiceArea) == [], step
        assert len(on_table(pages[step], Organisation)) == 1, step
    assert len(on_table(pages["where"], ServiceArea)) == 1
    assert len(on_table(pages["where"], Organisation)) == 1
    # The "Where it happened" page offers the organisation's services to choose from.
    page = client.get(reverse("intake:step", args=[team.org.slug, "where"]))
    assert "North scheme" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_each_answer_is_kept_in_the_database_session_with_one_statement(committed_db, client, team):
    start(client, team.org)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("intake:step", args=[team.org.slug, "kind"]), MYSELF["kind"])

    assert response.status_code == 302
    assert [sql.split()[0].upper() for sql in writes(captured)] == ["UPDATE"]
    assert len(on_table(captured, Session)) == 2  # read, then written
    # The answer is on the server, not in the browser: the cookie holds only the session key.
    session = Session.objects.get()
    assert session.get_decoded()["fairhear_feedback"]["answers"]["kind"] == {"kind": "complaint"}
    assert client.cookies["sessionid"].value == session.session_key
    assert "complaint" not in client.cookies["sessionid"].value


@pytest.mark.django_db(transaction=True)
def test_a_sent_form_is_stored_whole_and_its_clocks_agree_with_its_events(
    committed_db, client, team
):
    answer(client, team.org, MYSELF)
    check = client.get(reverse("intake:check", args=[team.org.slug]))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', check.content.decode()).group(1)

    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            reverse("intake:check", args=[team.org.slug]), {"idempotency_key": key}
        )

    assert response.status_code == 302
    case = Case.objects.get()
    assert Submission.objects.get().case == case
    # Received, and the Head of Services told of the new complaint by priority e-mail.
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == [
        "received",
        "managers_told",
    ]
    assert OutboundMessage.objects.get(kind="intake_acknowledgement").to == ["grace@example.org"]
    assert OutboundMessage.objects.get(kind="new_complaint").to == [team.allocator.email]
    # The organisation's first case of 2026: its counter is made, then counted to 1.
    assert ReferenceCounter.objects.get(organisation=team.org, year=2026).last == 1
    # Pivotal §9 stage 1 step 5: the Head of Services was told at once, so the next deadline is
    # allocation within 2 working days of Wednesday 4 March (App. 1): Friday 6 March 2026.
    assert case.next_due == date(2026, 3, 6)
    assert CaseClock.objects.filter(case=case).count() > 0
    assert cases_verify_log().clean
    # The case, its key, its event, its clocks and its acknowledgement: one transaction, with
    # no savepoint inside it, and no clock rows read back.
    sql = [q["sql"].strip().upper() for q in captured.captured_queries]
    assert not any(s.startswith("SAVEPOINT") for s in sql)
    assert not [s for s in sql if s.startswith("SELECT") and '"CASES_CASECLOCK"' in s]
    assert len(on_table(captured, Organisation)) == 1

    # Sent again (a refresh, a double click): the same case, nothing new.
    again = client.post(reverse("intake:check", args=[team.org.slug]), {"idempotency_key": key})
    assert again.status_code == 302
    assert Case.objects.count() == 1
