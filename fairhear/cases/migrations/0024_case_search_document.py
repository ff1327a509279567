"""The complaint's words kept as a tsvector on PostgreSQL (`cases_case.search_document`, a
stored generated column): exactly the expression the index case_search_text holds, computed
by PostgreSQL on every insert and update of the row, in the same statement.

A search matching thousands of cases reads its first page by walking the list's order and
testing each case (cases/search.py, `case_search_in_order`); computing the tsvector there cost
9.7 µs a case, 129 ms for the 12,847 cases "boiler" walks at a million cases, against 5 ms to
read them (docs/performance.md, "Full-text search: the complaint's words kept"). The column is
not a model field: only that PostgreSQL walk reads it. SQLite has no tsvector; its search
matches text with `contains`.
"""

from django.db import migrations

DOCUMENT = "to_tsvector('english'::regconfig, summary || ' ' || desired_outcome)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE cases_case ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE cases_case DROP COLUMN search_document")


class Migration(migrations.Migration):
    dependencies = [("cases", "0023_case_open_work_index")]

    operations = [migrations.RunPython(create, drop)]
