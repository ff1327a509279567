"""Recording the policy's review on the Policy versions page (Pivotal §24.1). Pivotal 3.0 came
into force on 1 Oct 2023, so with no review recorded its review was due on Tue 1 Oct 2024;
today is Wed 4 Mar 2026, so it is overdue. A review recorded on Mon 2 Mar 2026 makes the next
one due on Tue 2 Mar 2027."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.accounts.models import AdministrativeChange
from fairhear.domain.clock import LONDON
from fairhear.policies.models import PolicyReview

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 3, 4, 10, tzinfo=LONDON), tick=False):
        yield


def test_the_page_shows_the_review_overdue_and_records_one(admin_client, org, admin):
    page = admin_client.get(reverse("administration:policy")).content.decode()
    assert "Overdue" in page
    assert "The next review was due on Tuesday 1 October 2024." in page
    assert "No review of the active version has been recorded." in page

    response = admin_client.post(
        reverse("administration:policy_review"),
        {"reviewed_on": "2026-03-02", "note": "Reviewed by the Senior Leadership Team."},
        follow=True,
    )

    page = response.content.decode()
    assert "Recorded the review of pivotal 3.0 on Mon 2 Mar 2026." in page
    assert "The next review is due by Tuesday 2 March 2027." in page
    assert "Overdue" not in page
    review = PolicyReview.objects.get(organisation=org)
    assert (review.recorded_by, review.note) == (admin, "Reviewed by the Senior Leadership Team.")
    change = AdministrativeChange.objects.get(organisation=org, what="policy.review")
    assert change.after == {"version": "pivotal 3.0", "reviewed on": "2026-03-02"}


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"reviewed_on": "2026-03-05", "note": "Done."}, "is in the future"),
        ({"reviewed_on": "2026-02-30", "note": "Done."}, "Enter the date as a real date"),
        ({"reviewed_on": "2026-03-02", "note": "  "}, "Say what the review found or decided"),
    ],
)
def test_a_review_that_cannot_be_recorded_says_why_on_the_error_summary(admin_client, data, says):
    response = admin_client.post(reverse("administration:policy_review"), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert says in page
    assert not PolicyReview.objects.exists()


def test_a_colleague_who_is_not_an_administrator_cannot_record_one(client, org):
    from fairhear.accounts.tests.factories import UserFactory
    from fairhear.domain.policy.schema import Capability

    investigator = UserFactory(organisation=org, capabilities=[Capability.INVESTIGATE.value])
    client.force_login(investigator)
    response = client.post(
        reverse("administration:policy_review"), {"reviewed_on": "2026-03-02", "note": "Done."}
    )
    assert response.status_code == 403
    assert not PolicyReview.objects.exists()
