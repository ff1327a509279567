"""Letter URLs: a case's letters (by the case's reference) and the organisation's wording."""

from django.urls import path

from fairhear.letters.views import case, wording

app_name = "letters"

urlpatterns = [
    path("wording/", wording.wording_list, name="wording_list"),
    path("wording/<str:kind>/", wording.wording_edit, name="wording_edit"),
    path("wording/<str:kind>/reset/", wording.wording_reset, name="wording_reset"),
    path("case/<str:reference>/", case.case_letters, name="case"),
    path("case/<str:reference>/response/", case.response_builder, name="response"),
    path("case/<str:reference>/response/send/", case.response_send, name="response_send"),
    path("case/<str:reference>/kept/<int:sequence>.pdf", case.letter_download, name="download"),
    path("case/<str:reference>/write/<str:kind>/", case.letter_write, name="write"),
    path(
        "case/<str:reference>/write/<str:kind>/<int:sequence>/", case.letter_write, name="write_for"
    ),
    path("case/<str:reference>/preview/<str:kind>.pdf", case.letter_preview_pdf, name="preview"),
    path(
        "case/<str:reference>/preview/<str:kind>/<int:sequence>.pdf",
        case.letter_preview_pdf,
        name="preview_for",
    ),
]
