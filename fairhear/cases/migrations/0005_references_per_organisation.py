"""Count case references per organisation, each counter with its own secret key.

Existing counters stay as the shared counter (no organisation) and are no longer used; existing
cases keep their references.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
        ('cases', '0004_chained_events'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='referencecounter',
            name='unique_reference_counter',
        ),
        migrations.AddField(
            model_name='referencecounter',
            name='key',
            field=models.CharField(blank=True, help_text='Hex; never shown', max_length=64),
        ),
        migrations.AddField(
            model_name='referencecounter',
            name='organisation',
            field=models.ForeignKey(blank=True, help_text='Empty only for the counter every organisation shared before references were counted per organisation; it is no longer used.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        migrations.AddConstraint(
            model_name='referencecounter',
            constraint=models.UniqueConstraint(fields=('organisation', 'prefix', 'year'), name='unique_reference_counter_org'),
        ),
        migrations.AddConstraint(
            model_name='referencecounter',
            constraint=models.UniqueConstraint(condition=models.Q(('organisation__isnull', True)), fields=('prefix', 'year'), name='unique_shared_reference_counter'),
        ),
    ]
