"""Files on a case: added with a note or a communication, checked by their content and size,
kept through Django's storage API, shown on the timeline, and downloaded only by colleagues who
may see the case, always as a download (docs/security.md, "Attachments")."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.models import CaseAccessLog, CaseAttachment, CaseEvent
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import NOW_TYPED, error_summary, page_text
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 2000  # 2,045 bytes
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 500  # 516 bytes


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    return make_team("pivotal")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def note(client, case, *files, text="The contractor's report and a photo of the boiler."):
    return client.post(
        reverse("cases:action", args=[case.reference, Action.ADD_NOTE.value]),
        {"text": text, "files": list(files), **NOW_TYPED},
    )


def stored_names(organisation_id: int) -> set[str]:
    folder = f"cases/{organisation_id}"
    try:
        return {f"{folder}/{name}" for name in default_storage.listdir(folder)[1]}
    except FileNotFoundError:
        return set()


def download(client, attachment: CaseAttachment):
    return client.get(reverse("cases:attachment", args=[attachment.case.reference, attachment.pk]))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# ---------------------------------------------------------------------------------------------
# Adding files


def test_a_colleague_adds_files_to_a_note_and_another_downloads_them(client, team):
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.colleague)

    response = note(client, case, upload("report.pdf", PDF), upload("boiler.txt", PNG))

    assert response.status_code == 302
    event = CaseEvent.objects.get(case=case, kind=Action.ADD_NOTE)
    files = list(CaseAttachment.objects.filter(case=case).order_by("pk"))
    assert [(f.name, f.content_type, f.size, f.source) for f in files] == [
        ("report.pdf", "application/pdf", 2045, "staff"),
        # The name says text; the content is a PNG image, and that is what it is kept as.
        ("boiler.txt", "image/png", 516, "staff"),
    ]
    assert {f.event_id for f in files} == {event.pk}
    assert {f.added_by_id for f in files} == {team.colleague.pk}
    # The event records each file, so the log's hash chain covers them.
    assert [a["name"] for a in event.data["attachments"]] == ["report.pdf", "boiler.txt"]
    assert files[0].sha256 == event.data["attachments"][0]["sha256"]
    assert not files[0].stored_as.endswith("report.pdf")  # a random storage name

    client.force_login(team.allocator)
    page = page_text(client.get(reverse("cases:detail", args=[case.reference])))
    assert "Files report.pdf (download) PDF, 2 KB boiler.txt (download) PNG image, 1 KB" in page
    got = download(client, files[0])
    assert got.status_code == 200
    assert body(got) == PDF


def test_a_communication_takes_files_too(client, team):
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.colleague)

    response = client.post(
        reverse("cases:action", args=[case.reference, Action.RECORD_COMMUNICATION.value]),
        {
            "direction": "in",
            "channel": "letter",
            "summary": "Her letter, scanned.",
            "files": [upload("letter.pdf", PDF)],
            **NOW_TYPED,
        },
    )

    assert response.status_code == 302
    [file] = CaseAttachment.objects.filter(case=case)
    assert file.event.kind == Action.RECORD_COMMUNICATION
    assert file.name == "letter.pdf"


def test_a_web_page_named_pdf_refuses_the_whole_note_and_nothing_is_kept(client, team):
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.colleague)
    events, before = case.events.count(), stored_names(team.org.pk)

    response = note(
        client,
        case,
        upload("report.pdf", PDF),
        upload("invoice.pdf", b"<html><script>alert('x')</script></html>"),
        upload("map.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
    )

    assert response.status_code == 200
    summary = error_summary(response)
    assert (
        "invoice.pdf is a web page or markup, which could run a program in a browser, so it "
        "is not kept." in summary
    )
    assert "map.png is an SVG image, which could run a program in a browser" in summary
    assert 'href="#id_files"' in response.content.decode()
    assert case.events.count() == events
    assert not CaseAttachment.objects.exists()
    assert stored_names(team.org.pk) == before  # not even the good file was stored
    assert "The contractor&#x27;s report" in response.content.decode()  # what was typed stays


def test_a_file_over_the_limit_is_refused_with_the_limit_in_words(client, team):
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.colleague)

    response = note(client, case, upload("scan.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)))

    assert (
        "scan.pdf is 10.0 MB; each file must be 10 MB or smaller. Send a smaller copy, or "
        "several smaller files." in error_summary(response)
    )
    assert not CaseAttachment.objects.exists()


def test_more_files_than_allowed_at_once_are_refused(client, team, settings):
    settings.FAIRHEAR_ATTACHMENTS_PER_ACTION = 2
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.colleague)

    response = note(client, case, *(upload(f"{n}.pdf", PDF) for n in range(3)))

    assert "You chose 3 files; you can add 2 at most at once." in error_summary(response)
    assert not CaseAttachment.objects.exists()


def test_the_files_just_stored_are_removed_when_the_note_is_refused(team):
    case = receive_complaint(team, RECEIVED)
    before = stored_names(team.org.pk)

    # A page drawn before the latest event: the note is refused after the files were stored.
    with pytest.raises(s.TransitionRejected):
        s.case_add_note(
            case=case,
            actor=team.colleague,
            text="Late.",
            seen_sequence=case.events.count() + 5,
            uploads=[upload("report.pdf", PDF)],
        )

    assert stored_names(team.org.pk) == before
    assert not CaseAttachment.objects.exists()


def test_a_file_row_cannot_be_changed_or_removed(team):
    case = receive_complaint(team, RECEIVED)
    s.case_add_note(case=case, actor=team.colleague, text="x", uploads=[upload("a.pdf", PDF)])
    file = CaseAttachment.objects.get()

    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        CaseAttachment.objects.filter(pk=file.pk).update(name="b.pdf")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseAttachment.objects.filter(pk=file.pk).delete()
    assert CaseAttachment.objects.get().name == "a.pdf"


# ---------------------------------------------------------------------------------------------
# Downloading


def test_a_download_is_always_a_download_never_a_page(client, team):
    case = receive_complaint(team, RECEIVED)
    s.case_add_note(
        case=case, actor=team.colleague, text="x", uploads=[upload('"report"\r\n.pdf', PDF)]
    )
    client.force_login(team.allocator)

    got = download(client, CaseAttachment.objects.get())

    assert got["Content-Disposition"] == 'attachment; filename="\\"report\\" .pdf"'
    assert got["Content-Type"] == "application/pdf"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert {"private", "no-store"} <= {p.strip() for p in got["Cache-Control"].split(",")}


def _with_file(team, **kw):
    case = receive_complaint(team, RECEIVED, **kw)
    s.case_add_note(case=case, actor=team.lead, text="x", uploads=[upload("a.pdf", PDF)])
    return case, CaseAttachment.objects.get(case=case)


def test_nobody_who_may_not_see_the_case_can_download_its_files(client, team):
    # The allocator would see it, but is named in the complaint: never.
    _, about_file = _with_file(team, about_colleagues=[team.allocator])
    plain, plain_file = _with_file(team)
    s.case_accept(case=plain, actor=team.allocator)
    s.case_allocate(case=plain, actor=team.allocator, handler=team.investigator)

    client.force_login(team.allocator)
    assert download(client, about_file).status_code == 404
    assert download(client, plain_file).status_code == 200  # the same colleague, another case
    client.force_login(team.investigator2)  # another investigator's case
    assert download(client, plain_file).status_code == 404
    client.force_login(team.investigator)  # its handler
    assert download(client, plain_file).status_code == 200
    # A file is found only under its own case's reference.
    wrong = reverse("cases:attachment", args=[plain.reference, about_file.pk])
    assert client.get(wrong).status_code == 404


def test_a_restricted_case_s_files_are_for_those_named_and_each_download_is_logged(client, team):
    case, file = _with_file(team)
    s.case_restrict_access(
        case=case, actor=team.lead, reason="A fraud allegation.", named=[team.reviewer2]
    )

    client.force_login(team.allocator)  # not named
    assert download(client, file).status_code == 404
    client.force_login(team.reviewer2)
    assert download(client, file).status_code == 200

    [entry] = CaseAccessLog.objects.filter(case=case)
    assert entry.user == team.reviewer2
    assert entry.page == f"/cases/{case.reference}/attachments/{file.pk}/ a.pdf"
    client.force_login(team.lead)
    log = page_text(client.get(reverse("cases:access_log")))
    assert f"{case.reference} {team.reviewer2} The file “a.pdf” (downloaded)" in log


def _case_page_queries(client, case) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _file_queries(queries: list[str]) -> int:
    return len([q for q in queries if "cases_caseattachment" in q])


def test_the_case_page_reads_every_file_in_one_query_and_none_without_files(client, team):
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.allocator)
    s.case_add_note(case=case, actor=team.colleague, text="No file")
    client.get(reverse("cases:detail", args=[case.reference]))  # the session's first save
    none = _case_page_queries(client, case)
    s.case_add_note(case=case, actor=team.colleague, text="1", uploads=[upload("1.pdf", PDF)])
    one = _case_page_queries(client, case)
    for n in range(2, 11):
        s.case_add_note(
            case=case,
            actor=team.colleague,
            text=str(n),
            uploads=[upload(f"{n}a.pdf", PDF), upload(f"{n}b.pdf", PDF)],
        )

    ten = _case_page_queries(client, case)

    assert (_file_queries(none), _file_queries(one), _file_queries(ten)) == (0, 1, 1)
    assert len(one) == len(none) + 1
    assert len(ten) == len(one)  # 19 files on 10 notes: still the one query
    page = page_text(client.get(reverse("cases:detail", args=[case.reference])))
    assert page.count("(download)") == 19
