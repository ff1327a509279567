"""Factories and helpers for cases: an organisation on a shipped pack, with a colleague in each
role, and a complaint received at a given time."""

from dataclasses import dataclass
from datetime import datetime

from fairhear.accounts.models import Organisation, User
from fairhear.accounts.tests.factories import OrganisationFactory, UserFactory
from fairhear.cases.models import Case
from fairhear.cases.services import PersonDetails, case_receive, case_sign_off
from fairhear.domain.lifecycle import CaseKind
from fairhear.domain.policy.schema import Capability
from fairhear.domain.sign_off import SignOffStep, sign_off_for
from fairhear.policies.selectors import policy_pack_for
from fairhear.policies.services import policy_version_publish_shipped


@dataclass
class Team:
    """An organisation on a pack with one colleague per role."""

    org: Organisation
    colleague: User
    allocator: User
    investigator: User
    investigator2: User
    reviewer: User
    reviewer2: User
    director: User
    lead: User


def make_team(pack: str = "pivotal") -> Team:
    org = OrganisationFactory()
    policy_version_publish_shipped(organisation=org, name=pack)
    org.refresh_from_db()

    def person(*caps: Capability, **kw) -> User:
        return UserFactory(
            organisation=org, capabilities=[Capability.LOG.value, *(c.value for c in caps)], **kw
        )

    lead = person(Capability.LEAD)
    return Team(
        org=org,
        colleague=person(line_manager=lead),
        allocator=person(Capability.ALLOCATE),
        investigator=person(Capability.INVESTIGATE, line_manager=lead),
        investigator2=person(Capability.INVESTIGATE),
        reviewer=person(Capability.REVIEW, Capability.INVESTIGATE),
        reviewer2=person(Capability.REVIEW),
        director=person(Capability.DIRECT),
        lead=lead,
    )


def receive_complaint(team: Team, received_at: datetime, **kw) -> Case:
    defaults = {
        "organisation": team.org,
        "logged_by": team.colleague,
        "kind": CaseKind.COMPLAINT,
        "channel": Case.Channel.PHONE,
        "summary": "The repair to the boiler was not done when promised.",
        "received_at": received_at,
        "complainant": PersonDetails(name="Ada Lovelace", email="ada@example.org"),
        "categories": ["repairs"] if team.org.active_policy_version.name != "mmbm" else ["housing"],
    }
    defaults.update(kw)
    return case_receive(**defaults)


def signed_off(team: Team, case: Case, step: str) -> Case:
    """The Head of Services agrees a Pivotal stage 1 step first: an extension (§9 stage 1 step
    7) or the response's outcome (§13). Where the case's pack names no sign-off, nothing."""
    case.refresh_from_db()
    pack = policy_pack_for(case.policy_version)
    if sign_off_for(pack, case.stage, SignOffStep(step)) is None:
        return case
    return case_sign_off(case=case, actor=team.allocator, step=step)
