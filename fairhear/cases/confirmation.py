"""The "Check and confirm" step before an action that cannot be undone (closing, not accepting,
sending a response, refusing an escalation, restricting or unrestricting access): one
mechanism for every such action, chosen by `ActionSpec.confirm`.

The action's form posts as usual; valid, it is shown back as a check page that says in words
what will happen (and which letter confirms it in writing), lists the answers, and carries them
in hidden fields with Confirm and Change buttons. Nothing is saved until Confirm, which posts
the same answers again, so the seen_sequence check applies to it as to any post. It needs no
JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.http import QueryDict
from django.utils import timezone

from fairhear.domain.clock import fmt_day
from fairhear.domain.letters import LetterKind
from fairhear.domain.lifecycle import Action

# The button pressed on the check page, and its two values.
STEP = "confirm_step"
CONFIRM = "confirm"
CHANGE = "change"
# What the page's own controls post; never carried as an answer.
_NOT_ANSWERS = {"csrfmiddlewaretoken", STEP}


def step_of(data: QueryDict) -> str:
    """Which button of the check page was pressed: CONFIRM, CHANGE or "" (the form itself)."""
    value = data.get(STEP, "")
    return value if value in {CONFIRM, CHANGE} else ""


def carried(data: QueryDict) -> list[tuple[str, str]]:
    """The posted answers as (name, value) pairs for hidden fields, every value of a field
    that has several (ticked boxes)."""
    return [
        (name, value) for name in data if name not in _NOT_ANSWERS for value in data.getlist(name)
    ]


def _words(field: forms.Field, value: object) -> str:
    if value in (None, "", [], ()):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        return f"{fmt_day(local.date())} at {local:%H:%M}"
    if isinstance(value, date):
        return fmt_day(value)
    many = not isinstance(value, str) and hasattr(value, "__iter__")
    if isinstance(field, forms.ModelChoiceField):  # colleagues: their names, no further query
        return ", ".join(str(v) for v in value) if many else str(value)
    choices = {str(k): v for k, v in getattr(field, "choices", None) or []}
    if many:
        return ", ".join(str(choices.get(str(v), v)) for v in value)
    return str(choices.get(str(value), value))


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer as the check page lists it."""

    label: str
    value: str


def answers(form: forms.Form) -> list[Answer]:
    """The valid form's answers in its order, as words; hidden and unanswered fields left out."""
    out = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        text = _words(field, form.cleaned_data.get(name))
        if text:
            out.append(Answer(str(field.label or name.replace("_", " ").capitalize()), text))
    return out


def letters_after(action: Action) -> list[str]:
    """The letters that confirm this action in writing (domain/letters.py), in words."""
    return [kind.label for kind in LetterKind if action in kind.follows]
