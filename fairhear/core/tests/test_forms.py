"""The GOV.UK form renderer, the error summary, and the page layout they sit in."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.fallback import FallbackStorage
from django.forms.renderers import get_default_renderer
from django.http import HttpResponse
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.html import Element, parse_html
from django.urls import include, path, resolve
from django.utils import timezone

from fairhear.core.forms import GovUKBoundField, GovUKFormRenderer, _select_html


class CaseForm(forms.Form):
    """One field per widget the renderer supports."""

    reference = forms.CharField(
        label="Case reference", help_text="For example, FH-2026-0042", max_length=20
    )
    email = forms.EmailField(label="Email address", required=False)
    rooms = forms.IntegerField(label="Rooms affected", min_value=1)
    summary = forms.CharField(label="What happened", widget=forms.Textarea, max_length=2000)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    channel = forms.ChoiceField(
        label="How it arrived", choices=[("", "Choose"), ("phone", "Phone"), ("email", "Email")]
    )
    kind = forms.ChoiceField(
        label="Complaint or compliment",
        widget=forms.RadioSelect,
        choices=[("complaint", "Complaint"), ("compliment", "Compliment")],
        help_text="Choose one.",
    )
    needs = forms.MultipleChoiceField(
        label="Communication needs",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=[("bsl", "British Sign Language"), ("large", "Large print")],
    )
    received = forms.DateField(label="Date received")
    call_back = forms.DateTimeField(label="Call back at", required=False)
    urgent = forms.BooleanField(
        label="This is about safety", required=False, help_text="We reply within a day."
    )
    secret = forms.CharField(label="Password", widget=forms.PasswordInput)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("reference") == "FH-1":
            raise forms.ValidationError("This case has already been logged.")
        return cleaned


VALID = {
    "reference": "FH-2",
    "rooms": "2",
    "summary": "Roof leaks",
    "channel": "phone",
    "kind": "complaint",
    "received": "2026-03-02",
    "call_back": "2026-03-03T10:30",
    "secret": "x",
}


# Helpers: find elements in rendered HTML ------------------------------------------------------


def _walk(node: Element):
    for child in getattr(node, "children", []):
        if isinstance(child, Element):
            yield child
            yield from _walk(child)


def _attrs(element: Element) -> dict:
    return {name: ("" if value is None else value) for name, value in element.attributes}


def _classes(element: Element) -> set[str]:
    return set(_attrs(element).get("class", "").split())


def find(html: str, **attrs: str) -> list[Element]:
    """Elements whose attributes equal the given values (class_ matches one class)."""
    wanted_class = attrs.pop("class_", None)
    found = []
    for element in _walk(parse_html(f"<div>{html}</div>")):
        element_attrs = _attrs(element)
        if any(element_attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
            continue
        if wanted_class and wanted_class not in _classes(element):
            continue
        found.append(element)
    return found


def by_id(html: str, element_id: str) -> Element:
    (element,) = find(html, id=element_id)
    return element


def group_of(html: str, element_id: str) -> Element:
    """The innermost govuk-form-group holding the element with this id."""
    groups = [g for g in find(html, class_="govuk-form-group") if element_id in str(g)]
    holding = [g for g in groups if any(_attrs(e).get("id") == element_id for e in _walk(g))]
    return holding[-1]


def text(element: Element) -> str:
    return " ".join(str(element).split())


def field_html(form: forms.Form, name: str) -> str:
    return str(form[name].as_field_group())


def bound_with_errors() -> CaseForm:
    form = CaseForm(data={"email": "not-an-email", "rooms": "many", "needs": ["bsl"]})
    assert not form.is_valid()
    return form


# The renderer is the project default -------------------------------------------------------------


def test_settings_make_the_govuk_renderer_the_default_for_every_form():
    renderer = get_default_renderer()

    assert isinstance(renderer, GovUKFormRenderer)
    assert isinstance(CaseForm()["reference"], GovUKBoundField)


# Text inputs ------------------------------------------------------------------------------------


def test_text_input_has_govuk_label_hint_and_input_linked_by_aria_describedby():
    html = field_html(CaseForm(), "reference")

    label = find(html, class_="govuk-label")[0]
    assert _attrs(label)["for"] == "id_reference"
    assert text(label).endswith("Case reference </label>")
    hint = by_id(html, "id_reference_helptext")
    assert "govuk-hint" in _classes(hint)
    control = by_id(html, "id_reference")
    assert _classes(control) == {"govuk-input"}
    assert _attrs(control)["aria-describedby"] == "id_reference_helptext"
    assert _classes(group_of(html, "id_reference")) == {"govuk-form-group"}
    assert not find(html, class_="govuk-error-message")


def test_optional_fields_say_optional_and_required_fields_have_no_marker():
    form = CaseForm()

    assert "Email address (optional)" in field_html(form, "email")
    assert "(optional)" not in field_html(form, "reference")
    assert "*" not in field_html(form, "reference")


def test_text_input_with_an_error_shows_a_govuk_error_message_and_error_classes():
    html = field_html(bound_with_errors(), "email")

    error = by_id(html, "id_email_error")
    assert "govuk-error-message" in _classes(error)
    assert '<span class="govuk-visually-hidden">Error:</span> Enter a valid email' in html
    control = by_id(html, "id_email")
    assert _classes(control) == {"govuk-input", "govuk-input--error"}
    assert _attrs(control)["aria-describedby"] == "id_email_error"
    assert "govuk-form-group--error" in _classes(group_of(html, "id_email"))


def test_error_message_follows_the_hint_in_aria_describedby():
    form = CaseForm(data={"reference": ""})
    form.is_valid()

    control = by_id(field_html(form, "reference"), "id_reference")

    assert _attrs(control)["aria-describedby"] == "id_reference_helptext id_reference_error"


def test_browser_validation_is_left_to_the_server():
    html = str(CaseForm())

    assert " required" not in html
    assert " maxlength=" not in html


def test_number_input_is_text_with_a_numeric_keyboard():
    control = by_id(field_html(CaseForm(), "rooms"), "id_rooms")

    assert _attrs(control)["type"] == "text"
    assert _attrs(control)["inputmode"] == "numeric"
    assert "min" not in _attrs(control)


def test_password_input_uses_the_govuk_show_password_component():
    html = field_html(CaseForm(), "secret")

    control = by_id(html, "id_secret")
    assert _attrs(control)["type"] == "password"
    assert "govuk-password-input__input" in _classes(control)
    assert find(html, data_module="govuk-password-input")
    (toggle,) = find(html, class_="govuk-password-input__toggle")
    assert _attrs(toggle)["aria-controls"] == "id_secret"


# Textareas and selects --------------------------------------------------------------------------


def test_textarea_with_a_limit_counts_characters_instead_of_cutting_text_off():
    html = field_html(CaseForm(), "summary")

    control = by_id(html, "id_summary")
    assert control.name == "textarea"
    assert _classes(control) == {"govuk-textarea", "govuk-js-character-count"}
    assert _attrs(control)["aria-describedby"] == "id_summary-info"
    (counter,) = find(html, data_module="govuk-character-count")
    assert _attrs(counter)["data-maxlength"] == "2000"
    assert "You can enter up to 2,000 characters" in text(by_id(html, "id_summary-info"))


def test_textarea_without_a_limit_is_a_plain_govuk_textarea():
    form = CaseForm(data={"notes": ""})
    form.is_valid()

    html = field_html(form, "notes")

    assert _classes(by_id(html, "id_notes")) == {"govuk-textarea"}
    assert not find(html, data_module="govuk-character-count")
    assert "Notes (optional)" in html


def test_select_has_govuk_classes_and_error_state():
    assert _classes(by_id(field_html(CaseForm(), "channel"), "id_channel")) == {"govuk-select"}

    html = field_html(bound_with_errors(), "channel")

    assert _classes(by_id(html, "id_channel")) == {"govuk-select", "govuk-select--error"}
    assert "govuk-form-group--error" in _classes(group_of(html, "id_channel"))


# Radios and checkboxes --------------------------------------------------------------------------


def test_radios_are_a_fieldset_whose_first_option_takes_the_field_id():
    html = field_html(CaseForm(initial={"kind": "compliment"}), "kind")

    (fieldset,) = find(html, class_="govuk-fieldset")
    assert _attrs(fieldset)["aria-describedby"] == "id_kind_helptext"
    (legend,) = find(html, class_="govuk-fieldset__legend")
    assert "Complaint or compliment" in str(legend)
    assert find(html, class_="govuk-radios", data_module="govuk-radios")
    inputs = find(html, class_="govuk-radios__input")
    assert [_attrs(i)["id"] for i in inputs] == ["id_kind", "id_kind-2"]
    assert [_attrs(i)["type"] for i in inputs] == ["radio", "radio"]
    assert [_attrs(i)["name"] for i in inputs] == ["kind", "kind"]
    assert "checked" in _attrs(inputs[1])
    assert "checked" not in _attrs(inputs[0])
    labels = find(html, class_="govuk-radios__label")
    assert [_attrs(label)["for"] for label in labels] == ["id_kind", "id_kind-2"]


def test_radios_with_an_error_describe_the_fieldset_by_hint_and_error():
    html = field_html(bound_with_errors(), "kind")

    (fieldset,) = find(html, class_="govuk-fieldset")
    assert _attrs(fieldset)["aria-describedby"] == "id_kind_helptext id_kind_error"
    assert "govuk-error-message" in _classes(by_id(html, "id_kind_error"))
    assert "govuk-form-group--error" in _classes(find(html, class_="govuk-form-group")[0])


def test_radios_take_container_modifiers_from_the_widget_class():
    class YesNo(forms.Form):
        answer = forms.ChoiceField(
            choices=[("yes", "Yes"), ("no", "No")],
            widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        )

    (container,) = find(field_html(YesNo(), "answer"), data_module="govuk-radios")

    assert _classes(container) == {"govuk-radios", "govuk-radios--inline"}


def test_checkboxes_list_every_option_and_keep_what_was_ticked():
    html = field_html(bound_with_errors(), "needs")

    assert find(html, class_="govuk-checkboxes", data_module="govuk-checkboxes")
    inputs = find(html, class_="govuk-checkboxes__input")
    assert [_attrs(i)["id"] for i in inputs] == ["id_needs", "id_needs-2"]
    assert [_attrs(i)["type"] for i in inputs] == ["checkbox", "checkbox"]
    assert [_attrs(i)["value"] for i in inputs] == ["bsl", "large"]
    assert ["checked" in _attrs(i) for i in inputs] == [True, False]
    assert "Communication needs (optional)" in html


def test_single_checkbox_is_one_govuk_checkboxes_item_with_its_hint():
    html = field_html(CaseForm(initial={"urgent": True}), "urgent")

    control = by_id(html, "id_urgent")
    assert _attrs(control)["type"] == "checkbox"
    assert "checked" in _attrs(control)
    assert _classes(control) == {"govuk-checkboxes__input"}
    assert _attrs(control)["aria-describedby"] == "id_urgent_helptext"
    assert len(find(html, class_="govuk-checkboxes__item")) == 1
    assert "govuk-checkboxes__hint" in _classes(by_id(html, "id_urgent_helptext"))
    # Ticking it is the answer, so it is never marked "(optional)".
    assert "(optional)" not in html


def test_required_single_checkbox_shows_its_error():
    class Confirm(forms.Form):
        checked = forms.BooleanField(label="I have checked the details")

    form = Confirm(data={})
    form.is_valid()
    html = field_html(form, "checked")

    assert "govuk-form-group--error" in _classes(group_of(html, "id_checked"))
    assert _attrs(by_id(html, "id_checked"))["aria-describedby"] == "id_checked_error"


# Dates and times --------------------------------------------------------------------------------


def test_date_and_datetime_use_native_pickers_with_iso_values():
    form = CaseForm(
        initial={
            "received": date(2026, 3, 2),
            "call_back": timezone.make_aware(datetime(2026, 3, 3, 10, 30)),
        }
    )

    received = by_id(field_html(form, "received"), "id_received")
    call_back = by_id(field_html(form, "call_back"), "id_call_back")

    assert _attrs(received)["type"] == "date"
    assert _attrs(received)["value"] == "2026-03-02"
    assert "govuk-input" in _classes(received)
    assert _attrs(call_back)["type"] == "datetime-local"
    assert _attrs(call_back)["value"] == "2026-03-03T10:30"


def test_what_the_native_pickers_send_back_is_accepted():
    form = CaseForm(data=VALID)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["received"] == date(2026, 3, 2)
    assert timezone.localtime(form.cleaned_data["call_back"]).hour == 10


def test_date_input_error_marks_the_input():
    form = CaseForm(data={**VALID, "received": "31/02/2026"})
    form.is_valid()

    control = by_id(field_html(form, "received"), "id_received")

    assert "govuk-input--error" in _classes(control)


# The whole form and the error summary -----------------------------------------------------------


def test_whole_form_renders_every_field_as_a_govuk_question():
    html = str(CaseForm())

    assert len(find(html, class_="govuk-form-group")) == 12
    assert _attrs(by_id(html, "id_token"))["type"] == "hidden"


def test_whole_form_repeats_errors_about_the_whole_form_above_the_questions():
    form = CaseForm(data={**VALID, "reference": "FH-1"})
    form.is_valid()

    html = str(form)

    first_error = find(html, class_="govuk-error-message")[0]
    assert "This case has already been logged." in str(first_error)


def _summary(form: forms.Form) -> str:
    return render_to_string("components/error_summary.html", {"form": form})


def test_error_summary_links_every_field_error_to_its_control():
    html = _summary(bound_with_errors())

    (summary,) = find(html, class_="govuk-error-summary", data_module="govuk-error-summary")
    assert find(str(summary), role="alert")
    assert "There is a problem" in html
    links = {_attrs(a)["href"]: text(a) for a in find(html) if a.name == "a"}
    for field in ("reference", "rooms", "summary", "channel", "kind", "received", "secret"):
        assert f"#id_{field}" in links
    assert "Enter a valid email address." in links["#id_email"]
    assert "Enter a whole number." in links["#id_rooms"]


def test_a_missing_answer_is_named_in_the_summary_and_beside_its_question():
    # GOV.UK: an error message says what is wrong and how to fix it; Django's bare "This field
    # is required." told a newcomer neither.
    form = CaseForm(data={})
    form.is_valid()

    html = _summary(form)

    links = {_attrs(a)["href"]: text(a) for a in find(html) if a.name == "a"}
    assert "Enter an answer to “What happened”" in links["#id_summary"]
    assert "Choose an answer to “How it arrived”" in links["#id_channel"]
    assert "Choose an answer to “Complaint or compliment”" in links["#id_kind"]
    assert "This field is required." not in html
    beside = field_html(form, "summary")
    assert "Enter an answer to “What happened”" in text(
        find(beside, class_="govuk-error-message")[0]
    )


def test_error_summary_links_errors_about_the_whole_form_to_the_first_question():
    form = CaseForm(data={**VALID, "reference": "FH-1"})
    form.is_valid()

    html = _summary(form)

    (link,) = [a for a in find(html) if a.name == "a"]
    assert _attrs(link)["href"] == "#id_reference"
    assert "This case has already been logged." in text(link)


def test_error_summary_is_empty_without_errors():
    assert _summary(CaseForm()).strip() == ""
    assert _summary(CaseForm(data=VALID)).strip() == ""


# The page layout and sign-in page ---------------------------------------------------------------


def _stub(request: object) -> HttpResponse:
    return HttpResponse("")


# A URLconf with the names base.html links to, so the layout can render before every page exists.
urlpatterns = [
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", _stub, name="account"),
    path("notifications/", include(([path("", _stub, name="list")], "inbox"))),
    path(
        "cases/",
        include(
            (
                [
                    path("", _stub, name="my_work"),
                    path("log/", _stub, name="log"),
                    path("logged/", _stub, name="logged"),
                    path("access-log/", _stub, name="access_log"),
                    path("search/", _stub, name="search"),
                ],
                "cases",
            )
        ),
    ),
]

PAGE = """{% extends "base.html" %}{% block title %}My work{% endblock %}
{% block before_content %}<a href="/" class="govuk-back-link">Back</a>{% endblock %}
{% block content %}<h1 class="govuk-heading-l">My work</h1>{% endblock %}"""


def _render_page(user: object, path_: str = "/cases/", messages: tuple = ()) -> str:
    request = RequestFactory().get(path_)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    for level, message in messages:
        request._messages.add(level, message)
    request.resolver_match = resolve(path_)
    return engines["django"].from_string(PAGE).render({}, request=request)


@pytest.fixture
def stub_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_layout_shows_the_wordmark_organisation_and_menu_to_a_signed_in_colleague(stub_urls):
    colleague = SimpleNamespace(
        is_authenticated=True,
        organisation=SimpleNamespace(name="Riverside Homes"),
        username="sam",
        get_full_name=lambda: "Sam Patel",
        job_title="Head of Services",
    )

    html = _render_page(colleague)

    assert '<html lang="en-GB" class="govuk-template">' in html
    assert "<title>My work – Fairhear</title>" in html
    assert 'class="govuk-template__body"' in html
    # GOV.UK Frontend's js-enabled class comes from a file: the CSP allows no inline script.
    assert '<script src="/static/dist/js/js-enabled.js"></script>' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    (skip,) = find(html, class_="govuk-skip-link")
    assert _attrs(skip)["href"] == "#main-content"
    (wordmark,) = find(html, class_="govuk-generic-header__homepage-link")
    assert _attrs(wordmark)["href"] == "/"
    assert "Fairhear" in text(wordmark)
    assert "Riverside Homes" in html
    (signed_in,) = find(html, class_="fh-header__signed-in")
    assert "Sam Patel" in text(signed_in)
    assert "Signed in as" in text(signed_in)
    assert ", Head of Services" in text(signed_in)
    (search,) = find(html, role="search")
    assert _attrs(search)["action"] == "/cases/search/"
    assert find(html, href="/cases/search/")
    current = find(html, aria_current="page")
    assert [_attrs(a)["href"] for a in current] == ["/cases/"]
    assert find(html, href="/cases/log/")
    assert find(html, href="/cases/logged/")  # cases I logged
    assert not find(html, href="/cases/access-log/")  # the lead's alone
    (account,) = find(html, href="/account/")
    assert "Your account" in text(account)
    (sign_out,) = find(html, action="/sign-out/")
    assert _attrs(sign_out)["method"] == "post"
    assert "csrfmiddlewaretoken" in str(sign_out)
    assert find(html, id="main-content", class_="govuk-main-wrapper")
    assert find(html, class_="govuk-back-link")
    assert "crown" not in html.lower()
    assert "GOV.UK" not in html


def test_layout_hides_the_menu_from_visitors_who_are_not_signed_in(stub_urls):
    html = _render_page(AnonymousUser())

    assert not find(html, class_="govuk-service-navigation")
    assert "Sign out" not in html


def test_layout_shows_messages_as_notification_banners(stub_urls):
    html = _render_page(
        AnonymousUser(),
        messages=((message_levels.SUCCESS, "Case logged"), (message_levels.INFO, "Note this")),
    )

    (success,) = find(html, class_="govuk-notification-banner--success")
    assert _attrs(success)["role"] == "alert"
    assert "Case logged" in str(success)
    regions = find(html, class_="govuk-notification-banner", role="region")
    assert len(regions) == 1
    assert "Note this" in str(regions[0])


def test_sign_in_page_is_a_govuk_form(client):
    response = client.get("/sign-in/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Sign in – Fairhear</title>" in html
    assert "govuk-input" in _classes(by_id(html, "id_username"))
    assert "govuk-password-input__input" in _classes(by_id(html, "id_password"))
    assert not find(html, class_="govuk-error-summary")


@pytest.mark.django_db
def test_sign_in_failure_shows_an_error_summary_linked_to_the_username(client):
    response = client.post("/sign-in/", {"username": "nobody", "password": "wrong"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in – Fairhear</title>" in html
    (summary,) = find(html, class_="govuk-error-summary")
    (link,) = [a for a in _walk(summary) if a.name == "a"]
    assert _attrs(link)["href"] == "#id_username"
    assert "the username or password is not right" in text(link).lower()


class PickForm(forms.Form):
    """Selects the renderer builds without templates, and one with option groups it leaves to
    them."""

    handler = forms.ChoiceField(
        label="Handled by",
        choices=[
            ("", "Any"),
            ("7", "Ann O'Neil & <Co>"),
            ("8", 'Bo "B" Smith'),
            ("none", "Nobody"),
        ],
        required=False,
    )
    areas = forms.MultipleChoiceField(
        label="Areas", choices=[("1", "Care & support"), ("2", "Homes")], required=False
    )
    grouped = forms.ChoiceField(
        label="Grouped",
        choices=[("Homes", [("1", "Repairs"), ("2", "Damp")]), ("3", "Other")],
        required=False,
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"handler": "8", "areas": ["1", "2"], "grouped": "2"}, {"handler": "x", "grouped": "9"}],
)
def test_a_select_built_without_templates_is_the_markup_djangos_templates_give(data):
    form = PickForm(data)
    form.is_valid()
    templates = GovUKFormRenderer()
    for name in form.fields:
        field = form[name]
        context = field.field.widget.get_context(field.html_name, field.value(), {"id": name})
        ours = templates.render(field.field.widget.template_name, context)
        django_s = templates.get_template(field.field.widget.template_name).render(context)
        assert ours == django_s.strip()
        assert (_select_html(context["widget"]) is None) == (name == "grouped")
    assert "Ann O&#x27;Neil &amp; &lt;Co&gt;" in str(form["handler"])
