"""The forms of two-factor sign-in."""

from django import forms

from fairhear.core.fields import limit_text_fields


@limit_text_fields
class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6-digit code your authenticator app shows for Fairhear, or one of your "
        "recovery codes.",
        error_messages={"required": "Enter the code from your authenticator app."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input--width-10",
            }
        ),
    )


@limit_text_fields
class SetUpForm(forms.Form):
    code = forms.CharField(
        label="Enter the 6-digit code the app shows",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code the authenticator app shows."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )
