"""Turning an integrity alarm raised anywhere below a view into a plain page, never a 500."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fairhear.policies.selectors import PolicyVersionTampered


class IntegrityAlarmMiddleware:
    """A page (or a service it calls) that met a policy version failing its sha256 check
    stops there and says so in plain words (docs/adr/ADR-005)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PolicyVersionTampered):
            return render(request, "integrity_alarm.html", {"message": str(exception)}, status=409)
        return None
