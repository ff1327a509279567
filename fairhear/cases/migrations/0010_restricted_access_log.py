"""Restricted access events, and the access log of every view of a restricted case, made
append-only in the database like the case events (migrations 0002 and 0003; ADR-002)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

SQLITE = [
    """CREATE TRIGGER case_access_log_no_update BEFORE UPDATE ON cases_caseaccesslog
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only: it cannot be changed'); END""",
    """CREATE TRIGGER case_access_log_no_delete BEFORE DELETE ON cases_caseaccesslog
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only: it cannot be deleted'); END""",
    """CREATE TRIGGER case_access_log_no_replace BEFORE INSERT ON cases_caseaccesslog
       WHEN EXISTS (SELECT 1 FROM cases_caseaccesslog WHERE id = NEW.id)
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only: a row cannot be replaced'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS case_access_log_no_update",
    "DROP TRIGGER IF EXISTS case_access_log_no_delete",
    "DROP TRIGGER IF EXISTS case_access_log_no_replace",
]
POSTGRES = [
    """CREATE TRIGGER case_access_log_append_only BEFORE UPDATE OR DELETE ON cases_caseaccesslog
       FOR EACH ROW EXECUTE FUNCTION fairhear_refuse_change()""",
]
POSTGRES_REVERSE = ["DROP TRIGGER IF EXISTS case_access_log_append_only ON cases_caseaccesslog"]


def _run(statements_by_vendor: dict):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_service_area_kind_and_cqc'),
        ('cases', '0009_need_to_know_access'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='caseevent',
            name='kind',
            field=models.CharField(choices=[('received', 'Receive a case'), ('accepted', 'Accept the complaint'), ('refused', 'Do not accept the complaint'), ('local_resolution_started', 'Try to resolve it locally'), ('resolved_locally', 'Record that it was resolved locally'), ('allocated', 'Allocate'), ('acknowledged', 'Acknowledge'), ('extension_agreed', 'Agree an extension'), ('response_sent', 'Send the response'), ('response_received', 'Record when the response was received'), ('escalation_requested', 'Record a request to escalate'), ('escalation_accepted', 'Accept the escalation'), ('escalation_refused', 'Refuse the escalation'), ('closed', 'Close'), ('auto_closed', 'Close automatically'), ('converted_to_complaint', 'Log as a complaint'), ('compliment_forwarded', 'Pass the compliment on'), ('contact_closed', 'Close'), ('restriction_applied', 'Apply restrictions on contact'), ('restriction_reviewed', 'Review the restrictions'), ('restriction_lifted', 'Lift the restrictions'), ('ombudsman_referral', 'Record an ombudsman referral'), ('feedback_recorded', 'Record feedback'), ('extension_reason_assessed', "Assess the extension's reason"), ('note_added', 'Add a note'), ('revised_date_not_agreed', 'Record that a revised date was not agreed'), ('managers_told', 'Record who was told of the complaint'), ('signed_off', 'Sign off a step'), ('routed_out', 'Route out of this procedure'), ('communication_recorded', 'Record a communication'), ('anonymous_not_investigated', 'Decide not to investigate the anonymous complaint'), ('referred_to_agency', 'Record a referral to another agency'), ('access_restricted', 'Restrict access'), ('access_names_changed', 'Change who may see it'), ('access_unrestricted', 'Remove the restricted access')], max_length=40),
        ),
        migrations.CreateModel(
            name='CaseAccessLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('user_label', models.CharField(help_text='Who viewed it, as shown in the log', max_length=200)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('page', models.CharField(help_text='The address of the page viewed', max_length=300)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='access_log', to='cases.case')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['organisation', '-at'], name='access_log_org_at')],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
