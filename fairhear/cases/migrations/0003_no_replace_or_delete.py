"""Close the ways around the append-only triggers of 0002 (docs/adr/ADR-002).

- A published policy version can no longer be deleted (on PostgreSQL a DELETE and a re-insert
  with edited text in one transaction passed the deferred foreign keys of the cases pinned to
  it).
- On SQLite, `INSERT OR REPLACE` and `REPLACE INTO` remove the row they collide with without
  firing DELETE triggers (recursive triggers are off). A BEFORE INSERT trigger refuses any
  insert that collides with an existing row's id or natural key, which covers every REPLACE
  form and upserts. PostgreSQL has no REPLACE; its `ON CONFLICT DO UPDATE` fires the UPDATE
  trigger, which refuses it.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER case_event_no_replace BEFORE INSERT ON cases_caseevent
       WHEN EXISTS (SELECT 1 FROM cases_caseevent
                    WHERE id = NEW.id OR (case_id = NEW.case_id AND sequence = NEW.sequence))
       BEGIN SELECT RAISE(ABORT, 'case events are append-only: an event cannot be replaced'); END""",
    """CREATE TRIGGER policy_version_no_delete BEFORE DELETE ON policies_policyversion
       BEGIN SELECT RAISE(ABORT, 'a published policy version cannot be deleted: publish a new one'); END""",
    """CREATE TRIGGER policy_version_no_replace BEFORE INSERT ON policies_policyversion
       WHEN EXISTS (SELECT 1 FROM policies_policyversion
                    WHERE id = NEW.id
                       OR (organisation_id = NEW.organisation_id AND sha256 = NEW.sha256))
       BEGIN SELECT RAISE(ABORT, 'a published policy version cannot be replaced: publish a new one'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS case_event_no_replace",
    "DROP TRIGGER IF EXISTS policy_version_no_delete",
    "DROP TRIGGER IF EXISTS policy_version_no_replace",
]
POSTGRES = [
    "DROP TRIGGER IF EXISTS policy_version_immutable ON policies_policyversion",
    """CREATE TRIGGER policy_version_immutable BEFORE UPDATE OR DELETE ON policies_policyversion
       FOR EACH ROW EXECUTE FUNCTION fairhear_refuse_change()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS policy_version_immutable ON policies_policyversion",
    """CREATE TRIGGER policy_version_immutable BEFORE UPDATE ON policies_policyversion
       FOR EACH ROW EXECUTE FUNCTION fairhear_refuse_change()""",
]


def _run(statements_by_vendor: dict):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_append_only_events"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
