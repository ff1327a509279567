"""The public form's pages in order, which of them apply to the answers so far, and the answers
as a person reads them back on "Check your answers".

The answers in progress live in the server-side session, as each page's form data; they are
checked again, page by page, before anything is sent, so nothing a browser holds can change
them on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib.sessions.backends.base import SessionBase

from fairhear.domain.lifecycle import CaseKind
from fairhear.domain.policy.schema import PolicyPack
from fairhear.intake import forms as f

SESSION_KEY = "fairhear_feedback"


@dataclass(frozen=True, slots=True)
class Step:
    """One question page."""

    name: str
    heading: str
    form: type[forms.Form]
    applies: Callable[[dict], bool] = lambda answers: True


def _kind(answers: dict) -> str:
    return answers.get("kind", {}).get("kind", "")


def _whom(answers: dict) -> str:
    return answers.get("whom", {}).get("whom", "")


STEPS = (
    Step("kind", "Your feedback", f.KindForm),
    Step("what", "Your message", f.WhatForm),
    Step("when", "When it happened", f.WhenForm, lambda a: _kind(a) != CaseKind.COMPLIMENT),
    Step("where", "Where it happened", f.WhereForm),
    Step("who", "The people involved", f.WhoForm),
    Step("outcome", "Putting it right", f.OutcomeForm, lambda a: _kind(a) != CaseKind.COMPLIMENT),
    Step("whom", "About you", f.WhomForm),
    Step("behalf", "The person you are helping", f.BehalfForm, lambda a: _whom(a) == f.BEHALF),
    Step("contact", "Your contact details", f.ContactForm, lambda a: _whom(a) != f.ANONYMOUS),
    Step("needs", "Help we can give you", f.NeedsForm, lambda a: _whom(a) != f.ANONYMOUS),
)
BY_NAME = {step.name: step for step in STEPS}
DOCUMENTS = "documents"


class Setting:
    """What the questions need to know about the organisation: its policy pack, and its
    service areas as (id, name) choices, read only when a page builds the question that asks
    for them ("Where it happened", and the check page, which checks every answer again)."""

    __slots__ = ("_areas", "_read_areas", "pack")

    def __init__(self, *, pack: PolicyPack, areas: Callable[[], list[tuple[str, str]]]) -> None:
        self.pack = pack
        self._read_areas = areas
        self._areas: list[tuple[str, str]] | None = None

    @property
    def areas(self) -> list[tuple[str, str]]:
        if self._areas is None:
            self._areas = self._read_areas()
        return self._areas

    def time_limit(self) -> str:
        """The time limit in words, for the "when" question (Pivotal §6.1 a; MMBM 6.1)."""
        months = self.pack.time_limit.months
        return (
            f"We normally look into things that happened in the last {months} months; if it "
            "was longer ago, tell us in your message why you could not tell us sooner."
        )


def form_for(step: Step, setting: Setting, answers: dict, data: dict | None = None) -> forms.Form:
    """The step's form, bound to `data` (a POST) or to the answer kept for it, if any."""
    kwargs: dict = {}
    if step.form in {f.WhatForm, f.WhoForm}:
        kwargs["kind"] = _kind(answers)
    elif step.form is f.WhenForm:
        kwargs["time_limit"] = setting.time_limit()
    elif step.form is f.WhereForm:
        kwargs["areas"] = setting.areas
    bound = data if data is not None else answers.get(step.name)
    return step.form(bound, **kwargs) if bound is not None else step.form(**kwargs)


def next_step(answers: dict, *, documents_seen: bool) -> str:
    """The first page that applies and has no answer yet; the documents page, then the check
    page, once every question is answered."""
    for step in STEPS:
        if step.applies(answers) and step.name not in answers:
            return step.name
    return "check" if documents_seen else DOCUMENTS


def checked_answers(setting: Setting, answers: dict) -> tuple[list[tuple[Step, forms.Form]], str]:
    """Every answer, checked again, as the forms that checked it; and the first page whose
    answer no longer passes ("" when all do), for the person to be sent back to."""
    checked = []
    for step in STEPS:
        if not step.applies(answers):
            continue
        form = form_for(step, setting, answers)
        if not form.is_bound or not form.is_valid():
            return [], step.name
        checked.append((step, form))
    return checked, ""


def cleaned_of(checked: list[tuple[Step, forms.Form]]) -> dict:
    """What the checked answers say, as one dict of cleaned values."""
    cleaned: dict = {}
    for _, form in checked:
        cleaned.update(form.cleaned_data)
    return cleaned


def _shown(field: forms.BoundField, value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    choices = dict(getattr(field.field, "choices", []) or [])
    if choices and value in choices:
        return str(choices[value])
    return str(value or "").strip() or "Not given"


def answer_rows(checked: list[tuple[Step, forms.Form]]) -> list[dict]:
    """Each question and answer as the check page lists it, with the page to change it on, from
    the forms that checked them (`checked_answers`)."""
    rows = []
    for step, form in checked:
        for name, value in form.cleaned_data.items():
            bound = form[name]
            rows.append(
                {"question": str(bound.label), "answer": _shown(bound, value), "step": step.name}
            )
    return rows


def session_answers(session: SessionBase, slug: str) -> dict | None:
    """The answers in progress for this organisation's form, or None when none were started."""
    kept = session.get(SESSION_KEY)
    if not kept or kept.get("organisation") != slug:
        return None
    return kept
