"""The service navigation at the top of every signed-in page: which links a colleague has, which
one is the current page, and its markup (GOV.UK Frontend's service navigation).

Its HTML depends only on the page and on what the colleague may reach, never on a case or a
person, so it is made once per process for each combination: written in the template it
reversed twelve addresses and made some sixty comparisons on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from fairhear.links import urls_key


@dataclass(frozen=True, slots=True)
class NavLink:
    label: str
    url_name: str
    shown_to: str = ""  # "" for everyone signed in, or one of the reaches below
    app: str = ""  # current on every page of this app (aria-current="true"), not one view
    end: bool = False  # pushed to the end of the bar
    emphasised: bool = True  # the label in bold when it is the current page, without CSS


LINKS = (
    NavLink("My work", "cases:my_work"),
    NavLink("Log a case", "cases:log"),
    NavLink("Search", "cases:search"),
    NavLink("Cases I logged", "cases:logged"),
    NavLink("Access log", "cases:access_log", shown_to="lead"),
    NavLink("Reports", "reporting:reports", shown_to="lead"),
    NavLink("Learning", "learning:register", shown_to="lead", app="learning"),
    NavLink("Administration", "administration:index", shown_to="administer", app="administration"),
    NavLink("Outgoing e-mail", "outbox:list", shown_to="outgoing_mail"),
    NavLink("E-mail on no case", "mailin:list", shown_to="mail_in"),
    NavLink("Your account", "account", end=True, emphasised=False),
)
REACHES = frozenset({"lead", "administer", "outgoing_mail", "mail_in"})


def service_navigation(*, view_name: str, app_name: str, reaches: frozenset[str]) -> SafeString:
    """The navigation's list items for this page and a colleague with these reaches."""
    urls = urls_key()
    return _items(urls, view_name, app_name, reaches & REACHES)


@lru_cache(maxsize=512)
def _items(
    urls: tuple[object, str], view_name: str, app_name: str, reaches: frozenset[str]
) -> SafeString:
    del urls  # part of the key: reverse() answers from this URLconf, under this prefix
    rows = []
    for link in LINKS:
        if link.shown_to and link.shown_to not in reaches:
            continue
        current = ""
        if link.app:
            current = "true" if app_name == link.app else ""
        elif view_name == link.url_name:
            current = "page"
        classes = "govuk-service-navigation__item"
        if link.end:
            classes += " fh-service-navigation__item--end"
        if current:
            classes += " govuk-service-navigation__item--active"
        if current == "page" and link.emphasised:
            label = format_html(
                '<strong class="govuk-service-navigation__active-fallback">{}</strong>', link.label
            )
        else:
            label = format_html("{}", link.label)
        aria = format_html(' aria-current="{}"', current) if current else ""
        rows.append((classes, reverse(link.url_name), aria, label))
    return format_html_join(
        "\n",
        '<li class="{}"><a class="govuk-service-navigation__link" href="{}"{}>{}</a></li>',
        rows,
    )
