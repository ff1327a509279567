"""The lead officer's reports."""

from django.urls import path

from fairhear.reporting import (
    board_views,
    cqc_views,
    customer_views,
    self_assessment_views,
    views,
)

app_name = "reporting"

urlpatterns = [
    path("", views.report_page, name="reports"),
    path("cases/", views.figure_cases, name="cases"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/cases/", views.dashboard_cases, name="dashboard_cases"),
    path("board/", board_views.board_reports, name="board"),
    path("board/<str:kind>/", board_views.board_report, name="board_report"),
    path("board/<str:kind>/pdf/", board_views.board_report_pdf, name="board_pdf"),
    path("cqc/", cqc_views.cqc_requests, name="cqc"),
    path("cqc/new/", cqc_views.cqc_request_new, name="cqc_new"),
    path("cqc/<int:pk>/", cqc_views.cqc_request_page, name="cqc_request"),
    path("cqc/<int:pk>/pdf/", cqc_views.cqc_request_pdf, name="cqc_pdf"),
    path("cqc/<int:pk>/sent/", cqc_views.cqc_request_sent, name="cqc_sent"),
    path("customers/", customer_views.customer_reports, name="customers"),
    path("customers/year/", customer_views.customer_report_prepare, name="customers_prepare"),
    path("customers/preview/", customer_views.customer_report_preview, name="customers_preview"),
    path("customers/publish/", customer_views.customer_report_publish, name="customers_publish"),
    path(
        "self-assessment/",
        self_assessment_views.self_assessment_page,
        name="self_assessment",
    ),
]
