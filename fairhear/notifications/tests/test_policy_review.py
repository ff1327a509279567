"""The policy's own review (Pivotal §24.1: "reviewed annually by Pivotal's Senior Leadership
Team"). Pivotal 3.0 came into force on Sun 1 Oct 2023 (the pack's `in_force_from`), so its first
review is due on Tue 1 Oct 2024. The lead officer is reminded 20 working days before: counting
back from the due date, by hand, Tue 1 Oct (1), Mon 30 Sep (2), Fri 27 to Mon 23 Sep (3 to 7),
Fri 20 to Mon 16 (8 to 12), Fri 13 to Mon 9 (13 to 17), Fri 6 (18), Thu 5 (19), Wed 4 Sep (20):
so on Tue 3 Sep 2024 only 20 working days are left after today, and the reminder goes then, not
on Mon 2 Sep (21 left). No bank holiday falls in September 2024. The day after the due date, Wed
2 Oct 2024, the lead is told once that it is overdue."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from fairhear.accounts.selectors import organisation_calendar
from fairhear.cases.tests.factories import make_team
from fairhear.domain.policy.load import PACKS_DIR, load_pack_text
from fairhear.domain.policy_review import policy_review_due, review_reminder_is_due
from fairhear.notifications.models import PolicyReviewNotice
from fairhear.notifications.sweep import sweep_all
from fairhear.notifications.tests.helpers import london
from fairhear.outbox.models import OutboundMessage
from fairhear.policies.selectors import policy_review_state
from fairhear.policies.services import PolicyReviewInvalid, policy_review_record

pytestmark = pytest.mark.django_db


def sweep_at(moment) -> None:
    with time_machine.travel(moment, tick=False):
        sweep_all(worker_id="test")


def review_mail() -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(kind__startswith="policy_review").order_by("pk"))


def test_the_lead_is_reminded_on_tuesday_3_september_not_a_day_early_and_once():
    team = make_team("pivotal")
    sweep_at(london(2024, 9, 2, 23, 59))  # Mon 2 Sep: 21 working days left
    assert review_mail() == []

    sweep_at(london(2024, 9, 3, 0, 1))  # Tue 3 Sep: 20 left
    sweep_at(london(2024, 9, 3, 0, 2))  # the next minute's sweep
    sweep_at(london(2024, 9, 20, 9))  # a later day before it is due

    [mail] = review_mail()
    assert mail.to == [team.lead.email]
    assert mail.subject == "The policy is due for review by Tue 1 Oct 2024"
    assert "every year (§24.1)" in mail.body_text
    assert "No review of this version has been recorded" in mail.body_text
    assert "/administration/policy/" in mail.body_text


def test_an_unrecorded_review_is_told_as_overdue_the_day_after_and_once():
    team = make_team("pivotal")
    sweep_at(london(2024, 10, 1, 23, 59))  # the due date itself: a reminder, not overdue
    assert [m.kind for m in review_mail()] == ["policy_review_reminder"]

    sweep_at(london(2024, 10, 2, 0, 1))  # Wed 2 Oct
    sweep_at(london(2024, 10, 9, 9))

    assert [m.kind for m in review_mail()] == ["policy_review_reminder", "policy_review_overdue"]
    overdue = review_mail()[1]
    assert overdue.subject == "The policy's review was due on Tue 1 Oct 2024"
    assert overdue.to == [team.lead.email]
    assert PolicyReviewNotice.objects.filter(organisation=team.org).count() == 2


def test_a_review_recorded_counts_the_next_year_from_its_own_day():
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 25, 11), tick=False):
        policy_review_record(
            organisation=team.org,
            actor=team.lead,
            reviewed_on=date(2024, 9, 24),
            note="Reviewed by the Senior Leadership Team: no change.",
        )
        state = policy_review_state(organisation=team.org)
    # Tue 24 Sep 2024 + 12 months = Wed 24 Sep 2025.
    assert state.due == date(2025, 9, 24)
    assert state.last.note == "Reviewed by the Senior Leadership Team: no change."

    sweep_at(london(2024, 10, 2, 9))  # no longer overdue
    assert review_mail() == []


@pytest.mark.parametrize(
    ("reviewed_on", "says"),
    [
        (date(2024, 9, 26), "is in the future"),
        (date(2023, 9, 30), "is before pivotal 3.0 came into force (Sun 1 Oct 2023)"),
    ],
)
def test_a_review_date_that_cannot_be_is_refused_in_words(reviewed_on, says):
    team = make_team("pivotal")
    escaped = says.replace("(", r"\(").replace(")", r"\)")
    with (
        time_machine.travel(london(2024, 9, 25, 11), tick=False),
        pytest.raises(PolicyReviewInvalid, match=escaped),
    ):
        policy_review_record(
            organisation=team.org, actor=team.lead, reviewed_on=reviewed_on, note="Done."
        )


def test_a_policy_that_sets_no_review_is_never_reminded():
    make_team("mmbm")
    sweep_at(london(2024, 10, 2, 9))
    assert review_mail() == []


def test_twelve_months_from_the_31st_end_on_the_last_day_of_a_short_month():
    text = (PACKS_DIR / "pivotal.toml").read_text(encoding="utf-8")
    pack = load_pack_text(text.replace("review_every_months = 12", "review_every_months = 1"))
    assert policy_review_due(pack, published_on=date(2026, 1, 5)) == date(2023, 11, 1)
    assert policy_review_due(
        pack, published_on=date(2026, 1, 5), last_reviewed=date(2027, 1, 31)
    ) == date(2027, 2, 28)


def test_the_reminder_window_counts_working_days_across_christmas_and_new_year():
    # A review due Tue 2 Jan 2024. Counting back 20 working days by hand, skipping Mon 1 Jan,
    # Mon 25 and Tue 26 Dec (bank holidays) and the weekends: Tue 2 Jan (1), Fri 29 to Wed
    # 27 Dec (2 to 4), Fri 22 to Mon 18 (5 to 9), Fri 15 to Mon 11 (10 to 14), Fri 8 to Mon 4
    # (15 to 19), Fri 1 Dec (20). So the lead is reminded from Thu 30 Nov 2023, not Wed 29 Nov.
    team = make_team("pivotal")
    cal = organisation_calendar(team.org)
    due = date(2024, 1, 2)
    assert not review_reminder_is_due(cal, date(2023, 11, 29), due)
    assert review_reminder_is_due(cal, date(2023, 11, 30), due)
    assert review_reminder_is_due(cal, due, due)
    assert not review_reminder_is_due(cal, date(2024, 1, 3), due)


def test_the_overdue_notice_goes_on_the_london_day_after_across_the_clocks_going_forward():
    # A review recorded on Sat 30 Mar 2024 is next due Sun 30 Mar 2025, the day British Summer
    # Time begins. It is overdue from midnight in London on Mon 31 Mar, which is 23:00 UTC on
    # the Sunday.
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 3, 30, 12), tick=False):
        policy_review_record(
            organisation=team.org,
            actor=team.lead,
            reviewed_on=date(2024, 3, 30),
            note="Reviewed by the Senior Leadership Team: no change.",
        )
    sweep_at(london(2025, 3, 30, 23, 59))
    assert [m.kind for m in review_mail()] == ["policy_review_reminder"]
    sweep_at(london(2025, 3, 31, 0, 0))
    assert [m.kind for m in review_mail()] == ["policy_review_reminder", "policy_review_overdue"]
    assert review_mail()[1].subject == "The policy's review was due on Sun 30 Mar 2025"
