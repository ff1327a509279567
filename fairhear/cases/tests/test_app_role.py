"""Fairhear runs on PostgreSQL as a role that does not own the tables: the services work, and
the role cannot UPDATE, DELETE or TRUNCATE case events (issue 6 item 3; docs/operations.md)."""

from datetime import datetime
from io import StringIO
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from fairhear.cases.models import Case, LogCheck
from fairhear.cases.services import case_accept, case_add_note, case_allocate
from fairhear.cases.services.verification import cases_verify_log
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.core.db_roles import app_role_grants

LONDON = ZoneInfo("Europe/London")
MON = datetime(2024, 9, 2, 10, tzinfo=LONDON)  # Mon 2 Sep 2024


def sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_app_role_runs_the_services_but_cannot_rewrite_or_empty_the_event_log():
    with time_machine.travel(MON, tick=False):
        team = make_team("pivotal")  # published by the owner, as an administrator would
        # Created inside the test's transaction, so it disappears when the test ends.
        role = f"fairhear_app_{uuid4().hex[:12]}"
        sql(f"CREATE ROLE {role} NOLOGIN")
        for statement in app_role_grants(role):
            sql(statement)
        sql(f"SET ROLE {role}")
        try:
            case = receive_complaint(team, MON)
            case_accept(case=case, actor=team.allocator)
            case_allocate(case=case, actor=team.allocator, handler=team.investigator)
            case_add_note(case=case, actor=team.colleague, text="Called back.")
            assert cases_verify_log().clean

            for statement in (
                "UPDATE cases_caseevent SET actor_label = 'Someone else'",
                "DELETE FROM cases_caseevent",
                "TRUNCATE cases_caseevent",
                "ALTER TABLE cases_caseevent DISABLE TRIGGER case_event_append_only",
                "DROP TRIGGER case_event_append_only ON cases_caseevent",
                "DELETE FROM policies_policyversion",
                "DELETE FROM cases_logcheck",
            ):
                with (
                    pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
                    transaction.atomic(),
                ):
                    sql(statement)
        finally:
            sql("RESET ROLE")
        assert list(Case.objects.get(pk=case.pk).events.values_list("sequence", flat=True)) == [
            1,
            2,
            3,
            4,
        ]
        assert LogCheck.objects.count() == 1


@pytest.mark.django_db
def test_the_grants_command_prints_select_and_insert_only_for_the_append_only_tables():
    out = StringIO()
    call_command("app_role_grants", "fairhear_app", stdout=out)
    lines = out.getvalue().splitlines()
    assert "GRANT SELECT, INSERT ON TABLE cases_caseevent TO fairhear_app;" in lines
    assert "GRANT SELECT, INSERT ON TABLE policies_policyversion TO fairhear_app;" in lines
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE cases_case TO fairhear_app;" in lines
    assert not any("TRUNCATE" in line for line in lines)


@pytest.mark.django_db
def test_a_role_name_that_is_not_a_plain_identifier_is_refused_in_plain_words():
    with pytest.raises(CommandError) as refused:
        call_command("app_role_grants", "app; DROP TABLE cases_case")
    assert str(refused.value) == (
        "'app; DROP TABLE cases_case' is not a plain role name: use lower-case letters, digits "
        "and _, starting with a letter or _."
    )
