"""Read the organisation's mailbox (FAIRHEAR_IMAP_*): once, or again and again with --loop."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhear.accounts.models import Organisation
from fairhear.mailin.imap import ImapConfig, MailboxError, mailin_fetch


class Command(BaseCommand):
    help = "Read new e-mail from the mailbox into cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", metavar="SLUG", help="default FAIRHEAR_IMAP_ORGANISATION"
        )
        parser.add_argument("--loop", action="store_true", help="keep reading")
        parser.add_argument("--every", type=float, default=60.0, metavar="SECONDS")

    def handle(self, *args: object, **options: object) -> None:
        from django.conf import settings

        slug = options["organisation"] or settings.FAIRHEAR_IMAP_ORGANISATION
        try:
            organisation = Organisation.objects.get(slug=slug)
        except Organisation.DoesNotExist:
            raise CommandError(
                f"No organisation has the slug {slug!r}; give --organisation or set "
                "FAIRHEAR_IMAP_ORGANISATION."
            ) from None
        while True:
            try:
                report = mailin_fetch(organisation=organisation, config=ImapConfig.from_settings())
                self.stdout.write(f"Mailbox: {report}.")
            except MailboxError as exc:
                if not options["loop"]:
                    raise CommandError(str(exc)) from exc
                self.stderr.write(str(exc))
            if not options["loop"]:
                return
            time.sleep(options["every"])
