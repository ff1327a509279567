"""No input gives a server error: a fixed corpus of hostile values posted to every field of
every form, and put in every part of every URL, on SQLite and PostgreSQL alike.

Each value here once gave a 500 or is of a kind that does (issue "The log can be trusted",
item 8): a NUL in a case reference (PostgreSQL cannot hold NUL in text), an id of 30 digits
in a choice of colleague (SQLite cannot bind it), an e-mail address longer than its column,
a text of a megabyte, and far dates. A field gets its kind's hostile values one at a time,
the other fields keeping plausible answers, so that the service behind a form is reached
whenever the form lets the value through."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django import forms
from django.test import Client

from fairhear.cases.actions import ACTIONS
from fairhear.cases.forms import LogCaseForm
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.clock import LONDON
from fairhear.policies.selectors import policy_pack_for

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026, 10:00 GMT
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)

HOSTILE_TEXT = [
    "C-2026-000001\x00",  # a NUL, which PostgreSQL cannot store in text
    "x" * 1_000_001,  # a megabyte
    "😀\u202e\u200b\r\n" * 2_600,  # over 10,000 characters of emoji, control marks, new lines
    "<script>alert(1)</script>{{ 7|add:7 }}'; DROP TABLE cases_case; --",
    "a@" + "b" * 300 + ".example.org",  # an e-mail of 300+ characters (the column holds 254)
]
HOSTILE_CHOICE = [
    "1" * 30,  # an id of 30 digits
    "9223372036854775808",  # one over the largest 64-bit id
    "\x00",
    "x" * 100_000,
]
HOSTILE_DATE = ["0001-01-01", "9999-12-31", "99999-01-01", "2026-02-30", "\x00"]
HOSTILE_PATH = [
    "C-2026-000001%00",
    "%00",
    "x" * 5_000,
    "%FF%FE",
    "%ED%A0%80",  # a lone surrogate in UTF-8
    "..%2F..%2Fetc%2Fpasswd",
    "C-2026-000001%0D%0ASet-Cookie:%20x=1",
    "1" * 30,
]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def setting():
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED)
    client = Client(raise_request_exception=False)
    client.force_login(team.lead)  # the lead may do anything, so services are reached
    return team, case, client


def plausible(field: forms.Field, bound: forms.BoundField) -> object:
    """An answer the field would accept, so that one hostile field is the only problem."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        first = field.queryset.first()
        return [str(first.pk)] if first else []
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.first()
        return str(first.pk) if first else ""
    if isinstance(field, forms.MultipleChoiceField):
        return [str(field.choices[0][0])] if field.choices else []
    if isinstance(field, forms.ChoiceField):
        values = [str(v) for v, _ in field.choices if v != ""]
        return values[0] if values else ""
    if isinstance(field, forms.BooleanField):
        return ""
    if isinstance(field, forms.DateTimeField):
        return "2026-03-03T10:00"
    if isinstance(field, forms.DateField):
        return "2026-03-03"
    if isinstance(field, forms.EmailField):
        return "ada@example.org"
    return "A plausible answer."


def hostile_values(field: forms.Field) -> list[object]:
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [[value] for value in HOSTILE_CHOICE] + [HOSTILE_CHOICE]
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return HOSTILE_CHOICE
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return HOSTILE_DATE
    if isinstance(field, forms.BooleanField):
        return ["\x00", "x" * 100_000]
    return HOSTILE_TEXT


# A "when did it happen" input posts its day, month, year and time separately.
PLAUSIBLE_PARTS = {"_day": "3", "_month": "3", "_year": "2026", "_time": "10:00"}
HOSTILE_PARTS = ["\x00", "9" * 5_000, "0001"]


def posted(name: str, field: forms.Field, form: forms.Form) -> dict[str, object]:
    """The plausible POST data for one field (several keys for a multi-part input)."""
    if isinstance(field.widget, forms.MultiWidget):
        return {
            name + suffix: PLAUSIBLE_PARTS.get(suffix, "") for suffix in field.widget.widgets_names
        }
    return {name: plausible(field, form[name])}


def hostile_posts(name: str, field: forms.Field) -> list[dict[str, object]]:
    if isinstance(field.widget, forms.MultiWidget):
        return [
            {name + suffix: value}
            for suffix in field.widget.widgets_names
            for value in HOSTILE_PARTS
        ]
    return [{name: value} for value in hostile_values(field)]


def fuzz_form(client: Client, url: str, form: forms.Form) -> list[str]:
    """Post each hostile value to each field in turn; the field, value and status of any 500."""
    baseline: dict[str, object] = {}
    for name, field in form.fields.items():
        baseline |= posted(name, field, form)
    errors = []
    for name, field in form.fields.items():
        for change in hostile_posts(name, field):
            response = client.post(url, {**baseline, **change})
            if response.status_code >= 500:
                errors.append(f"{url} {change!s:.60}: {response.status_code}")
    return errors


def test_no_hostile_value_in_the_log_a_case_form_gives_a_server_error(setting):
    team, _, client = setting
    pack = policy_pack_for(team.org.active_policy_version)
    form = LogCaseForm(organisation=team.org, pack=pack)
    assert fuzz_form(client, "/cases/log/", form) == []


@pytest.mark.parametrize("action", sorted(ACTIONS, key=str), ids=str)
def test_no_hostile_value_in_an_action_form_gives_a_server_error(setting, action):
    _, case, client = setting
    spec = ACTIONS[action]
    pack = policy_pack_for(case.policy_version)
    form = spec.form(**(spec.form_kwargs(case, pack) if spec.form_kwargs else {}))
    assert fuzz_form(client, f"/cases/{case.reference}/{action.value}/", form) == []


def test_no_hostile_value_in_the_sign_in_or_password_reset_forms_gives_a_server_error():
    client = Client(raise_request_exception=False)
    errors = []
    for url, fields in (
        ("/sign-in/", ("username", "password")),
        ("/password-reset/", ("email",)),
    ):
        for name in fields:
            for value in HOSTILE_TEXT:
                response = client.post(url, {name: value})
                if response.status_code >= 500:
                    errors.append(f"{url} {name}={value[:40]!r}")
    assert errors == []


def test_no_hostile_url_gives_a_server_error(setting):
    _, case, client = setting
    paths = []
    for part in HOSTILE_PATH:
        paths += [
            f"/cases/{part}/",
            f"/cases/{case.reference}/{part}/",
            f"/cases/{part}/add_note/",
            f"/password-reset/{part}/{part}/",
            f"/{part}",
            f"/cases/?page={part}",
            f"/sign-in/?next={part}",
        ]
    errors = []
    for path in paths:
        for method in (client.get, client.post):
            response = method(path)
            if response.status_code >= 500:
                errors.append(f"{method.__name__.upper()} {path[:60]}: {response.status_code}")
    assert errors == []
