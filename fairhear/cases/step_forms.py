"""Form parts for how a response or acknowledgement was given and the dates agreed with the
complainant (MMBM §8.1, §8.1.4, §8.1.5; Pivotal §14.3). Forms only parse; services decide."""

from __future__ import annotations

from django import forms

from fairhear.domain.policy.schema import PolicyPack
from fairhear.domain.responses import Means

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MEANS_CHOICES = [(m.value, m.label) for m in Means]


def means_field(what: str) -> forms.ChoiceField:
    """How it was given: letter, email, face to face or telephone."""
    return forms.ChoiceField(
        label=f"How was the {what} given?", choices=MEANS_CHOICES, widget=forms.RadioSelect
    )


def _last(form: forms.Form, *names: str) -> None:
    """Put these fields last, keeping "when did it happen" at the very end."""
    mine = [n for n in names if n in form.fields]
    rest = [n for n in form.fields if n not in mine and n != "occurred_at"]
    form.order_fields([*rest, *mine, "occurred_at"])


class AcknowledgementStepsMixin(forms.Form):
    """How the acknowledgement was given and, where the stage has one, the agreed date."""

    means = means_field("acknowledgement")
    agreed_response_date = forms.DateField(
        label="Response date agreed with the complainant",
        widget=DATE,
        required=False,
        help_text="Only if a date was agreed. It may be earlier than the policy's date, not "
        "later; a later date is an extension.",
    )

    def __init__(self, *args: object, pack: PolicyPack, stage: int = 1, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not pack.stage(max(stage, 1)).agreed_response_date:
            del self.fields["agreed_response_date"]
        _last(self, "means", "agreed_response_date")


class ResponseStepsMixin(forms.Form):
    """How the response was given and whether written confirmation was offered."""

    means = means_field("response")
    written_confirmation_offered = forms.BooleanField(
        label="Written confirmation was offered",
        required=False,
        help_text="For a response given face to face or by telephone.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _last(self, "means", "written_confirmation_offered")


class AllocationStepsMixin(forms.Form):
    """For a category that asks (MMBM §7.2), how the complainant was consulted about the
    investigator; where the stage allows (MMBM §8.4), an external investigator."""

    consultation = forms.CharField(
        label="How the complainant was consulted about who will investigate",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Or why that was not appropriate.",
        error_messages={
            "required": "Record how the complainant was consulted about who will investigate, "
            "or why that was not appropriate."
        },
    )
    external_investigator = forms.CharField(
        label="External investigator's name",
        required=False,
        help_text="Only if someone outside the organisation investigates. The colleague "
        "chosen above stays accountable.",
    )
    external_organisation = forms.CharField(
        label="External investigator's organisation", required=False
    )

    def __init__(
        self, *args: object, consult: str = "", external: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        if consult:
            self.fields["consultation"].help_text = f"{consult} Or why that was not appropriate."
        else:
            del self.fields["consultation"]
        if not external:
            del self.fields["external_investigator"]
            del self.fields["external_organisation"]
        _last(self, "consultation", "external_investigator", "external_organisation")
