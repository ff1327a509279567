"""Fairhear's URLs."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from fairhear.accounts.forms import SignInForm

_RESET_HOURS = {"timeout_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:my_work", permanent=False)),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/pages/login.html", authentication_form=SignInForm
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset: Django's own views. The "sent" page reads the same whether or not the
    # address belongs to an account, so it never reveals who has one (security.md).
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/pages/password_reset_form.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
            extra_email_context=_RESET_HOURS,
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/pages/password_reset_done.html", extra_context=_RESET_HOURS
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/pages/password_reset_confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/pages/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("", include("fairhear.accounts.urls")),
    path("cases/", include("fairhear.cases.urls")),
    path("administration/", include("fairhear.administration.urls")),
    path("outbox/", include("fairhear.outbox.urls")),
    path("worker/", include("fairhear.notifications.urls")),
    path("notifications/", include("fairhear.notifications.inbox_urls")),
    path("reports/", include("fairhear.reporting.urls")),
    path("learning/", include("fairhear.learning.urls")),
    path("mail-in/", include("fairhear.mailin.urls")),
    path("letters/", include("fairhear.letters.urls")),
    path("policy/", include("fairhear.letters.policy_urls")),
    path("annual-report/", include("fairhear.reporting.public_urls")),
    path("", include("fairhear.intake.urls")),
]
