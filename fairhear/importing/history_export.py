"""Export an organisation's cases as a history file (docs/import.md) that `import_history`
takes back: the same file it was imported from, apart from Fairhear's own ids and
references."""

from __future__ import annotations

from fairhear.accounts.models import Organisation, User
from fairhear.cases.models import Case, CaseEvent, Person
from fairhear.cases.selectors import case_list_of_organisation
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action
from fairhear.domain.policy.load import PACKS_DIR
from fairhear.importing.events import EVENT_KINDS, EventKind
from fairhear.importing.history_format import FORMAT, PERSON_FIELDS
from fairhear.importing.models import ImportedCase
from fairhear.policies.selectors import policy_pack_for

_EMPTY = (None, "", [], False)


def export_history(organisation: Organisation) -> dict:
    """The organisation, its colleagues and every case with its events, as a history file."""
    users = {u.pk: u for u in User.objects.filter(organisation=organisation)}
    cases = list(case_list_of_organisation(organisation_id=organisation.pk))
    sources = dict(
        ImportedCase.objects.filter(organisation=organisation).values_list(
            "case_id", "source_reference"
        )
    )
    written = [_case(c, sources.get(c.pk, c.reference), users) for c in cases]
    # The categories the cases have now, and those they were received with before a correction.
    used = {c for case in cases for c in case.categories or []}
    used |= {c for case in written for c in case.get("categories", [])}
    return {
        "format": FORMAT,
        "organisation": _organisation(organisation, used),
        "colleagues": [_colleague(u, users) for u in sorted(users.values(), key=_email)],
        "cases": written,
    }


def _email(user: User) -> str:
    return (user.email or user.username).lower()


def _pack(organisation: Organisation) -> str | dict:
    version = organisation.active_policy_version
    shipped = PACKS_DIR / f"{version.name}.toml"
    if shipped.is_file() and shipped.read_text(encoding="utf-8") == version.source_toml:
        return version.name
    return {"toml": version.source_toml}


def _organisation(org: Organisation, used: set[str]) -> dict:
    pack = policy_pack_for(org.active_policy_version)
    return {
        "slug": org.slug,
        "name": org.name,
        "nation": org.nation,
        "policy_pack": _pack(org),
        "homes": {"lcra": org.homes_lcra, "lcho": org.homes_lcho},
        "service_areas": [
            {"name": a.name, "kind": a.kind, "cqc_registered": a.cqc_registered}
            for a in org.service_areas.order_by("name")
        ],
        "categories": [c.code for c in pack.categories if c.code in used],
    }


def _colleague(user: User, users: dict[int, User]) -> dict:
    out = {"email": _email(user)}
    if user.line_manager_id in users:
        out["line_manager"] = _email(users[user.line_manager_id])
    return out | {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "job_title": user.job_title,
        "capabilities": list(user.capabilities or []),
    }


def _person(person: Person | None) -> dict | None:
    if person is None:
        return None
    return {k: getattr(person, k) for k in PERSON_FIELDS if getattr(person, k)}


def _case(case: Case, source_reference: str, users: dict[int, User]) -> dict:
    out: dict[str, object] = {
        "source_reference": source_reference,
        "kind": case.kind,
        "channel": case.channel,
        "summary": case.summary,
    }
    optional = {
        "desired_outcome": case.desired_outcome,
        "service_area": case.service_area.name if case.service_area else "",
        "categories": list(case.categories or []),
        "tenure": "" if case.tenure == Case.Tenure.UNKNOWN else case.tenure,
        "incident_date": case.incident_date.isoformat() if case.incident_date else "",
        "anonymous": case.anonymous,
        "complainant": _person(case.complainant),
        "representative": _person(case.representative),
        "representative_role": case.representative_role,
        "safeguarding": case.safeguarding,
        "health_and_safety": case.health_and_safety,
        "anti_social_behaviour": case.anti_social_behaviour,
        "about_colleagues": sorted(_email(u) for u in case.about_colleagues.all()),
    }
    events = list(case.events.order_by("sequence"))
    # A detail corrected since is written as it was received; the correction changes it again.
    optional |= _as_received(events, users)
    out |= {k: v for k, v in optional.items() if v not in _EMPTY}
    out["events"] = [_event(case, e, users) for e in events]
    return out


def _time(moment: object) -> str:
    return moment.astimezone(LONDON).isoformat()


def _event(case: Case, event: CaseEvent, users: dict[int, User]) -> dict:
    out: dict[str, object] = {"kind": event.kind, "at": _time(event.occurred_at)}
    if event.actor_id in users:
        out["by"] = _email(users[event.actor_id])
    kind = Action(event.kind)
    if kind is Action.RECEIVE:
        data = {}
        if event.recorded_at != event.occurred_at:
            data["logged_at"] = _time(event.recorded_at)
        if event.data.get("policy_version_confirmed"):
            data["policy_version_confirmed"] = True
    elif kind is Action.CORRECT_DETAILS and "values" not in event.data:
        # Corrected before the event kept its values beside the words: kept as stored.
        data = dict(event.data)
    elif kind in EVENT_KINDS:
        data = _arguments(case, event, EVENT_KINDS[kind], users)
    else:
        data = dict(event.data)  # kept as stored; the import does not take it yet
    if data:
        out["data"] = data
    return out


def _arguments(case: Case, event: CaseEvent, kind: EventKind, users: dict[int, User]) -> dict:
    """The service's arguments that the stored event's data amounts to."""
    stored = event.data
    out = {}
    for name, argument in kind.arguments.items():
        value = stored.get(kind.stored_as.get(name, name))
        if name == "override":
            value = (stored.get("override") or {}).get("reason", "")
        elif name in {"external_investigator", "external_organisation"}:
            outside = stored.get("external_investigator") or {}
            value = outside.get("name" if name == "external_investigator" else "organisation")
        elif kind.action is Action.ACCEPT and name == "exceptional_circumstances":
            value = case.exceptional_circumstances
        elif argument.type == "colleague" and value in users:
            value = _email(users[value])
        elif kind.action is Action.CORRECT_DETAILS and name == "confirm_effects":
            value = bool(stored.get("effects"))  # a correction with effects was confirmed
        elif argument.type == "details":
            value = _details(stored["values"]["to"], users)
        elif kind.action is Action.RECORD_RESTRICTION_NOTICE and name == "for_reference":
            value = _source_reference(case.organisation_id, value)
        elif argument.type == "colleagues":
            # Kept as [{"id", "name"}]: who they were when named.
            value = [_email(users[n["id"]]) for n in value or [] if n["id"] in users]
        if argument.required or (value not in _EMPTY and value != argument.default):
            out[name] = value
    return out


def _details(values: dict, users: dict[int, User]) -> dict:
    """A correction's new values as a history file gives them: colleagues by e-mail address."""
    out = dict(values)
    if "about_colleagues" in out:
        out["about_colleagues"] = [_email(users[pk]) for pk in out["about_colleagues"]]
    return out


def _as_received(events: list[CaseEvent], users: dict[int, User]) -> dict:
    """The details corrections changed, each as it was before the first correction of it."""
    out: dict[str, object] = {}
    for event in events:
        if event.kind != Action.CORRECT_DETAILS or "values" not in event.data:
            continue
        for field, value in _details(event.data["values"]["from"], users).items():
            out.setdefault(field, value)
    if "about_colleagues" in out:
        out["about_colleagues"] = sorted(out["about_colleagues"])
    if "service_area" in out and out["service_area"] is None:
        out["service_area"] = ""
    if out.get("tenure") == Case.Tenure.UNKNOWN:
        out["tenure"] = ""
    return out


def _source_reference(organisation_id: int, reference: str) -> str:
    """The reference a history file gives the case `reference`: its source reference if it was
    imported, as the case itself is written."""
    imported = ImportedCase.objects.filter(
        organisation_id=organisation_id, case__reference=reference
    ).values_list("source_reference", flat=True)
    return imported.first() or reference
