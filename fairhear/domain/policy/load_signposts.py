"""Reading a pack's `[[signposts]]`: the body, the words that give the right to go to it, which
cases it applies to and when it is given (docs/policy-packs.md, signposts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fairhear.domain.policy.schema import AppliesWhen, ServiceKind, Signpost, SignpostMoment

if TYPE_CHECKING:  # pragma: no cover
    from fairhear.domain.policy.load import _Reader

_SIGNPOST_KEYS = {"code", "name", "when", "contact", "cites", "right", "applies_when", "given_with"}
_APPLIES_KEYS = {"service_kinds", "categories", "cqc_registered"}


def read_signposts(r: _Reader, data: dict, category_codes: set[str]) -> tuple[Signpost, ...]:
    """Every `[[signposts]]` entry; the newer fields are optional, with defaults that keep an
    older pack's meaning (every signpost, every case, every moment)."""
    out = []
    seen: set[str] = set()
    for i, spec in enumerate(r.array_of_tables(data, "signposts", "", required=False)):
        path = f"signposts[{i}]"
        r.unknown_keys(spec, _SIGNPOST_KEYS, path)
        code = r.text(spec, "code", path)
        if code in seen:
            r.problem(f"{path}.code", f"{code!r} is used twice in signposts; codes must be unique.")
        seen.add(code)
        given = tuple(SignpostMoment)
        if "given_with" in spec:
            given = _moments(r, spec, path)
        out.append(
            Signpost(
                code=code,
                name=r.text(spec, "name", path),
                when=r.text(spec, "when", path),
                contact=r.text(spec, "contact", path),
                cites=r.text(spec, "cites", path, required=False),
                right=r.text(spec, "right", path, required=False),
                applies_when=_applies_when(r, spec, path, category_codes),
                given_with=given,
            )
        )
    return tuple(out)


def _moments(r: _Reader, spec: dict, path: str) -> tuple[SignpostMoment, ...]:
    names = r.names(spec, "given_with", path, required=True)
    moments = []
    for name in names:
        try:
            moments.append(SignpostMoment(name))
        except ValueError:
            r.problem(
                f"{path}.given_with",
                f"names {name!r}; use one or more of "
                + ", ".join(repr(m.value) for m in SignpostMoment)
                + ".",
            )
    if not names:
        r.problem(f"{path}.given_with", "is empty; list when the signpost is given.")
    return tuple(moments)


def _applies_when(r: _Reader, spec: dict, path: str, category_codes: set[str]) -> AppliesWhen:
    table = r.table(spec, "applies_when", path, required=False)
    if table is None:
        return AppliesWhen()
    path = f"{path}.applies_when"
    r.unknown_keys(table, _APPLIES_KEYS, path)
    kinds = []
    for name in r.names(table, "service_kinds", path):
        try:
            kinds.append(ServiceKind(name))
        except ValueError:
            r.problem(
                f"{path}.service_kinds",
                f"names {name!r}; use one or more of "
                + ", ".join(repr(k.value) for k in ServiceKind)
                + ".",
            )
    categories = r.names(table, "categories", path)
    for category in categories:
        if category not in category_codes:
            r.problem(
                f"{path}.categories",
                f"names the category {category!r}, which is not listed under [[categories]].",
            )
    cqc = table.get("cqc_registered")
    if cqc is not None and not isinstance(cqc, bool):
        r.problem(f"{path}.cqc_registered", "must be true or false.")
        cqc = None
    return AppliesWhen(service_kinds=tuple(kinds), categories=categories, cqc_registered=cqc)
