"""The public form at /feedback/, triage at /triage/, Track my case at /track/, the feedback
survey answered by its personal link at /survey/."""

from django.urls import path

from fairhear.intake.views import public, survey, track, triage

app_name = "intake"

urlpatterns = [
    path("feedback/", public.feedback_index, name="index"),
    path("feedback/<slug:slug>/", public.feedback_start, name="start"),
    path("feedback/<slug:slug>/next/", public.feedback_continue, name="step_or_check"),
    path("feedback/<slug:slug>/documents/", public.feedback_documents, name="documents"),
    path("feedback/<slug:slug>/check/", public.feedback_check, name="check"),
    path("feedback/<slug:slug>/done/", public.feedback_done, name="done"),
    path("feedback/<slug:slug>/<str:step>/", public.feedback_step, name="step"),
    path("triage/", triage.triage_list, name="triage"),
    path("track/", track.track_index, name="track_index"),
    path("track/<slug:slug>/", track.track_request, name="track"),
    path("track/<slug:slug>/case/<str:token>/", track.track_case, name="track_case"),
    path("survey/<str:token>/", survey.survey, name="survey"),
]
