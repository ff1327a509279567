"""Print how to sign in to the demo."""

from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from fairhear.accounts.models import User
from fairhear.core.demo import DEMO_SLUG
from fairhear.core.management.commands.seed_demo import LOGINS_FILE


class Command(BaseCommand):
    help = "Print the demo users and their password."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="the host:port the demo is served on (as given to runserver)",
        )

    def handle(self, *args: object, **options: object) -> None:
        address = str(options["address"])
        if ":" not in address:  # runserver takes a bare port too
            address = f"127.0.0.1:{address}"
        self.stdout.write("")
        self.stdout.write(f"Fairhear is at http://{address}/ .")
        if not LOGINS_FILE.exists():
            self.stdout.write("No demo logins recorded; run `make run` on a fresh checkout.")
            return
        password = LOGINS_FILE.read_text(encoding="utf-8").strip()
        self.stdout.write("Sign in as any of these users,")
        self.stdout.write(f"each with the password:  {password}")
        self.stdout.write("")
        for user in User.objects.filter(organisation__slug=DEMO_SLUG).order_by("pk"):
            self.stdout.write(f"  {user.username:<14} {user.job_title}")
        self.stdout.write("")
