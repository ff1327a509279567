"""The forms for restrictions on contact (MMBM §9; Pivotal §12 and Appendix 3 I). A written
notice not sent yet is left blank and recorded when it goes."""

from __future__ import annotations

from django import forms

from fairhear.cases.forms import DATE, SHORT_TEXT, TEXT, OccurredAtMixin
from fairhear.cases.services import TOLD_HOW, WARNED_HOW
from fairhear.domain.restrictions import RestrictionState

_NOT_YET = "Leave blank if it has not gone yet; record it from the case when it does."


class WarnBehaviourForm(OccurredAtMixin):
    behaviour = forms.CharField(
        label="What behaviour is unacceptable, and why",
        widget=TEXT,
        help_text="As the person was told it (MMBM §9; Pivotal §12.1 lists examples).",
    )
    how = forms.ChoiceField(
        label="How were they told?", choices=WARNED_HOW, widget=forms.RadioSelect
    )
    notice_sent_on = forms.DateField(
        label="Date the written warning was sent (optional)",
        widget=DATE,
        required=False,
        help_text=_NOT_YET,
    )


class ApplyRestrictionForm(OccurredAtMixin):
    restrictions = forms.CharField(label="The restrictions", widget=TEXT)
    reason = forms.CharField(label="Why they are needed", widget=TEXT)
    notice_sent_on = forms.DateField(
        label="Date the written notice was sent (optional)",
        widget=DATE,
        required=False,
        help_text=_NOT_YET,
    )


class ReviewRestrictionForm(OccurredAtMixin):
    decision = forms.CharField(label="What the review decided", widget=TEXT)
    # MMBM §9: each review "must also be confirmed in writing".
    notice_sent_on = forms.DateField(
        label="Date the written confirmation of the review was sent (optional)",
        widget=DATE,
        required=False,
        help_text=_NOT_YET,
    )


class LiftRestrictionForm(OccurredAtMixin):
    reason = forms.CharField(label="Why they are lifted", widget=SHORT_TEXT)


class RestrictionNoticeForm(OccurredAtMixin):
    step = forms.ChoiceField(label="Which notice was sent?", widget=forms.RadioSelect)
    sent_on = forms.DateField(label="Date it was sent", widget=DATE)

    def __init__(self, *args: object, restriction: RestrictionState, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [
            (
                f"{p.reference}:{p.sequence}",
                f"{p.notice.label.capitalize()} of {p.on:%-d %B %Y} (case {p.reference})",
            )
            for p in restriction.pending_notices
        ]

    def step_parts(self) -> tuple[str, int]:
        """The chosen step's case reference and event sequence."""
        reference, sequence = self.cleaned_data["step"].rsplit(":", 1)
        return reference, int(sequence)


class ReportBehaviourForm(OccurredAtMixin):
    told = forms.CharField(
        label="Who was told?",
        widget=SHORT_TEXT,
        help_text="By name and role, for example: Sam Patel (line manager) and the Head of "
        "Services.",
    )
    how = forms.ChoiceField(label="How were they told?", choices=TOLD_HOW, widget=forms.RadioSelect)
