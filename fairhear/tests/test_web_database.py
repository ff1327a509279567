"""The web server's database connections on PostgreSQL: no parallel query helpers for web
requests (fairhear/wsgi.py), PostgreSQL's own setting for the worker and commands, and the
operator's FAIRHEAR_DB_PARALLEL_WORKERS over both (docs/operations.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "postgresql" not in connection.settings_dict["ENGINE"],
        reason="parallel query is PostgreSQL's",
    ),
]

SHOW = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SHOW max_parallel_workers_per_gather')\n"
    "    print(cursor.fetchone()[0])\n"
)


def _setting_seen(entry: str, **extra: str) -> str:
    """max_parallel_workers_per_gather as a process started by `entry` sees it."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {key: value for key, value in os.environ.items() if key != "FAIRHEAR_DB_PARALLEL_WORKERS"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "fairhear.settings.test",
        "DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        **extra,
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", entry + SHOW],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def test_web_requests_use_no_parallel_query_helpers():
    assert _setting_seen("import fairhear.wsgi\n") == "0"


def test_the_worker_and_commands_keep_postgresqls_own_setting():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        own = cursor.fetchone()[0]
    assert _setting_seen("import django\ndjango.setup()\n") == own


def test_the_operator_setting_wins_for_the_web_server_too():
    assert _setting_seen("import fairhear.wsgi\n", FAIRHEAR_DB_PARALLEL_WORKERS="1") == "1"
