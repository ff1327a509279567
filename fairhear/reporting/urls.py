"""The lead officer's reports."""

from django.urls import path

from fairhear.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.report_page, name="reports"),
    path("cases/", views.figure_cases, name="cases"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/cases/", views.dashboard_cases, name="dashboard_cases"),
]
