"""The organisation's "changed" token, and the triggers that change it (accounts.selectors,
docs/adr/ADR-013-navigation-counts-kept.md).

Every workspace page reads the organisation's closure days (its working-day calendar), and
every list page its service areas and its active colleagues' names (the filters' choices).
They change rarely, so a page keeps them until the organisation's token changes. The triggers
give an organisation its first token when it is added, and a new random token in the same
transaction whenever a closure day or a service area is added, changed or removed, or a colleague is added or removed or their
organisation, names, username or being active change. They are in the database, so no code
path can change what is kept without changing the token. PostgreSQL fires them once a
statement (transition tables); SQLite has only row triggers.
"""

from django.db import migrations, models

TABLES = ("accounts_closureday", "accounts_servicearea")
COLLEAGUE_COLUMNS = ("organisation_id", "first_name", "last_name", "username", "is_active")

_NEW = ", ".join(f"n.{c}" for c in COLLEAGUE_COLUMNS)
_OLD = ", ".join(f"o.{c}" for c in COLLEAGUE_COLUMNS)

POSTGRES = [
    """CREATE OR REPLACE FUNCTION fairhear_organisation_changed_in(orgs bigint[])
       RETURNS void AS $$
         INSERT INTO accounts_organisationchanged (organisation_id, token)
         SELECT o, floor(random() * 9e18)::bigint
           FROM (SELECT DISTINCT o FROM unnest(orgs) AS o WHERE o IS NOT NULL) AS d ORDER BY o
         ON CONFLICT (organisation_id) DO UPDATE SET token = EXCLUDED.token
       $$ LANGUAGE sql""",
    """CREATE OR REPLACE FUNCTION fairhear_organisation_rows_added() RETURNS trigger AS $$
       BEGIN
         PERFORM fairhear_organisation_changed_in(ARRAY(SELECT organisation_id FROM new_rows));
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION fairhear_organisation_rows_removed() RETURNS trigger AS $$
       BEGIN
         PERFORM fairhear_organisation_changed_in(ARRAY(SELECT organisation_id FROM old_rows));
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION fairhear_organisation_rows_updated() RETURNS trigger AS $$
       BEGIN
         PERFORM fairhear_organisation_changed_in(ARRAY(
           SELECT organisation_id FROM new_rows UNION ALL SELECT organisation_id FROM old_rows));
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE FUNCTION fairhear_colleagues_updated() RETURNS trigger AS $$
       BEGIN
         PERFORM fairhear_organisation_changed_in(ARRAY(
           SELECT unnest(ARRAY[n.organisation_id, o.organisation_id])
             FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
            WHERE ({_NEW}) IS DISTINCT FROM ({_OLD})));
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
]
# A new organisation starts with a token, so that what its pages read is kept from the first.
POSTGRES += [
    """CREATE OR REPLACE FUNCTION fairhear_organisation_added() RETURNS trigger AS $$
       BEGIN
         PERFORM fairhear_organisation_changed_in(ARRAY(SELECT id FROM new_rows));
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER accounts_organisation_added_changes_organisation
       AFTER INSERT ON accounts_organisation REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION fairhear_organisation_added()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_organisation_added_changes_organisation "
    "ON accounts_organisation",
    "DROP FUNCTION IF EXISTS fairhear_organisation_added()",
]
for table, updated in [
    *((t, "organisation_rows") for t in TABLES),
    ("accounts_user", "colleagues"),
]:
    POSTGRES += [
        f"""CREATE TRIGGER {table}_added_changes_organisation AFTER INSERT ON {table}
            REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION fairhear_organisation_rows_added()""",
        f"""CREATE TRIGGER {table}_updated_changes_organisation AFTER UPDATE ON {table}
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION fairhear_{updated}_updated()""",
        f"""CREATE TRIGGER {table}_removed_changes_organisation AFTER DELETE ON {table}
            REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION fairhear_organisation_rows_removed()""",
    ]
    POSTGRES_REVERSE += [
        f"DROP TRIGGER IF EXISTS {table}_{what}_changes_organisation ON {table}"
        for what in ("added", "updated", "removed")
    ]
POSTGRES_REVERSE += [
    f"DROP FUNCTION IF EXISTS fairhear_{f}()"
    for f in (
        "organisation_rows_added",
        "organisation_rows_removed",
        "organisation_rows_updated",
        "colleagues_updated",
    )
] + ["DROP FUNCTION IF EXISTS fairhear_organisation_changed_in(bigint[])"]


def _sqlite_token(org: str) -> str:
    return (
        "INSERT INTO accounts_organisationchanged (organisation_id, token) "
        f"SELECT {org}, random() WHERE {org} IS NOT NULL "
        "ON CONFLICT (organisation_id) DO UPDATE SET token = excluded.token;"
    )


_SQLITE_DIFFERS = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in COLLEAGUE_COLUMNS)
SQLITE = [
    f"""CREATE TRIGGER accounts_organisation_added_changes_organisation
        AFTER INSERT ON accounts_organisation BEGIN {_sqlite_token("NEW.id")} END"""
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS accounts_organisation_added_changes_organisation"]
for table in (*TABLES, "accounts_user"):
    when = f"WHEN {_SQLITE_DIFFERS}" if table == "accounts_user" else ""
    SQLITE += [
        f"""CREATE TRIGGER {table}_added_changes_organisation AFTER INSERT ON {table}
            BEGIN {_sqlite_token("NEW.organisation_id")} END""",
        f"""CREATE TRIGGER {table}_updated_changes_organisation AFTER UPDATE ON {table} {when}
            BEGIN {_sqlite_token("NEW.organisation_id")} {_sqlite_token("OLD.organisation_id")}
            END""",
        f"""CREATE TRIGGER {table}_removed_changes_organisation AFTER DELETE ON {table}
            BEGIN {_sqlite_token("OLD.organisation_id")} END""",
    ]
    SQLITE_REVERSE += [
        f"DROP TRIGGER IF EXISTS {table}_{what}_changes_organisation"
        for what in ("added", "updated", "removed")
    ]

# Every organisation starts with a token.
FIRST_TOKENS = {
    "postgresql": [
        "SELECT fairhear_organisation_changed_in(ARRAY(SELECT id FROM accounts_organisation))"
    ],
    "sqlite": [
        "INSERT INTO accounts_organisationchanged (organisation_id, token) "
        "SELECT id, random() FROM accounts_organisation WHERE true "
        "ON CONFLICT (organisation_id) DO NOTHING"
    ],
}


def _run(*statements_by_vendor: dict):
    def run(apps, schema_editor):
        for statements in statements_by_vendor:
            for sql in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_organisation_reminder_days"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrganisationChanged",
            fields=[
                ("organisation_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("token", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}, FIRST_TOKENS),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
