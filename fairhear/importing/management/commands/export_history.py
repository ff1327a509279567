"""Export an organisation's cases as a history file that import_history takes back."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhear.accounts.models import Organisation
from fairhear.importing.history_export import export_history


class Command(BaseCommand):
    help = (
        "Write every case of the organisation, with its events, as a JSON history file in the "
        "format import_history reads (docs/import.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("file", help="where to write the history (JSON)")

    def handle(self, *args: object, **options: object) -> None:
        org = Organisation.objects.filter(slug=options["organisation"]).first()
        if org is None:
            raise CommandError(f"There is no organisation {options['organisation']!r}.")
        if org.active_policy_version is None:
            raise CommandError(f"{org} has no active policy version, so no cases to export.")
        history = export_history(org)
        path = Path(str(options["file"]))
        text = json.dumps(history, indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        events = sum(len(c["events"]) for c in history["cases"])
        self.stdout.write(
            f"Wrote {len(history['cases'])} cases with {events} events of {org.slug} to {path}."
        )
