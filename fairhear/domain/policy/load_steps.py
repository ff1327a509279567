"""Reading the optional step fields of stages and extensions: a response date agreed at
acknowledgement, the offer of written confirmation, and what a complainant who will not agree a
revised date is given. Each has a default that keeps an older pack's meaning."""

from __future__ import annotations

from typing import Any

STAGE_STEP_KEYS = {"agreed_response_date", "offer_written_confirmation"}
EXTENSION_STEP_KEYS = {"not_agreed_signposts", "not_agreed_cites"}


def stage_steps(r: Any, spec: dict, path: str) -> dict:
    """The stage's optional step fields as Stage keyword arguments."""
    return {
        "agreed_response_date": r.boolean(spec, "agreed_response_date", path),
        "offer_written_confirmation": r.boolean(spec, "offer_written_confirmation", path),
    }


def extension_steps(r: Any, spec: dict, path: str) -> dict:
    """The extension's optional step fields as Extension keyword arguments."""
    return {
        "not_agreed_signposts": r.names(spec, "not_agreed_signposts", path),
        "not_agreed_cites": r.text(spec, "not_agreed_cites", path, required=False),
    }


def check_step_references(r: Any, pack: Any) -> None:
    """Every signpost a step names is one of the pack's signposts."""
    codes = {s.code for s in pack.signposts}
    for name, clock in pack.clocks.items():
        if clock.extension is None:
            continue
        for code in clock.extension.not_agreed_signposts:
            if code not in codes:
                r.problem(
                    f"clocks.{name}.extension.not_agreed_signposts",
                    f"names the signpost {code!r}, which is not listed under [[signposts]].",
                )
