"""A letter laid out as a page and printed to PDF with WeasyPrint: the organisation's header
(name, address, contact, logo and brand colour), the reference and page numbers on every page,
readable system fonts and a tagged PDF (PDF/UA-1) for screen readers."""

from __future__ import annotations

import base64
import mimetypes
import re

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from fairhear.accounts.models import Organisation
from fairhear.domain.letters import LetterText

DEFAULT_BRAND_COLOUR = "#0b4f6c"
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# A logo larger than this is left out of the letter rather than slowing every PDF.
MAX_LOGO_BYTES = 512 * 1024


def css_string(text: str) -> SafeString:
    """Text as a quoted CSS string, safe inside a <style> element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,-:;'()/·&" else f"\\{ord(ch):x} " for ch in text
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 - every other character is escaped above


def brand_colour(org: Organisation) -> str:
    """The organisation's brand colour when it is a plain #rrggbb value, else Fairhear's."""
    colour = str(getattr(org, "brand_colour", "") or "")
    return colour if _HEX_COLOUR.match(colour) else DEFAULT_BRAND_COLOUR


def organisation_lines(org: Organisation) -> list[str]:
    """The organisation's address and contact lines for the letter's header."""
    lines = [ln.strip() for ln in str(getattr(org, "address", "") or "").splitlines()]
    for label, attr in (("Telephone", "phone"), ("E-mail", "email"), ("Web", "website")):
        value = str(getattr(org, attr, "") or "").strip()
        if value:
            lines.append(f"{label}: {value}")
    return [ln for ln in lines if ln]


def logo_data_uri(org: Organisation) -> str:
    """The organisation's logo inlined as a data: URI (nothing is fetched while printing)."""
    logo = getattr(org, "logo", None)
    if not logo:
        return ""
    try:
        with logo.open("rb") as handle:
            content = handle.read(MAX_LOGO_BYTES + 1)
    except (OSError, ValueError):
        return ""
    mime = mimetypes.guess_type(logo.name)[0] or ""
    if len(content) > MAX_LOGO_BYTES or not mime.startswith("image/"):
        return ""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def letter_html(
    *,
    org: Organisation,
    text: LetterText,
    reference: str,
    today: str,
    to_name: str,
    to_address: str,
) -> str:
    """The letter as an HTML page (also shown as the preview)."""
    return render_to_string(
        "letters/pdf/letter.html",
        {
            "organisation": org,
            "org_lines": organisation_lines(org),
            "logo": logo_data_uri(org),
            "brand_colour": brand_colour(org),
            "subject": text.subject,
            "blocks": text.blocks,
            "reference": reference,
            "css_reference": css_string(f"Our reference: {reference}"),
            "css_organisation": css_string(org.name),
            "today": today,
            "to_name": to_name,
            "to_address": [ln.strip() for ln in to_address.splitlines() if ln.strip()],
        },
    )


def pdf_from_html(html: str) -> bytes:
    """Print an HTML page to a tagged PDF (PDF/UA-1); only data: URIs (the inlined logo) are
    read, so nothing outside the page is ever fetched."""
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")
