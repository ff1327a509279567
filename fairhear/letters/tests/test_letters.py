"""Letters through the services and pages, on the real database and with real PDFs
(WeasyPrint), read back with pypdf: each letter kept on the case exactly as sent, the stage
response refused while a part the pack requires is missing, and draft → approved → sent where
Pivotal §13 asks for the outcome to be agreed with the Head of Services."""

import hashlib
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from fairhear.cases.models import Case
from fairhear.cases.services import (
    TransitionRejected,
    case_accept,
    case_acknowledge,
    case_allocate,
    case_extend,
    case_refuse,
    case_sign_off,
)
from fairhear.cases.services.letters import case_draft_response
from fairhear.cases.tests.factories import Team, make_team, receive_complaint
from fairhear.domain.letters import LetterKind, TemplateProblem
from fairhear.domain.lifecycle import Action
from fairhear.letters.selectors import letter_pdf, letters_sent
from fairhear.letters.services import letter_send, letter_send_response, letter_template_save

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)  # Monday 2 March 2026


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 11, 0, tzinfo=LONDON)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def acknowledged(team: Team) -> Case:
    case = receive_complaint(team, RECEIVED)
    case_accept(case=case, actor=team.allocator, occurred_at=at(2))
    case_allocate(case=case, actor=team.allocator, handler=team.investigator, occurred_at=at(2))
    return case_acknowledge(
        case=case,
        actor=team.investigator,
        occurred_at=at(3),
        understanding="The boiler repair promised for February was not done.",
        outcomes_sought="The boiler repaired and an apology.",
    )


def event(case: Case, kind: Action):
    return case.events.filter(kind=kind).order_by("-sequence").first()


def test_the_acknowledgement_letter_is_kept_exactly_as_sent_with_the_dates_in_words():
    team = make_team("pivotal")
    case = acknowledged(team)
    case = letter_send(
        case=case,
        actor=team.investigator,
        kind=LetterKind.ACKNOWLEDGEMENT,
        delivery="post",
        follows=event(case, Action.ACKNOWLEDGE),
    )
    [sent] = letters_sent(case=case)
    assert sent.data["follows_sequence"] == event(case, Action.ACKNOWLEDGE).sequence
    assert sent.data["delivery_words"] == "Printed for post"
    content = letter_pdf(sent)
    assert hashlib.sha256(content).hexdigest() == sent.data["sha256"]
    assert len(content) == sent.data["size"]
    text = pdf_text(content)
    assert case.reference in text
    # Received Monday 2 March; 10 working days with day 0 the day of receipt (Pivotal §9
    # stage 1 step 6): 3, 4, 5, 6, 9, 10, 11, 12, 13, 16 March.
    assert "Monday 2 March 2026" in text
    assert "Monday 16 March 2026" in text
    assert "The boiler repair promised for February was not done." in text
    # Pivotal §9 stage 1 step 4: the acknowledgement links to the published policy.
    assert f"/policy/{team.org.slug}/" in text
    assert "Page 1 of" in text


def test_the_reference_is_on_every_page_of_a_long_letter():
    team = make_team("pivotal")
    case = acknowledged(team)
    long = "\n\n".join(f"Paragraph {n} of what we understand." for n in range(1, 90))
    letter_template_save(
        organisation=team.org,
        actor=team.lead,
        kind=LetterKind.ACKNOWLEDGEMENT,
        subject="Your complaint {{ reference }}",
        body="Dear {{ complainant.name }}\n\n" + long,
    )
    case = letter_send(
        case=case,
        actor=team.investigator,
        kind=LetterKind.ACKNOWLEDGEMENT,
        delivery="post",
        follows=event(case, Action.ACKNOWLEDGE),
    )
    reader = PdfReader(io.BytesIO(letter_pdf(letters_sent(case=case)[0])))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        words = page.extract_text()
        assert f"Our reference: {case.reference}" in words
        assert f"Page {number} of {len(reader.pages)}" in words


def test_the_pdf_is_tagged_for_screen_readers():
    team = make_team("pivotal")
    case = acknowledged(team)
    case = letter_send(
        case=case,
        actor=team.investigator,
        kind=LetterKind.ACKNOWLEDGEMENT,
        delivery="post",
        follows=event(case, Action.ACKNOWLEDGE),
    )
    reader = PdfReader(io.BytesIO(letter_pdf(letters_sent(case=case)[0])))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert str(catalog["/Lang"]) == "en-GB"


def test_the_refusal_letter_gives_the_reason_and_the_ombudsman_route():
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED)
    case = case_refuse(case=case, actor=team.allocator, reason_code="6.1d", occurred_at=at(3))
    case = letter_send(
        case=case,
        actor=team.allocator,
        kind=LetterKind.REFUSAL,
        delivery="post",
        follows=event(case, Action.REFUSE),
    )
    text = pdf_text(letter_pdf(letters_sent(case=case)[0]))
    assert "Dispute about a service charge calculation" in text
    # Pivotal §6.2: the right to challenge the decision with the Housing Ombudsman.
    assert "Housing Ombudsman Service" in text
    assert "0300 111 3000" in text


def test_the_extension_letter_gives_the_reason_and_the_new_date_in_words():
    team = make_team("pivotal")
    case = acknowledged(team)
    case_sign_off(case=case, actor=team.allocator, step="extension", occurred_at=at(4))
    case = case_extend(
        case=case,
        actor=team.investigator,
        new_due=datetime(2026, 3, 27).date(),
        reason="We are waiting for the heating contractor's report.",
        told_on=at(5).date(),
        occurred_at=at(5),
    )
    case = letter_send(
        case=case,
        actor=team.investigator,
        kind=LetterKind.EXTENSION,
        delivery="post",
        follows=event(case, Action.EXTEND),
    )
    text = pdf_text(letter_pdf(letters_sent(case=case)[0]))
    # Pivotal §14.2: the reasons for the delay and the revised date.
    assert "We are waiting for the heating contractor's report." in text
    assert "Friday 27 March 2026" in text
    assert "Monday 16 March 2026" in text  # the date it replaces


def test_a_letter_for_a_step_it_does_not_confirm_is_refused():
    team = make_team("pivotal")
    case = acknowledged(team)
    with pytest.raises(TransitionRejected, match="does not confirm that step"):
        letter_send(
            case=case,
            actor=team.investigator,
            kind=LetterKind.REFUSAL,
            delivery="post",
            follows=event(case, Action.ACKNOWLEDGE),
        )
    assert letters_sent(case=case) == []


def _draft(case: Case, actor, **kw) -> Case:
    defaults = {
        "outcome": "upheld",
        "reasons": "The repair was booked for 3 February and missed twice.",
        "policy_references": "Repairs Policy section 4: urgent repairs within 7 days.",
        "outstanding_actions": [{"action": "Replace the boiler", "due": "2027-01-15"}],
    }
    return case_draft_response(case=case, actor=actor, **(defaults | kw))


@pytest.mark.parametrize(
    ("left_out", "named"),
    [
        ({"reasons": ""}, "the reasons for the decision"),
        ({"policy_references": ""}, "references to the policies, procedures or law"),
        ({"outstanding_actions": []}, "the outstanding actions and their timescales"),
    ],
)
def test_a_pivotal_response_lacking_a_required_part_is_not_sent_and_the_part_is_named(
    left_out, named
):
    team = make_team("pivotal")
    case = acknowledged(team)
    case = _draft(case, team.investigator, **left_out)
    case_sign_off(case=case, actor=team.allocator, step="response")
    with pytest.raises(TransitionRejected) as refused:
        letter_send_response(case=case, actor=team.investigator, delivery="post")
    assert named in str(refused.value)
    assert "§9 stage 1 step 6" in str(refused.value)
    case.refresh_from_db()
    assert case.state == Case.State.INVESTIGATING
    assert not case.events.filter(kind=Action.RESPOND).exists()
    assert letters_sent(case=case) == []


def test_nothing_outstanding_said_in_so_many_words_counts_as_the_part():
    team = make_team("pivotal")
    case = _draft(
        acknowledged(team), team.investigator, outstanding_actions=[], nothing_outstanding=True
    )
    case_sign_off(case=case, actor=team.allocator, step="response")
    case = letter_send_response(case=case, actor=team.investigator, delivery="post")
    assert "Nothing is outstanding." in pdf_text(letter_pdf(letters_sent(case=case)[0]))


def test_a_code_response_without_the_complaint_definition_or_remedy_is_not_sent():
    team = make_team("hos-code-2024")
    case = receive_complaint(team, RECEIVED)
    case_accept(case=case, actor=team.allocator, occurred_at=at(2))
    case_allocate(case=case, actor=team.allocator, handler=team.investigator, occurred_at=at(2))
    case = case_acknowledge(case=case, actor=team.investigator, occurred_at=at(3))
    case = _draft(case, team.investigator)
    with pytest.raises(TransitionRejected) as refused:
        letter_send_response(case=case, actor=team.investigator, delivery="post")
    message = str(refused.value)
    assert "our understanding of the complaint" in message
    assert "the remedy offered" in message
    assert "Code 6.9" in message


def test_pivotal_response_goes_draft_then_approved_then_sent_each_an_event():
    team = make_team("pivotal")
    case = _draft(acknowledged(team), team.investigator)
    # Pivotal §13: "the outcome agreed with the Head of Services" before it is sent.
    with pytest.raises(TransitionRejected, match="Head of Services must approve this draft"):
        letter_send_response(case=case, actor=team.investigator, delivery="post")
    case_sign_off(case=case, actor=team.allocator, step="response")
    case = letter_send_response(case=case, actor=team.investigator, delivery="post")
    kinds = list(case.events.order_by("sequence").values_list("kind", flat=True))
    assert kinds[-4:] == [
        Action.DRAFT_RESPONSE,
        Action.SIGN_OFF,
        Action.RESPOND,
        Action.SEND_LETTER,
    ]
    assert case.state == Case.State.RESPONDED
    responded = event(case, Action.RESPOND)
    assert responded.data["reasons"] == "The repair was booked for 3 February and missed twice."
    assert responded.data["means"] == "letter"
    text = pdf_text(letter_pdf(letters_sent(case=case)[0]))
    assert "We have upheld your complaint." in text
    assert "Replace the boiler, by Friday 15 January 2027" in text
    # Pivotal §11.2 g: how to escalate: the appeal and its window (§9 stage 2 point 1).
    assert "Stage 2 (appeal to the SLT)" in text
    assert "10 working days" in text


def test_a_draft_changed_after_its_approval_needs_approving_again():
    team = make_team("pivotal")
    case = _draft(acknowledged(team), team.investigator)
    case_sign_off(case=case, actor=team.allocator, step="response")
    case = _draft(case, team.investigator, outcome="not_upheld")
    with pytest.raises(TransitionRejected, match="changed after their approval"):
        letter_send_response(case=case, actor=team.investigator, delivery="post")
    assert not case.events.filter(kind=Action.RESPOND).exists()


def test_a_response_template_that_leaves_out_a_required_part_cannot_be_saved():
    team = make_team("pivotal")
    with pytest.raises(TemplateProblem, match=r"\{\{ response.how_to_escalate \}\}"):
        letter_template_save(
            organisation=team.org,
            actor=team.lead,
            kind=LetterKind.STAGE_RESPONSE,
            subject="Our response {{ reference }}",
            body="{{ response.reasons }} {{ response.policy_references }} "
            "{{ response.outstanding_actions }}",
        )


def test_an_unknown_placeholder_cannot_be_saved():
    team = make_team("pivotal")
    with pytest.raises(TemplateProblem, match=r"\{\{ complainant.nmae \}\}"):
        letter_template_save(
            organisation=team.org,
            actor=team.lead,
            kind=LetterKind.CLOSURE,
            subject="Closed",
            body="Dear {{ complainant.nmae }}",
        )


def test_a_kept_letter_altered_in_storage_is_not_shown():
    team = make_team("pivotal")
    case = acknowledged(team)
    case = letter_send(
        case=case,
        actor=team.investigator,
        kind=LetterKind.ACKNOWLEDGEMENT,
        delivery="post",
        follows=event(case, Action.ACKNOWLEDGE),
    )
    sent = letters_sent(case=case)[0]
    default_storage.delete(sent.data["file"])
    default_storage.save(sent.data["file"], ContentFile(b"%PDF-1.7 something else"))
    from fairhear.letters.selectors import LetterFileProblem

    with pytest.raises(LetterFileProblem, match="no longer matches"):
        letter_pdf(sent)


def test_a_kept_letter_downloads_only_for_colleagues_who_may_see_the_case(client):
    team = make_team("pivotal")
    case = acknowledged(team)
    case = letter_send(
        case=case,
        actor=team.investigator,
        kind=LetterKind.ACKNOWLEDGEMENT,
        delivery="post",
        follows=event(case, Action.ACKNOWLEDGE),
    )
    sent = letters_sent(case=case)[0]
    url = reverse("letters:download", args=[case.reference, sent.sequence])
    client.force_login(team.investigator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(response.content).hexdigest() == sent.data["sha256"]
    other = make_team("pivotal")
    client.force_login(other.lead)
    assert client.get(url).status_code == 404
    assert client.get(reverse("letters:case", args=[case.reference])).status_code == 404


def test_the_letters_page_sends_a_letter_and_lists_it(client):
    team = make_team("pivotal")
    case = acknowledged(team)
    ack = event(case, Action.ACKNOWLEDGE)
    client.force_login(team.investigator)
    url = reverse("letters:write_for", args=[case.reference, "acknowledgement", ack.sequence])
    page = client.get(url)
    assert "Monday 16 March 2026" in page.content.decode()
    latest = case.events.order_by("-sequence").first().sequence
    response = client.post(url, {"seen_sequence": latest, "delivery": "post", "send": "1"})
    assert response.status_code == 302
    listing = client.get(reverse("letters:case", args=[case.reference])).content.decode()
    assert "Acknowledgement" in listing
    assert "Printed for post" in listing
    assert len(letters_sent(case=case)) == 1


def test_a_letter_by_email_is_queued_with_the_kept_pdf_attached_in_the_same_transaction():
    from fairhear.outbox.models import OutboundMessage

    team = make_team("pivotal")
    case = acknowledged(team)
    case = letter_send(
        case=case,
        actor=team.investigator,
        kind=LetterKind.ACKNOWLEDGEMENT,
        delivery="email",
        follows=event(case, Action.ACKNOWLEDGE),
    )
    sent = letters_sent(case=case)[0]
    [message] = OutboundMessage.objects.filter(organisation=team.org)
    assert message.to == ["ada@example.org"]
    assert message.message_id == sent.data["message_id"]
    assert message.subject == f"We have received your complaint ({case.reference})"
    assert "Monday 16 March 2026" in message.body_text
    [attachment] = message.attachments.all()
    assert attachment.content_type == "application/pdf"
    assert bytes(attachment.content) == letter_pdf(sent)
    assert sent.data["delivery_words"] == "By e-mail to ada@example.org"


def test_a_letter_by_email_to_someone_without_an_address_is_refused_and_nothing_kept():
    from fairhear.cases.services import CaseInputError, PersonDetails
    from fairhear.outbox.models import OutboundMessage

    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED, complainant=PersonDetails(name="Grace Hopper"))
    case = case_refuse(case=case, actor=team.allocator, reason_code="6.1d", occurred_at=at(3))
    with pytest.raises(CaseInputError, match="no e-mail address for Grace Hopper"):
        letter_send(
            case=case,
            actor=team.allocator,
            kind=LetterKind.REFUSAL,
            delivery="email",
            follows=event(case, Action.REFUSE),
        )
    assert letters_sent(case=case) == []
    assert not OutboundMessage.objects.exists()
