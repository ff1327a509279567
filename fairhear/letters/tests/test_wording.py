"""An organisation's own wording for its letters, edited by its administrators with a preview;
anything that is not a field of the letter is refused in words and nothing is saved."""

import pytest
from django.urls import reverse

from fairhear.accounts.tests.factories import UserFactory
from fairhear.cases.tests.factories import make_team
from fairhear.domain.letters import LetterKind
from fairhear.domain.policy.schema import Capability
from fairhear.letters.selectors import letter_wording

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_and_team():
    team = make_team("pivotal")
    admin = UserFactory(organisation=team.org, capabilities=[Capability.ADMINISTER.value])
    return admin, team


def test_only_an_administrator_may_change_the_letters(client, admin_and_team):
    admin, team = admin_and_team
    client.force_login(team.investigator)
    assert client.get(reverse("letters:wording_list")).status_code == 403
    client.force_login(admin)
    page = client.get(reverse("letters:wording_list"))
    assert page.status_code == 200
    assert "Complaint not accepted" in page.content.decode()


def test_the_preview_fills_the_wording_with_example_values_and_saves_nothing(
    client, admin_and_team
):
    admin, team = admin_and_team
    client.force_login(admin)
    url = reverse("letters:wording_edit", args=["closure"])
    response = client.post(
        url,
        {
            "subject": "Closed: {{ reference }}",
            "body": "Dear {{ complainant.name }}",
            "preview": "1",
        },
    )
    page = response.content.decode()
    assert "Dear Ms Jo Bloggs" in page
    assert "Closed: EXAMPLE-2026-0001" in page
    assert not letter_wording(organisation=team.org, kind=LetterKind.CLOSURE).own


def test_an_unknown_placeholder_is_refused_in_words_and_not_saved(client, admin_and_team):
    admin, team = admin_and_team
    client.force_login(admin)
    url = reverse("letters:wording_edit", args=["closure"])
    response = client.post(
        url, {"subject": "Closed", "body": "Dear {{ complainant.nmae }}", "save": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "{{ complainant.nmae }}, which is not a field of a closure letter" in page
    assert not letter_wording(organisation=team.org, kind=LetterKind.CLOSURE).own


def test_saved_wording_is_used_and_can_go_back_to_the_default(client, admin_and_team):
    admin, team = admin_and_team
    client.force_login(admin)
    url = reverse("letters:wording_edit", args=["closure"])
    client.post(url, {"subject": "Closed", "body": "Dear {{ complainant.name }}", "save": "1"})
    assert letter_wording(organisation=team.org, kind=LetterKind.CLOSURE).body == (
        "Dear {{ complainant.name }}"
    )
    client.post(reverse("letters:wording_reset", args=["closure"]))
    assert not letter_wording(organisation=team.org, kind=LetterKind.CLOSURE).own
