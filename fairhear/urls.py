"""Fairhear's URLs."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from fairhear.accounts.forms import SignInForm

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
    path("cases/", include("fairhear.cases.urls")),
]
