"""Published policy versions cannot be swapped and case events cannot be replaced, by the
statements a person with database access would try (docs/adr/ADR-002, ADR-005).

A version's text is checked against its sha256 whenever it is read: if someone changed it
behind the triggers' back, the case stops with a plain alarm instead of showing deadlines
worked out from the altered text.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from fairhear.cases.models import CaseClock, CaseEvent
from fairhear.cases.services import case_accept, case_add_note, cases_auto_close_sweep
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_journeys import london, pivotal_stage1_responded
from fairhear.domain.lifecycle import Action, CaseState
from fairhear.policies.models import PolicyVersion
from fairhear.policies.selectors import PolicyVersionTampered

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MON = datetime(2024, 9, 2, 10, tzinfo=LONDON)  # Mon 2 Sep 2024
ALARM = "This case's policy version failed its integrity check; the lead has been told."
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite statement form")


@pytest.fixture
def now():
    with time_machine.travel(MON, tick=False) as traveller:
        yield traveller


def refused():
    """The database refuses the statement with the words of one of Fairhear's triggers."""
    return pytest.raises(
        DatabaseError, match=r"append-only|cannot be (changed|deleted|replaced)|refused"
    )


def _row(table: str, pk: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def _insert(verb: str, table: str, row: dict, tail: str = "") -> None:
    names = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    with transaction.atomic(), connection.cursor() as cursor:
        sql = f"{verb} INTO {table} ({names}) VALUES ({marks}) {tail}"
        cursor.execute(sql, list(row.values()))


# ---------------------------------------------------------------------------------------------
# Issue 6 item 2: the event log cannot be rewritten with REPLACE on SQLite
# ---------------------------------------------------------------------------------------------

EVENT_FORMS = {
    # The same id: REPLACE deletes the stored row without firing the DELETE trigger.
    "insert_or_replace_same_id": ("INSERT OR REPLACE", False, ""),
    "replace_into_same_id": ("REPLACE", False, ""),
    # A new id with the same case and sequence: REPLACE removes the row it collides with.
    "insert_or_replace_same_sequence": ("INSERT OR REPLACE", True, ""),
    "replace_into_same_sequence": ("REPLACE", True, ""),
    # An upsert, which updates the row it collides with.
    "upsert": ("INSERT", False, "ON CONFLICT(id) DO UPDATE SET actor_label = excluded.actor_label"),
}


@sqlite_only
@pytest.mark.parametrize("form", list(EVENT_FORMS))
def test_an_event_cannot_be_replaced_by_any_statement_form_on_sqlite(now, form):
    team = make_team("pivotal")
    case = receive_complaint(team, MON)
    case_accept(case=case, actor=team.allocator)
    table = CaseEvent._meta.db_table
    before = list(CaseEvent.objects.order_by("pk").values())
    row = _row(table, case.events.get(sequence=1).pk)
    verb, new_id, tail = EVENT_FORMS[form]
    if new_id:
        row.pop("id")
    row["actor_label"] = "Someone else"
    row["data"] = '{"kind": "compliment"}'
    with refused():
        _insert(verb, table, row, tail)
    assert list(CaseEvent.objects.order_by("pk").values()) == before


@sqlite_only
def test_an_event_cannot_be_replaced_by_update_or_replace_on_sqlite(now):
    team = make_team("pivotal")
    case = receive_complaint(team, MON)
    case_accept(case=case, actor=team.allocator)
    table = CaseEvent._meta.db_table
    before = list(CaseEvent.objects.order_by("pk").values())
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE OR REPLACE {table} SET sequence = 1 WHERE case_id = %s AND sequence = 2",  # noqa: S608
            [case.pk],
        )
    assert list(CaseEvent.objects.order_by("pk").values()) == before


def test_new_events_are_still_appended_after_the_replace_check(now):
    # The BEFORE INSERT check refuses only collisions: a note is event 3 after receive, accept.
    team = make_team("pivotal")
    case = receive_complaint(team, MON)
    case_accept(case=case, actor=team.allocator)
    case_add_note(case=case, actor=team.colleague, text="Called back.")
    assert list(case.events.values_list("sequence", "kind")) == [
        (1, Action.RECEIVE),
        (2, Action.ACCEPT),
        (3, Action.ADD_NOTE),
    ]


# ---------------------------------------------------------------------------------------------
# Issue 6 item 1: a published version cannot be deleted, replaced or swapped
# ---------------------------------------------------------------------------------------------


def _edited(version: PolicyVersion) -> dict:
    """The version's row with its stage 1 deadline made 100 working days instead of 10."""
    row = _row(PolicyVersion._meta.db_table, version.pk)
    row["source_toml"] = row["source_toml"].replace("working_days = 10", "working_days = 100")
    return row


VERSION_FORMS = {
    "insert_or_replace_same_id": ("INSERT OR REPLACE", False, ""),
    "replace_into_same_id": ("REPLACE", False, ""),
    # A new id for the same organisation and stored sha256: REPLACE removes the old row.
    "replace_into_same_sha256": ("REPLACE", True, ""),
    "upsert": ("INSERT", False, "ON CONFLICT(id) DO UPDATE SET source_toml = excluded.source_toml"),
}


@sqlite_only
@pytest.mark.parametrize("form", list(VERSION_FORMS))
def test_a_published_version_cannot_be_replaced_by_any_statement_form_on_sqlite(now, form):
    team = make_team("pivotal")
    receive_complaint(team, MON)
    version = team.org.active_policy_version
    before = list(PolicyVersion.objects.order_by("pk").values())
    verb, new_id, tail = VERSION_FORMS[form]
    row = _edited(version)
    if new_id:
        row.pop("id")
    with refused():
        _insert(verb, PolicyVersion._meta.db_table, row, tail)
    assert list(PolicyVersion.objects.order_by("pk").values()) == before


def test_a_published_version_cannot_be_deleted_by_raw_sql(now):
    team = make_team("pivotal")
    version = team.org.active_policy_version
    table = PolicyVersion._meta.db_table
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [version.pk])  # noqa: S608
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    assert PolicyVersion.objects.filter(pk=version.pk).exists()


@pytest.mark.postgres
def test_a_version_cannot_be_deleted_and_inserted_again_in_one_transaction_on_postgresql(now):
    # The probe: the cases' foreign keys are deferred to commit, so DELETE then INSERT of the
    # same id with edited text used to pass.
    team = make_team("pivotal")
    case = receive_complaint(team, MON)
    version = team.org.active_policy_version
    table = PolicyVersion._meta.db_table
    row = _edited(version)
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [version.pk])  # noqa: S608
        _insert("INSERT", table, row)
    with refused():
        _insert(
            "INSERT",
            table,
            row,
            "ON CONFLICT (id) DO UPDATE SET source_toml = excluded.source_toml",
        )
    case.policy_version.refresh_from_db()
    assert "working_days = 100" not in case.policy_version.source_toml


# ---------------------------------------------------------------------------------------------
# Issue 6 item 1: text changed behind the triggers' back is caught when the version is read
# ---------------------------------------------------------------------------------------------


def _edit_behind_the_triggers(version: PolicyVersion) -> None:
    """What the table owner can do: switch the trigger off (PostgreSQL) or drop it (SQLite),
    then make the stage 1 deadline 100 working days instead of 10."""
    table = PolicyVersion._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # (The test's own transaction holds deferred foreign-key checks; settle them first.)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER policy_version_immutable")
        else:
            cursor.execute("DROP TRIGGER policy_version_no_update")
        cursor.execute(
            f"UPDATE {table} SET source_toml = REPLACE(source_toml, %s, %s) WHERE id = %s",  # noqa: S608
            ["working_days = 10", "working_days = 100", version.pk],
        )


def test_a_case_whose_version_text_was_altered_stops_with_a_plain_alarm(now, client):
    team = make_team("pivotal")
    case = receive_complaint(team, MON)
    case_accept(case=case, actor=team.allocator)
    page = reverse("cases:detail", args=[case.reference])
    client.force_login(team.allocator)
    # 10 working days after Mon 2 Sep 2024 (Pivotal §9 stage 1): 3-6, 9-13, 16 Sep.
    assert "Mon 16 Sep 2024" in client.get(page).content.decode()

    _edit_behind_the_triggers(team.org.active_policy_version)

    response = client.get(page)
    text = response.content.decode()
    assert response.status_code == 409
    assert ALARM.replace("'", "&#x27;") in text
    assert "Mon 16 Sep 2024" not in text  # no deadline at all, old or new
    assert "working days" not in text
    action = client.get(reverse("cases:action", args=[case.reference, Action.ADD_NOTE.value]))
    assert action.status_code == 409
    assert ALARM.replace("'", "&#x27;") in action.content.decode()

    # A service acting on the case stops too, and nothing is written or recomputed.
    events = case.events.count()
    with pytest.raises(PolicyVersionTampered) as stopped:
        case_add_note(case=case, actor=team.colleague, text="Called back.")
    assert str(stopped.value) == ALARM
    assert case.events.count() == events
    assert CaseClock.objects.get(case=case, name="stage1_response_due").due.isoformat() == (
        "2024-09-16"
    )


def test_the_lead_is_told_on_my_work_when_a_version_fails_its_check(now, client):
    team = make_team("pivotal")
    case = receive_complaint(team, MON)
    _edit_behind_the_triggers(team.org.active_policy_version)

    client.force_login(team.lead)
    response = client.get(reverse("cases:my_work"))
    text = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "The case log needs your attention" in text
    assert "The policy version pivotal" in text
    assert "failed its integrity check" in text
    assert case.reference in text

    # Colleagues who are not the lead see the case stopped, not the banner.
    client.force_login(team.colleague)
    text = client.get(reverse("cases:my_work")).content.decode()
    assert "The case log needs your attention" not in text


def test_the_auto_close_sweep_passes_over_a_case_whose_version_failed_its_check(caplog):
    # §10.1 c: 10 working days after a stage 1 response on Fri 6 Sep 2024 is Fri 20 Sep
    # (Mon 9 - Fri 13, Mon 16 - Fri 20), so the sweep of Sat 21 Sep closes both cases.
    with time_machine.travel(MON, tick=False) as t:
        tampered_team, sound_team = make_team("pivotal"), make_team("pivotal")
        tampered = pivotal_stage1_responded(tampered_team, t, MON, london(2024, 9, 6, 12))
        sound = pivotal_stage1_responded(sound_team, t, MON, london(2024, 9, 6, 12))
        _edit_behind_the_triggers(tampered_team.org.active_policy_version)
        t.move_to(london(2024, 9, 21, 6))

        closed = cases_auto_close_sweep(today=date(2024, 9, 21))

    assert closed == [sound.reference]
    tampered.refresh_from_db()
    assert tampered.state == CaseState.RESPONDED
    assert f"Not closing {tampered.reference}: {ALARM}" in caplog.text
