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
    case_record_restriction_notice,
    case_review_restriction,
    case_warn_about_behaviour,
)
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import page_text

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026


def test_mmbm_a_restriction_review_records_when_its_written_confirmation_was_sent(client):
    team = make_team("mmbm")
    with time_machine.travel(NOW, tick=False):
        # §9: warned first, at a meeting on Fri 30 Jan 2026, with a month to change: 30 Feb
        # does not exist, so until Sat 28 Feb 2026.
        earlier = receive_complaint(team, datetime(2026, 1, 30, 9, 0, tzinfo=LONDON))
        case_warn_about_behaviour(
            case=earlier,
            actor=team.lead,
            behaviour="Repeated abusive calls.",
            how="meeting",
            occurred_at=datetime(2026, 1, 30, 10, 0, tzinfo=LONDON),
        )
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


def test_mmbm_a_notice_sent_after_the_step_is_recorded_from_any_case_of_the_person(client):
    """§9: the warning (here given at a meeting) and the restrictions are confirmed in writing;
    a notice sent later is recorded as its own event, and the banner on every case of the
    person says which notices are still to be recorded until then."""
    team = make_team("mmbm")
    with time_machine.travel(NOW, tick=False):
        earlier = receive_complaint(team, datetime(2026, 1, 30, 9, 0, tzinfo=LONDON))
        case_warn_about_behaviour(
            case=earlier,
            actor=team.lead,
            behaviour="Repeated abusive calls.",
            how="meeting",
            occurred_at=datetime(2026, 1, 30, 10, 0, tzinfo=LONDON),
        )
        case = receive_complaint(team, datetime(2026, 3, 2, 9, 0, tzinfo=LONDON))
        client.force_login(team.lead)
        page = page_text(client.get(reverse("cases:detail", args=[case.reference])))
        assert (
            f"Written notice not yet recorded as sent for: The warning of Fri 30 Jan 2026 "
            f"(case {earlier.reference})"
        ) in page
        with pytest.raises(CaseInputError, match="before the warning it confirms"):
            case_record_restriction_notice(
                case=case,
                actor=team.lead,
                for_reference=earlier.reference,
                for_sequence=2,
                sent_on=date(2026, 1, 29),
            )
        case_record_restriction_notice(
            case=case,
            actor=team.lead,
            for_reference=earlier.reference,
            for_sequence=2,
            sent_on=date(2026, 2, 2),
        )
        with pytest.raises(CaseInputError, match="not waiting for a written notice"):
            case_record_restriction_notice(
                case=case,
                actor=team.lead,
                for_reference=earlier.reference,
                for_sequence=2,
                sent_on=date(2026, 2, 2),
            )
        page = page_text(client.get(reverse("cases:detail", args=[earlier.reference])))
    assert "Written notice not yet recorded" not in page
    assert "until Sat 28 Feb 2026 to change" not in page  # the chance to change has passed
    assert "was warned on Fri 30 Jan 2026 that their behaviour is unacceptable" in page
    assert "Their chance to change ended on Sat 28 Feb 2026 (§9)" in page
