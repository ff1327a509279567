"""Reading a pack's `[anonymous]` (which anonymous complaints are investigated) and its
`[[routes_out]]`: matters dealt with outside the complaints procedure (anti-social behaviour,
complaints about a colleague, staff grievances), where each goes, and whether the complaint is
then closed or not accepted (docs/policy-packs.md, routes out and anonymous complaints)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fairhear.domain.policy.schema import Anonymous, RouteOut

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


_ANONYMOUS_KEYS = {
    "investigate_all",
    "investigated_categories",
    "investigated_when",
    "not_investigated_closes_with",
    "cites",
}


def read_anonymous(
    r: _Reader, data: dict, *, category_codes: set[str], closure_codes: set[str]
) -> Anonymous | None:
    """The `[anonymous]` table: which anonymous complaints are investigated (Pivotal §18.2;
    MMBM §7.7) and the closure reason for a decision not to investigate (Pivotal §18.3)."""
    table = r.table(data, "anonymous", "", required=False)
    if table is None:
        return None
    r.unknown_keys(table, _ANONYMOUS_KEYS, "anonymous")
    categories = r.names(table, "investigated_categories", "anonymous")
    for category in categories:
        if category not in category_codes:
            r.problem(
                "anonymous.investigated_categories",
                f"names the category {category!r}, which is not listed under [[categories]].",
            )
    closes = r.text(table, "not_investigated_closes_with", "anonymous", required=False) or None
    if closes is not None and closes not in closure_codes:
        r.problem("anonymous.not_investigated_closes_with", f"{closes!r} is not a closure reason.")
    investigate_all = r.boolean(table, "investigate_all", "anonymous")
    if not investigate_all and closes is None:
        r.problem(
            "anonymous",
            "say what happens to the anonymous complaints that are not investigated: "
            "set not_investigated_closes_with to a closure reason, or investigate_all = true.",
        )
    return Anonymous(
        cites=r.text(table, "cites", "anonymous"),
        investigate_all=investigate_all,
        investigated_categories=categories,
        investigated_when=r.text(table, "investigated_when", "anonymous", required=False),
        not_investigated_closes_with=closes,
    )
