"""Each case's categories as rows of their own (`CaseCategory`), for the case page's "other
cases about this in the last 12 months" (cases/related.py), filled from the cases already
stored. From here on cases/services/categories.py keeps them with every write."""

import django.db.models.deletion
from django.db import migrations, models

# One row per case and distinct category code, from the JSON list on the case: each database's
# own function for the elements of a JSON array.
ELEMENTS = {
    "postgresql": ("code", "jsonb_array_elements_text(c.categories) AS code"),
    "sqlite": ("j.value", "json_each(c.categories) AS j"),
}
FILL = (
    "INSERT INTO cases_casecategory (case_id, organisation_id, service_area_id, code, "
    "received_at) SELECT DISTINCT c.id, c.organisation_id, c.service_area_id, {code}, "
    "c.received_at FROM cases_case c, {elements}"
)


def fill(apps, schema_editor):
    code, elements = ELEMENTS[schema_editor.connection.vendor]
    schema_editor.execute(FILL.format(code=code, elements=elements))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_organisation_reminder_days"),
        ("cases", "0025_case_search_words_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseCategory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=64)),
                ("received_at", models.DateTimeField()),
                (
                    "case",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="category_rows",
                        to="cases.case",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "service_area",
                    models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.servicearea",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["organisation", "service_area", "code", "-received_at", "-case"],
                        name="case_category_recent",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("case", "code"), name="unique_case_category")
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
