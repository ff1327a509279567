"""Read a policy pack from TOML, checking every field and naming each problem in plain words.

Every error names the file, the field (as a dotted path) and what is wrong, so that the person
editing the pack can find and fix it without reading code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fairhear.domain.calendar import Nation
from fairhear.domain.clock import EARLIEST_YEAR, LATEST_YEAR, Duration, Unit
from fairhear.domain.policy.limits import (
    MAX_DURATION,
    MAX_ENTRIES,
    MAX_PACK_BYTES,
    MAX_STAGES,
    MAX_TEXT,
    MAX_TIME_LIMIT_MONTHS,
)
from fairhear.domain.policy.load_conditions import (
    CLOSURE_CONDITION_KEYS,
    REFUSAL_CONDITION_KEYS,
    STAGE_REQUEST_KEYS,
    check_conditions,
    closure_conditions,
    refusal_conditions,
    stage_request,
)
from fairhear.domain.policy.load_responses import read_learning, read_responses, read_updates
from fairhear.domain.policy.load_routes import read_anonymous, read_routes_out
from fairhear.domain.policy.load_signposts import read_signposts
from fairhear.domain.policy.load_steps import (
    CATEGORY_STEP_KEYS,
    EXTENSION_STEP_KEYS,
    STAGE_STEP_KEYS,
    category_steps,
    check_step_references,
    extension_steps,
    stage_steps,
)
from fairhear.domain.policy.schema import (
    AutoClose,
    BeyondLimit,
    Capability,
    ClockRule,
    Extension,
    GoldenCase,
    LateRequest,
    LocalResolution,
    PolicyPack,
    Purpose,
    Reason,
    Stage,
    TimeLimit,
    milestone_names,
)
from fairhear.domain.reminders import MAX_REMIND_BEFORE

PACKS_DIR = Path(__file__).parent / "packs"


@dataclass(frozen=True, slots=True)
class PackProblem:
    """One thing wrong with a pack."""

    source: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.field}" if self.field else self.source
        return f"{where}: {self.message}"


class PackInvalid(ValueError):
    """A pack could not be used; `problems` lists every reason."""

    def __init__(self, problems: list[PackProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Reader:
    """Reads typed fields out of nested TOML tables, collecting problems instead of stopping."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[PackProblem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(PackProblem(self.source, path, message))

    def table(self, data: dict, key: str, path: str, *, required: bool = True) -> dict | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(
                    _join(path, key), "is missing; add a [" + _join(path, key) + "] table."
                )
            return None
        if not isinstance(value, dict):
            self.problem(_join(path, key), f"must be a table, not {_kind(value)}.")
            return None
        return value

    def array_of_tables(self, data: dict, key: str, path: str, *, required: bool = True) -> list:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(
                    _join(path, key), f"is missing; add at least one [[{_join(path, key)}]] entry."
                )
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(_join(path, key), f"must be a list of tables ([[{key}]]).")
            return []
        if len(value) > MAX_ENTRIES:
            self.problem(
                _join(path, key), f"has {len(value):,} entries; a pack may have {MAX_ENTRIES:,}."
            )
            return []
        return value

    def text(self, data: dict, key: str, path: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(_join(path, key), "is missing; give it some text.")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(_join(path, key), f"must be non-empty text, not {_kind(value)}.")
            return ""
        if len(value) > MAX_TEXT:
            self.problem(
                _join(path, key),
                f"is {len(value):,} characters long; shorten it to {MAX_TEXT:,} or fewer.",
            )
            return ""
        return value.strip()

    def boolean(self, data: dict, key: str, path: str, default: bool = False) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(_join(path, key), f"must be true or false, not {_kind(value)}.")
            return default
        return value

    def whole(
        self, data: dict, key: str, path: str, *, minimum: int = 1, maximum: int
    ) -> int | None:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(
                _join(path, key),
                f"must be a whole number from {minimum} to {maximum:,}; got {_kind(value)}.",
            )
            return None
        if not minimum <= value <= maximum:
            self.problem(_join(path, key), f"must be from {minimum} to {maximum:,}; got {value:,}.")
            return None
        return value

    def names(self, data: dict, key: str, path: str, *, required: bool = False) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(_join(path, key), "is missing; list at least one event name.")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(_join(path, key), "must be a name or a list of names in quotes.")
            return ()
        if len(value) > MAX_ENTRIES:
            self.problem(
                _join(path, key), f"has {len(value):,} names; a pack may list {MAX_ENTRIES:,}."
            )
            return ()
        return tuple(value)

    def choice(self, data: dict, key: str, path: str, enum: type, default: Any = None) -> Any:
        value = data.get(key, default)
        if value is None:
            self.problem(_join(path, key), f"is missing; use one of {_options(enum)}.")
            return None
        try:
            return enum(value)
        except ValueError:
            self.problem(_join(path, key), f"is {value!r}; use one of {_options(enum)}.")
            return None

    def duration(self, data: dict, path: str) -> Duration | None:
        given = [u for u in Unit if u.value in data]
        if len(given) != 1:
            self.problem(
                path,
                "needs exactly one of working_days, calendar_days or months"
                + (f"; it has {', '.join(u.value for u in given)}." if given else "."),
            )
            return None
        unit = given[0]
        amount = self.whole(data, unit.value, path, minimum=0, maximum=MAX_DURATION[unit])
        return None if amount is None else Duration(amount, unit)

    def unknown_keys(self, data: dict, allowed: set[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(
                    _join(path, key),
                    "is not a field Fairhear knows here; expected one of "
                    + ", ".join(sorted(allowed))
                    + ".",
                )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _options(enum: type) -> str:
    return ", ".join(repr(m.value) for m in enum)


_DURATION_KEYS = {u.value for u in Unit}
_CLOCK_KEYS = {
    "label",
    "starts_from",
    "met_by",
    "stopped_by",
    "starts_no_later_than",
    "purpose",
    "extension",
    "cites",
    "note",
    "remind_before",
} | _DURATION_KEYS
_STAGE_KEYS = (
    {
        "number",
        "name",
        "handler",
        "handler_title",
        "acknowledgement_clock",
        "response_clock",
        "request_clock",
        "late_request",
        "may_refuse_request",
        "request_criteria",
        "final",
        "closes_with",
        "request_refused_closes_with",
        "different_handler",
        "cites",
    }
    | STAGE_STEP_KEYS
    | STAGE_REQUEST_KEYS
)


def load_pack_file(path: str | Path) -> PolicyPack:
    """Load and validate a pack from a TOML file; raises PackInvalid listing every problem."""
    path = Path(path)
    shown = _shorten(str(path))
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_PACK_BYTES + 1)
    except FileNotFoundError:
        raise PackInvalid([PackProblem(shown, "", "no such file.")]) from None
    except OSError as exc:
        reason = exc.strerror or "it cannot be read"
        raise PackInvalid([PackProblem(shown, "", f"cannot be read ({reason}).")]) from None
    if len(raw) > MAX_PACK_BYTES:
        raise PackInvalid(
            [
                PackProblem(
                    _shorten(path.name),
                    "",
                    f"is larger than {MAX_PACK_BYTES:,} bytes; is it a pack?",
                )
            ]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PackInvalid([PackProblem(shown, "", "is not UTF-8 text.")]) from None
    return load_pack_text(text, source=_shorten(path.name))


def _shorten(text: str, limit: int = 120) -> str:
    """A file name short enough to read in a message."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def load_shipped_pack(name: str) -> PolicyPack:
    """Load one of the packs shipped with Fairhear by name (pivotal, mmbm, hos-code-2024)."""
    path = PACKS_DIR / f"{name}.toml"
    if not path.is_file():
        raise PackInvalid(
            [
                PackProblem(
                    name,
                    "",
                    f"is not a shipped pack; choose one of {', '.join(shipped_pack_names())} "
                    "or give the path of a .toml file.",
                )
            ]
        )
    return load_pack_file(path)


def shipped_pack_names() -> list[str]:
    """The names of the packs shipped with Fairhear."""
    return sorted(p.stem for p in PACKS_DIR.glob("*.toml"))


def load_pack_text(text: str, *, source: str = "pack.toml") -> PolicyPack:
    """Load and validate a pack from TOML text; raises PackInvalid listing every problem.

    A UTF-8 byte-order mark (which some Windows editors write) is ignored."""
    if len(text) > MAX_PACK_BYTES:
        raise PackInvalid(
            [PackProblem(source, "", f"is larger than {MAX_PACK_BYTES:,} characters.")]
        )
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise PackInvalid([PackProblem(source, "", f"is not valid TOML ({exc}).")]) from None
    except RecursionError:
        raise PackInvalid(
            [PackProblem(source, "", "nests lists or tables too deeply to be a pack.")]
        ) from None
    return build_pack(data, source=source)


def build_pack(data: dict, *, source: str) -> PolicyPack:
    """Validate parsed TOML and build a PolicyPack; raises PackInvalid listing every problem."""
    r = _Reader(source)
    r.unknown_keys(
        data,
        {
            "pack",
            "roles",
            "clocks",
            "stages",
            "time_limit",
            "categories",
            "refusal_reasons",
            "closure_reasons",
            "signposts",
            "local_resolution",
            "auto_close",
            "restrictions",
            "choices",
            "routes_out",
            "anonymous",
            "golden",
            "responses",
            "updates",
            "learning",
        },
        "",
    )
    meta = r.table(data, "pack", "") or {}
    r.unknown_keys(
        meta,
        {
            "name",
            "version",
            "title",
            "organisation",
            "source",
            "in_force_from",
            "review_every_months",
            "review_cites",
        },
        "pack",
    )
    roles = _roles(r, data)
    stages = _stages(r, data)
    stage_count = max((s.number for s in stages), default=1)
    clocks = _clocks(r, data, stage_count)
    time_limit = _time_limit(r, data)
    categories = _reasons(r, data, "categories")
    refusals = _reasons(r, data, "refusal_reasons")
    closures = _reasons(r, data, "closure_reasons")
    pack = PolicyPack(
        name=r.text(meta, "name", "pack"),
        version=r.text(meta, "version", "pack"),
        title=r.text(meta, "title", "pack"),
        organisation=r.text(meta, "organisation", "pack"),
        source=r.text(meta, "source", "pack"),
        roles=roles,
        clocks=clocks,
        stages=tuple(stages),
        time_limit=time_limit,
        categories=categories,
        refusal_reasons=refusals,
        closure_reasons=closures,
        signposts=read_signposts(r, data, {c.code for c in categories}),
        anonymous=read_anonymous(
            r,
            data,
            category_codes={c.code for c in categories},
            closure_codes={c.code for c in closures},
        ),
        routes_out=read_routes_out(
            r,
            data,
            refusal_codes={c.code for c in refusals},
            closure_codes={c.code for c in closures},
        ),
        local_resolution=_local_resolution(r, data),
        auto_close=_auto_close(r, data),
        **_restrictions(r, data),
        choices=_choices(r, data),
        golden=_golden(r, data),
        in_force_from=_in_force_from(r, meta),
        **_review(r, meta),
        responses=read_responses(r, data),
        updates=read_updates(r, data),
        learning=read_learning(r, data),
    )
    _cross_check(r, pack)
    if r.problems:
        raise PackInvalid(r.problems)
    return pack


def _in_force_from(r: _Reader, meta: dict) -> date | None:
    """`[pack] in_force_from`: an optional TOML date, in the years Fairhear counts in."""
    value = meta.get("in_force_from")
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        r.problem("pack.in_force_from", "must be a date such as 2023-10-01.")
        return None
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        r.problem("pack.in_force_from", f"must be a date from {EARLIEST_YEAR} to {LATEST_YEAR}.")
        return None
    return value


def _review(r: _Reader, meta: dict) -> dict:
    """`[pack] review_every_months` and `review_cites`: how often the policy is reviewed (1 to
    60 months) and the section that says so; both or neither."""
    months, cites = meta.get("review_every_months"), meta.get("review_cites")
    if months is None and cites is None:
        return {}
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 60:
        r.problem(
            "pack.review_every_months",
            "must be a whole number of months from 1 to 60, e.g. 12 for a yearly review.",
        )
        return {}
    if not isinstance(cites, str) or not cites.strip():
        r.problem(
            "pack.review_cites",
            'must name the section that sets the review, e.g. "§24.1".',
        )
        return {}
    return {"review_every_months": months, "review_cites": cites.strip()}


def _roles(r: _Reader, data: dict) -> dict[Capability, str]:
    table = r.table(data, "roles", "") or {}
    r.unknown_keys(table, {c.value for c in Capability}, "roles")
    return {
        Capability(k): r.text(table, k, "roles")
        for k in table
        if k in {c.value for c in Capability}
    }


def _clocks(r: _Reader, data: dict, stage_count: int) -> dict[str, ClockRule]:
    table = r.table(data, "clocks", "") or {}
    if len(table) > MAX_ENTRIES:
        r.problem("clocks", f"has {len(table):,} clocks; a pack may have {MAX_ENTRIES:,}.")
        table = {}
    known_events = set(milestone_names(stage_count))
    clocks: dict[str, ClockRule] = {}
    for name, spec in table.items():
        path = f"clocks.{name}"
        if not isinstance(spec, dict):
            r.problem(path, "must be a table ([clocks." + name + "]).")
            continue
        r.unknown_keys(spec, _CLOCK_KEYS, path)
        starts = r.names(spec, "starts_from", path, required=True)
        met_by = r.names(spec, "met_by", path)
        stopped_by = r.names(spec, "stopped_by", path)
        for key, events in (
            ("starts_from", starts),
            ("met_by", met_by),
            ("stopped_by", stopped_by),
        ):
            for event in events:
                if event not in known_events:
                    r.problem(
                        f"{path}.{key}",
                        f"names the event {event!r}, which is not one Fairhear records for a "
                        f"{stage_count}-stage pack; use one of {', '.join(sorted(known_events))}.",
                    )
        duration = r.duration(spec, path)
        extension = None
        if "extension" in spec:
            extension = _extension(r, spec["extension"], f"{path}.extension")
        purpose = r.choice(spec, "purpose", path, Purpose, default="deadline")
        if spec.get("remind_before") and purpose not in (None, Purpose.DEADLINE):
            r.problem(
                f"{path}.remind_before",
                f"only a deadline is reminded; this clock is a {purpose.value}. Remove it.",
            )
        clocks[name] = ClockRule(
            name=name,
            label=r.text(spec, "label", path),
            starts_from=starts,
            duration=duration or Duration(0, Unit.WORKING_DAYS),
            cites=r.text(spec, "cites", path),
            purpose=purpose or Purpose.DEADLINE,
            met_by=met_by,
            stopped_by=stopped_by,
            starts_no_later_than=r.text(spec, "starts_no_later_than", path, required=False) or None,
            extension=extension,
            note=r.text(spec, "note", path, required=False),
            remind_before=(
                r.whole(spec, "remind_before", path, minimum=0, maximum=MAX_REMIND_BEFORE)
                if "remind_before" in spec
                else None
            ),
        )
    return clocks


def _extension(r: _Reader, spec: object, path: str) -> Extension | None:
    if not isinstance(spec, dict):
        r.problem(path, "must be a table.")
        return None
    r.unknown_keys(
        spec,
        {"up_to_clock", "by_at_most", "cites", "beyond_limit", "agreed_by"} | EXTENSION_STEP_KEYS,
        path,
    )
    by = None
    if "by_at_most" in spec:
        if isinstance(spec["by_at_most"], dict):
            by = r.duration(spec["by_at_most"], f"{path}.by_at_most")
        else:
            r.problem(f"{path}.by_at_most", "must be a table such as { working_days = 10 }.")
    if "up_to_clock" in spec and by is not None:
        r.problem(path, "give either up_to_clock or by_at_most, not both.")
    beyond = r.choice(spec, "beyond_limit", path, BeyondLimit, "hard")
    agreed_by = r.text(spec, "agreed_by", path, required=False)
    if agreed_by and beyond is BeyondLimit.HARD:
        r.problem(
            f"{path}.agreed_by",
            'only means something with beyond_limit = "good_reason"; add that or remove it.',
        )
    return Extension(
        up_to_clock=r.text(spec, "up_to_clock", path, required=False) or None,
        by_at_most=by,
        cites=r.text(spec, "cites", path),
        **extension_steps(r, spec, path),
        beyond_limit=beyond or BeyondLimit.HARD,
        agreed_by=agreed_by,
    )


def _stages(r: _Reader, data: dict) -> list[Stage]:
    stages = []
    for i, spec in enumerate(r.array_of_tables(data, "stages", "")):
        path = f"stages[{i}]"
        r.unknown_keys(spec, _STAGE_KEYS, path)
        number = r.whole(spec, "number", path, maximum=MAX_STAGES) or i + 1
        handler = r.choice(spec, "handler", path, Capability)
        stages.append(
            Stage(
                number=number,
                name=r.text(spec, "name", path),
                handler=handler or Capability.INVESTIGATE,
                handler_title=r.text(spec, "handler_title", path),
                response_clock=r.text(spec, "response_clock", path),
                cites=r.text(spec, "cites", path),
                acknowledgement_clock=r.text(spec, "acknowledgement_clock", path, required=False)
                or None,
                request_clock=r.text(spec, "request_clock", path, required=False) or None,
                late_request=r.choice(spec, "late_request", path, LateRequest, "discretion")
                or LateRequest.DISCRETION,
                may_refuse_request=r.boolean(spec, "may_refuse_request", path, True),
                request_criteria=r.text(spec, "request_criteria", path, required=False),
                final=r.boolean(spec, "final", path),
                closes_with=r.text(spec, "closes_with", path, required=False) or None,
                request_refused_closes_with=r.text(
                    spec, "request_refused_closes_with", path, required=False
                )
                or None,
                different_handler=r.boolean(spec, "different_handler", path),
                **stage_steps(r, spec, path),
                **stage_request(r, spec, path),
            )
        )
    numbers = [s.number for s in stages]
    if stages and sorted(numbers) != list(range(1, len(stages) + 1)):
        r.problem("stages", f"must be numbered 1, 2, 3 … in order; they are numbered {numbers}.")
    if stages and not stages[-1].final:
        r.problem(f"stages[{len(stages) - 1}].final", "the last stage must say final = true.")
    return sorted(stages, key=lambda s: s.number)


def _time_limit(r: _Reader, data: dict) -> TimeLimit:
    table = r.table(data, "time_limit", "") or {}
    r.unknown_keys(
        table,
        {"months", "exempt_categories", "exceptional_circumstances", "refusal_reason", "cites"},
        "time_limit",
    )
    return TimeLimit(
        months=r.whole(table, "months", "time_limit", maximum=MAX_TIME_LIMIT_MONTHS) or 12,
        cites=r.text(table, "cites", "time_limit"),
        exempt_categories=r.names(table, "exempt_categories", "time_limit"),
        exceptional_circumstances=r.boolean(table, "exceptional_circumstances", "time_limit"),
        refusal_reason=r.text(table, "refusal_reason", "time_limit", required=False) or None,
    )


def _reasons(r: _Reader, data: dict, key: str) -> tuple[Reason, ...]:
    reasons = []
    seen = set()
    for i, spec in enumerate(r.array_of_tables(data, key, "")):
        path = f"{key}[{i}]"
        allowed = {"code", "label", "cites", "letter_text", "satisfied", "reopens_on_escalation"}
        conditions = {}
        if key == "closure_reasons":
            allowed |= CLOSURE_CONDITION_KEYS
            conditions = closure_conditions(r, spec, path)
        elif key == "refusal_reasons":
            allowed |= REFUSAL_CONDITION_KEYS
            conditions = refusal_conditions(r, spec, path)
        else:
            allowed |= CATEGORY_STEP_KEYS
            conditions = category_steps(r, spec, path)
        r.unknown_keys(spec, allowed, path)
        code = r.text(spec, "code", path)
        if code in seen:
            r.problem(f"{path}.code", f"{code!r} is used twice in {key}; codes must be unique.")
        seen.add(code)
        reasons.append(
            Reason(
                code=code,
                label=r.text(spec, "label", path),
                cites=r.text(spec, "cites", path, required=key != "categories"),
                letter_text=r.text(spec, "letter_text", path, required=key == "refusal_reasons"),
                satisfied=r.boolean(spec, "satisfied", path),
                reopens_on_escalation=r.boolean(spec, "reopens_on_escalation", path),
                **conditions,
            )
        )
    return tuple(reasons)


def _local_resolution(r: _Reader, data: dict) -> LocalResolution | None:
    table = r.table(data, "local_resolution", "", required=False)
    if table is None:
        return None
    r.unknown_keys(table, {"clock", "cites", "closes_with"}, "local_resolution")
    return LocalResolution(
        clock=r.text(table, "clock", "local_resolution"),
        cites=r.text(table, "cites", "local_resolution"),
        closes_with=r.text(table, "closes_with", "local_resolution"),
    )


def _auto_close(r: _Reader, data: dict) -> AutoClose | None:
    table = r.table(data, "auto_close", "", required=False)
    if table is None:
        return None
    r.unknown_keys(table, {"clock", "reason", "cites"}, "auto_close")
    return AutoClose(
        clock=r.text(table, "clock", "auto_close"),
        reason=r.text(table, "reason", "auto_close"),
        cites=r.text(table, "cites", "auto_close"),
    )


def _restrictions(r: _Reader, data: dict) -> dict:
    table = r.table(data, "restrictions", "", required=False)
    if table is None:
        return {}
    known = {"review_clock", "warning_clock", "warn_first", "report_to", "cites"}
    r.unknown_keys(table, known, "restrictions")
    out = {
        "restriction_review_clock": r.text(table, "review_clock", "restrictions", required=False)
        or None,
        "restriction_warning_clock": r.text(table, "warning_clock", "restrictions", required=False)
        or None,
        "restriction_warn_first": r.boolean(table, "warn_first", "restrictions"),
        "restriction_report_to": r.text(table, "report_to", "restrictions", required=False),
        "restriction_cites": r.text(table, "cites", "restrictions"),
    }
    if out["restriction_warn_first"] and not out["restriction_warning_clock"]:
        r.problem(
            "restrictions.warn_first",
            "needs a warning_clock: the clock for the chance to change that the warning gives.",
        )
    return out


def _choices(r: _Reader, data: dict) -> tuple[str, ...]:
    out = []
    for i, spec in enumerate(r.array_of_tables(data, "choices", "", required=False)):
        path = f"choices[{i}]"
        r.unknown_keys(spec, {"about", "chose", "because", "other_reading"}, path)
        about = r.text(spec, "about", path)
        chose = r.text(spec, "chose", path)
        because = r.text(spec, "because", path)
        other = r.text(spec, "other_reading", path, required=False)
        out.append(
            f"{about}: {chose} Because {because}" + (f" Other reading: {other}" if other else "")
        )
    return tuple(out)


def _golden(r: _Reader, data: dict) -> tuple[GoldenCase, ...]:
    out = []
    for i, spec in enumerate(r.array_of_tables(data, "golden", "", required=False)):
        path = f"golden[{i}]"
        r.unknown_keys(
            spec,
            {
                "title",
                "cites",
                "received",
                "events",
                "incident_date",
                "category",
                "exceptional_circumstances",
                "nation",
                "expect",
            },
            path,
        )
        events = _golden_events(r, spec, path)
        expect = spec.get("expect", {})
        if not isinstance(expect, dict):
            r.problem(f"{path}.expect", "must be a table of clock = date.")
            expect = {}
        expect_due: list[tuple[str, date | None]] = []
        for clock, value in expect.items():
            if clock == "in_time":
                continue
            if value == "not started":
                expect_due.append((clock, None))
            elif isinstance(value, date):
                expect_due.append((clock, value))
            else:
                r.problem(
                    f"{path}.expect.{clock}",
                    'must be a date such as 2024-01-09, or "not started".',
                )
        in_time = expect.get("in_time")
        if in_time is not None and not isinstance(in_time, bool):
            r.problem(f"{path}.expect.in_time", f"must be true or false, not {_kind(in_time)}.")
        incident = spec.get("incident_date")
        if incident is not None and not isinstance(incident, date):
            r.problem(f"{path}.incident_date", "must be a date such as 2023-06-30.")
            incident = None
        out.append(
            GoldenCase(
                title=r.text(spec, "title", path),
                cites=r.text(spec, "cites", path),
                received=str(spec.get("received", "")),
                events=tuple(events),
                incident_date=incident,
                category=r.text(spec, "category", path, required=False) or "other",
                exceptional_circumstances=r.boolean(spec, "exceptional_circumstances", path),
                nation=r.choice(spec, "nation", path, Nation, "england-and-wales")
                or Nation.ENGLAND_AND_WALES,
                expect_due=tuple(expect_due),
                expect_in_time=in_time if isinstance(in_time, bool) else None,
            )
        )
    return tuple(out)


def _golden_events(r: _Reader, spec: dict, path: str) -> list[tuple[str, str]]:
    events: list[tuple[str, str]] = []
    raw_events = spec.get("events", {})
    if not isinstance(raw_events, dict):
        r.problem(f"{path}.events", "must be a table of event = timestamp.")
        raw_events = {}
    for name, value in raw_events.items():
        for v in value if isinstance(value, list) else [value]:
            events.append((name, str(v)))
    if len(events) > MAX_ENTRIES:
        r.problem(f"{path}.events", f"has {len(events):,} events; give {MAX_ENTRIES:,} or fewer.")
        return []
    return events


def _cross_check(r: _Reader, pack: PolicyPack) -> None:
    """Check that every name one part of the pack uses is defined in another."""
    _check_clock_references(r, pack)
    _check_stage_references(r, pack)
    check_step_references(r, pack)
    check_conditions(r, pack)
    category_codes = {c.code for c in pack.categories}
    refusal = pack.time_limit.refusal_reason
    if refusal is not None and refusal not in {c.code for c in pack.refusal_reasons}:
        r.problem("time_limit.refusal_reason", f"{refusal!r} is not one of the refusal reasons.")
    for category in pack.time_limit.exempt_categories:
        if category not in category_codes:
            r.problem(
                "time_limit.exempt_categories",
                f"names the category {category!r}, which is not listed under [[categories]].",
            )
    for i, golden in enumerate(pack.golden):
        for clock, _ in golden.expect_due:
            _need_clock(r, pack, clock, f"golden[{i}].expect.{clock}")
        if golden.category not in category_codes:
            r.problem(f"golden[{i}].category", f"{golden.category!r} is not a category.")


def _need_clock(r: _Reader, pack: PolicyPack, name: str | None, path: str) -> None:
    if name is not None and name not in pack.clocks:
        r.problem(path, f"names the clock {name!r}, which is not defined under [clocks].")


def _check_clock_references(r: _Reader, pack: PolicyPack) -> None:
    for name, clock in pack.clocks.items():
        _need_clock(r, pack, clock.starts_no_later_than, f"clocks.{name}.starts_no_later_than")
        if clock.extension and clock.extension.up_to_clock:
            _need_clock(
                r, pack, clock.extension.up_to_clock, f"clocks.{name}.extension.up_to_clock"
            )
        ends = clock.met_by or clock.stopped_by or name == pack.restriction_review_clock
        if clock.purpose is not Purpose.LIMIT and not ends:
            r.problem(f"clocks.{name}", "needs met_by or stopped_by: what ends this deadline?")
    _need_clock(r, pack, pack.restriction_review_clock, "restrictions.review_clock")
    _need_clock(r, pack, pack.restriction_warning_clock, "restrictions.warning_clock")


def _check_stage_references(r: _Reader, pack: PolicyPack) -> None:
    closure_codes = {c.code for c in pack.closure_reasons}
    for i, stage in enumerate(pack.stages):
        _need_clock(r, pack, stage.response_clock, f"stages[{i}].response_clock")
        _need_clock(r, pack, stage.acknowledgement_clock, f"stages[{i}].acknowledgement_clock")
        _need_clock(r, pack, stage.request_clock, f"stages[{i}].request_clock")
        if stage.closes_with is not None and stage.closes_with not in closure_codes:
            r.problem(f"stages[{i}].closes_with", f"{stage.closes_with!r} is not a closure reason.")
        if stage.final and stage.closes_with is None:
            r.problem(f"stages[{i}].closes_with", "a final stage must name the closure reason.")
        refused = stage.request_refused_closes_with
        if refused is not None and refused not in closure_codes:
            r.problem(
                f"stages[{i}].request_refused_closes_with", f"{refused!r} is not a closure reason."
            )

    if pack.local_resolution:
        _need_clock(r, pack, pack.local_resolution.clock, "local_resolution.clock")
        if pack.local_resolution.closes_with not in closure_codes:
            r.problem("local_resolution.closes_with", "is not one of the closure reasons.")
    if pack.auto_close:
        _need_clock(r, pack, pack.auto_close.clock, "auto_close.clock")
        if pack.auto_close.reason not in closure_codes:
            r.problem("auto_close.reason", "is not one of the closure reasons.")
