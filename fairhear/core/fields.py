"""Form fields that cannot lead to a server error (security.md "Input").

- Every text field has a length limit, shown by GOV.UK Frontend's character count on a
  textarea and said in plain words when exceeded ("Note must be 10,000 characters or fewer;
  it is 12,345."). `limit_text_fields` gives a form's text fields their limits in one place,
  so that no field is left without one.
- A choice of database row (a colleague, a service area) refuses an id no database row can
  have before asking the database, which on SQLite fails on an integer wider than 64 bits.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from fairhear.domain.text import EMAIL_LIMIT, LINE_LIMIT, TEXT_LIMIT, too_long

# The largest id a row may have (PostgreSQL bigint, SQLite INTEGER).
_MAX_ID = 2**63 - 1


class LengthLimit:
    """Refuse a text longer than `limit`, naming the field and both lengths."""

    def __init__(self, what: str, limit: int) -> None:
        self.what = what
        self.limit = limit

    def __call__(self, value: str) -> None:
        message = too_long(value, what=self.what, limit=self.limit)
        if message:
            raise ValidationError(message, code="max_length")


def _what(field: forms.Field) -> str:
    label = str(field.label or "This answer")
    return "your answer" if label.endswith("?") else label


def limit_text_fields(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """Give every text field of `form_class` a length limit with a plain message: its own
    max_length if it has one (the column's size), 254 for an e-mail address, 10,000 for a
    textarea and 500 for a one-line answer."""
    for field in form_class.base_fields.values():
        if not isinstance(field, forms.CharField):
            continue
        if any(isinstance(v, LengthLimit) for v in field.validators):
            continue  # a field inherited from a form already limited
        if isinstance(field, forms.EmailField):
            limit = min(field.max_length or EMAIL_LIMIT, EMAIL_LIMIT)
        elif field.max_length:
            limit = field.max_length
        elif isinstance(field.widget, forms.Textarea):
            limit = TEXT_LIMIT
        else:
            limit = LINE_LIMIT
        field.max_length = limit
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(LengthLimit(_what(field), limit))
    return form_class


def _plausible_id(value: Any) -> bool:
    text = str(value).strip()
    return text.isdecimal() and len(text) <= 19 and int(text) <= _MAX_ID


class RowChoiceField(forms.ModelChoiceField):
    """ModelChoiceField that refuses an impossible id as an invalid choice."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        if self.to_field_name is None and not _plausible_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RowMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that refuses an impossible id as an invalid choice."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if self.to_field_name is None and not _plausible_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:40]},
                )
        return super()._check_values(value)
