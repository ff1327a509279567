"""Forms of the administration pages. They parse and check input; the services in
fairhear.accounts.services and fairhear.policies.services decide and record."""

from __future__ import annotations

from django import forms

from fairhear.accounts.models import Organisation, ServiceArea, User
from fairhear.core.fields import RowChoiceField, limit_text_fields
from fairhear.domain.branding import LOGO_MAX_BYTES, BrandingProblem, check_brand_colour
from fairhear.domain.policy.limits import MAX_PACK_BYTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@limit_text_fields
class OrganisationForm(forms.ModelForm):
    """Nation, homes owned, contact details, brand colour and the two-factor requirement."""

    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="Its full address, like https://example.org",
        error_messages={"invalid": "Enter the website's full address, like https://example.org."},
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "nation",
            "homes_lcra",
            "homes_lcho",
            "address",
            "phone",
            "email",
            "website",
            "brand_colour",
            "require_two_factor",
        ]
        labels = {
            "name": "Organisation name",
            "nation": "Which bank holidays apply?",
            "homes_lcra": "Low-cost rental homes owned (LCRA)",
            "homes_lcho": "Low-cost home ownership homes owned (LCHO)",
            "address": "Postal address",
            "phone": "Phone number",
            "email": "E-mail address for complaints",
            "website": "Website",
            "brand_colour": "Brand colour",
            "require_two_factor": "Leads and administrators must use two-factor sign-in",
        }
        help_texts = {
            "nation": "The bank holidays of this nation are not working days for deadlines.",
            "homes_lcra": "Used for the Tenant Satisfaction Measures (complaints per 1,000 "
            "homes, CH01).",
            "homes_lcho": "Used for the Tenant Satisfaction Measures (CH01).",
            "address": "Printed on letters.",
            "brand_colour": "A hex code such as #106165. Letters print headings in white on "
            "it, so it must be dark enough for white text to be read.",
            "require_two_factor": "They are asked to set up an authenticator app the next "
            "time they sign in, and cannot go on without it.",
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 4}),
            "nation": forms.RadioSelect,
            "homes_lcra": forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
            "homes_lcho": forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
            "phone": forms.TextInput(attrs={"class": "govuk-input--width-20", "type": "tel"}),
            "brand_colour": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        }
        error_messages = {
            "name": {"required": "Enter the organisation's name."},
            "homes_lcra": {"invalid": "Enter the number of homes as a whole number, like 1200."},
            "homes_lcho": {"invalid": "Enter the number of homes as a whole number, like 300."},
            "email": {"invalid": "Enter an e-mail address like complaints@example.org."},
        }

    def clean_brand_colour(self) -> str:
        value = self.cleaned_data.get("brand_colour", "").strip()
        if not value:
            return ""
        try:
            return check_brand_colour(value)
        except BrandingProblem as exc:
            raise forms.ValidationError(str(exc), code="contrast") from None


class LogoForm(forms.Form):
    """A new logo: PNG or JPEG, checked by its content in the service."""

    logo = forms.FileField(
        label="Upload a logo",
        help_text=f"A PNG or JPEG image, {LOGO_MAX_BYTES // 1000:,} KB or smaller. It is "
        "printed on letters.",
        error_messages={"required": "Choose a PNG or JPEG file to upload."},
    )


@limit_text_fields
class ClosureDayForm(forms.Form):
    day = forms.DateField(
        label="Date the organisation is closed",
        widget=DATE,
        error_messages={
            "required": "Enter the date the organisation is closed.",
            "invalid": "Enter the date as a real date, like 2026-12-29.",
        },
    )
    reason = forms.CharField(label="Why", required=False, max_length=200)


class PolicyReviewForm(forms.Form):
    """Record that the policy was reviewed (Pivotal §24.1); the service checks the date."""

    reviewed_on = forms.DateField(
        label="Date of the review",
        widget=DATE,
        error_messages={
            "required": "Enter the date the policy was reviewed.",
            "invalid": "Enter the date as a real date, like 2026-10-14.",
        },
    )
    note = forms.CharField(
        label="What the review found or decided",
        help_text="For example: reviewed by the Senior Leadership Team, no change needed.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": "Say what the review found or decided, even if nothing changed.",
            "max_length": "Keep it to 2,000 characters; put a longer report in the board papers.",
        },
    )


_CQC = {"yes": True, "no": False, "unknown": None}


@limit_text_fields
class ServiceAreaForm(forms.Form):
    """A service area's name, what it provides and whether the CQC registers it."""

    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the service area's name."}
    )
    kind = forms.ChoiceField(
        label="What does it provide?",
        choices=ServiceArea.Kind.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="This chooses the ombudsman or regulator a complainant is told about.",
    )
    cqc_registered = forms.ChoiceField(
        label="Is it registered with the Care Quality Commission?",
        choices=[("unknown", "Not recorded"), ("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        initial="unknown",
    )

    @staticmethod
    def initial_for(area: ServiceArea) -> dict[str, str]:
        """The form's answers for an existing service area."""
        cqc = {True: "yes", False: "no", None: "unknown"}[area.cqc_registered]
        return {"name": area.name, "kind": area.kind, "cqc_registered": cqc}

    def changes(self) -> dict[str, object]:
        """The cleaned answers, as service_area_save takes them."""
        return {
            "name": self.cleaned_data["name"].strip(),
            "kind": self.cleaned_data["kind"],
            "cqc_registered": _CQC[self.cleaned_data["cqc_registered"]],
        }


def _capability_choices() -> list[tuple[str, str]]:
    return list(User.CapabilityChoice.choices)


@limit_text_fields
class ColleagueForm(forms.Form):
    """A colleague's names, job title, capabilities, line manager and service area."""

    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={"required": "Enter the colleague's first name."},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={"required": "Enter the colleague's last name."},
    )
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    capabilities = forms.MultipleChoiceField(
        label="What may they do?",
        choices=_capability_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The lead officer may do everything. Administer gives these pages, not casework.",
    )
    line_manager = RowChoiceField(
        label="Line manager",
        queryset=User.objects.none(),
        required=False,
        empty_label="None",
        help_text="Compliments about this colleague are passed to their line manager.",
    )
    service_area = RowChoiceField(
        label="Service area",
        queryset=ServiceArea.objects.none(),
        required=False,
        empty_label="None",
    )

    def __init__(
        self,
        *args: object,
        colleagues: object,
        service_areas: object,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line_manager"].queryset = colleagues
        self.fields["service_area"].queryset = service_areas

    def changes(self) -> dict[str, object]:
        """The cleaned answers, as colleague services take them."""
        return {
            "first_name": self.cleaned_data["first_name"],
            "last_name": self.cleaned_data["last_name"],
            "job_title": self.cleaned_data["job_title"],
            "capabilities": sorted(self.cleaned_data["capabilities"]),
            "line_manager": self.cleaned_data["line_manager"],
            "service_area": self.cleaned_data["service_area"],
        }


@limit_text_fields
class InviteForm(ColleagueForm):
    email = forms.EmailField(
        label="E-mail address",
        max_length=150,  # it becomes the username, a column of 150 characters
        help_text="They sign in with it, and we send it a link to choose their password.",
        error_messages={
            "required": "Enter the colleague's e-mail address.",
            "invalid": "Enter an e-mail address like name@example.org.",
        },
    )
    field_order = ["email", "first_name", "last_name", "job_title"]


class PackUploadForm(forms.Form):
    pack = forms.FileField(
        label="Upload a policy pack",
        help_text="A TOML file, like the packs `fairhear policy check` reads. Nothing changes "
        "until you publish it and make it active.",
        error_messages={"required": "Choose a policy pack file (.toml) to upload."},
    )

    def clean_pack(self) -> str:
        """The file's text; a plain message if it is too large or not UTF-8 text."""
        upload = self.cleaned_data["pack"]
        if upload.size > MAX_PACK_BYTES:
            raise forms.ValidationError(
                f"The pack must be {MAX_PACK_BYTES:,} bytes or smaller; this file is "
                f"{upload.size:,}. Is it a policy pack?"
            )
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text. Save the pack as UTF-8 and upload it again."
            ) from None


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have read the changes and what they mean for open cases",
        error_messages={
            "required": "Tick the box to confirm you have read the changes, or go back."
        },
    )
