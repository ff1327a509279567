"""The lead's forms for restricted access: restrict, change who may see it, remove it."""

from __future__ import annotations

from django import forms

from fairhear.accounts.models import User
from fairhear.cases.forms import SHORT_TEXT, OccurredAtMixin
from fairhear.core.fields import RowMultipleChoiceField

NAMED_HINT = (
    "Only they, the colleague it is allocated to and the lead officer will see it. The lead "
    "officer, who always sees it, and colleagues named in the complaint, who never do, are not "
    "listed."
)


class _ColleagueChoices(RowMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.job_title})" if obj.job_title else str(obj)


class _NamedMixin(forms.Form):
    named = _ColleagueChoices(
        label="Who may see it",
        queryset=User.objects.none(),
        required=False,
        help_text=NAMED_HINT,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: object, colleagues: object, named: object = (), **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named"].queryset = colleagues
        self.fields["named"].initial = list(named)


class RestrictAccessForm(_NamedMixin, OccurredAtMixin):
    field_order = ["reason", "named"]
    reason = forms.CharField(label="Why access is restricted", widget=SHORT_TEXT)


class ChangeAccessNamesForm(_NamedMixin, OccurredAtMixin):
    field_order = ["named", "reason"]
    reason = forms.CharField(label="Why (optional)", widget=SHORT_TEXT, required=False)


class UnrestrictAccessForm(OccurredAtMixin):
    reason = forms.CharField(label="Why access is no longer restricted", widget=SHORT_TEXT)
