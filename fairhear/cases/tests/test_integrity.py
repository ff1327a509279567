"""Nothing lost, nothing changed (BRIEF core ideas 3 and 4; docs/adr/ADR-002).

The case event log and published policy versions are append-only in the database itself: the
triggers of migration cases/0002 refuse UPDATE and DELETE however they are attempted, on SQLite
and on PostgreSQL. A refused move or bad input leaves every row exactly as it was.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError

from fairhear.accounts.tests.factories import OrganisationFactory
from fairhear.cases.models import Case, CaseClock, CaseEvent, Person, ReferenceCounter
from fairhear.cases.services import (
    CaseInputError,
    PersonDetails,
    case_accept,
    case_accept_escalation,
    case_acknowledge,
    case_add_note,
    case_allocate,
    case_assess_extension_reason,
    case_close,
    case_extend,
    case_forward_compliment,
    case_receive,
    case_record_feedback,
    case_record_response_receipt,
    case_request_escalation,
    case_respond,
    case_review_restriction,
)
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off
from fairhear.domain.lifecycle import Action, CaseKind, TransitionRejected
from fairhear.policies.models import PolicyVersion

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MON = datetime(2024, 9, 2, 10, tzinfo=LONDON)  # Mon 2 Sep 2024


def london(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


@pytest.fixture
def now():
    with time_machine.travel(MON, tick=False) as traveller:
        yield traveller


def append_only():
    """The database refuses the change: the SQLite trigger's or PostgreSQL function's words."""
    return pytest.raises(DatabaseError, match=r"append-only|cannot be changed")


def investigating(team: Team, **kw) -> Case:
    """A Pivotal complaint at stage 1, acknowledged by its Service Manager on Mon 2 Sep."""
    case = receive_complaint(team, MON, **kw)
    case_accept(case=case, actor=team.allocator)
    case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    case_acknowledge(case=case, actor=team.investigator)
    return case


def everything(case: Case) -> tuple:
    """Every stored row of the case, and the counts of everything else that intake creates."""
    return (
        Case.objects.filter(pk=case.pk).values().get(),
        list(case.about_colleagues.values_list("pk", flat=True)),
        list(CaseEvent.objects.filter(case=case).order_by("sequence").values()),
        list(CaseClock.objects.filter(case=case).order_by("name").values()),
        Person.objects.count(),
        list(ReferenceCounter.objects.order_by("pk").values()),
    )


# ---------------------------------------------------------------------------------------------
# Case events cannot be changed or removed, whatever the route
# ---------------------------------------------------------------------------------------------


def test_an_event_saved_again_through_the_orm_is_refused(now):
    team = make_team("pivotal")
    case = investigating(team)
    event = case.events.get(sequence=1)
    before = list(case.events.order_by("sequence").values())
    event.data = {"kind": "compliment"}
    event.actor_label = "Someone else"
    with append_only(), transaction.atomic():
        event.save()
    assert list(case.events.order_by("sequence").values()) == before


def test_events_updated_in_bulk_are_refused(now):
    team = make_team("pivotal")
    case = investigating(team)
    before = list(CaseEvent.objects.order_by("pk").values())
    with append_only(), transaction.atomic():
        CaseEvent.objects.filter(case=case).update(occurred_at=london(2024, 1, 1))
    with append_only(), transaction.atomic():
        CaseEvent.objects.filter(case=case, kind=Action.ACCEPT).update(kind=Action.REFUSE)
    assert list(CaseEvent.objects.order_by("pk").values()) == before


def test_events_deleted_one_by_one_or_in_bulk_are_refused(now):
    team = make_team("pivotal")
    case = investigating(team)
    before = list(CaseEvent.objects.order_by("pk").values())
    with append_only(), transaction.atomic():
        case.events.order_by("-sequence").first().delete()
    with append_only(), transaction.atomic():
        CaseEvent.objects.filter(case=case).delete()
    with append_only(), transaction.atomic():
        CaseEvent.objects.all().delete()
    assert list(CaseEvent.objects.order_by("pk").values()) == before


def test_events_changed_by_raw_sql_are_refused(now):
    team = make_team("pivotal")
    case = investigating(team)
    event = case.events.get(sequence=1)
    table = connection.ops.quote_name(CaseEvent._meta.db_table)
    before = list(CaseEvent.objects.order_by("pk").values())
    with append_only(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_label = %s WHERE id = %s", ["x", event.pk])  # noqa: S608
    with append_only(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [event.pk])  # noqa: S608
    with append_only(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    assert list(CaseEvent.objects.order_by("pk").values()) == before


def test_a_case_with_events_cannot_be_deleted(now):
    team = make_team("pivotal")
    case = receive_complaint(team, MON)
    with pytest.raises(ProtectedError), transaction.atomic():
        case.delete()
    assert Case.objects.filter(pk=case.pk).exists()
    assert case.events.count() == 1


def test_a_second_event_with_the_same_sequence_number_is_refused(now):
    team = make_team("pivotal")
    case = receive_complaint(team, MON)
    first = case.events.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.create(
            case=case,
            sequence=1,
            kind=Action.ADD_NOTE,
            actor_label="x",
            occurred_at=MON,
            policy_version=case.policy_version,
        )
    assert list(case.events.values_list("pk", flat=True)) == [first.pk]


# ---------------------------------------------------------------------------------------------
# A published policy version cannot be changed
# ---------------------------------------------------------------------------------------------


def test_a_published_policy_version_cannot_be_updated_by_any_route():
    team = make_team("pivotal")
    version = team.org.active_policy_version
    before = PolicyVersion.objects.filter(pk=version.pk).values().get()
    version.source_toml = version.source_toml.replace("working_days = 10", "working_days = 30")
    with append_only(), transaction.atomic():
        version.save()
    with append_only(), transaction.atomic():
        PolicyVersion.objects.filter(pk=version.pk).update(version="3.0-edited")
    table = connection.ops.quote_name(PolicyVersion._meta.db_table)
    with append_only(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET name = %s WHERE id = %s", ["x", version.pk])  # noqa: S608
    assert PolicyVersion.objects.filter(pk=version.pk).values().get() == before


# ---------------------------------------------------------------------------------------------
# A refused move leaves the case and its events exactly as they were
# ---------------------------------------------------------------------------------------------

TOMORROW = MON + timedelta(days=1)


def _refusals():
    """(what is tried, the error it raises, the words it says) on a case being investigated
    on Mon 2 Sep 2024, whose complaint names investigator2."""
    return {
        "accept_again": (
            lambda c, t: case_accept(case=c, actor=t.allocator),
            TransitionRejected,
            "is not possible while the case is “Investigating”",
        ),
        "acknowledge_by_someone_without_the_role": (
            lambda c, t: case_acknowledge(case=c, actor=t.colleague),
            TransitionRejected,
            "Only someone with the Service Manager role can acknowledge",
        ),
        "allocate_a_colleague_named_in_it": (
            lambda c, t: case_allocate(case=c, actor=t.allocator, handler=t.investigator2),
            CaseInputError,
            "is named in this complaint",
        ),
        "allocate_a_colleague_who_cannot_investigate": (
            lambda c, t: case_allocate(case=c, actor=t.allocator, handler=t.colleague),
            CaseInputError,
            "they are not a Service Manager",
        ),
        "extend_past_the_limit": (
            # 20 WD from Mon 2 Sep is Mon 30 Sep (§9 stage 1 step 7).
            lambda c, t: case_extend(
                case=c,
                actor=t.investigator,
                new_due=date(2024, 10, 1),
                reason="Late report.",
                told_on=date(2024, 9, 2),
            ),
            TransitionRejected,
            "after Mon 30 Sep 2024, the latest the policy allows",
        ),
        "extend_to_an_earlier_date": (
            lambda c, t: case_extend(
                case=c,
                actor=t.investigator,
                new_due=date(2024, 9, 13),
                reason="Late report.",
                told_on=date(2024, 9, 2),
            ),
            TransitionRejected,
            "never makes a due date earlier",
        ),
        "respond_without_an_outcome": (
            lambda c, t: case_respond(case=c, actor=t.investigator, outcome="", reasons="x"),
            CaseInputError,
            "upheld, partly upheld or not upheld",
        ),
        "respond_without_reasons": (
            lambda c, t: case_respond(case=c, actor=t.investigator, outcome="upheld", reasons=""),
            CaseInputError,
            "Give clear reasons",
        ),
        "respond_with_an_outstanding_action_and_no_date": (
            lambda c, t: case_respond(
                case=c,
                actor=t.investigator,
                outcome="upheld",
                reasons="x",
                outstanding_actions=[{"action": "Fix it"}],
            ),
            CaseInputError,
            "Outstanding action 1 needs both what will be done and by when.",
        ),
        "record_a_response_receipt_before_any_response": (
            lambda c, t: case_record_response_receipt(case=c, actor=t.colleague, received_on=MON),
            TransitionRejected,
            "is not possible while the case is “Investigating”",
        ),
        "ask_to_escalate_before_the_response": (
            lambda c, t: case_request_escalation(case=c, actor=t.colleague, requested_at=MON),
            TransitionRejected,
            "is not possible while the case is “Investigating”",
        ),
        "close_with_a_reason_the_policy_does_not_have": (
            lambda c, t: case_close(case=c, actor=t.investigator, reason_code="bored"),
            CaseInputError,
            "Choose a closure reason from the policy's list; 'bored' is not one.",
        ),
        "forward_a_complaint_as_a_compliment": (
            lambda c, t: case_forward_compliment(case=c, actor=t.colleague),
            TransitionRejected,
            "applies to a compliment; this case is a complaint.",
        ),
        "record_feedback_before_closure": (
            lambda c, t: case_record_feedback(case=c, actor=t.colleague, satisfaction="satisfied"),
            TransitionRejected,
            "is not possible while the case is “Investigating”",
        ),
        "review_restrictions_never_applied": (
            lambda c, t: case_review_restriction(case=c, actor=t.lead, decision="Keep."),
            TransitionRejected,
            "No restrictions are in force for this person.",
        ),
        "assess_an_extension_never_agreed": (
            lambda c, t: case_assess_extension_reason(case=c, actor=t.lead, good_reason=True),
            TransitionRejected,
            "This case has no extension to assess.",
        ),
        "note_dated_in_the_future": (
            lambda c, t: case_add_note(case=c, actor=t.colleague, text="x", occurred_at=TOMORROW),
            CaseInputError,
            "That date is in the future; record things once they have happened.",
        ),
        "note_dated_before_receipt": (
            lambda c, t: case_add_note(
                case=c, actor=t.colleague, text="x", occurred_at=london(2024, 9, 1)
            ),
            CaseInputError,
            "That date is before the case was received (Mon 2 Sep 2024).",
        ),
        "note_with_a_naive_time": (
            lambda c, t: case_add_note(
                case=c, actor=t.colleague, text="x", occurred_at=datetime(2024, 9, 2, 9)
            ),
            CaseInputError,
            "The time needs a time zone.",
        ),
        "empty_note": (
            lambda c, t: case_add_note(case=c, actor=t.colleague, text="   "),
            CaseInputError,
            "The note is empty.",
        ),
    }


REFUSALS = _refusals()


@pytest.mark.parametrize("attempt", list(REFUSALS))
def test_a_refused_move_leaves_the_case_and_its_events_exactly_as_they_were(now, attempt):
    team = make_team("pivotal")
    case = investigating(team, about_colleagues=[team.investigator2])
    before = everything(case)
    action, error, words = REFUSALS[attempt]
    with pytest.raises(error) as refused:
        action(case, team)
    assert words in str(refused.value)
    assert str(refused.value).endswith((".", ")."))
    assert everything(case) == before


def test_a_refused_late_escalation_leaves_the_request_waiting_unchanged(now):
    team = make_team("pivotal")
    case = investigating(team)
    signed_off(team, case, "response")
    case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Agreed.")
    # The window closes 10 WD after Mon 2 Sep, on Mon 16 Sep; asked on Tue 17 Sep.
    now.move_to(london(2024, 9, 17))
    case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 9, 17))
    before = everything(case)
    with pytest.raises(TransitionRejected, match="Record the discretionary decision"):
        case_accept_escalation(case=case, actor=team.reviewer)
    assert everything(case) == before


# ---------------------------------------------------------------------------------------------
# Bad input at intake stores nothing
# ---------------------------------------------------------------------------------------------


def stored() -> tuple:
    return (
        Case.objects.count(),
        CaseEvent.objects.count(),
        CaseClock.objects.count(),
        Person.objects.count(),
        list(ReferenceCounter.objects.values()),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"summary": "   "}, "Describe what the person told us; the summary is empty."),
        ({"received_at": datetime(2024, 9, 2, 9)}, "The time received needs a time zone."),
        (
            {"received_at": MON + timedelta(minutes=6)},
            "The time received is in the future; check the date and time.",
        ),
        (
            {"incident_date": date(2024, 9, 3)},
            "The incident date Tue 3 Sep 2024 is after the case was received; check both dates.",
        ),
        (
            {"categories": ["repairs", "weather"]},
            "Unknown categories weather; use the policy's list.",
        ),
        (
            {"anonymous": True},
            "An anonymous case cannot name its complainant; untick anonymous.",
        ),
        (
            {"complainant": None},
            "Give the complainant's name, or tick anonymous if they did not give it.",
        ),
        ({"complainant": PersonDetails(name="  ")}, "A person needs a name."),
        ({"representative": PersonDetails(name="")}, "A person needs a name."),
    ],
)
def test_bad_input_at_intake_is_refused_in_plain_words_and_stores_nothing(now, changes, message):
    team = make_team("pivotal")
    receive_complaint(team, MON)  # the reference counter for 2024 exists already
    before = stored()
    changes = dict(changes)
    received_at = changes.pop("received_at", MON)
    with pytest.raises(CaseInputError) as wrong:
        receive_complaint(team, received_at, **changes)
    assert str(wrong.value) == message
    assert stored() == before


def test_intake_for_an_organisation_with_no_policy_is_refused_and_stores_nothing(now):
    team = make_team("pivotal")
    org = OrganisationFactory(name="New Homes Ltd")
    before = stored()
    with pytest.raises(CaseInputError) as wrong:
        case_receive(
            organisation=org,
            logged_by=None,
            kind=CaseKind.COMPLAINT,
            channel=Case.Channel.PHONE,
            summary="Lift broken.",
            received_at=MON,
            complainant=PersonDetails(name="Ada"),
        )
    assert str(wrong.value) == (
        "New Homes Ltd has no active policy version; an administrator must publish one before "
        "cases can be logged."
    )
    assert stored() == before
    assert team.org.cases.count() == 0


def test_a_time_received_a_few_minutes_ahead_of_the_server_clock_is_accepted(now):
    # Intake allows 5 minutes of clock drift between the colleague's device and the server.
    team = make_team("pivotal")
    case = receive_complaint(team, MON + timedelta(minutes=4))
    assert case.received_at == MON + timedelta(minutes=4)


# ---------------------------------------------------------------------------------------------
# Sequence numbers
# ---------------------------------------------------------------------------------------------


def test_event_sequence_numbers_run_from_1_with_no_gaps_even_after_refusals(now):
    team = make_team("pivotal")
    first = investigating(team)
    second = receive_complaint(team, MON)
    for attempt in ("accept_again", "extend_past_the_limit", "respond_without_reasons"):
        action, error, _ = REFUSALS[attempt]
        with pytest.raises(error):
            action(first, team)
    case_accept(case=second, actor=team.allocator)
    case_add_note(case=first, actor=team.colleague, text="Called the contractor.")
    signed_off(team, first, "extension")
    case_extend(
        case=first,
        actor=team.investigator,
        new_due=date(2024, 9, 20),
        reason="Contractor's report.",
        told_on=date(2024, 9, 2),
    )
    case_add_note(case=second, actor=team.colleague, text="Sent the leaflet.")
    for case, count in ((first, 7), (second, 3)):
        sequences = list(case.events.order_by("sequence").values_list("sequence", flat=True))
        assert sequences == list(range(1, count + 1))
    assert list(first.events.order_by("sequence").values_list("kind", flat=True)) == [
        Action.RECEIVE,
        Action.ACCEPT,
        Action.ALLOCATE,
        Action.ACKNOWLEDGE,
        Action.ADD_NOTE,
        Action.SIGN_OFF,
        Action.EXTEND,
    ]
