"""Make the case event log append-only in the database itself (BRIEF core idea 3).

Triggers refuse UPDATE and DELETE on case events, and UPDATE on published policy versions, on
both SQLite and PostgreSQL, so that no code path (bulk update, raw SQL, the shell) can rewrite
history. PostgreSQL's TRUNCATE, which tests use to empty tables, does not fire row triggers.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER case_event_no_update BEFORE UPDATE ON cases_caseevent
       BEGIN SELECT RAISE(ABORT, 'case events are append-only: record a new event instead'); END""",
    """CREATE TRIGGER case_event_no_delete BEFORE DELETE ON cases_caseevent
       BEGIN SELECT RAISE(ABORT, 'case events are append-only: they cannot be deleted'); END""",
    """CREATE TRIGGER policy_version_no_update BEFORE UPDATE ON policies_policyversion
       BEGIN SELECT RAISE(ABORT, 'a published policy version cannot be changed: publish a new one'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS case_event_no_update",
    "DROP TRIGGER IF EXISTS case_event_no_delete",
    "DROP TRIGGER IF EXISTS policy_version_no_update",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION fairhear_refuse_change() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP;
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER case_event_append_only BEFORE UPDATE OR DELETE ON cases_caseevent
       FOR EACH ROW EXECUTE FUNCTION fairhear_refuse_change()""",
    """CREATE TRIGGER policy_version_immutable BEFORE UPDATE ON policies_policyversion
       FOR EACH ROW EXECUTE FUNCTION fairhear_refuse_change()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS case_event_append_only ON cases_caseevent",
    "DROP TRIGGER IF EXISTS policy_version_immutable ON policies_policyversion",
    "DROP FUNCTION IF EXISTS fairhear_refuse_change()",
]


def _run(statements_by_vendor: dict):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            # No params: the PL/pgSQL body uses '%' placeholders of its own, which psycopg
            # would otherwise read as query parameters.
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("policies", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
