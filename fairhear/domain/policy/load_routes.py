"""Reading a pack's `[[routes_out]]`: matters dealt with outside the complaints procedure (anti-
social behaviour, complaints about a colleague, staff grievances), where each goes, and whether
the complaint is then closed or not accepted (docs/policy-packs.md, routes out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fairhear.domain.policy.schema import RouteOut

if TYPE_CHECKING:  # pragma: no cover
    from fairhear.domain.policy.load import _Reader

_ROUTE_KEYS = {"code", "label", "to", "cites", "closes_with", "refuses_with", "prompted_by"}
PROMPTS = ("anti_social_behaviour",)  # case flags that can prompt a route out


def read_routes_out(
    r: _Reader, data: dict, *, refusal_codes: set[str], closure_codes: set[str]
) -> tuple[RouteOut, ...]:
    """Every `[[routes_out]]` entry; a pack without them routes nothing out, as before."""
    out = []
    seen: set[str] = set()
    for i, spec in enumerate(r.array_of_tables(data, "routes_out", "", required=False)):
        path = f"routes_out[{i}]"
        r.unknown_keys(spec, _ROUTE_KEYS, path)
        code = r.text(spec, "code", path)
        if code in seen:
            r.problem(
                f"{path}.code", f"{code!r} is used twice in routes_out; codes must be unique."
            )
        seen.add(code)
        closes = r.text(spec, "closes_with", path, required=False) or None
        refuses = r.text(spec, "refuses_with", path, required=False) or None
        if (closes is None) == (refuses is None):
            r.problem(
                path,
                "give exactly one of closes_with (a closure reason: the complaint is closed "
                "under this procedure) or refuses_with (a refusal reason: it is not accepted).",
            )
        if closes is not None and closes not in closure_codes:
            r.problem(f"{path}.closes_with", f"{closes!r} is not a closure reason.")
        if refuses is not None and refuses not in refusal_codes:
            r.problem(f"{path}.refuses_with", f"{refuses!r} is not a refusal reason.")
        prompted = r.names(spec, "prompted_by", path)
        for name in prompted:
            if name not in PROMPTS:
                r.problem(
                    f"{path}.prompted_by",
                    f"names {name!r}; use one of {', '.join(repr(p) for p in PROMPTS)}.",
                )
        out.append(
            RouteOut(
                code=code,
                label=r.text(spec, "label", path),
                to=r.text(spec, "to", path),
                cites=r.text(spec, "cites", path),
                closes_with=closes,
                refuses_with=refuses,
                prompted_by=prompted,
            )
        )
    return tuple(out)
