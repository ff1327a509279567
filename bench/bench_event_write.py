"""What one event costs to write: SQL queries and milliseconds per note on a case that already
has 40 notes, and per allocation-sized step, on the database DATABASE_URL names.

Run (PostgreSQL, a scratch database; the script migrates it and adds its own organisation):
    createdb -h 127.0.0.1 -U postgres fh_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/fh_bench
    .venv/bin/python bench/bench_event_write.py
"""

import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhear.settings.base")
os.environ.setdefault("FAIRHEAR_SECRET_KEY", "bench-only-not-secret")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from fairhear.accounts.models import Organisation, User  # noqa: E402
from fairhear.cases.models import CaseClock  # noqa: E402
from fairhear.cases.services import (  # noqa: E402
    PersonDetails,
    case_add_note,
    case_receive,
)
from fairhear.cases.services.verification import _case_problems  # noqa: E402
from fairhear.domain.lifecycle import CaseKind  # noqa: E402
from fairhear.domain.policy.schema import Capability  # noqa: E402
from fairhear.policies.services import policy_version_publish_shipped  # noqa: E402

NOTES_BEFORE = 40
MEASURED = 30


def team() -> tuple[Organisation, User]:
    tag = uuid.uuid4().hex[:8]
    org = Organisation.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
    policy_version_publish_shipped(organisation=org, name="pivotal")
    org.refresh_from_db()
    user = User.objects.create(
        organisation=org,
        username=f"bench-{tag}",
        first_name="Bench",
        last_name="Investigator",
        capabilities=[Capability.LOG.value, Capability.INVESTIGATE.value, Capability.LEAD.value],
    )
    return org, user


def main() -> None:
    call_command("migrate", verbosity=0)
    org, user = team()
    received = timezone.now() - timedelta(days=30)
    case = case_receive(
        organisation=org,
        logged_by=user,
        kind=CaseKind.COMPLAINT,
        channel="phone",
        summary="The repair to the boiler was not done when promised.",
        received_at=received,
        complainant=PersonDetails(name="Ada Lovelace", email="ada@example.org"),
        categories=["repairs"],
    )
    for n in range(NOTES_BEFORE):
        case = case_add_note(case=case, actor=user, text=f"Called the resident ({n}).")
    ms, queries, clock_writes = [], [], []
    for n in range(MEASURED):
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            case = case_add_note(case=case, actor=user, text=f"Measured note {n}.")
            ms.append((time.perf_counter() - begin) * 1000)
        queries.append(len(captured.captured_queries))
        clock_writes.append(
            sum(
                1
                for q in captured.captured_queries
                if CaseClock._meta.db_table in q["sql"]
                and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            )
        )
    _, problems = _case_problems(case)
    print(f"database: {connection.vendor}; case {case.reference} with {NOTES_BEFORE} notes first")
    print(
        f"per note (of {MEASURED}): {statistics.median(ms):.1f} ms median, "
        f"{min(ms):.1f} ms best; {statistics.median(queries):.0f} SQL queries, "
        f"{statistics.median(clock_writes):.0f} of them writing clock rows"
    )
    print("verify_log on this case:", problems or "clean")


if __name__ == "__main__":
    main()
