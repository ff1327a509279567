"""The colleague's choice of how to be e-mailed of what they are told."""

from django import forms

from fairhear.alerts.models import NotificationPreference

CHOOSE = (
    "Choose how you want to be e-mailed: each one as it happens, one e-mail each working day, "
    "or no e-mail"
)


class NotificationPreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label="How do you want to be e-mailed?",
        choices=NotificationPreference.Email.choices,
        widget=forms.RadioSelect,
        help_text=(
            "A new complaint and a case flagged safeguarding or health and safety are always "
            "e-mailed to you at once, whichever you choose. Everything is in your "
            "notifications in Fairhear too."
        ),
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
