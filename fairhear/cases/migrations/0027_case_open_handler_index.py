"""A colleague's own open cases in an index of their own, `case_open_handler`: (organisation,
handler, next due, received, id) over the open cases, holding the columns the need-to-know
condition and the queues test, in place of (organisation, handler, next due) over every case.

The counts of My work and the queues of a colleague who does not oversee now say "their own
cases" in their WHERE (queues._counted), and with this index PostgreSQL reads those cases
alone, in order, without visiting the table: at a million cases an investigator's 181 open
cases, where it tested all 25,000 open cases of the organisation (docs/performance.md, "Open
cases vacuumed, and a colleague's own read by handler").
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_organisation_reminder_days'),
        ('cases', '0026_case_categories'),
        ('policies', '0002_policy_review'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='case_org_handler_due',
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state__in', ['awaiting_acknowledgement', 'awaiting_allocation', 'escalation_requested', 'investigating', 'local_resolution', 'received', 'responded'])), fields=['organisation', 'handler', 'next_due', 'received_at', 'id'], include=('state', 'stage', 'kind', 'channel', 'restricted_access', 'logged_by'), name='case_open_handler'),
        ),
    ]
