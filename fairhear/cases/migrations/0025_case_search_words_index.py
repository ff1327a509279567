"""The complaint's words indexed with the case's organisation (PostgreSQL only): one GIN index,
`case_search_words`, on the kept words (`search_document`, migration 0024) and one more
lexeme, "organisation N", in place of the index on the words alone (`case_search_text`).

A colleague's search is always among their own organisation's cases. With the words alone
in the index PostgreSQL read every match of both organisations and ANDed it with the
500,000 cases of the colleague's organisation from another index before it could stop at
1,001 (10 to 11 ms of the count at a million cases); with the organisation's lexeme in the
same index the GIN scan keeps only that organisation's matches itself (docs/performance.md,
"Full-text search: the organisation in the index"). No word the parser makes holds a space,
so no query typed can match "organisation N"; cases/search.py adds it to the query.
"""

from django.db import migrations

WORDS = "(search_document || array_to_tsvector(ARRAY['organisation ' || organisation_id::text]))"
OLD = "to_tsvector('english'::regconfig, summary || ' ' || desired_outcome)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX case_search_words ON cases_case USING gin ({WORDS})")
    schema_editor.execute("DROP INDEX IF EXISTS case_search_text")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX case_search_text ON cases_case USING gin (({OLD}))")
    schema_editor.execute("DROP INDEX IF EXISTS case_search_words")


class Migration(migrations.Migration):
    dependencies = [("cases", "0024_case_search_document")]

    operations = [migrations.RunPython(create, drop)]
