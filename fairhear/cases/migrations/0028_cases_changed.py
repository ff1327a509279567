"""The organisation's "cases changed" token, and the triggers that change it
(fairhear.cases.changes, docs/performance.md "The navigation's counts kept until a case
changes").

Whenever a case is added or removed, one of the columns the counts read changes (the columns
of fairhear.cases.changes.COUNTED_COLUMNS, named again below as a migration must not follow
later code), or a colleague is linked to or unlinked from a case (involved in it, named on it,
or complained about in it), the organisation's row gets a new random token in the same
transaction. The triggers are in the database, so no code path (a service, a bulk update, raw
SQL, the shell) can change a count without changing the token.

PostgreSQL fires them once a statement, over the statement's rows (transition tables), so that
a bulk load (bench/generate.py copies a million cases) changes the token once, not a million
times; SQLite has only row triggers. Changing the columns named here needs a new migration that
makes the triggers again.
"""

from django.db import migrations, models

COLUMNS = (
    "organisation_id",
    "state",
    "kind",
    "stage",
    "channel",
    "restricted_access",
    "handler_id",
    "service_area_id",
    "logged_by_id",
    "next_due",
)
LINKS = ("cases_caseinvolvement", "cases_case_about_colleagues", "cases_case_access_named")

_PG_NEW = ", ".join(f"n.{c}" for c in COLUMNS)
_PG_OLD = ", ".join(f"o.{c}" for c in COLUMNS)

POSTGRES = [
    # The one place a token is written: each organisation once, in order (two statements
    # changing the same organisations lock their rows in the same order).
    """CREATE OR REPLACE FUNCTION fairhear_cases_changed_in(orgs bigint[]) RETURNS void AS $$
         INSERT INTO cases_caseschanged (organisation_id, token)
         SELECT o, floor(random() * 9e18)::bigint
           FROM (SELECT DISTINCT o FROM unnest(orgs) AS o WHERE o IS NOT NULL) AS d ORDER BY o
         ON CONFLICT (organisation_id) DO UPDATE SET token = EXCLUDED.token
       $$ LANGUAGE sql""",
    """CREATE OR REPLACE FUNCTION fairhear_case_added() RETURNS trigger AS $$
       BEGIN
         PERFORM fairhear_cases_changed_in(ARRAY(SELECT organisation_id FROM new_rows));
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION fairhear_case_removed() RETURNS trigger AS $$
       BEGIN
         PERFORM fairhear_cases_changed_in(ARRAY(SELECT organisation_id FROM old_rows));
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE FUNCTION fairhear_case_updated() RETURNS trigger AS $$
       BEGIN
         PERFORM fairhear_cases_changed_in(ARRAY(
           SELECT unnest(ARRAY[n.organisation_id, o.organisation_id])
             FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
            WHERE ({_PG_NEW}) IS DISTINCT FROM ({_PG_OLD})));
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION fairhear_case_link_added() RETURNS trigger AS $$
       BEGIN
         PERFORM fairhear_cases_changed_in(ARRAY(
           SELECT c.organisation_id FROM new_rows AS r JOIN cases_case AS c ON c.id = r.case_id));
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION fairhear_case_link_removed() RETURNS trigger AS $$
       BEGIN
         PERFORM fairhear_cases_changed_in(ARRAY(
           SELECT c.organisation_id FROM old_rows AS r JOIN cases_case AS c ON c.id = r.case_id));
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION fairhear_case_link_updated() RETURNS trigger AS $$
       BEGIN
         PERFORM fairhear_cases_changed_in(ARRAY(
           SELECT c.organisation_id
             FROM (SELECT case_id FROM new_rows UNION ALL SELECT case_id FROM old_rows) AS r
             JOIN cases_case AS c ON c.id = r.case_id));
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
]
POSTGRES_REVERSE = []
for table, name, function in [
    ("cases_case", "case", "case"),
    *((t, t, "case_link") for t in LINKS),
]:
    POSTGRES += [
        f"""CREATE TRIGGER {name}_added_counted AFTER INSERT ON {table}
            REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION fairhear_{function}_added()""",
        f"""CREATE TRIGGER {name}_updated_counted AFTER UPDATE ON {table}
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION fairhear_{function}_updated()""",
        f"""CREATE TRIGGER {name}_removed_counted AFTER DELETE ON {table}
            REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION fairhear_{function}_removed()""",
    ]
    POSTGRES_REVERSE += [
        f"DROP TRIGGER IF EXISTS {name}_{what}_counted ON {table}"
        for what in ("added", "updated", "removed")
    ]
POSTGRES_REVERSE += [
    f"DROP FUNCTION IF EXISTS fairhear_{f}()"
    for f in (
        "case_added",
        "case_removed",
        "case_updated",
        "case_link_added",
        "case_link_removed",
        "case_link_updated",
    )
] + ["DROP FUNCTION IF EXISTS fairhear_cases_changed_in(bigint[])"]


def _sqlite_token(org: str) -> str:
    return (
        "INSERT INTO cases_caseschanged (organisation_id, token) "
        f"SELECT {org}, random() WHERE {org} IS NOT NULL "
        "ON CONFLICT (organisation_id) DO UPDATE SET token = excluded.token;"
    )


def _sqlite_link_token(row: str) -> str:
    return (
        "INSERT INTO cases_caseschanged (organisation_id, token) "
        f"SELECT organisation_id, random() FROM cases_case WHERE id = {row}.case_id "
        "ON CONFLICT (organisation_id) DO UPDATE SET token = excluded.token;"
    )


_SQLITE_DIFFERS = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in COLUMNS)
SQLITE = [
    f"""CREATE TRIGGER case_added_counted AFTER INSERT ON cases_case
        BEGIN {_sqlite_token("NEW.organisation_id")} END""",
    f"""CREATE TRIGGER case_updated_counted AFTER UPDATE ON cases_case
        WHEN {_SQLITE_DIFFERS}
        BEGIN {_sqlite_token("NEW.organisation_id")} {_sqlite_token("OLD.organisation_id")} END""",
    f"""CREATE TRIGGER case_removed_counted AFTER DELETE ON cases_case
        BEGIN {_sqlite_token("OLD.organisation_id")} END""",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS case_{what}_counted" for what in ("added", "updated", "removed")
]
for table in LINKS:
    SQLITE += [
        f"""CREATE TRIGGER {table}_added_counted AFTER INSERT ON {table}
            BEGIN {_sqlite_link_token("NEW")} END""",
        f"""CREATE TRIGGER {table}_updated_counted AFTER UPDATE ON {table}
            BEGIN {_sqlite_link_token("NEW")} {_sqlite_link_token("OLD")} END""",
        f"""CREATE TRIGGER {table}_removed_counted AFTER DELETE ON {table}
            BEGIN {_sqlite_link_token("OLD")} END""",
    ]
    SQLITE_REVERSE += [
        f"DROP TRIGGER IF EXISTS {table}_{what}_counted" for what in ("added", "updated", "removed")
    ]

# Organisations with cases already: a token each, so that none starts without one.
FIRST_TOKENS = {
    "postgresql": [
        "SELECT fairhear_cases_changed_in(ARRAY(SELECT DISTINCT organisation_id FROM cases_case))"
    ],
    "sqlite": [
        "INSERT INTO cases_caseschanged (organisation_id, token) "
        "SELECT DISTINCT organisation_id, random() FROM cases_case WHERE true "
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
        ("cases", "0027_case_open_handler_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="CasesChanged",
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
