"""Cases opened under a policy version published before a pack field existed keep working."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fairhear.cases import services as s
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.lifecycle import CaseState
from fairhear.policies.services import policy_version_publish

LONDON = ZoneInfo("Europe/London")
FIRST_PIVOTAL = (
    Path(__file__).parents[2]
    / "domain"
    / "tests"
    / "published"
    / "pivotal-3.0-first-published.toml"
)


@pytest.mark.django_db
def test_an_appeal_refused_under_the_first_pivotal_version_closes_with_the_generic_reason(client):
    # The first published Pivotal text named no closure reason for a refused appeal (§9 stage 2
    # point 5); the case still closes, with Fairhear's own "escalation_refused".
    with time_machine.travel(datetime(2024, 6, 3, 9, 0, tzinfo=LONDON), tick=False) as clock:
        team = make_team("pivotal")
        policy_version_publish(
            organisation=team.org,
            toml_text=FIRST_PIVOTAL.read_text(encoding="utf-8"),
            source_name=FIRST_PIVOTAL.name,
        )
        team.org.refresh_from_db()
        case = receive_complaint(team, datetime(2024, 6, 3, 8, 30, tzinfo=LONDON))
        assert case.policy_version.source_toml == FIRST_PIVOTAL.read_text(encoding="utf-8")
        s.case_accept(case=case, actor=team.allocator)
        s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        s.case_acknowledge(case=case, actor=team.investigator)
        clock.move_to(datetime(2024, 6, 10, 9, 0, tzinfo=LONDON))
        s.case_respond(case=case, actor=team.investigator, outcome="not_upheld", reasons="Done.")
        s.case_request_escalation(
            case=case, actor=team.colleague, requested_at=datetime(2024, 6, 10, 9, 0, tzinfo=LONDON)
        )
        case = s.case_refuse_escalation(case=case, actor=team.reviewer, reason="No new points.")

        assert case.state == CaseState.CLOSED
        assert case.closure_reason == "escalation_refused"
        client.force_login(team.reviewer)
        page = client.get(f"/cases/{case.reference}/").content.decode()
        assert "Escalation refused" in page
