"""One date-and-time input for "when did it happen": the GOV.UK date input (day, month, year)
followed by a time, read as London time. A time that the clock changes make ambiguous is read
as a person means it (domain.clock.resolve_london) and the page says how (docs/time.md)."""

from datetime import date, datetime, time
from typing import Any

import django.forms
from django.core.exceptions import ValidationError
from django.forms import widgets

from fairhear.domain.clock import EARLIEST_YEAR, LATEST_YEAR, LONDON, resolve_london


def _join_classes(*classes: str) -> str:
    return " ".join(c for c in classes if c)


class LondonDateTimeWidget(widgets.MultiWidget):
    """The GOV.UK date input (day, month, year) followed by a time, for "when did it happen"."""

    template_name = "components/forms/widgets/date_time_input.html"
    parts = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4), ("time", "Time", 5))

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                # The time takes a colon, which a numeric keypad lacks.
                name: widgets.TextInput(attrs={} if name == "time" else {"inputmode": "numeric"})
                for name, *_ in self.parts
            },
            attrs,
        )

    def decompress(self, value: object) -> list[str | None]:
        """A datetime as the London day, month, year and time a person would write."""
        if isinstance(value, datetime):
            local = value.astimezone(LONDON) if value.tzinfo else value
            return [str(local.day), str(local.month), str(local.year), f"{local:%H:%M}"]
        return [None, None, None, None]

    def get_context(self, name: str, value: object, attrs: dict[str, Any] | None) -> dict:
        """Each part with its own label and GOV.UK width; the error class only on the box
        (or boxes) to fix."""
        context = super().get_context(name, value, attrs)
        error = "govuk-input--error" in (attrs or {}).get("class", "")
        for sub, (_, label, width) in zip(context["widget"]["subwidgets"], self.parts, strict=True):
            sub["label"] = label
            sub["attrs"]["class"] = _join_classes(
                "govuk-input",
                "govuk-date-input__input" if width != 5 else "",
                f"govuk-input--width-{width}",
                "govuk-input--error" if error else "",
            )
            sub["attrs"].pop("aria-describedby", None)
            sub["attrs"].pop("required", None)  # the server validates (core/forms.py)
        return context


class LondonDateTimeField(django.forms.MultiValueField):
    """When something happened, as a London date and a time to the minute; an aware datetime.

    A time the clock changes make ambiguous is read as a person means it
    (domain.clock.resolve_london) and `note` says how it was read, for the page to show.
    """

    widget = LondonDateTimeWidget
    default_error_messages = {"required": "Enter the date and time."}

    def __init__(self, **kwargs: Any) -> None:
        # Each part may be blank on its own: compress() says which part is missing.
        fields = tuple(django.forms.CharField(required=False) for _ in range(4))
        kwargs.setdefault(
            "help_text",
            "For example, 27 3 2026 and 14:30. Today and now unless it happened earlier.",
        )
        super().__init__(fields, require_all_fields=False, **kwargs)
        self.note = ""

    def compress(self, data_list: list[str]) -> datetime | None:
        """The moment meant, or a ValidationError saying in plain words what to change."""
        if not data_list or not any(data_list):
            return None
        day_text, month_text, year_text, time_text = (str(p or "").strip() for p in data_list)
        missing = [
            name
            for name, text in (("day", day_text), ("month", month_text), ("year", year_text))
            if not text
        ]
        if missing:
            raise ValidationError(f"The date must include a {' and a '.join(missing)}.")
        if not time_text:
            raise ValidationError("Enter the time, for example 14:30.")
        if len(year_text) != 4:
            raise ValidationError("Enter the year as four digits, for example 2026.")
        if year_text.isdecimal() and not EARLIEST_YEAR <= int(year_text) <= LATEST_YEAR:
            raise ValidationError(
                f"The year {int(year_text)} cannot be right; enter a year from {EARLIEST_YEAR} "
                f"to {LATEST_YEAR}, for example 2026."
            )
        try:
            day = date(int(year_text), int(month_text), int(day_text))
        except (ValueError, OverflowError):
            raise ValidationError(
                "Enter a real date, with the day, month and year as numbers, for example 27 3 2026."
            ) from None
        read = resolve_london(day, _parse_clock(time_text))
        self.note = read.note
        return read.moment


def _parse_clock(text: str) -> time:
    """'14:30', '14.30', '9:05' or '0905' as a time; ValidationError otherwise."""
    cleaned = text.replace(".", ":").replace(" ", "")
    if ":" not in cleaned and cleaned.isdecimal() and len(cleaned) in {3, 4}:
        cleaned = f"{cleaned[:-2]}:{cleaned[-2:]}"
    hours, _, minutes = cleaned.partition(":")
    # isdecimal, not isdigit: int() refuses digits such as "²" that isdigit accepts.
    shaped = hours.isdecimal() and minutes.isdecimal() and len(minutes) == 2 and len(hours) <= 2
    if shaped and int(hours) < 24 and int(minutes) < 60:
        return time(int(hours), int(minutes))
    raise ValidationError(
        f"Enter the time as hours and minutes on the 24-hour clock, for example 14:30; "
        f"{text!r} is not a time."
    )


def time_notices(form: django.forms.Form) -> list[str]:
    """How each date and time of a valid form was read, where the clock changes made it
    ambiguous; shown on the page after the form is saved."""
    return [f.note for f in form.fields.values() if getattr(f, "note", "")]


class DayWidget(LondonDateTimeWidget):
    """The GOV.UK date input alone (day, month, year), for a date with no time."""

    parts = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets.MultiWidget.__init__(
            self,
            {name: widgets.TextInput(attrs={"inputmode": "numeric"}) for name, *_ in self.parts},
            attrs,
        )

    def decompress(self, value: object) -> list[str | None]:
        """A date as the day, month and year a person would write."""
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class DayField(django.forms.MultiValueField):
    """A date typed as day, month and year; each refusal says what to change."""

    widget = DayWidget
    default_error_messages = {"required": "Enter the date."}

    def __init__(self, **kwargs: Any) -> None:
        fields = tuple(django.forms.CharField(required=False) for _ in range(3))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> date | None:
        """The date meant, or a ValidationError saying in plain words what to change."""
        if not data_list or not any(data_list):
            return None
        day_text, month_text, year_text = (str(p or "").strip() for p in data_list)
        missing = [
            name
            for name, text in (("day", day_text), ("month", month_text), ("year", year_text))
            if not text
        ]
        if missing:
            raise ValidationError(f"The date must include a {' and a '.join(missing)}.")
        if len(year_text) != 4:
            raise ValidationError("Enter the year as four digits, for example 2026.")
        try:
            day = date(int(year_text), int(month_text), int(day_text))
        except (ValueError, OverflowError):
            raise ValidationError(
                "Enter a real date, with the day, month and year as numbers, for example 27 3 2026."
            ) from None
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise ValidationError(
                f"The year {day.year} cannot be right; enter a year from {EARLIEST_YEAR} "
                f"to {LATEST_YEAR}, for example 2026."
            )
        return day
