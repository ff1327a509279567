"""The worker's status page."""

from django.urls import path

from fairhear.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.worker_status, name="status"),
]
