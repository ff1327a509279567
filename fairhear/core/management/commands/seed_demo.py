"""Create the demo organisation, its colleagues and about 200 cases."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhear.core.demo import create_demo, demo_exists, switch_demo_policy
from fairhear.domain.policy.load import shipped_pack_names
from fairhear.settings.base import VAR_DIR

LOGINS_FILE = VAR_DIR / "demo-logins.txt"


class Command(BaseCommand):
    help = "Create the demo organisation with a colleague per role and about 200 cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--policy",
            default=None,
            help=f"the pack to run: {', '.join(shipped_pack_names())} "
            "(default: the FAIRHEAR_DEMO_POLICY setting)",
        )
        parser.add_argument("--cases", type=int, default=200, help="how many cases to create")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if the demo already exists"
        )

    def handle(self, *args: object, **options: object) -> None:
        policy = options["policy"] or settings.FAIRHEAR_DEMO_POLICY
        if policy not in shipped_pack_names():
            names = ", ".join(shipped_pack_names())
            raise CommandError(f"{policy!r} is not a shipped pack; choose one of {names}.")
        if demo_exists():
            if options["if_empty"]:
                return
            switch_demo_policy(policy=policy, cases=min(options["cases"], 60))
            self.stdout.write(f"The demo organisation now runs the {policy} pack for new cases.")
            return
        self.stdout.write(f"Creating the demo organisation on the {policy} pack…")
        demo = create_demo(policy=policy, cases=options["cases"])
        VAR_DIR.mkdir(exist_ok=True)
        LOGINS_FILE.write_text(demo.password + "\n", encoding="utf-8")
        LOGINS_FILE.chmod(0o600)
        self.stdout.write(f"Created {demo.org.cases.count()} cases.")
