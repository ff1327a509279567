"""The public form's questions, one page each (GOV.UK "question pages"). Each form only parses
and checks what was typed; every message says what to change."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from fairhear.cases.services import SATISFACTION
from fairhear.core.date_input import DayField
from fairhear.core.fields import limit_text_fields
from fairhear.domain.lifecycle import CaseKind
from fairhear.domain.text import NAME_LIMIT, PHONE_LIMIT

TEXT = forms.Textarea(attrs={"rows": 6})
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})

# What the person wants to do, in their words: nobody has to say "complaint" (Pivotal §4.0;
# §5.3). A colleague decides what it is at triage.
KIND_CHOICES = [
    (
        CaseKind.COMPLAINT.value,
        "Tell us about something that went wrong or that you are unhappy with",
    ),
    (CaseKind.COMPLIMENT.value, "Thank someone, or tell us about something that went well"),
    (CaseKind.SUGGESTION.value, "Suggest how we could do something better"),
    (CaseKind.SERVICE_REQUEST.value, "Ask us to do something, such as a repair"),
]
KIND_WORDS = {
    CaseKind.COMPLAINT: "Something went wrong",
    CaseKind.COMPLIMENT: "A thank you",
    CaseKind.SUGGESTION: "A suggestion",
    CaseKind.SERVICE_REQUEST: "Asking us to do something",
}

ME, BEHALF, ANONYMOUS = "me", "behalf", "anonymous"
WHOM_CHOICES = [
    (ME, "Myself"),
    (BEHALF, "Someone else: I am their representative or advocate"),
    (ANONYMOUS, "I do not want to give my name"),
]
ROLE_CHOICES = [
    ("representative", "Their representative (for example a relative, friend or solicitor)"),
    ("advocate", "Their advocate"),
]
PREFER_CHOICES = [("email", "E-mail"), ("phone", "Phone"), ("letter", "Letter")]


@limit_text_fields
class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What would you like to do?",
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        help_text="If you are not sure, choose the closest. We will read it and deal with it "
        "the right way.",
        error_messages={"required": "Choose what you would like to do."},
    )


def _kind(kind: str) -> CaseKind:
    return CaseKind(kind) if kind in {k.value for k in CaseKind} else CaseKind.COMPLAINT


@limit_text_fields
class WhatForm(forms.Form):
    summary = forms.CharField(
        label="What happened?",
        widget=TEXT,
        help_text="In your own words. Include anything you think we should know.",
        error_messages={"required": "Tell us what happened, in your own words."},
    )

    def __init__(self, *args: object, kind: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        label = {
            CaseKind.COMPLIMENT: "What would you like to tell us?",
            CaseKind.SUGGESTION: "What is your suggestion?",
            CaseKind.SERVICE_REQUEST: "What would you like us to do?",
        }.get(_kind(kind))
        if label:
            self.fields["summary"].label = label
            self.fields["summary"].error_messages["required"] = (
                "Write your message in the box, in your own words."
            )


class WhenForm(forms.Form):
    incident_date = DayField(
        label="When did it happen?",
        required=False,
        help_text="For example, 27 3 2026. Leave it blank if you are not sure or it is still "
        "happening.",
    )

    def __init__(self, *args: object, time_limit: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if time_limit:
            self.fields["incident_date"].help_text += f" {time_limit}"

    def clean_incident_date(self) -> object:
        day = self.cleaned_data["incident_date"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(
                "The date cannot be in the future; enter the day it happened, or leave it blank."
            )
        return day


@limit_text_fields
class WhereForm(forms.Form):
    service_area = forms.ChoiceField(
        label="Which of our services is it about?",
        required=False,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        label="Where did it happen?",
        required=False,
        help_text="For example the address, the scheme or the office.",
    )

    def __init__(self, *args: object, areas: list[tuple[str, str]] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if areas:
            self.fields["service_area"].choices = [*areas, ("", "I am not sure")]
        else:
            del self.fields["service_area"]


@limit_text_fields
class WhoForm(forms.Form):
    people = forms.CharField(
        label="Who was involved?",
        required=False,
        widget=SHORT_TEXT,
        help_text="Names or job titles of our staff or anyone else, if you know them.",
    )

    def __init__(self, *args: object, kind: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if _kind(kind) is CaseKind.COMPLIMENT:
            self.fields["people"].label = "Who would you like to thank?"
            self.fields[
                "people"
            ].help_text = (
                "Their name or job title, if you know it. We will tell them and their manager."
            )


@limit_text_fields
class OutcomeForm(forms.Form):
    desired_outcome = forms.CharField(
        label="What would you like to happen?",
        required=False,
        widget=SHORT_TEXT,
        help_text="For example an apology, a repair done, a change to how we do things.",
    )


@limit_text_fields
class WhomForm(forms.Form):
    whom = forms.ChoiceField(
        label="Who is this from?",
        choices=WHOM_CHOICES,
        widget=forms.RadioSelect,
        help_text="If you do not give your name, we cannot reply to you, tell you what we "
        "found, or ask you anything we need to know, and you cannot follow it online. We "
        "will still read it and look into it where we can.",
        error_messages={"required": "Choose who this is from."},
    )


@limit_text_fields
class BehalfForm(forms.Form):
    person_name = forms.CharField(
        label="Their full name",
        max_length=NAME_LIMIT,
        error_messages={"required": "Enter the full name of the person you are acting for."},
    )
    role = forms.ChoiceField(
        label="How are you helping them?",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you are their representative or advocate."},
    )
    consent = forms.BooleanField(
        label="They have agreed that I can make this on their behalf",
        help_text="We will check this with them before we share anything about them with you.",
        error_messages={
            "required": "Tick to confirm they agreed, or ask them to contact us themselves."
        },
    )


@limit_text_fields
class ContactForm(forms.Form):
    name = forms.CharField(
        label="Your full name",
        max_length=NAME_LIMIT,
        error_messages={"required": "Enter your full name."},
    )
    email = forms.EmailField(
        label="E-mail address",
        required=False,
        help_text="We will send you a copy of what you told us, with your reference.",
        error_messages={"invalid": "Enter an e-mail address like name@example.com."},
    )
    phone = forms.CharField(label="Phone number", required=False, max_length=PHONE_LIMIT)
    address = forms.CharField(label="Postal address", required=False, widget=SHORT_TEXT)
    prefer = forms.ChoiceField(
        label="How would you like us to contact you?",
        choices=PREFER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you would like us to contact you."},
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = [c for c in phone if c.isdecimal()]
        if phone and (len(digits) < 7 or set(phone) - set("0123456789 +()-")):
            raise forms.ValidationError(
                "Enter a phone number using digits, for example 01632 960 001."
            )
        return phone

    def clean(self) -> dict:
        data = super().clean()
        needed = {"email": "email", "phone": "phone", "letter": "address"}
        prefer = data.get("prefer")
        if prefer in needed and not data.get(needed[prefer]) and needed[prefer] not in self.errors:
            words = {"email": "your e-mail address", "phone": "your phone number"}.get(
                prefer, "your postal address"
            )
            self.add_error(
                needed[prefer], f"You chose {prefer}: enter {words}, or choose another way."
            )
        return data


@limit_text_fields
class NeedsForm(forms.Form):
    communication_needs = forms.CharField(
        label="Do you have any communication needs?",
        required=False,
        widget=SHORT_TEXT,
        help_text="For example large print, easy read, an interpreter, British Sign Language, "
        "or calls instead of letters.",
    )
    reasonable_adjustments = forms.CharField(
        label="Is there anything we should do to make this easier for you?",
        required=False,
        widget=SHORT_TEXT,
        help_text="For example meeting at home, more time to reply, or someone with you.",
    )


class DocumentForm(forms.Form):
    document = forms.FileField(
        label="Add a document or photo",
        required=False,
        help_text="PDF, JPEG, PNG or plain text, up to 10 MB each, 5 at most.",
    )


@limit_text_fields
class SendForm(forms.Form):
    """The check-your-answers page's own form: the key that makes it one case however often it
    is sent, and a box people never see, which automated senders fill in."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    website = forms.CharField(
        label="Leave this box empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(
                "Leave the box headed 'Leave this box empty' empty, then send the form again."
            )
        return ""


@limit_text_fields
class TrackForm(forms.Form):
    reference = forms.CharField(
        label="Your reference",
        max_length=30,
        help_text="It is in the e-mail or letter we sent, and looks like C-2026-7KX-M2Q.",
        error_messages={"required": "Enter your reference, for example C-2026-7KX-M2Q."},
    )
    email = forms.EmailField(
        label="Your e-mail address",
        help_text="The one you gave us. We will send the link there.",
        error_messages={
            "required": "Enter the e-mail address you gave us.",
            "invalid": "Enter an e-mail address like name@example.com.",
        },
    )


@limit_text_fields
class TrackMessageForm(forms.Form):
    text = forms.CharField(
        label="Your message",
        widget=TEXT,
        error_messages={"required": "Write your message in the box."},
    )


@limit_text_fields
class NextStageForm(forms.Form):
    reasons = forms.CharField(
        label="Why are you unhappy with our response?",
        widget=TEXT,
        help_text="Tell us what you think we got wrong or missed, and what you would like now.",
        error_messages={"required": "Tell us why you are unhappy with our response."},
    )


@limit_text_fields
class SurveyForm(forms.Form):
    """The feedback survey answered online (Pivotal §21.2): the answers staff record too
    (cases.services.SATISFACTION) and an optional comment."""

    satisfaction = forms.ChoiceField(
        label="How satisfied are you with the way we handled your complaint?",
        choices=SATISFACTION,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how satisfied you are with the way we handled your complaint.",
            "invalid_choice": "Choose one of the answers listed.",
        },
    )
    comments = forms.CharField(
        label="Anything you would like to tell us about how we handled it",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=2000,
    )
