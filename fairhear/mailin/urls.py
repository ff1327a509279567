"""E-mail kept on no case, for the lead officer."""

from django.urls import path

from fairhear.mailin import views

app_name = "mailin"

urlpatterns = [
    path("", views.mailin_list, name="list"),
    path("<str:sha256>.eml", views.mailin_raw, name="raw"),
]
