"""Template cases read once into COPY text with placeholders, for bench/replicate.py.

A template is a case made through the services. What differs between its copies is left as a
placeholder: the case's id and reference, its complainant, its colleagues (their ids and names
on the case, its events and their data, and the line managers a compliment was passed to) and
its summary; everything else (states, stages, dates, clocks, pack citations) is the template's
own. The events keep their canonical content (fairhear.domain.chain) as a format string, so a
copy's hash chain is computed exactly as the services compute it.

Not a script of its own: bench/generate.py uses it through bench/replicate.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fairhear.cases.chain import event_content
from fairhear.cases.models import Case, CaseClock, CaseEvent, CaseInvolvement, Person
from fairhear.domain.chain import canonical


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "Aisha Tom Priya Gareth Mary Olu Fiona Daniel Grace Patrick Hannah Yusuf Sophie Callum Irene "
    "Ben Chloe Raj Niamh Owen Amira Liam Zara Ewan Bethan Kofi Megan Rhys Leah Arjun Ffion Noah "
    "Isla Tariq Holly Dylan Ruth Imran Jade Kieran"
)
LAST = _words(
    "Khan Bradley Shah Evans O'Neill Adeyemi Campbell Wright Lee Murphy Morris Ali Turner Reid "
    "Walsh Foster Jones Williams Taylor Davies Brown Wilson Thomas Roberts Johnson Hughes Edwards "
    "Green Hall Wood Harris Lewis Martin Jackson Clarke Clark Turner Hill Scott Cooper"
)
CLOCK_COLS = [f.column for f in CaseClock._meta.concrete_fields]
TABLES = [
    "cases_person",
    "cases_case",
    "cases_caseevent",
    "cases_caseclock",
    "cases_caseinvolvement",
    "cases_case_about_colleagues",
    "cases_case_access_named",
]
CLOSED = {"closed", "refused"}
STREETS = _words(
    "Acacia Alder Ash Beech Birch Bramble Cedar Chestnut Elm Fern Hawthorn Hazel Heather Holly "
    "Ivy Juniper Larch Laurel Linden Maple Meadow Oak Orchard Pine Poplar Rowan Spruce Sycamore "
    "Willow Yew"
)
SUFFIXES = ["Road", "Street", "Close", "Avenue", "Lane", "Way", "Gardens", "Court"]
TOWNS = [("Bournemouth", "BH"), ("Truro", "TR"), ("Gloucester", "GL"), ("Exeter", "EX")]
_VAR = {
    "id",
    "reference",
    "complainant_id",
    "representative_id",
    "summary",
    "handler_id",
    "logged_by_id",
    "log_head",
}


def esc(value: object) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        value = json.dumps(value)
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _fmt(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _placeholders(text: str, keys: list[str]) -> str:
    """A str.format pattern from text holding "@@KEY@@" markers (quoted in JSON)."""
    out, rest = [], text
    while (start := rest.find('"@@')) >= 0:
        end = rest.index('@@"', start + 3)
        out.append(_fmt(rest[:start]) + "{}")
        keys.append(rest[start + 3 : end])
        rest = rest[end + 3 :]
    return "".join(out) + _fmt(rest)


@dataclass
class Template:
    case_line: str  # format: id, reference, complainant, representative, summary, ...
    summary: str
    prefix: str
    year: int
    area: int | None
    users: dict[int, str]  # template user id: role
    person: dict | None
    representative: dict | None
    events: list[tuple] = field(default_factory=list)  # (line fmt, canon fmt, keys, data keys)
    clocks: list[str] = field(default_factory=list)
    involvements: list[tuple[int, str]] = field(default_factory=list)
    about: list[int] = field(default_factory=list)
    named: list[int] = field(default_factory=list)
    line_managers: dict[int, int] = field(default_factory=dict)
    handler: int | None = None
    logged_by: int | None = None

    @property
    def summary_esc(self) -> str:
        return esc(self.summary)

    @property
    def state(self) -> str:
        """The state the template's last event leaves it in."""
        return self.events[-1][0].split("\t")[6] if self.events else ""


def _user_markers(data: object, users: dict, names: dict, managers: dict) -> object:
    """The event data with colleagues' ids and names replaced by markers."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if key in {"handler_id", "id"} and value in users:
                out[key] = f"@@U{value}@@"
            elif key == "line_managers" and isinstance(value, list):
                out[key] = [_manager(v, managers) for v in value]
            elif key == "person_id":
                out[key] = "@@P@@"
            elif key == "representative" and isinstance(value, dict) and "person_id" in value:
                out[key] = {**_user_markers(value, users, names, managers), "person_id": "@@R@@"}
            else:
                out[key] = _user_markers(value, users, names, managers)
        return out
    if isinstance(data, list):
        return [_user_markers(v, users, names, managers) for v in data]
    if isinstance(data, str) and data in names:
        return f"@@N{names[data]}@@"
    return data


def _manager(entry: dict, managers: dict) -> dict:
    """A line manager named on an event follows the colleague they manage in the copy."""
    for colleague, manager in managers.items():
        if manager == entry.get("id"):
            return {**entry, "id": f"@@L{colleague}@@", "name": f"@@K{colleague}@@"}
    return entry


def load_templates(org: object, roles: dict) -> list[Template]:
    role_of = {u.pk: role for role, people in roles.items() for u in people}
    name_of = {u.pk: str(u) for people in roles.values() for u in people}
    manager_of = {u.pk: u.line_manager_id for people in roles.values() for u in people}
    fields_ = list(Case._meta.concrete_fields)
    cols = [f.column for f in fields_]
    templates = []
    people = {p["id"]: p for p in Person.objects.filter(organisation=org).values()}
    for row in Case.objects.filter(organisation=org).order_by("pk").values(*cols):
        parts = [("{}" if c in _VAR else _fmt(esc(row[c]))) for c in cols]
        prefix, year = row["reference"].split("-")[:2]
        template = Template(
            case_line="\t".join(parts) + "\n",
            summary=row["summary"],
            prefix=prefix,
            year=int(year),
            area=row["service_area_id"],
            users={},
            person=people.get(row["complainant_id"]),
            representative=people.get(row["representative_id"]),
            handler=row["handler_id"],
            logged_by=row["logged_by_id"],
        )
        events = list(CaseEvent.objects.filter(case_id=row["id"]).order_by("sequence"))
        involved = {row["handler_id"], row["logged_by_id"]}
        involved |= {e.actor_id for e in events}
        parts_ = CaseInvolvement.objects.filter(case_id=row["id"])
        template.involvements = [(p.user_id, p.role) for p in parts_]
        involved |= {u for u, _ in template.involvements}
        through = Case.about_colleagues.through.objects.filter(case_id=row["id"])
        template.about = [t.user_id for t in through]
        named = Case.access_named.through.objects.filter(case_id=row["id"])
        template.named = [t.user_id for t in named]
        involved |= set(template.about) | set(template.named)
        for e in events:
            for colleague in (e.data or {}).get("colleagues", []):
                involved.add(colleague.get("id"))
        involved.discard(None)
        template.users = {u: role_of[u] for u in involved if u in role_of}
        names = {name_of[u]: u for u in template.users}
        template.line_managers = {u: manager_of[u] for u in template.users if manager_of[u]}
        for e in events:
            content = event_content(e)
            content["case"] = "@@C@@"
            if e.actor_id in template.users:
                content["actor"] = f"@@U{e.actor_id}@@"
                content["actor_label"] = f"@@N{e.actor_id}@@"
            data = _user_markers(e.data, template.users, names, template.line_managers)
            content["data"] = data
            keys: list[str] = []
            canon = _placeholders(canonical(content), keys)
            data_keys: list[str] = []
            data_text = _placeholders(esc(canonical(data)), data_keys)
            actor = "{}" if e.actor_id in template.users else esc(e.actor_id)
            label = "{}" if e.actor_id in template.users else _fmt(esc(e.actor_label))
            static_a = _fmt("\t".join(esc(v) for v in (e.sequence, e.kind, e.stage)))
            static_b = _fmt("\t".join(esc(v) for v in (e.from_state, e.to_state)))
            times = _fmt("\t".join(esc(v) for v in (e.occurred_at, e.recorded_at)))
            line = (
                f"{{}}\t{{}}\t{static_a}\t{static_b}\t{actor}\t{label}\t{times}\t"
                f"{e.policy_version_id}\t{data_text}\t{{}}\n"
            )
            acted = e.actor_id if e.actor_id in template.users else None
            template.events.append((line, canon, keys, data_keys, acted))
        for clock in CaseClock.objects.filter(case_id=row["id"]).order_by("pk").values():
            rest = [esc(clock[c]) for c in CLOCK_COLS[2:]]  # after id and case_id
            template.clocks.append(_fmt("\t".join(rest)))
        templates.append(template)
    return templates
