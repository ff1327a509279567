"""Import a case history (docs/import.md): every case replayed, event by event, through the
same services a colleague's clicks go through, at the times the file records; all of it kept,
or none of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from fairhear.accounts.models import Organisation, ServiceArea, User
from fairhear.cases import services as s
from fairhear.cases.models import Case
from fairhear.domain.lifecycle import Action, CaseKind, TransitionRejected
from fairhear.domain.policy.load import PackInvalid
from fairhear.importing.atomic import import_block
from fairhear.importing.events import EVENT_KINDS
from fairhear.importing.history_format import (
    PERSON_FIELDS,
    CaseSpec,
    EventSpec,
    parse_time,
    read_history,
)
from fairhear.importing.models import ImportedCase
from fairhear.importing.organisation import colleagues_for, organisation_for
from fairhear.importing.problems import ImportRefused, Problem

Progress = Callable[[int, int], None]


@dataclass
class ImportSummary:
    """What an import did (or, in a dry run, would do)."""

    dry_run: bool
    organisation: str = ""
    organisation_created: bool = False
    colleagues_created: list[str] = field(default_factory=list)
    imported: list[tuple[str, str]] = field(default_factory=list)  # (source ref, reference)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    events: int = 0
    problems: list[Problem] = field(default_factory=list)


class _Undo(Exception):
    """Leave the import's transaction without keeping anything."""


def import_history(
    raw: object, *, dry_run: bool, progress: Progress | None = None
) -> ImportSummary:
    """Replay the file's history. A dry run finds every problem and keeps nothing; a real
    import keeps everything or, finding any problem, nothing, and raises ImportRefused.

    A case whose source reference was imported before for the organisation is skipped (and
    listed), so importing a file twice, or a longer export of the same system, adds only the
    cases that are new."""
    spec, problems = read_history(raw)
    summary = ImportSummary(dry_run=dry_run, problems=problems)
    if spec is None or any(p.case is None for p in problems):
        # Without its organisation, nothing in the file can be replayed.
        return finish(summary)
    broken = {p.case for p in problems}
    return run_all_or_nothing(summary, lambda: _replay(spec, broken, summary, progress))


def run_all_or_nothing(summary: ImportSummary, work: Callable[[], None]) -> ImportSummary:
    """Do `work` in one transaction, kept only for a real import without a problem."""
    try:
        with import_block():
            work()
            if summary.dry_run or summary.problems:
                raise _Undo
    except _Undo:
        pass
    return finish(summary)


def finish(summary: ImportSummary) -> ImportSummary:
    """Put the problems in file order; a real import with any raises ImportRefused."""
    summary.problems.sort(key=lambda p: (p.row or 0, p.case or 0, p.event or 0))
    if summary.problems and not summary.dry_run:
        raise ImportRefused(summary.problems)
    return summary


def _replay(spec: object, broken: set, summary: ImportSummary, progress: Progress | None) -> None:
    existed = Organisation.objects.filter(slug=spec.organisation["slug"]).exists()
    org = organisation_for(spec.organisation, summary.problems)
    if org is None:
        return
    summary.organisation, summary.organisation_created = org.slug, not existed
    users, summary.colleagues_created = colleagues_for(org, spec.colleagues, summary.problems)
    replay_cases(org, spec.cases, users, broken, summary, progress)


def replay_cases(
    org: Organisation,
    cases: list[CaseSpec],
    users: dict[str, User],
    broken: set,
    summary: ImportSummary,
    progress: Progress | None,
) -> None:
    """Replay each case not imported before and without a problem already found."""
    already = dict(
        ImportedCase.objects.filter(organisation=org).values_list(
            "source_reference", "case__reference"
        )
    )
    areas = {a.name: a for a in ServiceArea.objects.filter(organisation=org)}
    total = len(cases)
    for done, case in enumerate(cases, start=1):
        if case.source_reference in already:
            summary.skipped.append((case.source_reference, already[case.source_reference]))
        elif case.number not in broken:
            _replay_case(org, case, users, areas, summary)
        if progress:
            progress(done, total)


def _replay_case(
    org: Organisation,
    spec: CaseSpec,
    users: dict[str, User],
    areas: dict[str, ServiceArea],
    summary: ImportSummary,
) -> None:
    """One case in a savepoint of its own: a problem undoes this case only, so the dry run goes
    on to find the problems of the others."""
    event = spec.events[0]
    try:
        with import_block():
            case = _receive(org, spec, users, areas)
            ImportedCase.objects.create(
                organisation=org,
                source_reference=spec.source_reference,
                case=case,
                source="history",
            )
            for event in spec.events[1:]:
                _apply(case, event, users, areas)
    except (s.CaseInputError, TransitionRejected, PackInvalid, _Problem) as refused:
        summary.problems.append(spec.problem(str(refused), event, getattr(refused, "field", "")))
        return
    summary.imported.append((spec.source_reference, case.reference))
    summary.events += len(spec.events)


class _Problem(Exception):
    """A problem found while replaying that the services do not check themselves."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _person(details: dict | None) -> s.PersonDetails | None:
    if details is None:
        return None
    return s.PersonDetails(**{k: str(details.get(k, "")).strip() for k in PERSON_FIELDS})


def _receive(
    org: Organisation, spec: CaseSpec, users: dict[str, User], areas: dict[str, ServiceArea]
) -> Case:
    f, event = spec.fields, spec.events[0]
    if event.kind is not Action.RECEIVE:
        raise _Problem("The first event is the case's receipt: its kind is 'received'.", "kind")
    area = None
    if f.get("service_area"):
        area = areas.get(f["service_area"])
        if area is None:
            raise _Problem(
                f"{f['service_area']!r} is not one of the organisation's service areas; "
                "list it under organisation.service_areas.",
                "service_area",
            )
    # Logged when received, unless the file says the old log took it in later.
    logged_at = parse_time(event.data["logged_at"])[0] if "logged_at" in event.data else event.at
    return s.case_receive(
        organisation=org,
        logged_by=users.get(event.by),
        kind=CaseKind(f["kind"]),
        channel=f["channel"],
        summary=f["summary"],
        received_at=event.at,
        complainant=_person(f.get("complainant")),
        representative=_person(f.get("representative")),
        representative_role=f.get("representative_role", ""),
        anonymous=bool(f.get("anonymous", False)),
        desired_outcome=f.get("desired_outcome", ""),
        categories=list(f.get("categories", [])),
        service_area=area,
        about_colleagues=[users[e.lower()] for e in f.get("about_colleagues", [])],
        safeguarding=bool(f.get("safeguarding", False)),
        health_and_safety=bool(f.get("health_and_safety", False)),
        anti_social_behaviour=bool(f.get("anti_social_behaviour", False)),
        tenure=f.get("tenure", Case.Tenure.UNKNOWN),
        incident_date=date.fromisoformat(f["incident_date"]) if f.get("incident_date") else None,
        logged_at=logged_at,
        confirm_policy_version=bool(event.data.get("policy_version_confirmed", False)),
    )


def _apply(
    case: Case, event: EventSpec, users: dict[str, User], areas: dict[str, ServiceArea]
) -> None:
    """Replay one event through its service, at its recorded time."""
    if event.kind is Action.RECEIVE:
        raise _Problem("A case is received once: only its first event is 'received'.", "kind")
    kind = EVENT_KINDS[event.kind]
    arguments: dict[str, object] = {}
    for name, value in event.data.items():
        argument = kind.arguments[name]
        if value is not None and argument.type == "date":
            value = date.fromisoformat(value)
        elif argument.type == "colleague":
            value = users[value.lower()]
        elif argument.type == "colleagues":
            value = [users[email.lower()] for email in value]
        elif argument.type == "kind":
            value = CaseKind(value)
        elif argument.type == "details":
            value = _details(value, users, areas)
        elif kind.action is Action.RECORD_RESTRICTION_NOTICE and name == "for_reference":
            value = _reference(case, value)
        arguments[name] = value
    arguments[kind.time] = event.at
    try:
        kind.service(case=case, actor=users.get(event.by), **arguments)
    except s.CorrectionNeedsConfirmation as effects:
        raise _Problem(
            "This correction changes the case: " + " ".join(effects.effects) + " Give "
            '"confirm_effects": true in its data to keep it, as the colleague who made it '
            "confirmed it.",
            "data.confirm_effects",
        ) from effects


def _reference(case: Case, source_reference: str) -> str:
    """The Fairhear reference of the organisation's case imported as `source_reference`."""
    reference = (
        ImportedCase.objects.filter(
            organisation_id=case.organisation_id, source_reference=source_reference
        )
        .values_list("case__reference", flat=True)
        .first()
    )
    if reference is None:
        raise _Problem(
            f"{source_reference!r} is not a case imported before this one; give the source "
            "reference of the case the step was recorded on, earlier in the file.",
            "data.for_reference",
        )
    return reference


def _details(
    changes: dict, users: dict[str, User], areas: dict[str, ServiceArea]
) -> dict[str, object]:
    """A correction's details as the service takes them: a date, a service area, colleagues."""
    out = dict(changes)
    if out.get("incident_date"):
        out["incident_date"] = date.fromisoformat(out["incident_date"])
    if "service_area" in out and out["service_area"] is not None:
        if out["service_area"] not in areas:
            raise _Problem(
                f"{out['service_area']!r} is not one of the organisation's service areas; "
                "list it under organisation.service_areas.",
                "data.changes",
            )
        out["service_area"] = areas[out["service_area"]]
    if "about_colleagues" in out:
        out["about_colleagues"] = [users[e.lower()] for e in out["about_colleagues"]]
    return out
