"""The "my work" list."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def my_work(request: HttpRequest) -> HttpResponse:
    """Cases the colleague should act on, ordered by the next due date."""
    return render(request, "cases/pages/my_work.html", {})
