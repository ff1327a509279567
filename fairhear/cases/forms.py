"""Forms for logging a case and for every action on it. Forms only parse and check input;
services decide what is allowed."""

from __future__ import annotations

import secrets
from datetime import datetime

from django import forms
from django.utils import timezone

from fairhear.accounts.models import Organisation, ServiceArea, User
from fairhear.cases.attachments import attachment_limits, size_in_words
from fairhear.cases.models import Case
from fairhear.cases.services import (
    CLOCK_SKEW,
    SATISFACTION,
    TOLD_HOW,
    Outcome,
    PersonDetails,
    PersonMatchUncertain,
)
from fairhear.cases.services.additional import AdditionalComplaintQuestion
from fairhear.cases.services.attachments import attachments_refusals
from fairhear.cases.step_forms import (
    AcknowledgementStepsMixin,
    AllocationStepsMixin,
    ResponseStepsMixin,
)
from fairhear.core.date_input import LondonDateTimeField
from fairhear.core.fields import RowChoiceField, RowMultipleChoiceField, limit_text_fields
from fairhear.domain.files import CASE_TYPES, accepted_in_words
from fairhear.domain.lifecycle import CaseKind, CommunicationChannel, Direction
from fairhear.domain.policy.schema import PolicyPack, Reason

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


def new_idempotency_key() -> str:
    """A fresh key for a form that makes a case: 32 random characters."""
    return secrets.token_urlsafe(24)


def _now_to_the_minute() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class ActingForMixin(forms.Form):
    """Asks why, when someone holding the role acts on a case allocated to someone else."""

    def __init__(self, *args: object, acting_for: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if acting_for:
            self.fields["override"] = forms.CharField(
                label=f"I am acting for the allocated handler, {acting_for}, because",
                widget=SHORT_TEXT,
                help_text="The case is allocated to them. Your reason is recorded in the "
                "timeline with your name.",
                error_messages={
                    "required": "Say why you are acting for the allocated handler, or leave "
                    "this to them."
                },
            )


def _reason_choices(reasons: list[Reason]) -> list[tuple[str, str]]:
    return [(r.code, f"{r.label} ({r.cites})" if r.cites else r.label) for r in reasons]


class OccurredAtMixin(forms.Form):
    """When it happened, as a date and a time, never in the future. Asked last. Every action's
    form has it, filled in with now, so every event records when it really happened; left
    blank, it means now (unless `occurred_required`: a date that must be given)."""

    occurred_label = "When did it happen?"
    occurred_required = False
    occurred_at = LondonDateTimeField(label="When did it happen?", required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["occurred_at"]
        field.label = self.occurred_label
        field.required = self.occurred_required
        field.initial = _now_to_the_minute()
        # Ask what happened first, and when last.
        self.order_fields([name for name in self.fields if name != "occurred_at"])

    def clean_occurred_at(self) -> datetime | None:
        moment = self.cleaned_data["occurred_at"]
        if moment is not None and moment > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError("The date and time cannot be in the future.")
        return moment


class LogCaseForm(forms.Form):
    """A colleague records what they were told: a call, a letter, a visit or a meeting."""

    kind = forms.ChoiceField(
        label="What is it?",
        choices=Case.Kind.choices,
        widget=forms.RadioSelect,
        initial=Case.Kind.COMPLAINT,
        help_text="The person does not have to use the word 'complaint'. If they are unhappy "
        "and it cannot be put right straight away, it is a complaint.",
    )
    channel = forms.ChoiceField(label="How did it reach us?", choices=Case.Channel.choices)
    received_at = LondonDateTimeField(
        label="When was it received?",
        help_text="The date and time the person told us, which may be before today. For "
        "example, 27 3 2026 and 14:30.",
    )
    summary = forms.CharField(label="What did they tell us?", widget=TEXT)
    desired_outcome = forms.CharField(
        label="What would they like to happen?", widget=SHORT_TEXT, required=False
    )
    anonymous = forms.BooleanField(
        label="They did not want to give their name (anonymous)", required=False
    )
    complainant_name = forms.CharField(
        label="Their name",
        max_length=200,
        help_text="Leave blank only if they asked to stay anonymous.",
        error_messages={"required": "Enter their name, or tick anonymous if they did not give it."},
    )
    complainant_email = forms.EmailField(label="Email address", required=False)
    complainant_phone = forms.CharField(label="Phone number", required=False, max_length=50)
    complainant_address = forms.CharField(label="Address", required=False, widget=SHORT_TEXT)
    communication_needs = forms.CharField(
        label="Communication needs",
        required=False,
        widget=SHORT_TEXT,
        help_text="For example large print, an interpreter, easy read, calls not letters.",
    )
    reasonable_adjustments = forms.CharField(
        label="Reasonable adjustments agreed", required=False, widget=SHORT_TEXT
    )
    representative_name = forms.CharField(
        label="Representative or advocate's name", required=False, max_length=200
    )
    representative_role = forms.ChoiceField(
        label="Are they a representative or an advocate?",
        required=False,
        choices=Case.RepresentativeRole.choices[1:],
        widget=forms.RadioSelect,
    )
    representative_email = forms.EmailField(label="Representative's email", required=False)
    representative_phone = forms.CharField(
        label="Representative's phone", required=False, max_length=50
    )
    incident_date = forms.DateField(
        label="When did the matter happen?",
        required=False,
        widget=DATE,
        help_text="Used for the policy's time limit. Leave blank if not known.",
    )
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
        help_text="They will not be able to see a complaint about themselves. For a "
        "compliment, their line manager is told.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    tenure = forms.ChoiceField(
        label="Tenure of the home it concerns",
        choices=Case.Tenure.choices,
        initial=Case.Tenure.UNKNOWN,
    )
    safeguarding = forms.BooleanField(label="Safeguarding concern", required=False)
    health_and_safety = forms.BooleanField(label="Health and safety concern", required=False)
    anti_social_behaviour = forms.BooleanField(label="Anti-social behaviour", required=False)
    # Made when the empty form is drawn and sent back with it, so that the same form saved
    # twice (a double click, the back button then Save) is one case (cases/services/intake.py).
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={
            "required": "This form has lost its identifying key; reload the page and try again."
        },
    )

    def __init__(
        self, *args: object, organisation: Organisation, pack: PolicyPack, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = new_idempotency_key()
        self.fields["received_at"].initial = _now_to_the_minute()
        self.fields["categories"].choices = [(c.code, c.label) for c in pack.categories]
        self.fields["service_area"].queryset = organisation.service_areas.all()
        self.fields["about_colleagues"].queryset = organisation.colleagues.filter(is_active=True)
        # Asked only once the service has said the date received is long before the policy
        # version came into force (ask_to_confirm_policy_version), then kept while ticked.
        self.confirm_label = (
            f"The date received is right: log it under {pack.title}, version {pack.version}"
        )
        if self.is_bound and self.data.get("confirm_policy_version"):
            self.fields["confirm_policy_version"] = self._confirm_field()
        # The name is needed unless the person asked to stay anonymous.
        if self.is_bound and self.data.get("anonymous") in {"on", "true", "1"}:
            self.fields["complainant_name"].required = False
        # Asked only once the service has said the complainant looks like someone known
        # (ask_about_person); the answer is kept while the page is sent again.
        self.person_offers: tuple = ()
        self.additional_offers: tuple = ()
        if self.is_bound and self.data.get("additional"):
            self.fields["additional"] = forms.RegexField(
                regex=r"^(take_in|new_linked):[A-Z0-9-]{1,20}$",
                required=False,
                widget=forms.HiddenInput,
            )
        if self.is_bound and self.data.get("same_person"):
            self.fields["same_person"] = forms.RegexField(
                regex=r"^(new|[0-9]{1,18})$", required=False, widget=forms.HiddenInput
            )

    def ask_about_additional(self, question: AdditionalComplaintQuestion) -> None:
        """Offer to take the complaint into an open stage 1 response or log it as new and linked
        (Pivotal §9 stage 1 step 8), with the service's question as the error."""
        self.additional_offers = question.open_cases
        choices = []
        for c in question.open_cases:
            choices += [
                (f"take_in:{c.reference}", f"Take it into the stage 1 response of {c.reference}"),
                (f"new_linked:{c.reference}", f"Log it as a new complaint linked to {c.reference}"),
            ]
        self.fields["additional"] = forms.ChoiceField(
            label="This person has a complaint at stage 1",
            choices=choices,
            widget=forms.RadioSelect,
            help_text="Take it in if it is relevant and will not unreasonably delay that "
            "response; otherwise log it as a new complaint.",
        )
        self.add_error("additional", str(question))

    def ask_about_person(self, question: PersonMatchUncertain) -> None:
        """Offer the people the complainant may be, with the service's question as the error."""
        self.person_offers = question.offers
        choices = [(str(o.person_id), f"Yes: {o.sentence}") for o in question.offers]
        self.fields["same_person"] = forms.ChoiceField(
            label="Is this someone we already know?",
            choices=[*choices, ("new", "No, a different person with similar details")],
            widget=forms.RadioSelect,
        )
        self.add_error("same_person", str(question))

    def _confirm_field(self) -> forms.BooleanField:
        return forms.BooleanField(label=self.confirm_label, required=False)

    def ask_to_confirm_policy_version(self, question: str) -> None:
        """Offer the confirmation, with the service's question as its error."""
        self.fields["confirm_policy_version"] = self._confirm_field()
        self.add_error("confirm_policy_version", question)

    def clean_received_at(self) -> datetime:
        received = self.cleaned_data["received_at"]
        if received > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError("The time received cannot be in the future.")
        return received

    def clean(self) -> dict:
        data = super().clean()
        anonymous = data.get("anonymous")
        if anonymous and data.get("complainant_name"):
            self.add_error(
                "complainant_name",
                "Leave the name blank for an anonymous case, or untick anonymous.",
            )
        if data.get("representative_name") and not data.get("representative_role"):
            self.add_error(
                "representative_role", "Say whether they are a representative or an advocate."
            )
        received, incident = data.get("received_at"), data.get("incident_date")
        if received and incident and incident > timezone.localtime(received).date():
            self.add_error("incident_date", "The matter cannot have happened after we were told.")
        return data

    def case_receive_arguments(self) -> dict:
        """The valid form as arguments for `case_receive` (apart from who and where)."""
        d = self.cleaned_data
        complainant = None
        if not d["anonymous"]:
            complainant = PersonDetails(
                name=d["complainant_name"],
                email=d["complainant_email"],
                phone=d["complainant_phone"],
                address=d["complainant_address"],
                communication_needs=d["communication_needs"],
                reasonable_adjustments=d["reasonable_adjustments"],
            )
        representative = None
        if d["representative_name"]:
            representative = PersonDetails(
                name=d["representative_name"],
                email=d["representative_email"],
                phone=d["representative_phone"],
            )
        return {
            "kind": CaseKind(d["kind"]),
            "channel": d["channel"],
            "summary": d["summary"],
            "received_at": d["received_at"],
            "complainant": complainant,
            "representative": representative,
            "representative_role": d["representative_role"] or "",
            "anonymous": d["anonymous"],
            "desired_outcome": d["desired_outcome"],
            "categories": d["categories"],
            "service_area": d["service_area"],
            "about_colleagues": list(d["about_colleagues"]),
            "safeguarding": d["safeguarding"],
            "health_and_safety": d["health_and_safety"],
            "anti_social_behaviour": d["anti_social_behaviour"],
            "tenure": d["tenure"],
            "incident_date": d["incident_date"],
            "confirm_policy_version": bool(d.get("confirm_policy_version")),
            "ask_about_person": True,
            **_same_person(d.get("same_person") or ""),
            **_additional(d.get("additional") or ""),
            "idempotency_key": d["idempotency_key"],
        }


def _additional(answer: str) -> dict:
    """The colleague's choice for a complaint raised while another is at stage 1."""
    if ":" not in answer:
        return {}
    handling, reference = answer.split(":", 1)
    return {"additional_handling": handling, "additional_to": reference}


def _same_person(answer: str) -> dict:
    """The colleague's answer to "is this someone we already know?" as `case_receive` takes it."""
    if answer == "new":
        return {"not_same_person": True}
    return {"same_person_as": int(answer)} if answer.isdigit() else {}


class ManagersToldForm(OccurredAtMixin):
    """Who was told of the complaint, and how (Pivotal §9 stage 1 step 5)."""

    told = forms.CharField(
        label="Who was told?",
        widget=SHORT_TEXT,
        help_text="By name and role, for example: Sam Patel (line manager) and the Head of "
        "Services.",
    )
    how = forms.ChoiceField(label="How were they told?", choices=TOLD_HOW, widget=forms.RadioSelect)


class MultipleFileInput(forms.FileInput):
    """A GOV.UK file upload that takes several files at once."""

    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files, checked together by their content and size (services/attachments.py):
    each file refused is named in its own message on the error summary."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: object) -> None:
        # The emptiness of a file is checked with its content, in words that name it.
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(FilesField, self).clean(f, initial) for f in files]
        problems = attachments_refusals(cleaned)
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


class FilesMixin(forms.Form):
    """Files kept with what is recorded: a letter scanned, a photo, an e-mail saved as PDF."""

    files = FilesField(label="Attach files", required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        max_bytes, per_action = attachment_limits()
        self.fields["files"].help_text = (
            f"{accepted_in_words(CASE_TYPES)}, up to {size_in_words(max_bytes)} each and "
            f"{per_action} at once. Choose several by holding Ctrl (or Cmd on a Mac)."
        )


class NoteForm(FilesMixin, OccurredAtMixin):
    field_order = ["text", "files"]
    text = forms.CharField(label="Note", widget=TEXT)


class CommunicationForm(FilesMixin, OccurredAtMixin):
    field_order = ["direction", "channel", "summary", "files"]
    occurred_label = "When was it?"
    direction = forms.ChoiceField(
        label="Which way?",
        choices=[(d.value, d.label) for d in Direction],
        widget=forms.RadioSelect,
        help_text="From the complainant includes their representative or advocate.",
    )
    channel = forms.ChoiceField(
        label="How?",
        choices=[(c.value, c.label) for c in CommunicationChannel],
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(label="What was said", widget=TEXT)


class AcceptForm(OccurredAtMixin):
    """Accepting at stage 1; warns when a refusal reason's facts are present (Pivotal §6.1 g)."""

    exceptional_circumstances = forms.CharField(
        label="Exceptional circumstances (only if it is out of time)",
        required=False,
        widget=SHORT_TEXT,
        help_text="The policy allows an out-of-time complaint only with exceptional "
        "circumstances recorded.",
    )
    note = forms.CharField(label="Note", required=False, widget=SHORT_TEXT)

    def __init__(
        self,
        *args: object,
        pack: PolicyPack,
        prompts: list[Reason] = (),
        earlier: list[str] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not pack.time_limit.exceptional_circumstances:
            del self.fields["exceptional_circumstances"]
        # Shown above the form: reasons not to accept that this case's facts point to.
        self.warnings = [
            f"{r.label} ({r.cites}) may apply to this complaint: {r.letter_text}"
            + (_earlier_words(earlier) if "reopens_concluded" in r.prompted_by_facts else "")
            + " If it does, do not accept it: choose “Do not accept the complaint” instead."
            for r in prompts
        ]


def _earlier_words(references: list[str]) -> str:
    """Pivotal §6.1 f: which of the person's complaints on the same subject were concluded."""
    word = "complaint" if len(references) == 1 else "complaints"
    return (
        f" The complainant's earlier {word} on the same subject ({', '.join(references)}) "
        "received a final decision."
    )


class RefuseForm(OccurredAtMixin):
    reason_code = forms.ChoiceField(label="Why can it not be accepted?", widget=forms.RadioSelect)
    explanation = forms.CharField(
        label="Explanation for the complainant",
        required=False,
        widget=TEXT,
        help_text="Added to the policy's wording in the letter.",
    )

    def __init__(self, *args: object, reasons: list[Reason], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Only the reasons that fit the case's facts (Pivotal §6.1 a: not for safeguarding).
        self.fields["reason_code"].choices = _reason_choices(reasons)


class StartLocalResolutionForm(OccurredAtMixin):
    note = forms.CharField(label="What was discussed", widget=TEXT, required=False)


class ResolveLocallyForm(OccurredAtMixin):
    outcome = forms.CharField(label="How was it resolved?", widget=TEXT)


class AllocateForm(AllocationStepsMixin, OccurredAtMixin):
    handler = RowChoiceField(label="Who will handle it?", queryset=User.objects.none())

    def __init__(self, *args: object, colleagues: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = colleagues


class AcknowledgeForm(ActingForMixin, AcknowledgementStepsMixin, OccurredAtMixin):
    understanding = forms.CharField(
        label="Our understanding of the complaint", widget=TEXT, required=False
    )
    outcomes_sought = forms.CharField(
        label="The outcomes they are seeking", widget=SHORT_TEXT, required=False
    )


class ExtendForm(ActingForMixin, OccurredAtMixin):
    new_due = forms.DateField(label="New response date", widget=DATE)
    reason = forms.CharField(label="Reason for the extension", widget=TEXT)
    told_on = forms.DateField(
        label="Date the complainant was told",
        widget=DATE,
        required=False,
        help_text="Only an extension the complainant was told of on or before the original "
        "date counts as on time in reports.",
    )
    beyond_limit_reason = forms.CharField(
        label="Reason for going beyond the policy's limit (only for a later date)",
        widget=SHORT_TEXT,
        required=False,
        help_text="Needed only when the new date is after the latest date the policy allows.",
    )
    beyond_limit_agreed = forms.BooleanField(label="", required=False)

    def __init__(self, *args: object, agreed_by: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if agreed_by:
            self.fields[
                "beyond_limit_agreed"
            ].label = f"Going beyond the limit: {agreed_by} agreed the later date"
        else:
            del self.fields["beyond_limit_agreed"]


class RespondForm(ActingForMixin, ResponseStepsMixin, OccurredAtMixin):
    outcome = forms.ChoiceField(label="Decision", choices=Outcome.CHOICES, widget=forms.RadioSelect)
    reasons = forms.CharField(label="Reasons for the decision", widget=TEXT)
    policy_references = forms.CharField(
        label="Policies, procedures, law or good practice relied on",
        widget=SHORT_TEXT,
        required=False,
    )
    remedy = forms.CharField(label="Remedy offered", widget=SHORT_TEXT, required=False)
    action_1 = forms.CharField(label="Outstanding action 1", required=False)
    action_1_due = forms.DateField(label="Action 1 to be done by", widget=DATE, required=False)
    action_2 = forms.CharField(label="Outstanding action 2", required=False)
    action_2_due = forms.DateField(label="Action 2 to be done by", widget=DATE, required=False)
    additional_answer = forms.CharField(
        label="How the response answers the additional complaints",
        widget=SHORT_TEXT,
        required=False,
    )

    def __init__(self, *args: object, taken_in: list = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Pivotal §9 stage 1 step 8: asked only when complaints were taken into this response.
        if taken_in:
            self.fields["additional_answer"].required = True
            self.fields["additional_answer"].help_text = "Taken in: " + "; ".join(
                f"{t.on:%-d %b %Y}: {t.summary}" for t in taken_in
            )
        else:
            del self.fields["additional_answer"]

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


class ResponseReceiptForm(OccurredAtMixin):
    occurred_label = "When did the complainant receive the response?"
    occurred_required = True
    correction_reason = forms.CharField(
        label="Correcting a date already recorded? Say why",
        widget=SHORT_TEXT,
        required=False,
        help_text="The date is recorded once. A change is kept as a correction, with the dates "
        "it moves.",
    )


class RequestEscalationForm(OccurredAtMixin):
    occurred_label = "When was the request received?"
    occurred_required = True
    reasons = forms.CharField(label="Why they remain dissatisfied", widget=TEXT, required=False)


class AcceptEscalationForm(OccurredAtMixin):
    discretion = forms.CharField(
        label="Discretionary decision (needed only for a late request)",
        widget=SHORT_TEXT,
        required=False,
    )

    def __init__(
        self, *args: object, exceptional_circumstances: str = "", **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        if exceptional_circumstances:
            # The next stage goes ahead only in exceptional circumstances (MMBM §8.3.1).
            self.fields["exceptional_circumstances"] = forms.CharField(
                label="The exceptional circumstances",
                widget=TEXT,
                help_text=exceptional_circumstances,
                error_messages={
                    "required": "Record the exceptional circumstances, or refuse the request."
                },
            )


class RefuseEscalationForm(OccurredAtMixin):
    reason = forms.CharField(label="Why the request is refused", widget=TEXT)

    def __init__(self, *args: object, refusal_reasons: list[Reason] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if refusal_reasons:
            # The pack allows refusal only for these reasons (Code 5.11: section 2 reasons).
            self.fields["refusal_code"] = forms.ChoiceField(
                label="Which reason of the policy applies?",
                choices=_reason_choices(refusal_reasons),
                widget=forms.RadioSelect,
            )
            self.order_fields(["refusal_code", "reason"])


class CloseForm(ActingForMixin, OccurredAtMixin):
    reason_code = forms.ChoiceField(label="Why is it closing?", widget=forms.RadioSelect)
    note = forms.CharField(label="Note", required=False, widget=SHORT_TEXT)

    def __init__(self, *args: object, reasons: list[Reason], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Only the reasons that apply in the case's state and stage now (Pivotal §10.1).
        self.fields["reason_code"].choices = _reason_choices(reasons)


class ConvertForm(OccurredAtMixin):
    reason = forms.CharField(
        label="Why it is now a complaint",
        widget=SHORT_TEXT,
        required=False,
        help_text="For example: it could not be put right promptly, or they asked.",
    )


class TakeIntoResponseForm(OccurredAtMixin):
    occurred_label = "When did they raise it?"
    summary = forms.CharField(label="What the additional complaint is", widget=TEXT)
    channel = forms.ChoiceField(
        label="How did it reach us?", choices=Case.Channel.choices, widget=forms.RadioSelect
    )


class ChangeKindForm(OccurredAtMixin):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=Case.Kind.choices,
        widget=forms.RadioSelect,
        help_text="Whatever the person called it: if they are unhappy and it cannot be put right "
        "straight away, it is a complaint (Pivotal §4.0 and §5.3). It still counts from when it "
        "was received.",
    )
    reason = forms.CharField(label="Why (optional)", required=False, widget=SHORT_TEXT)

    def __init__(self, *args: object, current: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in Case.Kind.choices if c[0] != current]


class ForwardComplimentForm(OccurredAtMixin):
    note = forms.CharField(label="Note for the line manager", widget=SHORT_TEXT, required=False)


class CloseContactForm(OccurredAtMixin):
    outcome = forms.CharField(label="What was done", widget=TEXT)


class NotInvestigateForm(OccurredAtMixin):
    reason = forms.CharField(label="Why it will not be investigated", widget=TEXT)


class HoldAutoCloseForm(OccurredAtMixin):
    reason = forms.CharField(
        label="Why the case is kept open",
        help_text="For example: a visit is booked for next week. It is shown on the timeline.",
        widget=TEXT,
    )


class AgencyReferralForm(OccurredAtMixin):
    agency = forms.CharField(label="Which agency?", widget=SHORT_TEXT)
    information = forms.CharField(label="What was passed to them", widget=TEXT)


class RouteOutForm(OccurredAtMixin):
    route_code = forms.ChoiceField(label="Where does it go?", widget=forms.RadioSelect)
    passed_to = forms.CharField(label="Passed to (their name and role)", widget=SHORT_TEXT)
    reason = forms.CharField(label="Why it is dealt with outside this procedure", widget=TEXT)

    def __init__(self, *args: object, pack: PolicyPack, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route_code"].choices = [
            (r.code, f"{r.label} ({r.cites})") for r in pack.routes_out
        ]


class OmbudsmanReferralForm(OccurredAtMixin):
    occurred_label = "When was it referred?"
    occurred_required = True
    body = forms.ChoiceField(label="Which body?")
    note = forms.CharField(label="Note", widget=SHORT_TEXT, required=False)

    def __init__(self, *args: object, pack: PolicyPack, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        choices = [(s.name, s.name) for s in pack.signposts]
        self.fields["body"].choices = [*choices, ("Other", "Other")]


class FeedbackForm(OccurredAtMixin):
    satisfaction = forms.ChoiceField(
        label="How satisfied were they with how we handled it?",
        choices=SATISFACTION,
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(label="Comments", widget=TEXT, required=False)


class AssessExtensionForm(OccurredAtMixin):
    good_reason = forms.TypedChoiceField(
        label="Was there good reason for the extension?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(label="Note", widget=SHORT_TEXT, required=False)


class DateNotAgreedForm(OccurredAtMixin):
    """Pivotal §14.3: the complainant would not agree a revised response date."""

    proposed_due = forms.DateField(label="The revised date we proposed", widget=DATE)
    note = forms.CharField(label="What the complainant said", widget=SHORT_TEXT, required=False)


class SignOffForm(OccurredAtMixin):
    """Pivotal §9 stage 1 step 7 and §13: the Head of Services agrees a step."""

    step = forms.ChoiceField(label="What do you agree?", widget=forms.RadioSelect)
    note = forms.CharField(label="What was agreed", widget=SHORT_TEXT, required=False)

    def __init__(self, *args: object, steps: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = steps


# Every text field of every form here gets its length limit (fairhear/core/fields.py), so that
# no field, including one added later, is left without one.
for _form in [v for v in list(globals().values()) if isinstance(v, type)]:
    if issubclass(_form, forms.BaseForm):
        limit_text_fields(_form)
