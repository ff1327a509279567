"""The published policy: public, no sign-in."""

from django.urls import path

from fairhear.letters.views import published

app_name = "policy"

urlpatterns = [
    path("<slug:slug>/", published.policy_page, name="published"),
    path("<slug:slug>/easy-read/", published.policy_easy_read, name="easy_read"),
    path("<slug:slug>/policy.pdf", published.policy_pdf, name="pdf"),
]
