"""The learning register's URLs (the lead officer's)."""

from django.urls import path

from fairhear.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.register, name="register"),
    path("lessons/new/", views.lesson_new, name="lesson_new"),
    path("lessons/<int:pk>/", views.lesson, name="lesson"),
    path("lessons/<int:pk>/actions/<int:action_pk>/done/", views.action_done, name="action_done"),
    path("debriefs/", views.debriefs, name="debriefs"),
    path("debriefs/<str:reference>/", views.debrief, name="debrief"),
    path("ombudsman/new/", views.finding_new, name="finding_new"),
    path("ombudsman/<int:pk>/", views.finding, name="finding"),
    path("ombudsman/<int:pk>/orders/<int:order_pk>/done/", views.order_done, name="order_done"),
]
