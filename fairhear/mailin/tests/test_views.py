"""The page of e-mail on no case: the lead officer sees each quarantined message with the
reason and can download it exactly as received; nobody else sees it, nor another
organisation's mail."""

import pytest
from django.urls import reverse

from fairhear.cases.tests.factories import make_team
from fairhear.mailin.services import mailin_import

pytestmark = pytest.mark.django_db
RAW = b"From: not an address\r\nSubject: Broken heating\r\n\r\nPlease help\r\n"


@pytest.fixture
def team():
    return make_team("pivotal")


def test_the_lead_sees_a_quarantined_message_and_downloads_it_as_received(client, team):
    record, _ = mailin_import(organisation=team.org, raw=RAW, source="file broken.eml")
    client.force_login(team.lead)
    page = client.get(reverse("mailin:list")).content.decode()
    assert "Quarantined (1)" in page
    assert "Broken heating" in page
    assert "It has no sender address that can be read" in page
    response = client.get(reverse("mailin:raw", args=[record.raw_sha256]))
    assert response["Content-Type"] == "message/rfc822"
    assert b"".join(response.streaming_content) == RAW


def test_colleagues_other_than_the_lead_are_refused(client, team):
    record, _ = mailin_import(organisation=team.org, raw=RAW, source="file broken.eml")
    client.force_login(team.investigator)
    assert client.get(reverse("mailin:list")).status_code == 403
    assert client.get(reverse("mailin:raw", args=[record.raw_sha256])).status_code == 403


def test_another_organisations_mail_is_not_shown(client, team):
    other = make_team("pivotal")
    record, _ = mailin_import(organisation=other.org, raw=RAW, source="file broken.eml")
    client.force_login(team.lead)
    assert "Broken heating" not in client.get(reverse("mailin:list")).content.decode()
    assert client.get(reverse("mailin:raw", args=[record.raw_sha256])).status_code == 404


def test_a_message_on_a_case_is_not_downloadable_here(client, team):
    record, _ = mailin_import(
        organisation=team.org,
        raw=b"From: ada@example.org\r\nSubject: Hi\r\nMessage-ID: <a@b.example>\r\n\r\nHello\r\n",
        source="file ok.eml",
    )
    assert record.case is not None
    client.force_login(team.lead)
    assert client.get(reverse("mailin:raw", args=[record.raw_sha256])).status_code == 404


def test_import_eml_reads_files_and_recognises_one_read_before(team, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "one.eml"
    path.write_bytes(
        b"From: ada@example.org\r\nSubject: Hi\r\nMessage-ID: <c@b.example>\r\n\r\nX\r\n"
    )
    out = StringIO()
    call_command("import_eml", str(path), str(path), organisation=team.org.slug, stdout=out)
    first, second = out.getvalue().splitlines()
    assert first.startswith(f"{path}: New case C-")
    assert second == f"{path}: read before, left alone."
