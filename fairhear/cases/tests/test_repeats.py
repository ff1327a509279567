"""The same form sent twice is one case: a double click, a refresh, the back button then Save,
or two requests with the same key at the same moment (issue: "Log a case" is idempotent)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.forms import new_idempotency_key
from fairhear.cases.models import Case, CaseEvent, Submission
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import _log_data, page_text
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action

# Wednesday 4 March 2026, 10:00 in London.
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
RECEIVED = datetime(2026, 3, 4, 9, 15, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.django_db
def test_a_repeated_key_gives_back_the_first_case_and_saves_nothing_new():
    team = make_team("pivotal")
    key = new_idempotency_key()
    first = receive_complaint(team, RECEIVED, idempotency_key=key)

    with pytest.raises(s.AlreadyReceived) as caught:
        receive_complaint(team, RECEIVED, idempotency_key=key, summary="Typed again, changed.")

    assert caught.value.case == first
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(kind=Action.RECEIVE).count() == 1
    first.refresh_from_db()
    assert first.summary == "The repair to the boiler was not done when promised."
    assert Submission.objects.get().repeats == 1


@pytest.mark.django_db
def test_the_same_key_in_another_organisation_is_another_case():
    key = new_idempotency_key()
    one = receive_complaint(make_team("pivotal"), RECEIVED, idempotency_key=key)
    two = receive_complaint(make_team("pivotal"), RECEIVED, idempotency_key=key)

    assert one != two


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["short", "x" * 65, "has spaces in it, which no page makes"])
def test_a_key_no_page_could_have_made_is_refused_in_words(key):
    team = make_team("pivotal")

    with pytest.raises(s.CaseInputError, match="reload the page and send it again"):
        receive_complaint(team, RECEIVED, idempotency_key=key)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_log_a_case_sent_twice_makes_one_case_and_the_case_page_says_so(client):
    team = make_team("pivotal")
    client.force_login(team.colleague)
    data = _log_data()

    client.post(reverse("cases:log"), data)
    again = client.post(reverse("cases:log"), data, follow=True)

    case = Case.objects.get()
    assert again.redirect_chain == [(reverse("cases:detail", args=[case.reference]), 302)]
    text = page_text(again)
    assert f"This form was already saved as {case.reference}; it was not saved again." in text
    # 10:00 on Wednesday 4 March 2026 is when the repeat came (GMT, so London time is UTC).
    assert (
        "The form that made this case was sent once more, last on Wed 4 Mar 2026 at 10:00. "
        "Each repeat was recognised and no second case was made." in text
    )


@pytest.mark.django_db
def test_the_back_button_then_save_with_a_change_keeps_the_first_case_as_it_was(client):
    team = make_team("pivotal")
    client.force_login(team.colleague)
    data = _log_data()
    client.post(reverse("cases:log"), data)

    client.post(reverse("cases:log"), {**data, "summary": "Edited after going back."})
    client.post(reverse("cases:log"), data)

    case = Case.objects.get()
    assert case.summary == "Nobody came to fix the boiler on Monday."
    assert Submission.objects.get(case=case).repeats == 2


@pytest.mark.django_db
def test_the_log_form_without_its_key_says_to_reload(client):
    team = make_team("pivotal")
    client.force_login(team.colleague)

    response = client.post(reverse("cases:log"), _log_data(idempotency_key=None))

    assert "This form has lost its identifying key; reload the page and try again." in (
        page_text(response)
    )
    assert not Case.objects.exists()


WRITERS = 8


@pytest.mark.django_db(transaction=True)
def test_eight_copies_of_one_form_at_the_same_moment_make_exactly_one_case(committed_db):
    """Eight requests with the same key released together: the unique key, not a check before
    saving, is what keeps it to one case; every request is answered with that case."""
    team = make_team("pivotal")
    data = _log_data()
    clients = []
    for _ in range(WRITERS):
        client = Client(raise_request_exception=False)
        client.force_login(team.colleague)
        clients.append(client)
    start = threading.Barrier(WRITERS)

    def send(n: int) -> tuple[int, str]:
        try:
            start.wait(timeout=30)
            response = clients[n].post(reverse("cases:log"), data)
            return response.status_code, response.headers.get("Location", "")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        answers = list(pool.map(send, range(WRITERS)))

    case = Case.objects.get()
    assert answers == [(302, reverse("cases:detail", args=[case.reference]))] * WRITERS
    assert CaseEvent.objects.filter(kind=Action.RECEIVE).count() == 1
    assert Submission.objects.get(case=case).repeats == WRITERS - 1
