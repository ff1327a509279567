"""What one event costs to write: SQL queries and milliseconds per note on a case that already
has 40 notes (its clocks do not move), and per allocation of such a case to another colleague
(a step that moves its clocks: Pivotal §9 stage 1 asks the new handler to acknowledge within 2
working days), on the database DATABASE_URL names.

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
    case_accept,
    case_add_note,
    case_allocate,
    case_receive,
    case_record_managers_told,
)
from fairhear.cases.services.verification import _case_problems  # noqa: E402
from fairhear.domain.lifecycle import CaseKind  # noqa: E402
from fairhear.domain.policy.schema import Capability  # noqa: E402
from fairhear.policies.services import policy_version_publish_shipped  # noqa: E402

NOTES_BEFORE = 40
MEASURED = 30


def colleague(org: Organisation, tag: str, name: str) -> User:
    return User.objects.create(
        organisation=org,
        username=f"bench-{tag}-{name.lower()}",
        first_name="Bench",
        last_name=name,
        capabilities=[Capability.LOG.value, Capability.INVESTIGATE.value],
    )


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


def measure(step) -> tuple[float, float, int, int]:
    """Milliseconds (elapsed, and this process's CPU), SQL queries and clock-row writes of one
    step. The CPU time drifts far less than the elapsed time on a shared machine."""
    with CaptureQueriesContext(connection) as captured:
        begin, cpu = time.perf_counter(), time.process_time()
        step()
        ms = (time.perf_counter() - begin) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
    writes = sum(
        1
        for q in captured.captured_queries
        if CaseClock._meta.db_table in q["sql"]
        and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    )
    return ms, cpu_ms, len(captured.captured_queries), writes


def report(what: str, figures: list[tuple[float, float, int, int]]) -> None:
    ms, cpu_ms, queries, writes = zip(*figures, strict=True)
    print(
        f"per {what} (of {len(figures)}): {statistics.median(ms):.1f} ms median, "
        f"{min(ms):.1f} ms best, {statistics.median(cpu_ms):.1f} ms of CPU median; "
        f"{statistics.median(queries):.0f} SQL queries, "
        f"{statistics.median(writes):.0f} of them writing clock rows"
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    org, user = team()
    received = timezone.now() - timedelta(days=MEASURED + 10)
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
    notes = [
        measure(lambda n=n: case_add_note(case=case, actor=user, text=f"Measured note {n}."))
        for n in range(MEASURED)
    ]
    # Pivotal §9 stage 1 step 5 first, then accepted; then allocated to each of two colleagues
    # in turn, a day apart, each allocation on a case of 40 notes and more.
    case_record_managers_told(
        case=case, actor=user, told="Line manager", how="email", occurred_at=received
    )
    case_accept(case=case, actor=user, occurred_at=received)
    tag = uuid.uuid4().hex[:8]
    handlers = [colleague(org, tag, "One"), colleague(org, tag, "Two")]
    allocations = [
        measure(
            lambda n=n: case_allocate(
                case=case,
                actor=user,
                handler=handlers[n % 2],
                occurred_at=received + timedelta(days=n + 1),
            )
        )
        for n in range(MEASURED)
    ]
    case.refresh_from_db()
    _, problems = _case_problems(case)
    print(f"database: {connection.vendor}; case {case.reference} with {NOTES_BEFORE} notes first")
    report("note", notes)
    report("allocation", allocations)
    print("verify_log on this case:", problems or "clean")


if __name__ == "__main__":
    main()
