"""The colleague's own notifications and how they are e-mailed."""

from django.urls import path

from fairhear.notifications import views

app_name = "inbox"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notifications_read, name="read_all"),
    path("preferences/", views.notification_preferences, name="preferences"),
    path("<int:pk>/", views.notification_open, name="open"),
]
