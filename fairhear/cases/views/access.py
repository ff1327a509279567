"""Pages about access: the cases a colleague logged, and the lead's log of views of restricted
cases (docs/security.md)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from fairhear.cases.selectors import access_log_for, cases_logged_by
from fairhear.domain.lifecycle import Action

ACCESS_LOG_ROWS = 200


def cases_logged(request: HttpRequest) -> HttpResponse:
    """Every case this colleague logged, with where it is now; a link only where they may
    still open it (domain/access.py: the logger sees no content once it is allocated)."""
    return render(
        request, "cases/pages/cases_logged.html", {"rows": cases_logged_by(user=request.user)}
    )


def page_label(path: str) -> str:
    """The page an access log entry names, in words ("The case page", an action's form, a
    file downloaded: its address, then its name)."""
    address, _, name = path.partition(" ")
    try:
        match = resolve(address.split("?", 1)[0])
    except Resolver404:
        return path
    if match.view_name == "cases:attachment":
        return f"The file “{name}” (downloaded)"
    if match.view_name == "cases:detail":
        return "The case page"
    if match.view_name == "cases:action":
        try:
            return f"The form “{Action(match.kwargs['action']).label}”"
        except ValueError:
            return path
    return path


def access_log(request: HttpRequest) -> HttpResponse:
    """For the lead officer: the latest views of restricted cases, who, when and which page."""
    entries = access_log_for(user=request.user, reference=request.GET.get("reference", ""))
    if entries is None:
        raise Http404("Only the lead officer can read the access log.")
    return render(
        request,
        "cases/pages/access_log.html",
        {
            "entries": [(e, page_label(e.page)) for e in entries[:ACCESS_LOG_ROWS]],
            "limit": ACCESS_LOG_ROWS,
            "reference": request.GET.get("reference", "")[:50],
        },
    )
