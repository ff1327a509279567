"""Retake the README's screenshots from a running demo (`make run` in another terminal).

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots]

It signs in with the demo password (var/demo-logins.txt) through the sign-in form, in Debian's
Chromium, and saves a PNG of My work, the overdue queue, a search, a case, the lead's dashboard
and notifications, My work on a phone and the public form's start page. The policy-version and
letter screens need a pack upload and a letter, and are taken by hand. Only loopback addresses
are accepted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def first_case(page: Page, base: str, queue: str) -> str:
    """The reference of the first case listed in a queue."""
    page.goto(f"{base}/cases/queues/{queue}/")
    link = page.locator("table tbody tr a").first
    return link.inner_text().strip()


def shoot(page: Page, out: Path, name: str, full: bool = True) -> None:
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    options = parser.parse_args()
    base = options.base.rstrip("/")
    if urlparse(base).hostname not in {"127.0.0.1", "localhost", "::1"}:
        print("Only a demo on this machine (127.0.0.1) can be photographed.", file=sys.stderr)
        return 2
    logins = ROOT / "var" / "demo-logins.txt"
    if not logins.exists():
        print("No var/demo-logins.txt: start the demo with `make run` first.", file=sys.stderr)
        return 2
    password = logins.read_text(encoding="utf-8").strip()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            locale="en-GB", timezone_id="Europe/London", viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()

        sign_in(page, base, "lead", password)
        page.goto(f"{base}/cases/")
        shoot(page, out, "my-work")
        page.goto(f"{base}/cases/queues/overdue/")
        shoot(page, out, "queue")
        page.goto(f"{base}/cases/search/?q=boiler")
        shoot(page, out, "search")
        reference = first_case(page, base, "overdue")
        page.goto(f"{base}/cases/{reference}/")
        shoot(page, out, "case-page")
        page.goto(f"{base}/reports/dashboard/")
        shoot(page, out, "dashboard", full=False)
        page.goto(f"{base}/notifications/")
        shoot(page, out, "notifications", full=False)

        sign_in(page, base, "investigator", password)
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(f"{base}/cases/")
        shoot(page, out, "my-work-phone", full=False)
        page.set_viewport_size({"width": 1280, "height": 900})

        context.clear_cookies()
        page.goto(f"{base}/feedback/")
        link = page.locator("main a[href^='/feedback/']").first
        if link.count():
            page.goto(base + link.get_attribute("href"))
        shoot(page, out, "public-start")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
