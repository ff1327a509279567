"""Reading the optional step fields of stages and extensions: a response date agreed at
acknowledgement, the offer of written confirmation, and what a complainant who will not agree a
revised date is given. Each has a default that keeps an older pack's meaning."""

from __future__ import annotations

from typing import Any

from fairhear.domain.policy.schema import Capability, SignOff

STAGE_STEP_KEYS = {
    "agreed_response_date",
    "offer_written_confirmation",
    "response_sign_off",
    "external_investigator",
}
CATEGORY_STEP_KEYS = {"consult_on_allocation", "restricts_access"}
EXTENSION_STEP_KEYS = {"not_agreed_signposts", "not_agreed_cites", "sign_off"}


def stage_steps(r: Any, spec: dict, path: str) -> dict:
    """The stage's optional step fields as Stage keyword arguments."""
    return {
        "agreed_response_date": r.boolean(spec, "agreed_response_date", path),
        "offer_written_confirmation": r.boolean(spec, "offer_written_confirmation", path),
        "response_sign_off": _sign_off(r, spec, "response_sign_off", path),
        "external_investigator": r.boolean(spec, "external_investigator", path),
    }


def category_steps(r: Any, spec: dict, path: str) -> dict:
    """The category's optional step fields as Reason keyword arguments."""
    return {
        "consult_on_allocation": r.boolean(spec, "consult_on_allocation", path),
        "restricts_access": r.boolean(spec, "restricts_access", path),
    }


def extension_steps(r: Any, spec: dict, path: str) -> dict:
    """The extension's optional step fields as Extension keyword arguments."""
    return {
        "not_agreed_signposts": r.names(spec, "not_agreed_signposts", path),
        "not_agreed_cites": r.text(spec, "not_agreed_cites", path, required=False),
        "sign_off": _sign_off(r, spec, "sign_off", path),
    }


def _sign_off(r: Any, spec: dict, key: str, path: str) -> SignOff | None:
    """`{ by = "allocate", cites = "..." }`: the capability whose holder must agree the step."""
    table = r.table(spec, key, path, required=False)
    if table is None:
        return None
    where = f"{path}.{key}"
    r.unknown_keys(table, {"by", "cites"}, where)
    by = r.choice(table, "by", where, Capability)
    cites = r.text(table, "cites", where)
    return SignOff(by=by, cites=cites) if by is not None else None


def check_step_references(r: Any, pack: Any) -> None:
    """Every signpost a step names is one of the pack's signposts; every signer has a title."""
    codes = {s.code for s in pack.signposts}
    for i, stage in enumerate(pack.stages):
        _need_title(r, pack, stage.response_sign_off, f"stages[{i}].response_sign_off.by")
    for name, clock in pack.clocks.items():
        if clock.extension is not None:
            _need_title(r, pack, clock.extension.sign_off, f"clocks.{name}.extension.sign_off.by")
    for name, clock in pack.clocks.items():
        if clock.extension is None:
            continue
        for code in clock.extension.not_agreed_signposts:
            if code not in codes:
                r.problem(
                    f"clocks.{name}.extension.not_agreed_signposts",
                    f"names the signpost {code!r}, which is not listed under [[signposts]].",
                )


def _need_title(r: Any, pack: Any, sign_off: SignOff | None, path: str) -> None:
    if sign_off is not None and sign_off.by not in pack.roles:
        r.problem(
            path,
            f"names {sign_off.by.value!r}, which has no title under [roles]; add one so the "
            "case page can say who signs.",
        )
