"""The form for correcting a case's details: every correctable detail filled in with what the
case says now, a reason, and, once the correction is found to change a deadline, the time
limit or the signposts, a box to confirm that (cases/services/corrections.py)."""

from __future__ import annotations

from django import forms

from fairhear.accounts.models import ServiceArea, User
from fairhear.cases.forms import DATE, SHORT_TEXT, TEXT, OccurredAtMixin
from fairhear.cases.models import Case
from fairhear.core.fields import RowChoiceField, RowMultipleChoiceField
from fairhear.domain.policy.schema import PolicyPack

CONFIRM = "confirm_effects"


class CorrectDetailsForm(OccurredAtMixin):
    """Correct what was recorded when the case was logged."""

    summary = forms.CharField(label="What they told us", widget=TEXT)
    desired_outcome = forms.CharField(label="Outcome they want", widget=SHORT_TEXT, required=False)
    categories = forms.MultipleChoiceField(
        label="What is it about?", required=False, widget=forms.CheckboxSelectMultiple
    )
    service_area = RowChoiceField(
        label="Service area", queryset=ServiceArea.objects.none(), required=False
    )
    about_colleagues = RowMultipleChoiceField(
        label="Colleagues it is about",
        queryset=User.objects.none(),
        required=False,
        help_text="They will not be able to see a complaint about themselves.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    incident_date = forms.DateField(
        label="When did the matter happen?",
        required=False,
        widget=DATE,
        help_text="Used for the policy's time limit. Leave blank if not known.",
    )
    tenure = forms.ChoiceField(label="Tenure of the home it concerns", choices=Case.Tenure.choices)
    safeguarding = forms.BooleanField(label="Safeguarding concern", required=False)
    health_and_safety = forms.BooleanField(label="Health and safety concern", required=False)
    anti_social_behaviour = forms.BooleanField(label="Anti-social behaviour", required=False)
    reason = forms.CharField(
        label="Why are the details being corrected?",
        widget=SHORT_TEXT,
        help_text="For example: the date was typed wrongly when the call was logged. The "
        "timeline shows each detail before and after, with this reason.",
    )

    def __init__(self, *args: object, case: Case, pack: PolicyPack, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(c.code, c.label) for c in pack.categories]
        self.fields["service_area"].queryset = case.organisation.service_areas.all()
        self.fields["about_colleagues"].queryset = case.organisation.colleagues.filter(
            is_active=True
        ).exclude(pk=case.handler_id or 0)
        for name in self.correctable():
            self.fields[name].initial = (
                list(case.about_colleagues.all())
                if name == "about_colleagues"
                else getattr(case, name)
            )
        # Kept while ticked, so that a confirmed correction sent again stays confirmed.
        if self.is_bound and self.data.get(CONFIRM):
            self.fields[CONFIRM] = self._confirm_field()

    @staticmethod
    def correctable() -> list[str]:
        return [
            "summary",
            "desired_outcome",
            "categories",
            "service_area",
            "about_colleagues",
            "incident_date",
            "tenure",
            "safeguarding",
            "health_and_safety",
            "anti_social_behaviour",
        ]

    def _confirm_field(self) -> forms.BooleanField:
        return forms.BooleanField(
            label="I have read what this correction changes, and it is right", required=False
        )

    def ask_to_confirm(self, message: str) -> None:
        """Offer the confirmation, with the service's account of the effects as its error."""
        self.fields[CONFIRM] = self._confirm_field()
        self.add_error(CONFIRM, message)

    def changes(self) -> dict[str, object]:
        d = self.cleaned_data
        return {name: d[name] for name in self.correctable()} | {
            "about_colleagues": list(d["about_colleagues"])
        }
