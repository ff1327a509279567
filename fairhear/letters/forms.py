"""The letters' forms: the stage response draft, sending a letter, an organisation's template."""

from __future__ import annotations

from django import forms

from fairhear.cases.forms import DATE, SHORT_TEXT, TEXT
from fairhear.cases.services import Outcome
from fairhear.domain.letters import MAX_SUBJECT_CHARS, MAX_TEMPLATE_CHARS
from fairhear.domain.text import TEXT_LIMIT

SEEN = "seen_sequence"


class _Seen(forms.Form):
    """The case's last event as the page showed it (optimistic concurrency)."""

    seen_sequence = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DraftResponseForm(_Seen):
    outcome = forms.ChoiceField(label="Decision", choices=Outcome.CHOICES, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label="Reasons for the decision", widget=TEXT, required=False, max_length=TEXT_LIMIT
    )
    policy_references = forms.CharField(
        label="Policies, procedures, law or good practice relied on",
        widget=SHORT_TEXT,
        required=False,
        max_length=TEXT_LIMIT,
    )
    remedy = forms.CharField(
        label="What is offered to put things right",
        widget=SHORT_TEXT,
        required=False,
        max_length=TEXT_LIMIT,
    )
    action_1 = forms.CharField(label="Outstanding action 1", required=False, max_length=500)
    action_1_due = forms.DateField(label="Action 1 to be done by", widget=DATE, required=False)
    action_2 = forms.CharField(label="Outstanding action 2", required=False, max_length=500)
    action_2_due = forms.DateField(label="Action 2 to be done by", widget=DATE, required=False)
    nothing_outstanding = forms.BooleanField(
        label="Nothing is outstanding: no further actions are promised", required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        for n in (1, 2):
            action, due = data.get(f"action_{n}"), data.get(f"action_{n}_due")
            if action and not due:
                self.add_error(f"action_{n}_due", f"Give a date for action {n}.")
            if due and not action:
                self.add_error(f"action_{n}", f"Say what action {n} is.")
        return data

    def outstanding_actions(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"action": data[f"action_{n}"], "due": data[f"action_{n}_due"].isoformat()}
            for n in (1, 2)
            if data.get(f"action_{n}")
        ]

    @staticmethod
    def initial_from(draft: dict) -> dict:
        """A saved draft's content as the form's starting values."""
        initial = {
            k: draft.get(k, "") for k in ("outcome", "reasons", "policy_references", "remedy")
        }
        initial["nothing_outstanding"] = draft.get("nothing_outstanding", False)
        for n, item in enumerate(draft.get("outstanding_actions", [])[:2], start=1):
            initial[f"action_{n}"] = item["action"]
            initial[f"action_{n}_due"] = item["due"]
        return initial


class SendLetterForm(_Seen):
    delivery = forms.ChoiceField(
        label="How does the letter go?",
        choices=[("post", "Printed for post")],
        initial="post",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: object, email: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if email:
            self.fields["delivery"].choices = [
                ("email", f"By e-mail to {email}, with the letter attached as a PDF"),
                ("post", "Printed for post"),
            ]


class WarningLetterForm(SendLetterForm):
    behaviour = forms.CharField(
        label="The behaviour the warning is about",
        help_text="Say what happened and when, in plain words (MMBM §9: we must say why we feel "
        "the behaviour is unacceptable and give time to change it).",
        widget=TEXT,
        max_length=TEXT_LIMIT,
    )


class TemplateForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=MAX_SUBJECT_CHARS)
    body = forms.CharField(
        label="Letter",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        max_length=MAX_TEMPLATE_CHARS,
    )
