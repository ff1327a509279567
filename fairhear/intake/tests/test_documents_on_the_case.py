"""The public form's documents become files of the case's receipt, which the colleagues who may
see the case download (issue: "staff must be able to open them from the case")."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from fairhear.cases.models import Case, CaseAttachment
from fairhear.cases.tests.factories import make_team
from fairhear.domain.lifecycle import Action
from fairhear.intake.tests.test_public_form import MYSELF, NOW, _upload, answer, send, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    cache.clear()  # the per-address counts
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    return make_team("pivotal")


PDF = b"%PDF-1.7\n" + b"1" * 3000  # 3,009 bytes
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100  # 108 bytes


def test_documents_sent_with_the_form_are_downloadable_by_staff_from_the_case(client, team):
    answer(client, team.org, MYSELF)
    _upload(client, team.org, "letter.pdf", PDF)
    # Named as text, but a PNG image by its content.
    _upload(client, team.org, "photo.txt", PNG)
    send(client, team.org)

    case = Case.objects.get()
    files = list(CaseAttachment.objects.filter(case=case).order_by("pk"))
    assert [(f.name, f.content_type, f.size, f.source) for f in files] == [
        ("letter.pdf", "application/pdf", 3009, "web"),
        ("photo.txt", "image/png", 108, "web"),
    ]
    receipt = case.events.get(kind=Action.RECEIVE)
    assert {f.event_id for f in files} == {receipt.pk}
    assert {f.added_by_id for f in files} == {None}
    # The same stored bytes as the form kept: nothing copied.
    stored = [d["stored_as"] for d in case.submission.answers["documents"]]
    assert [f.stored_as for f in files] == stored

    staff = Client()
    staff.force_login(team.allocator)  # triages what comes in
    page = text(staff.get(reverse("cases:detail", args=[case.reference])))
    assert "letter.pdf (download) PDF, 3 KB photo.txt (download) PNG image, 1 KB" in page
    got = staff.get(reverse("cases:attachment", args=[case.reference, files[0].pk]))
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PDF
    assert got["Content-Disposition"] == 'attachment; filename="letter.pdf"'

    # The member of the public's own session has no way to the staff download.
    public = client.get(reverse("cases:attachment", args=[case.reference, files[0].pk]))
    assert public.status_code == 302
    assert public["Location"].startswith("/sign-in/")
