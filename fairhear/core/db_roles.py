"""The PostgreSQL grants for running Fairhear as a role that does not own its tables
(docs/operations.md, "A role that does not own the tables"; docs/adr/ADR-005).

Migrations run as the owner. The application's role may read and add rows everywhere, and
change or remove them everywhere except in the append-only tables, where it may only SELECT
and INSERT: it cannot UPDATE, DELETE or TRUNCATE events, and it cannot drop or disable the
triggers, which only the owner can.
"""

import re

from django.db import connection

# Tables whose rows are only ever added.
APPEND_ONLY = (
    "cases_caseevent",
    "cases_caseaccesslog",
    "cases_caseattachment",
    "cases_logcheck",
    "policies_policyversion",
    "reporting_customerreport",
)
_ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class RoleNameInvalid(ValueError):
    """The role name is not a plain PostgreSQL identifier."""


def app_role_grants(role: str) -> list[str]:
    """The GRANT statements, for the current database's tables, that the app role needs."""
    if not _ROLE.fullmatch(role):
        raise RoleNameInvalid(
            f"{role!r} is not a plain role name: use lower-case letters, digits and _, "
            "starting with a letter or _."
        )
    tables = sorted(connection.introspection.django_table_names(include_views=False))
    statements = [f"GRANT USAGE ON SCHEMA public TO {role}"]
    for table in tables:
        rights = "SELECT, INSERT" if table in APPEND_ONLY else "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f"GRANT {rights} ON TABLE {table} TO {role}")
    statements += [
        f"GRANT SELECT ON TABLE django_migrations TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    return statements
