"""Pivotal §6.1 f: "An attempt is made to reopen/reconsider a previously concluded complaint
where we have provided a final decision" is detected from the person's earlier cases (same
person, a shared category, closed after a response) and prompted at acceptance, naming the
earlier complaints the colleague may see."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.tests.factories import make_team, receive_complaint, signed_off
from fairhear.cases.tests.test_views import page_text
from fairhear.domain.clock import LONDON

pytestmark = pytest.mark.django_db

EARLIER = datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)  # Monday 5 January 2026
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
PROMPT = "Reopening a complaint already given a final decision (§6.1 f) may apply"


def _concluded(team, **kw):
    """A repairs complaint answered at stage 1 and closed with the complainant satisfied."""
    case = receive_complaint(team, EARLIER, **kw)
    s.case_accept(case=case, actor=team.allocator, occurred_at=EARLIER)
    s.case_allocate(case=case, actor=team.allocator, handler=team.investigator, occurred_at=EARLIER)
    s.case_acknowledge(case=case, actor=team.investigator, occurred_at=EARLIER)
    signed_off(team, case, "response")
    s.case_respond(
        case=case,
        actor=team.investigator,
        outcome=s.Outcome.NOT_UPHELD,
        reasons="The boiler was repaired on the day promised.",
    )
    return s.case_close(case=case, actor=team.investigator, reason_code="10.1a")


def _accept_page(client, case) -> str:
    return page_text(client.get(reverse("cases:action", args=[case.reference, "accepted"])))


def test_a_complaint_on_the_subject_of_a_concluded_one_prompts_6_1f_naming_it(client):
    team = make_team("pivotal")
    with time_machine.travel(NOW, tick=False):
        earlier = _concluded(team)
        again = receive_complaint(team, NOW)
        other_subject = receive_complaint(team, NOW, categories=["care_and_support"])
        client.force_login(team.allocator)
        page = _accept_page(client, again)
        assert PROMPT in page
        assert (
            f"The complainant's earlier complaint on the same subject ({earlier.reference}) "
            "received a final decision."
        ) in page
        assert PROMPT not in _accept_page(client, other_subject)
        # The reason is still the colleague's to choose: refusing with it is recorded.
        s.case_refuse(case=again, actor=team.allocator, reason_code="6.1f")
    again.refresh_from_db()
    assert again.state == "refused"


def test_a_complaint_withdrawn_before_any_response_was_not_concluded_with_a_decision(client):
    team = make_team("pivotal")
    with time_machine.travel(NOW, tick=False):
        withdrawn = receive_complaint(team, EARLIER)
        s.case_close(case=withdrawn, actor=team.allocator, reason_code="10.1b")
        again = receive_complaint(team, NOW)
        client.force_login(team.allocator)
        assert PROMPT not in _accept_page(client, again)


def test_an_earlier_complaint_the_colleague_may_not_see_is_not_named_or_prompted(client):
    team = make_team("pivotal")
    with time_machine.travel(NOW, tick=False):
        # The earlier complaint was about the allocator: they may not see it (need to know).
        _concluded(team, about_colleagues=[team.allocator])
        again = receive_complaint(team, NOW)
        client.force_login(team.allocator)
        assert PROMPT not in _accept_page(client, again)
