"""Cases at a known point of Pivotal's clocks, and the worker as its own process."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.db import connection

from fairhear.cases import services as s
from fairhear.cases.models import Case
from fairhear.cases.tests.factories import Team, receive_complaint, signed_off

LONDON = ZoneInfo("Europe/London")
ROOT = Path(settings.BASE_DIR)


def london(
    year: int, month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def responded(team: Team, **kw: object) -> Case:
    """A Pivotal complaint whose stage 1 response was sent on Fri 24 May 2024 and received on
    Tue 28 May (Mon 27 May was the spring bank holiday). §10.1 c and §9 stage 2 point 1: it
    closes itself once Tue 11 Jun 2024 has passed with nothing heard. `kw` goes to the
    complaint's receipt (another complainant, say)."""
    with time_machine.travel(london(2024, 5, 13), tick=False) as t:
        at = london(2024, 5, 13)
        case = receive_complaint(team, at, **kw)
        s.case_record_managers_told(
            case=case, actor=team.colleague, told="Line manager", how="email", occurred_at=at
        )
        s.case_accept(case=case, actor=team.allocator, occurred_at=at)
        s.case_allocate(case=case, actor=team.allocator, handler=team.investigator, occurred_at=at)
        s.case_acknowledge(case=case, actor=team.investigator, occurred_at=at)
        t.move_to(london(2024, 5, 24, 12))
        signed_off(team, case, "response")
        s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late.")
        t.move_to(london(2024, 5, 28, 12))
        s.case_record_response_receipt(
            case=case, actor=team.investigator, received_on=london(2024, 5, 28, 9)
        )
    case.refresh_from_db()
    return case


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a worker process on this test's database (and, if given, queue)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fairhear.settings.test",
        "DATABASE_URL": database_url(),
        "FAIRHEAR_SMTP_PORT": "9",  # nothing listens: e-mail waits, as it should here
        **extra,
    }


def start_worker(worker_id: str, *args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "manage.py", "worker", "--worker-id", worker_id, *args],
        cwd=ROOT,
        env=process_env(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_python(code: str, **extra: str) -> str:
    """Run Django code in a process of its own (as a web process would) and return its output."""
    prelude = "import django; django.setup()\n"
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", prelude + code],
        cwd=ROOT,
        env=process_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
