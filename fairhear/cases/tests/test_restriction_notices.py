"""MMBM seed 000 §9: restrictions are "confirmed in writing", and each review "must also be
confirmed in writing"; the date each written notice was sent is recorded (the letter itself
comes with the letters work)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases.services import (
    CaseInputError,
    case_apply_restriction,
    case_review_restriction,
)
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import page_text

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026


def test_mmbm_a_restriction_review_records_when_its_written_confirmation_was_sent(client):
    team = make_team("mmbm")
    with time_machine.travel(NOW, tick=False):
        case = receive_complaint(team, datetime(2026, 3, 2, 9, 0, tzinfo=LONDON))
        case_apply_restriction(
            case=case,
            actor=team.lead,
            restrictions="Contact by email only.",
            reason="Repeated abusive calls.",
            notice_sent_on=date(2026, 3, 2),
        )
        with pytest.raises(CaseInputError, match="cannot have been sent in the future"):
            case_review_restriction(
                case=case, actor=team.lead, decision="Kept.", notice_sent_on=date(2026, 3, 5)
            )
        case_review_restriction(
            case=case, actor=team.lead, decision="Kept: calls continue.", notice_sent_on=NOW.date()
        )
        review = case.events.order_by("-sequence").first()
        assert review.data["notice_sent_on"] == "2026-03-04"

        client.force_login(team.lead)
        page = page_text(client.get(reverse("cases:detail", args=[case.reference])))
    assert "Decision Kept: calls continue. Written notice sent Wed 4 Mar 2026" in page
    assert "Written notice sent Mon 2 Mar 2026" in page
