"""Policy versions: a pack is uploaded and checked, its changes and what-if are shown, and it
becomes active only after confirming; open cases keep their own version."""

from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fairhear.accounts.models import AdministrativeChange
from fairhear.accounts.tests.factories import UserFactory
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.clock import LONDON
from fairhear.domain.policy.load import PACKS_DIR
from fairhear.domain.policy.schema import Capability
from fairhear.policies.models import PolicyVersion

PIVOTAL = (PACKS_DIR / "pivotal.toml").read_text(encoding="utf-8")
STAGE_1 = 'starts_from = "received"\nworking_days = 10\nmet_by = "stage1_response_sent"'


def pivotal_3_1() -> str:
    """Pivotal with 15 working days for the stage 1 response instead of 10 (§9 stage 1 step
    6), and without the worked examples, which assume 10."""
    assert STAGE_1 in PIVOTAL
    text = PIVOTAL.replace('version = "3.0"', 'version = "3.1"', 1).replace(
        STAGE_1, STAGE_1.replace("10", "15")
    )
    return text[: text.index("[[golden]]")]


def upload(client, text, name="pivotal-3.1.toml"):
    pack = SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/toml")
    return client.post(reverse("administration:policy"), {"pack": pack})


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def lead_client(team):
    client = Client()
    client.force_login(team.lead)
    return client


def test_a_pack_with_a_mistake_is_refused_naming_the_field_and_how_to_fix_it(lead_client, team):
    broken = PIVOTAL.replace(STAGE_1, STAGE_1.replace("10", '"ten"'))
    response = upload(lead_client, broken)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert (
        "clocks.stage1_response_due.working_days: must be a whole number from 0 to 2,000; "
        "got the text &#x27;ten&#x27;." in page
    )
    assert PolicyVersion.objects.filter(organisation=team.org).count() == 1


def test_a_pack_whose_worked_examples_fail_is_refused(lead_client, team):
    # Pivotal's own worked examples assume 10 working days: with 15 they fail.
    text = PIVOTAL.replace('version = "3.0"', 'version = "3.1"', 1).replace(
        STAGE_1, STAGE_1.replace("10", "15")
    )
    response = upload(lead_client, text)
    assert response.status_code == 400
    assert "golden:" in response.content.decode()


def test_a_file_that_is_not_utf8_text_is_refused_in_words(lead_client):
    response = upload(lead_client, "", name="logo.png")
    assert response.status_code == 400
    pack = SimpleUploadedFile("pack.toml", b"\xff\xfe\x00bad", content_type="text/plain")
    response = lead_client.post(reverse("administration:policy"), {"pack": pack})
    assert "The file is not UTF-8 text" in response.content.decode()


def test_an_uploaded_pack_is_published_but_not_active_and_shows_what_changes(lead_client, team):
    response = upload(lead_client, pivotal_3_1())
    version = PolicyVersion.objects.get(organisation=team.org, version="3.1")
    assert response.status_code == 302
    assert response["Location"] == reverse("administration:policy_version", args=[version.pk])
    team.org.refresh_from_db()
    assert team.org.active_policy_version.version == "3.0"
    page = lead_client.get(response["Location"]).content.decode()
    assert "Not active" in page
    assert "Send the stage 1 response (stage1_response_due)" in page
    assert "10 working days" in page
    assert "15 working days" in page
    change = AdministrativeChange.objects.get(what="policy.publish")
    assert change.actor == team.lead
    # The same text again is the same version, not a second one.
    again = upload(lead_client, pivotal_3_1())
    assert again["Location"] == response["Location"]
    assert PolicyVersion.objects.filter(organisation=team.org).count() == 2


@time_machine.travel(datetime(2026, 3, 3, 12, 0, tzinfo=LONDON), tick=False)
def test_the_what_if_shows_each_open_case_under_its_own_version_and_the_new_one(lead_client, team):
    # Received Monday 2 March 2026 (day 0). Stage 1 response (Pivotal §9 stage 1 step 6):
    # 10 working days on is Monday 16 March; 15 working days on is Monday 23 March (no bank
    # holiday in March 2026 in England).
    case = receive_complaint(team, datetime(2026, 3, 2, 10, 0, tzinfo=LONDON))
    upload(lead_client, pivotal_3_1())
    version = PolicyVersion.objects.get(organisation=team.org, version="3.1")
    response = lead_client.get(reverse("administration:policy_version", args=[version.pk]))
    report = response.context["what_if"]
    assert report.compared == 1
    [row] = report.differing
    assert row.reference == case.reference
    [difference] = row.differences
    assert difference.label == "Send the stage 1 response"
    assert (difference.own_due.isoformat(), difference.new_due.isoformat()) == (
        "2026-03-16",
        "2026-03-23",
    )
    page = response.content.decode()
    assert "Mon 16 Mar 2026" in page
    assert "Mon 23 Mar 2026" in page
    assert "Of 1 open complaint you can see, 1 would have a different deadline" in page


@time_machine.travel(datetime(2026, 3, 3, 12, 0, tzinfo=LONDON), tick=False)
def test_the_what_if_counts_but_never_names_a_case_the_administrator_may_not_see(team):
    admin = UserFactory(organisation=team.org, capabilities=[Capability.ADMINISTER.value])
    hidden = receive_complaint(
        team, datetime(2026, 3, 2, 10, 0, tzinfo=LONDON), about_colleagues=[admin]
    )
    client = Client()
    client.force_login(admin)
    upload(client, pivotal_3_1())
    version = PolicyVersion.objects.get(organisation=team.org, version="3.1")
    response = client.get(reverse("administration:policy_version", args=[version.pk]))
    report = response.context["what_if"]
    assert (report.compared, report.differing) == (0, [])
    assert (report.hidden_compared, report.hidden_differing) == (1, 1)
    assert hidden.reference not in response.content.decode()


@time_machine.travel(datetime(2026, 3, 3, 12, 0, tzinfo=LONDON), tick=False)
def test_activating_needs_a_confirmation_and_open_cases_keep_their_own_version(lead_client, team):
    case = receive_complaint(team, datetime(2026, 3, 2, 10, 0, tzinfo=LONDON))
    upload(lead_client, pivotal_3_1())
    version = PolicyVersion.objects.get(organisation=team.org, version="3.1")
    url = reverse("administration:policy_activate", args=[version.pk])
    unconfirmed = lead_client.post(url, {})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    team.org.refresh_from_db()
    assert team.org.active_policy_version.version == "3.0"

    assert lead_client.post(url, {"confirm": "on"}).status_code == 302
    team.org.refresh_from_db()
    assert team.org.active_policy_version == version
    case.refresh_from_db()
    assert case.policy_version.version == "3.0"
    assert case.next_due.isoformat() < "2026-03-23"
    change = AdministrativeChange.objects.get(what="policy.activate")
    assert change.before == {"active version": "pivotal 3.0"}
    assert change.after == {"active version": "pivotal 3.1"}
    # A case logged now follows 3.1: 15 working days from Tuesday 3 March is Tuesday 24 March.
    new_case = receive_complaint(team, datetime(2026, 3, 3, 10, 0, tzinfo=LONDON))
    assert new_case.policy_version == version
    clocks = {c.name: c.due for c in new_case.clocks.all()}
    assert clocks["stage1_response_due"].isoformat() == "2026-03-24"


def test_another_organisations_version_is_not_found(lead_client):
    other = make_team()
    version = other.org.active_policy_version
    url = reverse("administration:policy_version", args=[version.pk])
    assert lead_client.get(url).status_code == 404
    assert (
        lead_client.post(
            reverse("administration:policy_activate", args=[version.pk]), {"confirm": "on"}
        ).status_code
        == 404
    )
