"""Chromium through Playwright against pytest-django's live server (PostgreSQL only).

Fixtures: `browser` (one Chromium per session), `page` (a fresh en-GB context per test, every
page it visits checked with axe), `sign_in_as` (force-logs a colleague in by handing a real
session cookie to the browser, like NHS manage-breast-screening's system_test_setup).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from playwright.sync_api import Browser, Page, sync_playwright

from fairhear.accounts.models import User

CHROMIUM = Path("/usr/bin/chromium")
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip browser tests, with the reason, unless Chromium and PostgreSQL are both there.

    SQLite cannot host them: the live server's flush deletes case events, which the
    append-only triggers refuse (PostgreSQL's TRUNCATE does not fire them)."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        reason = "browser tests run on PostgreSQL only: set DATABASE_URL=postgres://…"
    elif not CHROMIUM.exists():
        reason = f"browser tests need Chromium at {CHROMIUM}"
    else:
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # The live server serves static files through the finders; without the built CSS and
    # JavaScript the pages still work, but GOV.UK Frontend behaviour (focus) would not be tested.
    if finders.find("dist/main.css") is None or finders.find("dist/js/app.js") is None:
        pytest.fail("The front-end assets are not built: run `make assets` (npm run build).")
    # Playwright's sync API runs an event loop in this thread, so Django would otherwise refuse
    # the test's own database queries as "async unsafe". Set only while browser tests run.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class AccessibilityChecker:
    """Runs axe on the page now shown, and remembers pages visited but not yet checked."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.axe = Axe()
        self.unchecked: list[str] = []
        self.checked: list[str] = []
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame: object) -> None:
        if frame == self.page.main_frame:
            self.unchecked.append(self.page.url)

    def check(self) -> None:
        """Fail on serious or critical axe violations, listing each with where it is."""
        self.page.wait_for_load_state("load")
        results = self.axe.run(self.page)
        self.checked.append(self.page.url)
        self.unchecked.clear()
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            pytest.fail(_report(self.page.url, blocking), pytrace=False)


def _report(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} serious or critical problem(s) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.extend(f"      {s}" for s in node["failureSummary"].splitlines())
    return "\n".join(lines)


@pytest.fixture
def page(browser: Browser, live_server: object) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture(autouse=True)
def a11y(page: Page) -> Iterator[AccessibilityChecker]:
    """Every browser test checks each page it visits; a page left unchecked fails the test."""
    checker = AccessibilityChecker(page)
    yield checker
    assert not checker.unchecked, f"pages visited without an axe check: {checker.unchecked}"


@pytest.fixture
def sign_in_as(page: Page, live_server: object) -> Callable[[User], None]:
    """Sign a colleague in without the form: a real session, its cookie given to Chromium."""

    def sign_in(user: User) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )

    return sign_in
