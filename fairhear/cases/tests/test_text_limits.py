"""Bounded input, bounded pages: every text has a generous limit that the form states and
that the services enforce for every caller; long texts are shown collapsed on the case page;
impossible ids and references are refused plainly rather than with a server error."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest
import time_machine
from django import forms
from django.urls import reverse

from fairhear.accounts.forms import SignInForm
from fairhear.cases import forms as case_forms
from fairhear.cases import services as s
from fairhear.cases.services import CaseInputError, PersonDetails
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import _log_data, error_summary, page_text
from fairhear.domain.clock import LONDON

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026, 10:00 GMT
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    return make_team("pivotal")


@pytest.fixture
def case(team):
    return receive_complaint(team, RECEIVED)


def all_forms() -> list[type[forms.BaseForm]]:
    found = [
        v
        for v in vars(case_forms).values()
        if isinstance(v, type)
        and issubclass(v, forms.BaseForm)
        and v.__module__.startswith("fairhear.")
    ]
    return [*found, SignInForm]


def test_every_text_field_of_every_form_has_a_length_limit():
    unlimited = [
        f"{form.__name__}.{name}"
        for form in all_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and not field.max_length
    ]
    assert unlimited == []


def test_the_note_form_says_its_limit_and_refuses_a_longer_note_saying_by_how_much(
    client, team, case
):
    client.force_login(team.lead)
    url = reverse("cases:action", args=[case.reference, "note_added"])
    assert "You can enter up to 10,000 characters" in page_text(client.get(url))

    response = client.post(url, {"text": "x" * 12_345})

    assert response.status_code == 200
    assert "Note must be 10,000 characters or fewer; it is 12,345." in error_summary(response)
    assert case.events.filter(kind="note_added").count() == 0


def test_the_service_refuses_an_over_long_note_from_any_caller(team, case):
    with pytest.raises(CaseInputError) as refused:
        s.case_add_note(case=case, actor=team.lead, text="y" * 10_001)
    assert str(refused.value) == "The note must be 10,000 characters or fewer; it is 10,001."
    assert case.events.filter(kind="note_added").count() == 0
    # Exactly 10,000 characters is allowed.
    s.case_add_note(case=case, actor=team.lead, text="y" * 10_000)
    assert case.events.filter(kind="note_added").count() == 1


def test_the_service_refuses_a_nul_character_which_postgresql_cannot_store(team, case):
    with pytest.raises(CaseInputError, match=r"The note contains a NUL character"):
        s.case_add_note(case=case, actor=team.lead, text="before\x00after")


def test_intake_refuses_an_email_longer_than_its_column(team):
    email = "x" * 243 + "@example.org"  # 243 + 12 = 255 characters
    with pytest.raises(CaseInputError) as refused:
        receive_complaint(team, RECEIVED, complainant=PersonDetails(name="Ada", email=email))
    assert str(refused.value) == (
        "The complainant's e-mail address must be 254 characters or fewer; it is 255."
    )


def test_the_log_form_refuses_an_email_of_255_characters_plainly(client, team):
    client.force_login(team.colleague)
    # 60 + 1 + 60 + 1 + 60 + 1 + 68 + 4 = 255 characters
    email = "x" * 60 + "@" + "d" * 60 + "." + "e" * 60 + "." + "f" * 68 + ".org"
    assert len(email) == 255

    response = client.post(reverse("cases:log"), _log_data(complainant_email=email))

    assert response.status_code == 200
    assert "Email address must be 254 characters or fewer; it is 255." in error_summary(response)


def test_a_thirty_digit_colleague_id_is_an_invalid_choice_not_a_server_error(client, team):
    client.force_login(team.colleague)

    response = client.post(reverse("cases:log"), _log_data(about_colleagues=["1" * 30]))

    assert response.status_code == 200
    assert "is not one of the available choices" in error_summary(response)


def test_a_reference_with_a_nul_character_is_not_found(client, team, case):
    client.force_login(team.lead)
    assert client.get(f"/cases/{case.reference}%00/").status_code == 404
    assert client.get(f"/cases/{case.reference}%00/note_added/").status_code == 404


def test_a_long_note_is_shown_collapsed_with_a_way_to_read_it_in_full(client, team, case):
    words = " ".join(f"word{n}" for n in range(1_500))  # about 12,000 characters
    note = words[:9_000]
    s.case_add_note(case=case, actor=team.lead, text=note)
    client.force_login(team.lead)

    body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()

    details = re.search(r"<details class=\"govuk-details[^\"]*\">(.*?)</details>", body, re.S)
    assert details is not None
    assert "Read the full note" in details.group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", details.group(1))).count(note) == 1
    # Before the disclosure, only the first part: at most 600 characters and an ellipsis.
    shown = body[: details.start()].rsplit("<dd", 1)[1]
    first_part = html.unescape(re.sub(r"<[^>]+>", "", shown.split(">", 1)[1])).strip()
    assert first_part.endswith("…")
    assert len(first_part) <= 601
    assert note.startswith(first_part[:-1])


def test_a_short_note_is_shown_whole_without_a_disclosure(client, team, case):
    s.case_add_note(case=case, actor=team.lead, text="Called back; left a message.")
    client.force_login(team.lead)
    body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Called back; left a message." in body
    assert "Read the full note" not in body


def test_a_note_is_shown_as_typed_its_lines_kept_and_markup_never_run(client, team, case):
    typed = 'First line <script>alert("x")</script>\nSecond line & more'
    s.case_add_note(case=case, actor=team.lead, text=typed)
    s.case_add_note(case=case, actor=team.lead, text=("<b>long</b> " * 80) + "\nlast line")
    client.force_login(team.lead)

    body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()

    assert "<script>alert" not in body
    assert (
        "First line &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Second line &amp;" in body
    )
    # The long one: escaped both before its disclosure and inside it, its last line kept.
    assert "<b>long</b>" not in body
    details = re.search(r"<details class=\"govuk-details[^\"]*\">(.*?)</details>", body, re.S)
    assert "&lt;b&gt;long&lt;/b&gt; <br>last line" in details.group(1)
