"""The sign-in form, with plain-words errors."""

from django.contrib.auth.forms import AuthenticationForm

from fairhear.core.fields import limit_text_fields


@limit_text_fields
class SignInForm(AuthenticationForm):
    """Django's sign-in form with messages that say what to do."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The username or password is not right. Check them and try again; "
        "the password is case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }
