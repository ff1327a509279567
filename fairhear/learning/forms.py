"""Forms of the learning register. They parse input; fairhear.learning.services checks and
records, and its refusals are shown against the field they are about."""

from __future__ import annotations

import re

from django import forms

from fairhear.accounts.models import User
from fairhear.accounts.selectors import colleague_list, service_area_list
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_get_for_user
from fairhear.core.fields import RowChoiceField, RowMultipleChoiceField, limit_text_fields
from fairhear.learning.models import Lesson, OmbudsmanFinding

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str, what: str, **kw: object) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE,
        error_messages={
            "required": f"Enter {what}.",
            "invalid": "Enter the date as a real date, like 2026-12-29.",
        },
        **kw,
    )


def _case(user: User, reference: str) -> Case:
    try:
        return case_get_for_user(user=user, reference=reference)
    except Case.DoesNotExist:
        # The same words whether it does not exist or is not theirs to see (need to know).
        raise forms.ValidationError(
            f"There is no case {reference} that you can see. Check the reference."
        ) from None


@limit_text_fields
class LessonForm(forms.Form):
    learned = forms.CharField(
        label="What was learned",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Say what was learned."},
    )
    service_area = RowChoiceField(
        label="Service area (optional)", queryset=None, required=False, empty_label="None"
    )
    cases = forms.CharField(
        label="Cases it was learned from (optional)",
        help_text="Their references, separated by commas or spaces. Give at least one case or "
        "a service area.",
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: object, user: User, **kw: object) -> None:
        super().__init__(*args, **kw)
        self.user = user
        self.fields["service_area"].queryset = service_area_list(organisation=user.organisation)

    def clean_cases(self) -> list[Case]:
        references = [r for r in re.split(r"[\s,;]+", self.cleaned_data["cases"]) if r]
        found: dict[int, Case] = {}
        for reference in references:
            case = _case(self.user, reference)
            found.setdefault(case.pk, case)
        return list(found.values())

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not data.get("cases") and data.get("service_area") is None:
            self.add_error("cases", "Link the lesson to at least one case or a service area.")
        return data


class LinkCaseForm(forms.Form):
    reference = forms.CharField(
        label="Case reference",
        max_length=50,
        error_messages={"required": "Enter the reference of the case to link."},
    )

    def __init__(self, *args: object, user: User, **kw: object) -> None:
        super().__init__(*args, **kw)
        self.user = user

    def clean_reference(self) -> Case:
        return _case(self.user, self.cleaned_data["reference"].strip())


@limit_text_fields
class RemedialActionForm(forms.Form):
    what = forms.CharField(
        label="What is to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say what is to be done."},
    )
    owner = RowChoiceField(
        label="Owner",
        queryset=None,
        error_messages={
            "required": "Choose the colleague who owns the action.",
            "invalid_choice": "Choose an owner who is an active colleague in your organisation.",
        },
    )
    due_on = _date("Due date", "the date it is due by")

    def __init__(self, *args: object, user: User, **kw: object) -> None:
        super().__init__(*args, **kw)
        self.fields["owner"].queryset = colleague_list(organisation=user.organisation)


class DoneForm(forms.Form):
    done_on = _date("Date it was done", "the date it was done")


@limit_text_fields
class FindingForm(forms.Form):
    reference = forms.CharField(
        label="Case reference",
        max_length=50,
        error_messages={"required": "Enter the reference of the case the finding is about."},
    )
    body = forms.CharField(
        label="Ombudsman",
        max_length=200,
        initial="Housing Ombudsman Service",
        error_messages={"required": "Say which ombudsman or regulator made the finding."},
    )
    finding = forms.ChoiceField(
        label="What the ombudsman found",
        choices=OmbudsmanFinding.Finding.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the ombudsman found."},
    )
    decided_on = _date("Date of the decision", "the date of the decision")
    summary = forms.CharField(
        label="Summary of the decision (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args: object, user: User, **kw: object) -> None:
        super().__init__(*args, **kw)
        self.user = user

    def clean_reference(self) -> Case:
        return _case(self.user, self.cleaned_data["reference"].strip())


@limit_text_fields
class OrderForm(forms.Form):
    what = forms.CharField(
        label="What was ordered or recommended",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say what the ombudsman ordered."},
    )
    comply_by = _date("Date to comply by", "the date to comply by")


YES_NO = [("yes", "Yes"), ("no", "No")]


@limit_text_fields
class DebriefForm(forms.Form):
    """The debrief after closure (Pivotal §22.1)."""

    held_on = _date("Date of the debrief", "the date the debrief was held")
    colleagues = RowMultipleChoiceField(
        label="Colleagues who took part",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the colleagues who took part.",
            "invalid_choice": "Choose colleagues who are active in your organisation.",
            "invalid_pk_value": "Choose colleagues who are active in your organisation.",
        },
    )
    discussed = forms.CharField(
        label="What was discussed",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Say what was discussed."},
    )
    support_given = forms.CharField(
        label="Support given to colleagues",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    lesson_learned = forms.ChoiceField(
        label="Was a lesson learned for service improvement?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether a lesson was learned."},
    )
    lesson = RowChoiceField(
        label="A lesson already in the register",
        queryset=None,
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose a lesson from your organisation's register."},
    )
    new_lesson = forms.CharField(
        label="Or write the lesson learned",
        help_text="It is added to the learning register, linked to this case.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args: object, user: User, **kw: object) -> None:
        super().__init__(*args, **kw)
        self.fields["colleagues"].queryset = colleague_list(organisation=user.organisation)
        self.fields["lesson"].queryset = Lesson.objects.filter(
            organisation_id=user.organisation_id
        ).order_by("-recorded_at", "-pk")

    def clean_lesson_learned(self) -> bool:
        return self.cleaned_data["lesson_learned"] == "yes"
