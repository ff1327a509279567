"""Print the PostgreSQL grants for the role the application runs as."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhear.core.db_roles import RoleNameInvalid, app_role_grants


class Command(BaseCommand):
    help = (
        "Print the GRANT statements that let ROLE run Fairhear without owning its tables "
        "(SELECT and INSERT only on the append-only tables). Run them as the owner after "
        "every migrate; see docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the PostgreSQL role the application connects as")

    def handle(self, *args: object, **options: object) -> None:
        try:
            statements = app_role_grants(str(options["role"]))
        except RoleNameInvalid as exc:
            raise CommandError(str(exc)) from None
        for statement in statements:
            self.stdout.write(f"{statement};")
