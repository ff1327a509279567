"""Full addresses of Fairhear's own pages, for what is read away from the site (e-mails,
letters, notifications): the site's address, `FAIRHEAR_SITE_URL`, and the page's path. It
imports only Django, so that every floor may use it (LAYOUT.md)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def absolute_url(path: str) -> str:
    """`/cases/C-2026-7KX-M2Q/` as https://complaints.example.org/cases/C-2026-7KX-M2Q/."""
    return settings.FAIRHEAR_SITE_URL.rstrip("/") + path


def case_url(reference: str) -> str:
    """The full address of a case's page (seen only by those who may see the case)."""
    return absolute_url(reverse("cases:detail", args=[reference]))


def urls_key() -> tuple[object, str]:
    """What reverse() answers from: this URLconf, under this prefix. Part of the key of markup
    made once per process with addresses in it (core.navigation, the queue navigation)."""
    return (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


_LAST = "LAST-ARGUMENT"


def path_maker(viewname: str, *fixed: str) -> Callable[[str], str]:
    """`reverse(viewname, args=[*fixed, last])` for any `last`, from one reverse() however many
    times it is called: a page's rows, actions or answers each link to the same view with one
    argument that differs (a reference, an action, a step), and a reverse() took 25 to 40 µs,
    for up to thirty links a page. The view's last argument must be a plain `<str:...>` (a
    reference, an action's or a step's name; not an `<int:...>`), and `last` is quoted as
    reverse() would quote it (tests/test_links.py)."""
    before, after = reverse(viewname, args=[*fixed, _LAST]).rsplit(_LAST, 1)
    return lambda last: f"{before}{quote(last, safe='')}{after}"
