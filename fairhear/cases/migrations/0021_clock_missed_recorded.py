"""Each stored clock says whether its miss is recorded on the case (a `deadline_missed` event
for the clock and its due date), so that the sweep's read each minute leaves those deadlines
out through a partial index (cases/due.py). Existing clocks are marked from their events."""

from django.db import migrations, models


def mark_from_events(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    CaseClock = apps.get_model("cases", "CaseClock")
    missed = CaseEvent.objects.filter(kind="deadline_missed").values_list("case_id", "data")
    for case_id, data in missed.iterator(chunk_size=2000):
        CaseClock.objects.filter(
            case_id=case_id, name=data.get("clock"), due=data.get("due")
        ).update(missed_recorded=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_auto_close_held_event"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseclock",
            name="missed_recorded",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_from_events, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="caseclock",
            index=models.Index(
                condition=models.Q(
                    ("missed_recorded", False),
                    ("purpose", "deadline"),
                    ("status__in", ["running", "overdue"]),
                ),
                fields=["due"],
                name="clock_sweep_due",
            ),
        ),
    ]
