"""An organisation's brand colour and logo, checked before they are saved.

The brand colour is the background of letter headings, with white text on it, so it must
give white text the contrast WCAG 2.2 asks for normal text (1.4.3, at least 4.5:1). The logo
is checked by what its bytes are, never by its name: only PNG and JPEG are taken (an SVG can
carry script).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_CONTRAST = 4.5  # WCAG 2.2 success criterion 1.4.3, normal text
LOGO_MAX_BYTES = 1_000_000
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
_WHITE = (255, 255, 255)


class BrandingProblem(ValueError):
    """A colour or logo that cannot be used, with the reason and how to put it right."""


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2.2's relative luminance of an sRGB colour (0 black to 1 white)."""
    r, g, b = (_channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2.2's contrast ratio between two colours, from 1 (none) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def parse_hex_colour(text: str) -> tuple[int, int, int]:
    """The colour written as #rrggbb or #rgb; BrandingProblem saying how to write it if not."""
    match = _HEX.fullmatch(text.strip())
    if not match:
        raise BrandingProblem(
            "Enter the brand colour as a hex code: a # and six digits or letters a to f, "
            "like #106165."
        )
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def check_brand_colour(text: str) -> str:
    """The colour as lower-case #rrggbb, if white text on it is readable (WCAG 1.4.3);
    BrandingProblem giving the contrast and what to choose otherwise."""
    rgb = parse_hex_colour(text)
    ratio = contrast_ratio(rgb, _WHITE)
    normalised = "#{:02x}{:02x}{:02x}".format(*rgb)
    if ratio < MIN_CONTRAST:
        raise BrandingProblem(
            f"White text on {normalised} has a contrast of {ratio:.2f} to 1, and text needs at "
            f"least {MIN_CONTRAST} to 1 to be readable (WCAG 2.2, 1.4.3). Choose a darker "
            "colour."
        )
    return normalised


@dataclass(frozen=True, slots=True)
class LogoKind:
    """What an uploaded logo is: its content type and the file extension it is stored with."""

    content_type: str
    extension: str


_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", LogoKind("image/png", "png")),
    (b"\xff\xd8\xff", LogoKind("image/jpeg", "jpg")),
)


def logo_kind(head: bytes, size: int) -> LogoKind:
    """The kind of image the first bytes of a file show, if it is a PNG or JPEG no larger than
    LOGO_MAX_BYTES; BrandingProblem saying what to upload instead otherwise."""
    if size > LOGO_MAX_BYTES:
        raise BrandingProblem(
            f"The logo must be {LOGO_MAX_BYTES // 1000:,} KB or smaller; this file is "
            f"{(size + 999) // 1000:,} KB. Save it smaller and upload it again."
        )
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    raise BrandingProblem(
        "The logo must be a PNG or JPEG image; this file is not one, whatever its name says. "
        "SVG files are not accepted because they can contain scripts."
    )
