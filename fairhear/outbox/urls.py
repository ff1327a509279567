"""Outgoing e-mail, for the lead officer and administrators."""

from django.urls import path

from fairhear.outbox import views

app_name = "outbox"

urlpatterns = [
    path("", views.outbox_list, name="list"),
    path("<str:key>/retry/", views.outbox_retry, name="retry"),
]
