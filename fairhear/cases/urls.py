"""Case URLs. Cases are addressed by their reference, never their database id."""

from django.urls import path

from fairhear.cases.views import access, attachments, case, queues, search, work

app_name = "cases"

urlpatterns = [
    path("", work.my_work, name="my_work"),
    path("log/", case.case_log, name="log"),
    path("log-check/", work.log_check, name="log_check"),
    path("logged/", access.cases_logged, name="logged"),
    path("access-log/", access.access_log, name="access_log"),
    path("queues/<slug:slug>/", queues.queue_list, name="queue"),
    path("search/", search.case_search_page, name="search"),
    path("<str:reference>/", case.case_detail, name="detail"),
    path("<str:reference>/<str:action>/", case.case_action, name="action"),
    path(
        "<str:reference>/attachments/<int:attachment_id>/",
        attachments.case_attachment_download,
        name="attachment",
    ),
]
