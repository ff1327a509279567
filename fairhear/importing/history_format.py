"""Read a history file (docs/import.md) into plain values, finding every problem that can be
found without the database: missing or unknown fields, times without an offset, event kinds
Fairhear does not import, values of the wrong sort."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from fairhear.accounts.models import Organisation, ServiceArea, User
from fairhear.cases.models import Case
from fairhear.domain.lifecycle import Action, CaseKind
from fairhear.importing.events import EVENT_KINDS, check_value, importable_kinds
from fairhear.importing.problems import Problem

FORMAT = "fairhear-history/1"
PERSON_FIELDS = (
    "name",
    "email",
    "phone",
    "address",
    "communication_needs",
    "reasonable_adjustments",
)
CASE_FIELDS = {
    "source_reference",
    "kind",
    "channel",
    "summary",
    "desired_outcome",
    "service_area",
    "categories",
    "tenure",
    "incident_date",
    "anonymous",
    "complainant",
    "representative",
    "representative_role",
    "safeguarding",
    "health_and_safety",
    "anti_social_behaviour",
    "about_colleagues",
    "events",
}
RECEIVED_DATA = {"logged_at", "policy_version_confirmed"}


@dataclass
class EventSpec:
    number: int
    kind: Action
    at: datetime
    by: str
    data: dict


@dataclass
class CaseSpec:
    """A case to replay: its number in the file (or, from a spreadsheet, its row), its source
    reference, its fields in the history format and its events."""

    number: int
    source_reference: str
    fields: dict
    events: list[EventSpec] = field(default_factory=list)
    source: str = "history"
    # From a spreadsheet: the column each event was made from (by event number) and each
    # field's column (by field).
    columns: dict[int | str, str] = field(default_factory=dict)

    def problem(self, message: str, event: EventSpec, field_name: str = "") -> Problem:
        """A problem the replay found at `event`, placed where the person will look."""
        if self.source == "log":
            return Problem(
                message,
                row=self.number,
                source_reference=self.source_reference,
                column=self.columns.get(field_name) or self.columns.get(event.number, ""),
            )
        return Problem(
            message,
            case=self.number,
            source_reference=self.source_reference,
            event=event.number,
            kind=event.kind.value,
            field=field_name,
        )


@dataclass
class HistoryFile:
    organisation: dict
    colleagues: list[dict]
    cases: list[CaseSpec]


class _Where:
    """Collects problems for one place in the file."""

    def __init__(self, problems: list[Problem], **where: object) -> None:
        self.problems, self.where = problems, where

    def __call__(self, message: str, field: str = "", **more: object) -> None:
        self.problems.append(Problem(message, field=field, **(self.where | more)))


def parse_time(value: object) -> tuple[datetime | None, str]:
    """An ISO 8601 time with its offset, or what is wrong with it."""
    if not isinstance(value, str):
        return None, "needs a time such as 2026-05-22T09:30:00+01:00."
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None, f"{value!r} is not a time such as 2026-05-22T09:30:00+01:00."
    if moment.tzinfo is None:
        return None, (
            f"{value!r} has no offset from UTC, so the moment is ambiguous; "
            "add one, as in 2026-05-22T09:30:00+01:00 (British Summer Time) or +00:00."
        )
    return moment, ""


def read_history(raw: object) -> tuple[HistoryFile | None, list[Problem]]:
    """The file as plain values, and every problem found in it."""
    problems: list[Problem] = []
    say = _Where(problems)
    if not isinstance(raw, dict):
        say("The file should hold one JSON object with organisation, colleagues and cases.")
        return None, problems
    if raw.get("format") != FORMAT:
        say(f'Say which format this is: "format": "{FORMAT}".', "format")
    organisation = _organisation(raw.get("organisation"), say)
    colleagues = _colleagues(raw.get("colleagues", []), say)
    cases_raw = raw.get("cases")
    if not isinstance(cases_raw, list):
        say("Give the cases as a list (it may be empty).", "cases")
        cases_raw = []
    emails = {c["email"].lower() for c in colleagues}
    cases, seen = [], {}
    for number, item in enumerate(cases_raw, start=1):
        spec = _case(number, item, problems, emails)
        if spec is None:
            continue
        if spec.source_reference in seen:
            _Where(problems, case=number, source_reference=spec.source_reference)(
                f"The source reference is also case {seen[spec.source_reference]}'s; "
                "each case needs its own.",
                "source_reference",
            )
        seen.setdefault(spec.source_reference, number)
        cases.append(spec)
    return HistoryFile(organisation, colleagues, cases), problems


def _organisation(raw: object, say: _Where) -> dict:
    if not isinstance(raw, dict):
        say("Name the organisation: its slug, name, nation and policy pack.", "organisation")
        return {}
    for key in ("slug", "name", "nation", "policy_pack"):
        if not raw.get(key):
            say(f"The organisation needs its {key.replace('_', ' ')}.", f"organisation.{key}")
    nations = {n.value for n in Organisation.NationChoice}
    if raw.get("nation") and raw["nation"] not in nations:
        say(f"Use one of {', '.join(sorted(nations))}.", "organisation.nation")
    pack = raw.get("policy_pack")
    if pack and not isinstance(pack, str) and not (isinstance(pack, dict) and "toml" in pack):
        say(
            "Give a shipped pack by name (pivotal, mmbm, hos-code-2024) or a pack's text "
            'as {"toml": "..."}.',
            "organisation.policy_pack",
        )
    homes = raw.get("homes", {})
    for tenure in ("lcra", "lcho"):
        value = homes.get(tenure, 0) if isinstance(homes, dict) else None
        if not isinstance(value, int) or value < 0:
            say("Give the number of homes as a whole number.", f"organisation.homes.{tenure}")
    kinds = {k.value for k in ServiceArea.Kind}
    for i, area in enumerate(raw.get("service_areas", []), start=1):
        if not isinstance(area, dict) or not str(area.get("name", "")).strip():
            say("Each service area needs a name.", f"organisation.service_areas[{i}]")
        elif area.get("kind", "") not in kinds:
            say(
                f"Use one of {', '.join(sorted(k for k in kinds if k))} (or leave it out).",
                f"organisation.service_areas[{i}].kind",
            )
    if not isinstance(raw.get("categories", []), list):
        say("Give the categories as a list of the policy's codes.", "organisation.categories")
    return raw


def _colleagues(raw: object, say: _Where) -> list[dict]:
    if not isinstance(raw, list):
        say("Give the colleagues as a list.", "colleagues")
        return []
    held = {c.value for c in User.CapabilityChoice}
    out, seen = [], set()
    for i, item in enumerate(raw, start=1):
        where = f"colleagues[{i}]"
        if not isinstance(item, dict) or "@" not in str(item.get("email", "")):
            say("Each colleague needs an e-mail address.", f"{where}.email")
            continue
        email = item["email"].strip().lower()
        if email in seen:
            say(f"{email} is listed twice.", f"{where}.email")
        seen.add(email)
        unknown = [c for c in item.get("capabilities", []) if c not in held]
        if unknown:
            say(
                f"Unknown capabilities {', '.join(map(str, unknown))}; "
                f"use {', '.join(sorted(held))}.",
                f"{where}.capabilities",
            )
        out.append(item | {"email": email})
    emails = {c["email"] for c in out}
    for i, item in enumerate(out, start=1):
        manager = str(item.get("line_manager", "")).strip().lower()
        if manager and manager not in emails:
            say(f"{manager} is not in the file's colleagues.", f"colleagues[{i}].line_manager")
    return out


def _case(number: int, raw: object, problems: list[Problem], emails: set[str]) -> CaseSpec | None:
    if not isinstance(raw, dict):
        _Where(problems, case=number)("Each case should be a JSON object.")
        return None
    ref = str(raw.get("source_reference", "")).strip()
    say = _Where(problems, case=number, source_reference=ref)
    if not ref:
        say("Give the case's reference in the system it comes from.", "source_reference")
    for key in sorted(set(raw) - CASE_FIELDS):
        say(f"Fairhear does not know this field; use {', '.join(sorted(CASE_FIELDS))}.", key)
    _case_fields(raw, say)
    _case_people(raw, say, emails)
    events = raw.get("events")
    if not isinstance(events, list) or not events:
        say("The case needs its events, the first of them 'received'.", "events")
        return CaseSpec(number, ref, raw)
    spec = CaseSpec(number, ref, raw)
    for e_number, event in enumerate(events, start=1):
        parsed = _event(
            e_number, event, _Where(problems, case=number, source_reference=ref), emails
        )
        if parsed is not None:
            spec.events.append(parsed)
    if events and (not isinstance(events[0], dict) or events[0].get("kind") != Action.RECEIVE):
        say("The first event is the case's receipt: its kind is 'received'.", "kind", event=1)
    return spec


def _case_fields(raw: dict, say: _Where) -> None:
    for key in ("kind", "channel", "summary"):
        if not raw.get(key):
            say(f"The case needs its {key}.", key)
    if raw.get("kind") and raw["kind"] not in set(CaseKind):
        say(f"Use one of {', '.join(CaseKind)}.", "kind")
    if raw.get("channel") and raw["channel"] not in Case.Channel.values:
        say(f"Use one of {', '.join(Case.Channel.values)}.", "channel")
    if raw.get("tenure", "unknown") not in Case.Tenure.values:
        say(f"Use one of {', '.join(Case.Tenure.values)}.", "tenure")
    if raw.get("incident_date"):
        try:
            date.fromisoformat(str(raw["incident_date"]))
        except ValueError:
            say("Give the date as 2026-05-22.", "incident_date")


def _case_people(raw: dict, say: _Where, emails: set[str]) -> None:
    for role in ("complainant", "representative"):
        person = raw.get(role)
        if person is None:
            continue
        if not isinstance(person, dict) or not str(person.get("name", "")).strip():
            say("A person needs at least a name.", f"{role}.name")
        else:
            for key in sorted(set(person) - set(PERSON_FIELDS)):
                say(f"Use {', '.join(PERSON_FIELDS)}.", f"{role}.{key}")
    for email in raw.get("about_colleagues", []):
        if str(email).lower() not in emails:
            say(f"{email} is not in the file's colleagues.", "about_colleagues")


def _event(number: int, raw: object, say: _Where, emails: set[str]) -> EventSpec | None:
    if not isinstance(raw, dict):
        say("Each event should be a JSON object.", event=number)
        return None
    kind_text = str(raw.get("kind", ""))
    at, time_problem = parse_time(raw.get("at"))
    if time_problem:
        say(f"The time {time_problem}", "at", event=number, kind=kind_text)
    for key in sorted(set(raw) - {"kind", "at", "by", "data"}):
        say("Use kind, at, by and data.", key, event=number, kind=kind_text)
    by = str(raw.get("by") or "").strip().lower()
    if by and by not in emails:
        say(f"{by} is not in the file's colleagues.", "by", event=number, kind=kind_text)
    data = raw.get("data", {})
    if not isinstance(data, dict):
        say("The event's data should be a JSON object.", "data", event=number, kind=kind_text)
        data = {}
    try:
        kind = Action(kind_text)
    except ValueError:
        kind = None
    if kind is Action.RECEIVE:
        _received_data(number, data, say)
    elif kind in EVENT_KINDS:
        _event_data(number, kind, data, say, emails)
        if not by and kind is not Action.RECORD_COMMUNICATION:
            say("Say who did it: a colleague's e-mail address.", "by", event=number, kind=kind_text)
    else:
        say(
            f"Fairhear does not import {kind_text!r} events; use one of {importable_kinds()}.",
            "kind",
            event=number,
            kind=kind_text,
        )
        return None
    if at is None:
        return None
    return EventSpec(number, kind, at, by, data)


def _received_data(number: int, data: dict, say: _Where) -> None:
    for key in sorted(set(data) - RECEIVED_DATA):
        say(
            "A receipt's data may hold logged_at and policy_version_confirmed.",
            f"data.{key}",
            event=number,
            kind=Action.RECEIVE.value,
        )
    if "logged_at" in data:
        _, problem = parse_time(data["logged_at"])
        if problem:
            say(f"The time {problem}", "data.logged_at", event=number, kind="received")


def _event_data(number: int, kind: Action, data: dict, say: _Where, emails: set[str]) -> None:
    arguments = EVENT_KINDS[kind].arguments
    for key in sorted(set(data) - set(arguments)):
        say(
            f"A {kind.value!r} event's data may hold {', '.join(arguments) or 'nothing'}.",
            f"data.{key}",
            event=number,
            kind=kind.value,
        )
    for name, argument in arguments.items():
        if name not in data:
            if argument.required:
                say("This is needed.", f"data.{name}", event=number, kind=kind.value)
            continue
        problem = check_value(argument, data[name]) or _unknown_colleagues(
            argument.type, data[name], emails
        )
        if problem:
            say(problem, f"data.{name}", event=number, kind=kind.value)


def _unknown_colleagues(sort: str, value: object, emails: set[str]) -> str:
    """The colleagues a value names that the file does not list, in words; empty if none."""
    if sort == "colleague":
        named = [value]
    elif sort == "colleagues":
        named = value
    elif sort == "details":
        named = value.get("about_colleagues") or []
    else:
        return ""
    unknown = [e for e in named if e.lower() not in emails]
    if not unknown:
        return ""
    verb = "is" if len(unknown) == 1 else "are"
    return f"{', '.join(unknown)} {verb} not in the file's colleagues."
