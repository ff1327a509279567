"""The administrative change log: every change, newest first."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fairhear.accounts.selectors import admin_change_list
from fairhear.administration.access import administrator_required
from fairhear.administration.presenters import change_values

PAGE_SIZE = 50


@administrator_required
def changes(request: HttpRequest) -> HttpResponse:
    """Who changed what and when, with the values before and after; 50 to a page."""
    paginator = Paginator(admin_change_list(organisation=request.user.organisation), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [{"change": c, "values": change_values(c.before, c.after)} for c in page.object_list]
    return render(request, "administration/pages/changes.html", {"page": page, "rows": rows})
