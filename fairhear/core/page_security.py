"""Middleware for every page: no caching of personal data, browser features switched off, and
sessions that end when left idle (security.md "Sessions and headers")."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

_STARTED = "fairhear_session_started"
_SEEN = "fairhear_session_seen"
# How often the last-seen time is written back, so that not every request saves the session.
_SEEN_RESOLUTION = 60


class PrivatePagesMiddleware:
    """Every page may show personal data: tell browsers and proxies not to store it
    (Cache-Control: no-store), and switch off browser features Fairhear never uses
    (Permissions-Policy). Static files are served before this, by WhiteNoise, and cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SessionTimeoutMiddleware:
    """Sign a colleague out after settings.FAIRHEAR_SESSION_IDLE without a request, and after
    settings.SESSION_COOKIE_AGE however busy, saying why on the sign-in page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = time.time()
        session = request.session
        started, seen = session.get(_STARTED), session.get(_SEEN)
        if started is None or seen is None:
            session[_STARTED] = session[_SEEN] = now
            return
        idle = settings.FAIRHEAR_SESSION_IDLE.total_seconds()
        if now - seen > idle:
            why = f"after {idle / 60:.0f} minutes without activity"
        elif now - started > settings.SESSION_COOKIE_AGE:
            why = f"after {settings.SESSION_COOKIE_AGE / 3600:.0f} hours"
        else:
            if now - seen > _SEEN_RESOLUTION:
                session[_SEEN] = now
            return
        logout(request)
        messages.info(request, f"You were signed out {why}, to keep cases safe. Sign in again.")
