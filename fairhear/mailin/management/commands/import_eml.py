"""Read e-mail saved as .eml files (an export, a migration, a test): each is kept and acted on
as if it had arrived in the mailbox now; a file read before is recognised and left alone."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhear.accounts.models import Organisation
from fairhear.mailin.services import mailin_import


class Command(BaseCommand):
    help = "Import e-mail from .eml files into an organisation's cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--organisation", required=True, metavar="SLUG")

    def handle(self, *args: object, **options: object) -> None:
        try:
            organisation = Organisation.objects.get(slug=options["organisation"])
        except Organisation.DoesNotExist:
            raise CommandError(
                f"No organisation has the slug {options['organisation']!r}."
            ) from None
        for name in options["files"]:
            path = Path(name)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{name} cannot be read: {exc.strerror}.") from exc
            record, new = mailin_import(
                organisation=organisation, raw=raw, source=f"file {path.name}"
            )
            what = record.get_outcome_display() + (
                f" {record.case.reference}" if record.case else ""
            )
            self.stdout.write(f"{name}: {what if new else 'read before, left alone'}.")
