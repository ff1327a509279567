"""Fairhear's form renderer: `{{ form }}` and `{{ form.field.as_field_group }}` emit GOV.UK
Frontend markup (labels, hints, error messages, radios, checkboxes, character counts).

Registered as settings.FORM_RENDERER, so every form uses it. The templates live in
fairhear/templates/components/forms/; the per-field facts they need (which GOV.UK component,
the ids for hints and errors, the choices) come from GovUKBoundField below, so the templates
hold no logic beyond choosing a component.

Choices made for the people who use Fairhear (GOV.UK Design System guidance):
- No `required` or `maxlength` attributes: browsers would show their own inconsistent messages
  or silently cut pasted text. The server validates and the error summary explains.
  Optional fields say "(optional)" in their label instead.
- "When did it happen" is the GOV.UK date input (day, month, year) and a time, read as London
  time (core/date_input.py); a time the clock changes make ambiguous is read as a person means
  it, and the page says how.
- Other dates and times use the browser's native pickers (type="date", "datetime-local", "time")
  with ISO values, which Django's date fields parse whatever the locale.
- Number fields are type="text" with a numeric `inputmode`: type="number" changes value
  when scrolled over and drops characters without saying so.
"""

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django.forms
import django.forms.utils
from django.conf import settings
from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise, cached_property
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

_DJANGO_FORM_TEMPLATES = Path(django.forms.__file__).resolve().parent / "templates"

# Native browser input types for Django's temporal widgets, and the value format each needs.
_NATIVE_TEMPORAL = (
    (widgets.DateTimeInput, "datetime-local", "%Y-%m-%dT%H:%M"),
    (widgets.DateInput, "date", "%Y-%m-%d"),
    (widgets.TimeInput, "time", "%H:%M"),
)

# Widget classes to GOV.UK component names, most specific first (CheckboxSelectMultiple is a
# RadioSelect, PasswordInput and FileInput are Inputs).
_KINDS = (
    (widgets.CheckboxSelectMultiple, "checkboxes"),
    (widgets.RadioSelect, "radios"),
    (widgets.Select, "select"),
    (widgets.Textarea, "textarea"),
    (widgets.CheckboxInput, "checkbox"),
    (widgets.PasswordInput, "password"),
    (widgets.FileInput, "file"),
    (widgets.MultiWidget, "multi"),
    (widgets.Input, "input"),
)

# Widths that fit the answer (GOV.UK: the size of a field hints at the answer expected), used
# unless the widget has classes of its own.
_DEFAULT_WIDTHS = {
    "date": "govuk-input--width-10",
    "time": "govuk-input--width-5",
    "datetime-local": "govuk-input--width-20",
}

# The GOV.UK classes for a field's control, and the class added when the field has an error.
_CONTROL_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "password": (
        "govuk-input govuk-password-input__input govuk-js-password-input-input",
        "govuk-input--error",
    ),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
    "multi": ("govuk-input", "govuk-input--error"),
}


@dataclass(frozen=True, slots=True)
class GovUKChoice:
    """One radio or checkbox in a GOV.UK radios or checkboxes component."""

    id: str
    value: str
    label: str
    checked: bool


def widget_kind(widget: widgets.Widget) -> str:
    """The GOV.UK component that renders this widget ("other" when there is none)."""
    if widget.is_hidden:
        return "hidden"
    for widget_class, kind in _KINDS:
        if isinstance(widget, widget_class):
            return kind
    return "other"


def _join_classes(*classes: str) -> str:
    return " ".join(c for c in classes if c)


class GovUKBoundField(BoundField):
    """A BoundField that knows its GOV.UK component, and renders its control with GOV.UK
    classes and an aria-describedby that names the hint, error and character count."""

    @cached_property
    def govuk_kind(self) -> str:
        """The component: input, password, textarea, select, radios, checkboxes, checkbox,
        file, multi (several inputs in a fieldset), hidden or other."""
        return widget_kind(self.field.widget)

    @property
    def errors(self) -> django.forms.utils.ErrorList:
        """The field's errors, with Django's bare "This field is required." replaced by one
        that names the question, so the error summary says which answer is missing (GOV.UK:
        an error message says what went wrong and how to fix it)."""
        errors = super().errors
        bare = str(django.forms.Field.default_error_messages["required"])
        if not any(str(e) == bare for e in errors):
            return errors
        label = str(self.label or self.name).strip().rstrip(":")
        choose = self.govuk_kind in {"radios", "select", "checkboxes", "checkbox"}
        named = f"Choose an answer to “{label}”" if choose else f"Enter an answer to “{label}”"
        return self.form.error_class(
            [named if str(e) == bare else e for e in errors], renderer=self.form.renderer
        )

    @property
    def govuk_base_id(self) -> str:
        """The id of the control (the first one, for radios and checkboxes)."""
        return self.field.widget.attrs.get("id") or self.auto_id or ""

    @property
    def govuk_hint_id(self) -> str:
        """Id of the hint (Django's own `<id>_helptext`), or "" when there is no hint."""
        return f"{self.govuk_base_id}_helptext" if self.help_text and self.govuk_base_id else ""

    @property
    def govuk_error_id(self) -> str:
        """Id of the error message (Django's own `<id>_error`), or "" when there is none."""
        return f"{self.govuk_base_id}_error" if self.errors and self.govuk_base_id else ""

    @property
    def govuk_character_count(self) -> int | None:
        """The character limit to count down from, for a textarea with a max_length."""
        if self.govuk_kind != "textarea":
            return None
        return getattr(self.field, "max_length", None)

    @property
    def govuk_character_count_id(self) -> str:
        """Id of the character count message (GOV.UK Frontend looks for `<id>-info`)."""
        if self.govuk_character_count and self.govuk_base_id:
            return f"{self.govuk_base_id}-info"
        return ""

    @property
    def govuk_describedby(self) -> str:
        """Space-separated ids for aria-describedby: hint, error, then character count."""
        ids = (self.govuk_hint_id, self.govuk_error_id, self.govuk_character_count_id)
        return " ".join(i for i in ids if i)

    @property
    def govuk_optional(self) -> bool:
        """Whether the label says "(optional)". A single checkbox never does: ticking it is
        the answer, so it is optional by nature. A form of filters, where every question is
        optional, says so once instead (`every_question_optional = True`)."""
        if getattr(self.form, "every_question_optional", False):
            return False
        return not self.field.required and self.govuk_kind != "checkbox"

    @property
    def govuk_error_target(self) -> str:
        """The id an error summary link should point at: the control the user must fix."""
        if self.govuk_kind == "multi":
            return f"{self.govuk_base_id}_0"
        return self.govuk_base_id

    @property
    def govuk_container_classes(self) -> str:
        """Extra classes for the radios or checkboxes container, taken from the widget's
        `class` attribute (for example "govuk-radios--inline" or "govuk-checkboxes--small")."""
        return self.field.widget.attrs.get("class", "")

    @cached_property
    def govuk_choices(self) -> list[GovUKChoice]:
        """The radios or checkboxes. The first takes the field's id so that error summary
        links reach it; the rest follow GOV.UK's `<id>-2`, `<id>-3` pattern."""
        choices = []
        for index, subwidget in enumerate(self.subwidgets):
            data = subwidget.data
            choice_id = self.govuk_base_id if index == 0 else f"{self.govuk_base_id}-{index + 1}"
            choices.append(
                GovUKChoice(
                    id=choice_id,
                    value=str(data["value"]),
                    label=str(data["label"]),
                    checked=bool(data["selected"]),
                )
            )
        return choices

    def as_widget(
        self,
        widget: widgets.Widget | None = None,
        attrs: dict[str, Any] | None = None,
        only_initial: bool = False,
    ) -> str:
        """Render the control, switching date/time and number inputs to the browser types
        GOV.UK recommends (see the module docstring)."""
        return super().as_widget(self._govuk_widget(widget), attrs, only_initial)

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: widgets.Widget | None = None
    ) -> dict[str, Any]:
        """Django's attributes, plus GOV.UK classes and aria-describedby, minus `required` and
        `maxlength` (the server validates, with messages the error summary lists)."""
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.pop("required", None)
        kind = widget_kind(widget)
        if kind in _CONTROL_CLASSES:
            base, error = _CONTROL_CLASSES[kind]
            if kind == "textarea" and self.govuk_character_count:
                base = _join_classes(base, "govuk-js-character-count")
            own_classes = _join_classes(widget.attrs.get("class", ""), attrs.get("class", ""))
            attrs["class"] = _join_classes(
                base,
                own_classes or _DEFAULT_WIDTHS.get(getattr(widget, "input_type", ""), ""),
                error if self.errors else "",
            )
        if kind in {"input", "textarea", "password"} and "maxlength" in widget.attrs:
            attrs["maxlength"] = False  # False drops a widget attribute when rendering.
        if kind == "password":
            attrs.setdefault("spellcheck", "false")
            attrs.setdefault("autocapitalize", "none")
        if kind not in {"radios", "checkboxes", "multi", "hidden"}:
            # Fieldset components carry aria-describedby on the <fieldset> instead.
            describedby = widget.attrs.get("aria-describedby") or self.govuk_describedby
            attrs.pop("aria-describedby", None)
            if describedby:
                attrs["aria-describedby"] = describedby
        return attrs

    def _govuk_widget(self, widget: widgets.Widget | None) -> widgets.Widget:
        widget = widget or self.field.widget
        if isinstance(widget, widgets.NumberInput) and widget.input_type == "number":
            integer = str(widget.attrs.get("step", "1")) == "1"
            widget = copy.copy(widget)
            widget.input_type = "text"
            # min, max and step mean nothing on a text input; the field still validates them.
            kept = {k: v for k, v in widget.attrs.items() if k not in {"min", "max", "step"}}
            widget.attrs = {"inputmode": "numeric" if integer else "decimal", **kept}
            return widget
        for widget_class, input_type, iso_format in _NATIVE_TEMPORAL:
            if isinstance(widget, widget_class):
                if widget.input_type not in {"text", input_type}:
                    return widget
                chosen_here = widget.input_type == "text"
                widget = copy.copy(widget)
                widget.input_type = input_type
                if chosen_here or not widget.format:
                    widget.format = iso_format
                return widget
        return widget


_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


def _formatted(value: object) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless already safe."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value,)  # noqa: UP031 - as the filter
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, none for
    False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select_html(widget: dict[str, Any]) -> str | None:
    """What Django's select.html and select_option.html render for a select without option
    groups, built in Python: the filters' list of colleagues is some two hundred options, and
    two template includes for each were a third of a work queue's server time
    (docs/performance.md).
    None when the template has to do it (option groups, another option template, a label that
    is not text)."""
    options = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            return None
        for option in group_choices:
            label = option["label"]
            if option["template_name"] != _OPTION or not isinstance(label, str | Promise):
                return None
            options.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(label)}</option>\n"  # the template file's last line ends
            )
    name = conditional_escape(widget["name"])
    return f'<select name="{name}"{_attrs(widget["attrs"])}>{"".join(options)}\n</select>'


class GovUKFormRenderer(DjangoTemplates):
    """Renders forms and fields with Fairhear's GOV.UK templates; Django's own widget
    templates (django/forms/widgets/*) still render the controls themselves, except a select,
    which is built in Python with the same markup (`_select_html`)."""

    form_template_name = "components/forms/form.html"
    field_template_name = "components/forms/field.html"
    bound_field_class = GovUKBoundField

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == _SELECT:
            html = _select_html(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)

    @cached_property
    def engine(self) -> Any:
        """A template engine over the project's template folders, then Django's form
        templates, then each app's templates (without needing "django.forms" installed)."""
        project_dirs = [
            directory
            for backend in settings.TEMPLATES
            if backend["BACKEND"] == "django.template.backends.django.DjangoTemplates"
            for directory in backend.get("DIRS", [])
        ]
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [*project_dirs, _DJANGO_FORM_TEMPLATES],
                "NAME": "fairhear-forms",
                "OPTIONS": {},
            }
        )
