"""Case URLs."""

from django.urls import path

from fairhear.cases.views import work

app_name = "cases"

urlpatterns = [
    path("", work.my_work, name="my_work"),
]
