"""Need-to-know access (docs/adr/ADR-006): restricted access and the people named on it, and
who was allocated each case or decided on it, filled from the events already stored."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# The decisions of domain/access.py DECISIONS when this migration was written.
DECISIONS = [
    "accepted",
    "refused",
    "local_resolution_started",
    "resolved_locally",
    "allocated",
    "acknowledged",
    "extension_agreed",
    "response_sent",
    "closed",
    "revised_date_not_agreed",
    "escalation_accepted",
    "escalation_refused",
    "signed_off",
    "routed_out",
    "anonymous_not_investigated",
    "referred_to_agency",
    "extension_reason_assessed",
    "restriction_applied",
    "restriction_reviewed",
    "restriction_lifted",
]


def fill_involvement(apps, schema_editor):
    """Who was allocated each stored case and who decided on it, from its events."""
    CaseEvent = apps.get_model("cases", "CaseEvent")
    CaseInvolvement = apps.get_model("cases", "CaseInvolvement")
    User = apps.get_model("accounts", "User")
    known = set(User.objects.values_list("pk", flat=True))
    rows = set()
    events = CaseEvent.objects.filter(kind__in=DECISIONS).values_list(
        "case_id", "kind", "actor_id", "data"
    )
    for case_id, kind, actor_id, data in events.iterator():
        handler_id = (data or {}).get("handler_id") if kind == "allocated" else None
        if handler_id in known:
            rows.add((case_id, handler_id, "handled"))
        if actor_id is not None:
            rows.add((case_id, actor_id, "decided"))
    CaseInvolvement.objects.bulk_create(
        [CaseInvolvement(case_id=c, user_id=u, role=r) for c, u, r in rows],
        batch_size=2000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_anonymous_event_kinds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='access_named',
            field=models.ManyToManyField(blank=True, related_name='cases_named_on', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='case',
            name='restricted_access',
            field=models.BooleanField(default=False),
        ),
        migrations.CreateModel(
            name='CaseInvolvement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('handled', 'Handled'), ('decided', 'Decided')], max_length=10)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='involvements', to='cases.case')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['user', 'case'], name='involvement_user_case')],
                'constraints': [models.UniqueConstraint(fields=('case', 'user', 'role'), name='unique_case_involvement')],
            },
        ),
        migrations.RunPython(fill_involvement, migrations.RunPython.noop),
    ]
