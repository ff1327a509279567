"""Chain each case's events by hash (docs/adr/ADR-005-hash-chained-case-log.md).

Adds `CaseEvent.chain_hash` and `Case.log_head` and computes the chain of every event already
stored; adds `LogCheck`, one row per run of `manage.py verify_log`. The append-only trigger would refuse the UPDATE that fills the new column, so this one
migration drops the event triggers, fills the chain and re-creates every event trigger (those
of 0002 and 0003). On SQLite, adding the column rebuilds the table, which drops its triggers
in any case: re-creating them here keeps the log append-only.
"""

import importlib

import django.utils.timezone
from django.db import migrations, models

from fairhear.cases.chain import case_genesis, event_hash

_0002 = importlib.import_module("fairhear.cases.migrations.0002_append_only_events")
_0003 = importlib.import_module("fairhear.cases.migrations.0003_no_replace_or_delete")

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS case_event_no_update",
        "DROP TRIGGER IF EXISTS case_event_no_delete",
        "DROP TRIGGER IF EXISTS case_event_no_replace",
    ],
    "postgresql": ["DROP TRIGGER IF EXISTS case_event_append_only ON cases_caseevent"],
}
CREATE = {
    "sqlite": [
        *(sql for sql in _0002.SQLITE if "ON cases_caseevent" in sql),
        *(sql for sql in _0003.SQLITE if "ON cases_caseevent" in sql),
    ],
    "postgresql": [sql for sql in _0002.POSTGRES if "ON cases_caseevent" in sql],
}


def _run(statements_by_vendor: dict):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


def fill_chains(apps, schema_editor):
    """Chain every stored event in sequence order and record each case's last hash."""
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    for case in Case.objects.order_by("pk").iterator():
        previous = case_genesis(case)
        for event in CaseEvent.objects.filter(case_id=case.pk).order_by("sequence"):
            previous = event_hash(event, previous)
            CaseEvent.objects.filter(pk=event.pk).update(chain_hash=previous)
        Case.objects.filter(pk=case.pk).update(log_head=previous)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_no_replace_or_delete"),
    ]

    operations = [
        migrations.RunPython(_run(DROP), _run(CREATE)),
        migrations.AddField(
            model_name="caseevent",
            name="chain_hash",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="sha256 of this event's content and the previous event's hash",
                max_length=64,
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="log_head",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="The hash of the last event Fairhear wrote to the case's log",
                max_length=64,
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(choices=[('received', 'Receive a case'), ('accepted', 'Accept the complaint'), ('refused', 'Do not accept the complaint'), ('local_resolution_started', 'Try to resolve it locally'), ('resolved_locally', 'Record that it was resolved locally'), ('allocated', 'Allocate'), ('acknowledged', 'Acknowledge'), ('extension_agreed', 'Agree an extension'), ('response_sent', 'Send the response'), ('response_received', 'Record when the response was received'), ('escalation_requested', 'Record a request to escalate'), ('escalation_accepted', 'Accept the escalation'), ('escalation_refused', 'Refuse the escalation'), ('closed', 'Close'), ('auto_closed', 'Close automatically'), ('converted_to_complaint', 'Log as a complaint'), ('compliment_forwarded', 'Pass the compliment on'), ('contact_closed', 'Close'), ('restriction_applied', 'Apply restrictions on contact'), ('restriction_reviewed', 'Review the restrictions'), ('restriction_lifted', 'Lift the restrictions'), ('ombudsman_referral', 'Record an ombudsman referral'), ('feedback_recorded', 'Record feedback'), ('extension_reason_assessed', "Assess the extension's reason"), ('note_added', 'Add a note')], max_length=40),
        ),
        migrations.CreateModel(
            name="LogCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("ran_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("clean", models.BooleanField()),
                ("cases_checked", models.PositiveIntegerField()),
                ("events_checked", models.PositiveIntegerField()),
                ("problems", models.JSONField(blank=True, default=list)),
            ],
        ),
        migrations.RunPython(fill_chains, migrations.RunPython.noop),
        migrations.RunPython(_run(CREATE), _run(DROP)),
    ]
