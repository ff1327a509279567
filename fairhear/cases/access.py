"""The need-to-know rule of `fairhear.domain.access` as database queries, and the facts the
domain rule needs read from a stored case. `cases.selectors` builds every list on these; a test
drives both over every role and case of the demo and asserts they agree (ADR-006)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from fairhear.accounts.models import User
from fairhear.cases.models import Case, CaseInvolvement
from fairhear.domain.access import (
    AWAITING_LATER_STAGE,
    PUT_TO_REVIEWERS_STATES,
    REVIEWING,
    CaseAccessFacts,
    ColleagueFacts,
    Involvement,
)
from fairhear.domain.lifecycle import CaseState
from fairhear.domain.policy.schema import Capability


def colleague_facts(user: User) -> ColleagueFacts:
    """The colleague as the access rule sees them."""
    held = set()
    for value in user.capabilities or []:
        try:
            held.add(Capability(value))
        except ValueError:
            continue  # a capability no longer known grants nothing
    return ColleagueFacts(
        id=user.pk, capabilities=frozenset(held), service_area_id=user.service_area_id
    )


def access_memo_key(user: User) -> tuple:
    """Every input `full_access_q` is built from, for a memo of SQL built on it (sql_memo)."""
    if not user.is_authenticated:
        return (None,)
    return (user.pk, user.organisation_id, colleague_facts(user))


def case_access_facts(case: Case) -> CaseAccessFacts:
    """The stored case as the access rule sees it."""
    parts = list(case.involvements.values_list("user_id", "role"))
    return CaseAccessFacts(
        state=CaseState(case.state),
        stage=case.stage,
        handler_id=case.handler_id,
        logged_by_id=case.logged_by_id,
        service_area_id=case.service_area_id,
        about_ids=frozenset(case.about_colleagues.values_list("pk", flat=True)),
        handled_ids=frozenset(u for u, role in parts if role == Involvement.HANDLED),
        decided_ids=frozenset(u for u, role in parts if role == Involvement.DECIDED),
        restricted=case.restricted_access,
        named_ids=frozenset(case.access_named.values_list("pk", flat=True)),
    )


def _involved(user: User, role: Involvement | None = None) -> Exists:
    parts = CaseInvolvement.objects.filter(case=OuterRef("pk"), user=user)
    return Exists(parts.filter(role=role) if role else parts)


def _about(user: User) -> Exists:
    return Exists(Case.about_colleagues.through.objects.filter(case=OuterRef("pk"), user=user))


def _named(user: User) -> Exists:
    return Exists(Case.access_named.through.objects.filter(case=OuterRef("pk"), user=user))


def _anyone_handled() -> Exists:
    return Exists(CaseInvolvement.objects.filter(case=OuterRef("pk"), role=Involvement.HANDLED))


def full_access_q(user: User) -> Q:
    """The cases of the colleague's organisation they may open (domain/access.py access_for,
    Visibility.FULL), as one condition."""
    me = colleague_facts(user)
    mine = Q(organisation_id=user.organisation_id) & ~Q(_about(user))
    if Capability.LEAD in me.capabilities:
        return mine
    restricted = Q(restricted_access=True) & (Q(_named(user)) | Q(handler=user))
    reasons = Q(handler=user) | Q(_involved(user))
    if Capability.ALLOCATE in me.capabilities:
        if me.service_area_id is None:
            reasons |= Q(pk__isnull=False)
        else:
            reasons |= Q(service_area_id=me.service_area_id) | Q(service_area__isnull=True)
    if me.capabilities & REVIEWING:
        reasons |= Q(state__in=list(PUT_TO_REVIEWERS_STATES))
        reasons |= Q(state=AWAITING_LATER_STAGE, stage__gte=2)
    # The colleague who logged it, until it is first allocated.
    reasons |= Q(logged_by=user, handler__isnull=True) & ~Q(_anyone_handled())
    return mine & (restricted | (Q(restricted_access=False) & reasons))


def cases_fully_visible(user: User) -> QuerySet[Case]:
    """Every case the colleague may open."""
    if not user.is_authenticated or not user.organisation_id:
        return Case.objects.none()
    return Case.objects.filter(full_access_q(user))


def cases_logged_q(user: User) -> Q:
    """The cases the colleague logged, except complaints that name them."""
    return Q(organisation_id=user.organisation_id, logged_by=user) & ~Q(_about(user))
