"""Full addresses of Fairhear's own pages, for what is read away from the site (e-mails,
letters, notifications): the site's address, `FAIRHEAR_SITE_URL`, and the page's path. It
imports only Django, so that every floor may use it (LAYOUT.md)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """`/cases/C-2026-7KX-M2Q/` as https://complaints.example.org/cases/C-2026-7KX-M2Q/."""
    return settings.FAIRHEAR_SITE_URL.rstrip("/") + path


def case_url(reference: str) -> str:
    """The full address of a case's page (seen only by those who may see the case)."""
    return absolute_url(reverse("cases:detail", args=[reference]))
