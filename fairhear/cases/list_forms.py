"""The filters above a list of cases (queues and search), read from the page's query string.

A filter the colleague got wrong (a date that is not a date, a choice that is not offered) is
named in the error summary and left out; the rest of the filters still apply.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from fairhear.cases.case_list import DEFAULT_SORT, FLAGS, SORTS
from fairhear.cases.models import Case
from fairhear.domain.policy.schema import PolicyPack

ANY = ("", "Any")
DATE = forms.DateInput(attrs={"class": "govuk-input--width-10"})
_NOUNS = {
    "status": "status",
    "stage": "stage",
    "kind": "kind",
    "service_area": "service area",
    "category": "category",
    "handler": "colleague handling it",
    "outcome": "outcome",
    "flags": "marks",
}
SORT_CHOICES = [(k, k) for k in SORTS] + [(f"-{k}", f"-{k}") for k in SORTS]


class CaseListFilterForm(forms.Form):
    """Narrow a list: by status, stage, kind, service area, category, handler, next deadline,
    outcome and flags. The choices come from the organisation's own pack and people."""

    every_question_optional = True

    q = forms.CharField(
        label="Reference, name, e-mail, phone, postcode or words from the case",
        required=False,
        max_length=200,
    )
    status = forms.ChoiceField(label="Status", required=False)
    stage = forms.ChoiceField(label="Stage", required=False)
    kind = forms.ChoiceField(label="Kind", required=False)
    service_area = forms.ChoiceField(label="Service area", required=False)
    category = forms.ChoiceField(label="Category", required=False)
    handler = forms.ChoiceField(label="Handled by", required=False)
    due_from = forms.DateField(
        label="Next deadline from",
        required=False,
        widget=DATE,
        error_messages={"invalid": "Enter the 'from' date as a date, for example 2026-03-27."},
    )
    due_to = forms.DateField(
        label="Next deadline to",
        required=False,
        widget=DATE,
        error_messages={"invalid": "Enter the 'to' date as a date, for example 2026-03-27."},
    )
    outcome = forms.ChoiceField(label="Outcome (why it closed)", required=False)
    flags = forms.MultipleChoiceField(
        label="Only cases marked",
        required=False,
        choices=list(FLAGS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, widget=forms.HiddenInput)

    def __init__(
        self,
        data: object,
        *,
        pack: PolicyPack | None,
        service_areas: Iterable[tuple[str, str]],
        colleagues: Iterable[tuple[str, str]],
        with_text: bool = False,
    ) -> None:
        super().__init__(data)
        if not with_text:
            del self.fields["q"]
        self.fields["status"].choices = [ANY, *Case.State.choices]
        self.fields["kind"].choices = [ANY, *Case.Kind.choices]
        self.fields["service_area"].choices = [ANY, *service_areas]
        self.fields["handler"].choices = [
            ANY,
            ("none", "Nobody yet"),
            *colleagues,
        ]
        stages = [("0", "Before stage 1")]
        categories: list[tuple[str, str]] = []
        outcomes: list[tuple[str, str]] = []
        if pack is not None:
            stages += [(str(n), pack.stage(n).name) for n in range(1, pack.last_stage + 1)]
            categories = [(c.code, c.label) for c in pack.categories]
            outcomes = [(r.code, f"{r.label} ({r.cites})") for r in pack.closure_reasons]
        self.fields["stage"].choices = [ANY, *stages]
        self.fields["category"].choices = [ANY, *categories]
        self.fields["outcome"].choices = [ANY, *outcomes]
        for name, noun in _NOUNS.items():
            self.fields[name].error_messages["invalid_choice"] = (
                f"Choose the {noun} from the list; “%(value)s” is not one of its choices."
            )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("due_from"), data.get("due_to")
        if start and end and start > end:
            self.add_error("due_to", "The 'to' date must be the same as or after the 'from' date.")
        return data

    def filters(self) -> dict:
        """The filters that were valid; the ones in error are left out (and shown as errors)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}

    @property
    def order(self) -> str:
        return self.filters().get("sort") or DEFAULT_SORT

    @property
    def active(self) -> bool:
        """True when any filter (other than the order and the words) narrows the list."""
        return any(v for k, v in self.filters().items() if k not in {"sort", "q"})
