"""The domain's need-to-know verdict and the database query agree on every colleague and every
case of the demo (LAYOUT.md, "Access is decided once"; docs/adr/ADR-006)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fairhear.accounts.models import User
from fairhear.accounts.tests.factories import UserFactory
from fairhear.cases import services as s
from fairhear.cases.access import case_access_facts, colleague_facts
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_list_visible_to, cases_logged_by
from fairhear.core.demo import create_demo
from fairhear.domain.access import Visibility, access_for
from fairhear.domain.lifecycle import CaseKind
from fairhear.domain.policy.schema import Capability

pytestmark = pytest.mark.django_db


def _colleagues(demo) -> list[User]:
    """The demo's nine roles, plus an allocator tied to one service area and a colleague with
    no casework capability at all."""
    area = demo.org.service_areas.order_by("name").first()
    extra = [
        UserFactory(
            organisation=demo.org,
            capabilities=[Capability.LOG.value, Capability.ALLOCATE.value],
            service_area=area,
        ),
        UserFactory(organisation=demo.org, capabilities=[Capability.ADMINISTER.value]),
    ]
    return [*demo.users.values(), *extra]


def _no_service_area(demo) -> None:
    """A case logged with no service area, accepted and allocated: every allocator sees it."""
    case = s.case_receive(
        organisation=demo.org,
        logged_by=demo.users["colleague"],
        kind=CaseKind.COMPLAINT,
        channel=Case.Channel.PHONE,
        summary="Nobody knows which scheme this is.",
        received_at=timezone.now() - timedelta(hours=2),
        complainant=s.PersonDetails(name="Nell Ward"),
        categories=["other"],
    )
    s.case_accept(case=case, actor=demo.users["lead"])
    s.case_allocate(case=case, actor=demo.users["lead"], handler=demo.users["investigator"])


def _restricted_by_the_lead(demo) -> None:
    """Two open cases the lead restricts: one naming a reviewer and the colleague who logged
    it, one naming nobody."""
    open_cases = Case.objects.filter(
        organisation=demo.org, restricted_access=False, handler__isnull=False
    ).order_by("pk")
    named = [demo.users["reviewer2"], demo.users["colleague"]]
    lead = demo.users["lead"]
    first, second = open_cases[0], open_cases[1]
    s.case_restrict_access(case=first, actor=lead, reason="A fraud allegation.", named=named)
    s.case_restrict_access(case=second, actor=lead, reason="Safeguarding.", named=[])


@pytest.mark.parametrize("policy", ["pivotal", "mmbm"])
def test_the_domain_rule_and_the_query_agree_for_every_role_and_case(policy):
    demo = create_demo(policy=policy, cases=60)
    _no_service_area(demo)
    _restricted_by_the_lead(demo)
    cases = list(Case.objects.filter(organisation=demo.org))
    facts = {c.pk: case_access_facts(c) for c in cases}
    seen_by_kind = dict.fromkeys(Visibility, 0)
    for user in _colleagues(demo):
        me = colleague_facts(user)
        full = set(case_list_visible_to(user=user).values_list("pk", flat=True))
        logged = {row.case.pk: row for row in cases_logged_by(user=user)}
        for case in cases:
            verdict = access_for(me, facts[case.pk])
            seen_by_kind[verdict.visibility] += 1
            where = f"{user.username} on {case.reference}: {verdict.reason}"
            assert (case.pk in full) == verdict.full, where
            assert (case.pk in logged) == (
                verdict.visibility is not Visibility.NONE and case.logged_by_id == user.pk
            ), where
            if case.pk in logged:
                assert logged[case.pk].full == verdict.full, where
    # The demo exercises every verdict, so the agreement is not vacuous.
    assert all(seen_by_kind.values()), seen_by_kind
