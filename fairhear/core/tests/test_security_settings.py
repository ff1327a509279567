"""Headers every page sends, the production settings' deployment check, and Fairhear's own
error pages (security.md "Sessions and headers", operations.md "Production")."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from fairhear.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def production_settings() -> dict[str, str]:
    """The environment block of docs/operations.md "Production", with a real-looking key."""
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    block = re.search(r"## Production.*?```\n(.*?)```", text, re.DOTALL).group(1)
    values = dict(line.split("=", 1) for line in block.strip().splitlines())
    assert values["FAIRHEAR_SECRET_KEY"] == "<50 or more random characters>"
    values["FAIRHEAR_SECRET_KEY"] = "k3y-" + "Zq8vX2rT7mN4pL9wB6cJ1hF5dS0gA3e" * 2
    return values


def test_check_deploy_is_clean_with_the_production_settings_in_the_operations_guide(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FAIRHEAR_", "DJANGO_SETTINGS_MODULE"))
    }
    env |= production_settings()
    env["DJANGO_SETTINGS_MODULE"] = "fairhear.settings.base"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def signed_in_client() -> Client:
    client = Client()
    client.force_login(UserFactory())
    return client


def test_pages_are_not_stored_by_browsers_or_proxies():
    for response in (
        signed_in_client().get(reverse("cases:my_work")),
        Client().get(reverse("login")),
    ):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_pages_send_a_content_security_policy_allowing_only_fairhears_own_files():
    response = signed_in_client().get(reverse("cases:my_work"))
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_pages_carry_no_inline_script_or_style_that_the_policy_would_block():
    page = signed_in_client().get(reverse("cases:log")).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page
    assert " style=" not in page
    assert re.search(r"\son[a-z]+=", page) is None
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in page


def test_pages_switch_off_browser_features_fairhear_does_not_use():
    response = Client().get(reverse("login"))
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_the_csrf_cookie_is_http_only():
    response = Client().get(reverse("login"))
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_a_page_that_does_not_exist_is_fairhears_own_not_found_page():
    response = signed_in_client().get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Page not found – Fairhear</title>" in page
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in page
    # Debug's 404 lists every URL pattern ("Using the URLconf defined in fairhear.urls").
    assert "URLconf" not in page
    assert "password-reset/" not in page


def test_the_server_error_page_is_fairhears_own_and_shows_no_detail():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "<title>Sorry, there is a problem with Fairhear – Fairhear</title>" in page
    assert "Traceback" not in page
