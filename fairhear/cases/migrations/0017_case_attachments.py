"""Files kept with a case (CaseAttachment), made append-only in the database like the events
and the access log (migrations 0002, 0003 and 0010; ADR-002)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

SQLITE = [
    """CREATE TRIGGER case_attachment_no_update BEFORE UPDATE ON cases_caseattachment
       BEGIN SELECT RAISE(ABORT, 'attachments are append-only: they cannot be changed'); END""",
    """CREATE TRIGGER case_attachment_no_delete BEFORE DELETE ON cases_caseattachment
       BEGIN SELECT RAISE(ABORT, 'attachments are append-only: they cannot be deleted'); END""",
    """CREATE TRIGGER case_attachment_no_replace BEFORE INSERT ON cases_caseattachment
       WHEN EXISTS (SELECT 1 FROM cases_caseattachment WHERE id = NEW.id)
       BEGIN SELECT RAISE(ABORT, 'attachments are append-only: a row cannot be replaced'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS case_attachment_no_update",
    "DROP TRIGGER IF EXISTS case_attachment_no_delete",
    "DROP TRIGGER IF EXISTS case_attachment_no_replace",
]
POSTGRES = [
    """CREATE TRIGGER case_attachment_append_only BEFORE UPDATE OR DELETE ON cases_caseattachment
       FOR EACH ROW EXECUTE FUNCTION fairhear_refuse_change()""",
]
POSTGRES_REVERSE = ["DROP TRIGGER IF EXISTS case_attachment_append_only ON cases_caseattachment"]


def _run(statements_by_vendor: dict):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_organisation_reminder_days'),
        ('cases', '0016_deadline_missed_event'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseAttachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stored_as', models.CharField(help_text='Its name in storage (random)', max_length=300)),
                ('name', models.CharField(help_text='The name the sender gave, cleaned', max_length=200)),
                ('content_type', models.CharField(help_text='Read from its content', max_length=100)),
                ('size', models.PositiveBigIntegerField()),
                ('sha256', models.CharField(max_length=64)),
                ('source', models.CharField(choices=[('staff', 'Added by a colleague'), ('web', 'Sent with the website form'), ('email', 'Attached to an e-mail')], max_length=10)),
                ('added_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attachments', to='cases.case')),
                ('event', models.ForeignKey(blank=True, help_text='The note, communication or receipt it came with', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='attachments', to='cases.caseevent')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation')),
            ],
            options={
                'indexes': [models.Index(fields=['case', 'event'], name='attachment_case_event')],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
