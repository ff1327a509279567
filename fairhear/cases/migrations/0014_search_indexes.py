"""Full-text search on PostgreSQL: GIN indexes on the expressions fairhear.cases.search queries
(docs/adr/ADR-007). PostgreSQL keeps an expression index up to date with every write, in the
same transaction. SQLite has no such index; its search matches text with `contains`."""

from django.db import migrations

POSTCODE = "[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}"

INDEXES = {
    "case_search_text": (
        "cases_case",
        "to_tsvector('english'::regconfig, summary || ' ' || desired_outcome)",
        "",
    ),
    "event_search_text": (
        "cases_caseevent",
        "to_tsvector('english'::regconfig, "
        "coalesce(data ->> 'text', '') || ' ' || coalesce(data ->> 'summary', ''))",
        " WHERE kind IN ('note_added', 'communication_recorded')",
    ),
    "person_search_text": (
        "cases_person",
        "to_tsvector('simple'::regconfig, name || ' ' || email || ' ' || phone || ' ' || "
        "regexp_replace(phone, '[^0-9]', '', 'g') || ' ' || address || ' ' || "
        f"coalesce(replace(substring(upper(address) from '{POSTCODE}'), ' ', ''), ''))",
        "",
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression, where) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin (({expression})){where}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_submissions"),
    ]

    operations = [migrations.RunPython(create, drop)]
