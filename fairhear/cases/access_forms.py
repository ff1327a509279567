"""The lead's forms for restricted access: restrict, change who may see it, remove it."""

from __future__ import annotations

from django import forms

from fairhear.accounts.models import User
from fairhear.cases.forms import SHORT_TEXT, OccurredAtMixin
from fairhear.core.fields import RowMultipleChoiceField

NAMED_HINT = (
    "Only they, the colleague it is allocated to and the lead officer will see it. Colleagues "
    "named in the complaint are not listed."
)


class _NamedMixin(forms.Form):
    named = RowMultipleChoiceField(
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
    reason = forms.CharField(label="Why access is restricted", widget=SHORT_TEXT)


class ChangeAccessNamesForm(_NamedMixin, OccurredAtMixin):
    reason = forms.CharField(label="Why (optional)", widget=SHORT_TEXT, required=False)


class UnrestrictAccessForm(OccurredAtMixin):
    reason = forms.CharField(label="Why access is no longer restricted", widget=SHORT_TEXT)
