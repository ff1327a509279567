"""`manage.py verify_log`: every case's hash chain and stored state, stage, clocks and next
deadline checked against its events; tampering by the statements a person with database
access would use is named by case (issue 6 item 3; docs/adr/ADR-005).
"""

import hashlib
from datetime import date, datetime
from io import StringIO
from string import Template
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from fairhear.cases.chain import event_hash
from fairhear.cases.models import Case, CaseEvent, LogCheck
from fairhear.cases.services import (
    case_accept,
    case_acknowledge,
    case_add_note,
    case_allocate,
    case_close,
)
from fairhear.cases.tests.factories import Team, make_team, receive_complaint
from fairhear.core.demo import create_demo
from fairhear.domain.lifecycle import Action
from fairhear.policies.models import PolicyVersion

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MON = datetime(2024, 9, 2, 10, tzinfo=LONDON)  # Mon 2 Sep 2024
postgres_only = pytest.mark.postgres
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite statements")


@pytest.fixture
def now():
    with time_machine.travel(MON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(now) -> Team:
    return make_team("pivotal")


def investigating(team: Team) -> Case:
    """Received, accepted, allocated and acknowledged on Mon 2 Sep 2024, then a note: 5 events."""
    case = receive_complaint(team, MON)
    case_accept(case=case, actor=team.allocator)
    case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    case_acknowledge(case=case, actor=team.investigator)
    case_add_note(case=case, actor=team.colleague, text="Called the contractor.")
    return case


def verify() -> tuple[int, str]:
    """Run the command as a scheduler would: (exit status, everything it printed)."""
    out = StringIO()
    try:
        call_command("verify_log", stdout=out)
    except CommandError as failed:
        return failed.returncode, out.getvalue() + str(failed)
    return 0, out.getvalue()


def sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def settle_foreign_keys() -> None:
    """PostgreSQL refuses ALTER and TRUNCATE while the test's own deferred checks wait."""
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")


# ---------------------------------------------------------------------------------------------
# A log nobody touched is clean
# ---------------------------------------------------------------------------------------------


def test_an_untouched_log_is_reported_intact_and_the_run_is_stored(team):
    investigating(team)  # 5 events
    closed = receive_complaint(team, MON)
    case_close(case=closed, actor=team.lead, reason_code="10.1b")  # 2 events (Pivotal §10.1 b)
    receive_complaint(team, MON)  # 1 event

    status, printed = verify()

    assert status == 0
    assert printed.strip() == "Checked 3 cases and 8 events: the log is intact."
    check = LogCheck.objects.get()
    assert (check.clean, check.cases_checked, check.events_checked, check.problems) == (
        True,
        3,
        8,
        [],
    )


def test_an_event_hash_is_the_same_sorted_key_json_on_every_database(team):
    case = receive_complaint(team, MON)
    event = case.events.get()
    # Written out by hand: sorted keys, no spaces, times in UTC (10:00 BST is 09:00 UTC).
    content = Template(
        '{"actor":$actor,"actor_label":"$label","case":$case,"data":{"anonymous":false,'
        '"anti_social_behaviour":false,"categories":["repairs"],"channel":"phone",'
        '"health_and_safety":false,"kind":"complaint",'
        '"people":{"complainant":{"person_id":$person,"recognised":"new"}},"safeguarding":false,'
        '"service_area_id":null,"tenure":"unknown"},"from_state":"","kind":"received",'
        '"occurred_at":"2024-09-02T09:00:00+00:00","policy_version":$version,'
        '"recorded_at":"2024-09-02T09:00:00+00:00","sequence":1,"stage":0,'
        '"to_state":"received"}'
    ).substitute(
        actor=team.colleague.pk,
        label=str(team.colleague),
        case=case.pk,
        version=case.policy_version_id,
        person=case.complainant_id,
    )
    first = hashlib.sha256(f"fairhear-case-log-v1\ngenesis\n{case.pk}\n{case.reference}".encode())
    expected = hashlib.sha256(f"{first.hexdigest()}\n{content}".encode()).hexdigest()
    assert event.chain_hash == expected
    case.refresh_from_db()
    assert case.log_head == expected


# ---------------------------------------------------------------------------------------------
# Tampering on any database is named by case
# ---------------------------------------------------------------------------------------------


def test_a_state_set_directly_in_the_case_table_is_named(team):
    case = investigating(team)
    sql("UPDATE cases_case SET state = 'closed' WHERE id = %s", [case.pk])

    status, printed = verify()

    assert status == 1
    assert (
        f"{case.reference}: It is stored as “Closed” but its events leave it “Investigating”."
        in (printed)
    )
    assert f"1 problem in 1 case ({case.reference})" in printed


def _forge(case: Case, chain_hash: str) -> None:
    """Insert a closure dated Thu 1 Aug 2024 as event 6, straight into the event table."""
    last = case.events.get(sequence=5)
    sql(
        "INSERT INTO cases_caseevent (case_id, sequence, kind, stage, from_state, to_state, "
        "actor_id, actor_label, occurred_at, recorded_at, policy_version_id, data, chain_hash) "
        "VALUES (%s, 6, %s, 1, 'investigating', 'closed', NULL, 'Someone', %s, %s, %s, '{}', %s)",
        [
            case.pk,
            Action.CLOSE.value,
            datetime(2024, 8, 1, 9, tzinfo=LONDON),
            datetime(2024, 8, 1, 9, tzinfo=LONDON),
            last.policy_version_id,
            chain_hash,
        ],
    )


def test_a_forged_backdated_event_is_named(team):
    case = investigating(team)
    other = investigating(team)
    _forge(case, "0" * 64)

    status, printed = verify()

    assert status == 1
    assert f"{case.reference}: Event 6 does not match its hash" in printed
    assert f"{case.reference}: Its last event is number 6, not the last one Fairhear wrote" in (
        printed
    )
    assert (
        f"{case.reference}: It is stored as “Investigating” but its events leave it “Closed”."
        in (printed)
    )
    assert other.reference not in printed.split("problems in")[0]


def test_a_forged_event_whose_hash_was_worked_out_by_someone_who_knows_the_scheme_is_named(team):
    case = investigating(team)
    last = case.events.get(sequence=5)
    forged = CaseEvent(
        case_id=case.pk,
        sequence=6,
        kind=Action.CLOSE.value,
        stage=1,
        from_state="investigating",
        to_state="closed",
        actor_label="Someone",
        occurred_at=datetime(2024, 8, 1, 9, tzinfo=LONDON),
        recorded_at=datetime(2024, 8, 1, 9, tzinfo=LONDON),
        policy_version_id=last.policy_version_id,
        data={},
    )
    _forge(case, event_hash(forged, last.chain_hash))

    status, printed = verify()

    assert status == 1
    assert "Event 6 does not match its hash" not in printed  # the chain itself holds
    assert f"{case.reference}: Its last event is number 6, not the last one Fairhear wrote" in (
        printed
    )


def test_a_next_deadline_moved_in_the_case_table_is_named(team):
    case = investigating(team)
    # Nobody has recorded telling the line manager and Head of Services, so the soonest deadline
    # is Pivotal §9 stage 1 step 5's: 1 working day after receipt on Mon 2 Sep 2024, Tue 3 Sep
    # (the stage 1 response is due later, Mon 16 Sep).
    sql("UPDATE cases_case SET next_due = %s WHERE id = %s", [date(2024, 12, 31), case.pk])

    status, printed = verify()

    assert status == 1
    assert (
        f"{case.reference}: Its next deadline is stored as Tue 31 Dec 2024 but its events give "
        "Tue 3 Sep 2024."
    ) in printed


def test_a_stored_clock_moved_in_the_clock_table_is_named(team):
    case = investigating(team)
    sql(
        "UPDATE cases_caseclock SET due = %s WHERE case_id = %s AND name = %s",
        [date(2024, 12, 31), case.pk, "stage1_response_due"],
    )

    status, printed = verify()

    assert status == 1
    assert f"{case.reference}: Its stored clock “" in printed
    assert "differs from its events in due." in printed


def test_a_case_whose_policy_version_text_was_altered_is_named(team):
    case = investigating(team)
    settle_foreign_keys()
    table = PolicyVersion._meta.db_table
    if connection.vendor == "postgresql":
        sql(f"ALTER TABLE {table} DISABLE TRIGGER policy_version_immutable")
    else:
        sql("DROP TRIGGER policy_version_no_update")
    sql("UPDATE policies_policyversion SET source_toml = source_toml || %s", ["\n# edited\n"])

    status, printed = verify()

    assert status == 1
    assert f"{case.reference}: Its policy version pivotal 3.0 failed its integrity check" in printed


@sqlite_only
def test_an_event_changed_or_removed_after_dropping_the_sqlite_triggers_is_named(team):
    changed = investigating(team)
    removed = investigating(team)
    sql("DROP TRIGGER case_event_no_update")
    sql("DROP TRIGGER case_event_no_delete")
    sql(
        "UPDATE cases_caseevent SET actor_label = 'Someone else' "
        "WHERE case_id = %s AND sequence = 2",
        [changed.pk],
    )
    sql("DELETE FROM cases_caseevent WHERE case_id = %s AND sequence = 5", [removed.pk])

    status, printed = verify()

    assert status == 1
    assert f"{changed.reference}: Event 2 does not match its hash" in printed
    assert f"{removed.reference}: Its last event is number 4, not the last one Fairhear wrote" in (
        printed
    )


@postgres_only
def test_the_event_table_truncated_by_its_owner_on_postgresql_is_named(team):
    first = investigating(team)
    second = investigating(team)
    settle_foreign_keys()
    sql("TRUNCATE cases_caseevent CASCADE")  # with the files that name its events

    status, printed = verify()

    assert status == 1
    for case in (first, second):
        assert f"{case.reference}: Its log has no events at all" in printed


@postgres_only
def test_an_event_changed_with_the_trigger_disabled_by_the_owner_is_named(team):
    case = investigating(team)
    settle_foreign_keys()
    sql("ALTER TABLE cases_caseevent DISABLE TRIGGER case_event_append_only")
    sql(
        "UPDATE cases_caseevent SET occurred_at = occurred_at - interval '30 days' "
        "WHERE case_id = %s AND sequence = 3",
        [case.pk],
    )

    status, printed = verify()

    assert status == 1
    assert f"{case.reference}: Event 3 does not match its hash" in printed


@postgres_only
def test_an_event_deleted_after_the_owner_dropped_the_trigger_is_named(team):
    case = investigating(team)
    settle_foreign_keys()
    sql("DROP TRIGGER case_event_append_only ON cases_caseevent")
    sql("DELETE FROM cases_caseevent WHERE case_id = %s AND sequence = 2", [case.pk])

    status, printed = verify()

    assert status == 1
    assert f"{case.reference}: Event 2 is missing from its log." in printed
    assert f"{case.reference}: Event 3 does not match its hash" in printed


# ---------------------------------------------------------------------------------------------
# The lead sees the latest run
# ---------------------------------------------------------------------------------------------


def test_the_lead_sees_the_latest_run_s_problems_on_my_work_and_a_page_listing_them(team, client):
    case = investigating(team)
    elsewhere = make_team("pivotal")
    other = investigating(elsewhere)
    sql("UPDATE cases_case SET state = 'closed' WHERE id IN (%s, %s)", [case.pk, other.pk])
    verify()

    client.force_login(team.lead)
    work = " ".join(client.get(reverse("cases:my_work")).content.decode().split())
    assert "The case log needs your attention" in work
    assert "The log check of Mon 2 Sep 2024 found 1 problem" in work
    assert reverse("cases:log_check") in work

    page = client.get(reverse("cases:log_check"))
    text = " ".join(page.content.decode().split())
    assert page.status_code == 200
    assert case.reference in text
    assert "It is stored as “Closed” but its events leave it “Investigating”." in text
    assert other.reference not in text  # another organisation's case

    client.force_login(team.investigator)
    assert (
        "The case log needs your attention"
        not in client.get(reverse("cases:my_work")).content.decode()
    )
    assert client.get(reverse("cases:log_check")).status_code == 404

    # Put right (here: a fresh organisation's clean log) and checked again: the banner goes.
    sql("UPDATE cases_case SET state = 'investigating' WHERE id IN (%s, %s)", [case.pk, other.pk])
    assert verify()[0] == 0
    client.force_login(team.lead)
    assert (
        "The case log needs your attention"
        not in client.get(reverse("cases:my_work")).content.decode()
    )


@pytest.mark.parametrize("policy", ["pivotal", "mmbm"])
def test_the_demo_s_log_is_reported_intact(policy):
    # The demo plays its cases through every service, on today's date.
    create_demo(policy=policy, cases=40)

    status, printed = verify()

    assert status == 0, printed
    assert printed.strip().endswith("the log is intact.")
