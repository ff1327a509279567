"""The published annual reports to customers, without signing in; the organisation is named in
the address as the public form names it (/feedback/<organisation>/)."""

from django.urls import path

from fairhear.reporting import customer_views

app_name = "annual"

urlpatterns = [
    path("<slug:slug>/", customer_views.annual_index, name="index"),
    path("<slug:slug>/<int:year>/", customer_views.annual_report, name="report"),
    path("<slug:slug>/<int:year>/pdf/", customer_views.annual_report_pdf, name="pdf"),
]
