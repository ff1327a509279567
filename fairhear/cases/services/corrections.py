"""Correcting a case's details by an event that records each value before and after
(domain/corrections.py). A correction that moves a deadline, changes the time-limit verdict or
the bodies the complainant is signposted to is refused until the colleague has seen that and
confirmed it (`CorrectionNeedsConfirmation`)."""

from __future__ import annotations

import copy
from datetime import date, datetime

from fairhear.accounts.models import ServiceArea, User
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_signposts
from fairhear.cases.services.clocks import clock_rows
from fairhear.cases.services.notices import happening_now, notify_flagged
from fairhear.cases.services.texts import check_text
from fairhear.cases.services.transitions import (
    CaseInputError,
    _Context,
    _transition,
)
from fairhear.cases.snapshots import case_verdict
from fairhear.domain.access import access_restricting_categories
from fairhear.domain.bounds import year_problem
from fairhear.domain.clock import fmt_day, london_date
from fairhear.domain.corrections import (
    CORRECTABLE,
    DueDate,
    FieldChange,
    deadline_effects,
    verdict_effect,
)
from fairhear.domain.lifecycle import Action, CaseKind
from fairhear.policies.selectors import policy_pack_for

_FLAGS = ("safeguarding", "health_and_safety", "anti_social_behaviour")
_URGENT = ("safeguarding", "health_and_safety")


class CorrectionNeedsConfirmation(CaseInputError):
    """The correction changes what the case's deadlines, time limit or signposts say; the
    message says how, and the colleague confirms before it is saved."""

    def __init__(self, effects: list[str]) -> None:
        self.effects = effects
        super().__init__(
            "This correction changes the case: " + " ".join(effects) + " Confirm to save it."
        )


def case_correct_details(
    *,
    case: Case,
    actor: User,
    changes: dict[str, object],
    reason: str,
    confirm_effects: bool = False,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Correct some of the case's own details (CORRECTABLE), saying why. Only the details that
    differ from the case as it stands are recorded; giving none that differ is refused."""
    if not reason.strip():
        raise CaseInputError("Say why the details are being corrected; the reason is recorded.")
    check_text(reason, what="the reason for the correction")
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise CaseInputError(
            f"{', '.join(unknown)} cannot be corrected here; only {', '.join(CORRECTABLE)}."
        )
    _check_values(case, changes)
    differences = correction_differences(case=case, changes=changes)
    if not differences:
        raise CaseInputError("Nothing was changed: every detail is as the case already has it.")
    effects = correction_effects(case=case, changes=changes)
    if effects and not confirm_effects:
        raise CorrectionNeedsConfirmation(effects)
    scalar = {d.field: changes[d.field] for d in differences if d.field != "about_colleagues"}
    colleagues = changes.get("about_colleagues")
    newly_restricting = _newly_restricting(case, changes)
    if newly_restricting:
        scalar["restricted_access"] = True

    def validate(ctx: _Context, when: datetime) -> dict:
        # Checked again on the locked row: the case may have changed since the page was drawn.
        locked_differences = correction_differences(case=ctx.case, changes=changes)
        if not locked_differences:
            raise CaseInputError("Nothing was changed: every detail is as the case already has it.")
        data = {
            "changes": [d.as_data() for d in locked_differences],
            "values": _values(ctx.case, changes, locked_differences),
            "effects": effects,
        }
        if colleagues is not None and any(
            d.field == "about_colleagues" for d in locked_differences
        ):
            ctx.case.about_colleagues.set(list(colleagues))
        if newly_restricting:
            data["access_restricted_by"] = list(newly_restricting)
        return data | _lead_told(ctx.case, changes, actor, when)

    return _transition(
        case,
        Action.CORRECT_DETAILS,
        actor=actor,
        occurred_at=occurred_at,
        data={"reason": reason.strip()},
        validate=validate,
        seen_sequence=seen_sequence,
        **scalar,
    )


def _values(
    case: Case, changes: dict[str, object], differences: list[FieldChange]
) -> dict[str, dict]:
    """Each changed detail's value before and after as it is kept (a date as 2026-05-22, the
    service area by name, colleagues by id), beside the words: what an export of the history
    writes back (docs/import.md)."""
    return {
        "from": {d.field: _kept(d.field, _current(case, d.field)) for d in differences},
        "to": {d.field: _kept(d.field, changes[d.field]) for d in differences},
    }


def _kept(field: str, value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if field == "service_area":
        return value.name if value is not None else None
    if field == "about_colleagues":
        return [u.pk for u in value or []]
    return value


def _lead_told(case: Case, changes: dict[str, object], actor: User, when: datetime) -> dict:
    """A case newly marked safeguarding or health and safety tells the lead officer at once,
    as one so marked when it came in does (Pivotal §9.2; App. 3 F); what the event records of
    it. A correction written up afterwards tells nobody: the news is old."""
    marked = [f for f in _URGENT if changes.get(f) is True and not getattr(case, f)]
    if not marked or not happening_now(when):
        return {}
    flagged = copy.copy(case)
    for flag in _URGENT:
        setattr(flagged, flag, bool(changes.get(flag, getattr(case, flag))))
    told = notify_flagged(flagged, actor)
    return {"lead_told": told.data()} if told is not None else {}


def correction_differences(*, case: Case, changes: dict[str, object]) -> list[FieldChange]:
    """The details `changes` would really change, each as words before and after."""
    pack = policy_pack_for(case.policy_version)
    labels = {c.code: c.label for c in pack.categories}
    out = []
    for field in CORRECTABLE:
        if field not in changes:
            continue
        before, after = _current(case, field), changes[field]
        if _comparable(field, before) == _comparable(field, after):
            continue
        out.append(FieldChange(field, _words(field, before, labels), _words(field, after, labels)))
    return out


def correction_effects(*, case: Case, changes: dict[str, object]) -> list[str]:
    """What the correction would change beyond the details themselves, in sentences: the
    time-limit verdict (Pivotal §6.1 a; MMBM §6.1), any deadline, the signposts given."""
    effects = _access_effects(case, changes)
    if case.kind != CaseKind.COMPLAINT:
        return effects
    pack = policy_pack_for(case.policy_version)
    corrected = copy.copy(case)
    for field, value in changes.items():
        if field != "about_colleagues":
            setattr(corrected, field, value)
    before, after = case_verdict(case, pack), case_verdict(corrected, pack)
    sentence = verdict_effect(
        before_in_time=before.in_time, after_in_time=after.in_time, after_reason=after.reason
    )
    if sentence:
        effects.append(sentence)
    effects += deadline_effects(_due_dates(case), _due_dates(corrected))
    was = [s.name for s in case_signposts(case)]
    now = [s.name for s in case_signposts(corrected)]
    if was != now:
        effects.append(f"The complainant is told about {_names(now)} instead of {_names(was)}.")
    return effects


def _restricting(case: Case, values: dict[str, object]) -> tuple[str, ...]:
    """The categories (a safeguarding or health and safety mark counts as its category, as on
    logging) that restrict access, for the case with `values` in place of its own."""
    categories = list(values.get("categories", case.categories) or [])
    for flag in ("safeguarding", "health_and_safety"):
        if values.get(flag, getattr(case, flag)):
            categories.append(flag)
    pack = policy_pack_for(case.policy_version)
    return access_restricting_categories(pack, list(dict.fromkeys(categories)))


def _newly_restricting(case: Case, changes: dict[str, object]) -> tuple[str, ...]:
    """The restricting categories the correction brings to a case whose access is open."""
    if case.restricted_access:
        return ()
    return _restricting(case, changes)


def _access_effects(case: Case, changes: dict[str, object]) -> list[str]:
    """What the correction does to who may see the case (Pivotal App. 3 E; MMBM 7.6). Moving
    into a category that restricts access restricts it in the same event; moving out of one
    never opens the case by itself: only the lead lifts a restriction, with a reason."""
    labels = {c.code: c.label for c in policy_pack_for(case.policy_version).categories}
    added = _newly_restricting(case, changes)
    if added:
        names = " and ".join(labels.get(c, c) for c in added)
        return [
            f"Access becomes restricted ({names}): only the people named on the case, its "
            "handler and the lead officer will see it."
        ]
    if case.restricted_access and _restricting(case, {}) and not _restricting(case, changes):
        return [
            "Access stays restricted: no category on the case calls for it now, but only the "
            "lead officer can lift a restriction, with a reason."
        ]
    return []


def _due_dates(case: Case) -> list[DueDate]:
    rows, _, _ = clock_rows(case, policy_pack_for(case.policy_version))
    return [DueDate(r.name, r.label, r.due) for r in rows]


def _names(names: list[str]) -> str:
    return " and ".join(names) if names else "no ombudsman or regulator"


def _check_values(case: Case, changes: dict[str, object]) -> None:
    """Each corrected value as the case would need it on logging."""
    _check_texts(changes)
    if "categories" in changes:
        known = {c.code for c in policy_pack_for(case.policy_version).categories}
        unknown = [c for c in changes["categories"] if c not in known]
        if unknown:
            raise CaseInputError(f"Unknown categories {', '.join(unknown)}; use the policy's list.")
    area = changes.get("service_area")
    if isinstance(area, ServiceArea) and area.organisation_id != case.organisation_id:
        raise CaseInputError("That service area belongs to another organisation.")
    if "tenure" in changes and changes["tenure"] not in Case.Tenure.values:
        raise CaseInputError("Choose a tenure from the list.")
    for flag in _FLAGS:
        if flag in changes and not isinstance(changes[flag], bool):
            raise CaseInputError(f"{CORRECTABLE[flag]} is either marked or not.")
    incident = changes.get("incident_date")
    if isinstance(incident, date):
        _check_incident_date(case, incident)
    _check_colleagues(case, changes.get("about_colleagues") or [])


def _check_texts(changes: dict[str, object]) -> None:
    for field in ("summary", "desired_outcome"):
        if field in changes:
            check_text(str(changes[field]), what=CORRECTABLE[field].lower())
    if "summary" in changes and not str(changes["summary"]).strip():
        raise CaseInputError("What they told us cannot be empty; describe the matter.")


def _check_incident_date(case: Case, incident: date) -> None:
    problem = year_problem(incident, "The incident date")
    if problem:
        raise CaseInputError(problem)
    if incident > london_date(case.received_at):
        raise CaseInputError(
            f"The incident date {fmt_day(incident)} is after the case was received "
            f"({fmt_day(london_date(case.received_at))}); check the date."
        )


def _check_colleagues(case: Case, colleagues: list[User]) -> None:
    for colleague in colleagues:
        if colleague.organisation_id != case.organisation_id:
            raise CaseInputError("A colleague it is about must be one of this organisation's.")
        if colleague.pk == case.handler_id:
            raise CaseInputError(
                f"{colleague} handles this case. Allocate it to someone else before naming them: "
                "a colleague never handles or sees a complaint about themselves."
            )


def _current(case: Case, field: str) -> object:
    if field == "about_colleagues":
        return list(case.about_colleagues.all()) if case.pk else []
    return getattr(case, field)


def _comparable(field: str, value: object) -> object:
    if field == "about_colleagues":
        return sorted(u.pk for u in value or [])
    if field == "categories":
        return sorted(value or [])
    if field == "service_area":
        return value.pk if value is not None else None
    if isinstance(value, str):
        return value.strip()
    return value


def _words(field: str, value: object, labels: dict[str, str]) -> str:
    if field == "categories":
        return ", ".join(labels.get(c, c) for c in value) if value else "none"
    if field == "about_colleagues":
        return ", ".join(str(u) for u in value) if value else "nobody"
    if field == "tenure":
        return str(Case.Tenure(value).label)
    if field in _FLAGS:
        return "marked" if value else "not marked"
    if isinstance(value, date):
        return fmt_day(value)
    if value in (None, ""):
        return "not recorded"
    return str(value).strip()
