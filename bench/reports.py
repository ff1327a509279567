"""The reports' speed: each report of `manage.py report` (Pivotal's KPIs for a year by month,
the TSM for a financial year, MMBM's quarterly report for a year) and the dashboard page, on a
database made by bench/generate.py, beside the bare SQL that computes the same numbers.

- A report is timed as the command computes it (the whole JSON, the case references behind
  every figure included), best of --repeat runs.
- Its "bare SQL" is every aggregate statement the report sends to the database (the grouped
  COUNTs and SUMs that give its numbers, captured while it runs), sent again straight through
  the database cursor, with no case references, no ORM and no Python around them: the time the
  database itself needs for the numbers, best of --repeat runs. (CH02 reads its references in
  the statement that counts it; its bare SQL is that statement with NULL in their place.)
- The dashboard is the page the lead officer opens (/reports/dashboard/, its default period:
  the last 12 months), through Django's test client, signed in (reporting/kept.py): the first
  view with nothing kept; the worker's count; p50 and p95 of --pages views of the figures
  kept; the same after the log has moved on (the figures kept are shown and a count is asked
  for); and a choice never counted before (counted in the background). It deletes the
  organisations' kept dashboards first, and the count tasks it queues after.

Run:
    .venv/bin/python bench/reports.py --database-url postgres://postgres@127.0.0.1:5432/fh_bench_100k
Options: --only pivotal,tsm,mmbm,dashboard (which to time), --year 2026 (the calendar year of
the Pivotal and MMBM reports; the TSM's financial year starts on 1 April of it), --repeat 3,
--pages 10.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--only", default="pivotal,tsm,mmbm,dashboard")
    return parser.parse_args()


ARGS = _parse()
os.environ["DATABASE_URL"] = ARGS.database_url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhear.settings.base")
os.environ.setdefault("FAIRHEAR_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("FAIRHEAR_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from fairhear.accounts.models import Organisation, User  # noqa: E402
from fairhear.cases.models import Case, CaseEvent  # noqa: E402
from fairhear.domain.kpis import By  # noqa: E402
from fairhear.domain.policy.schema import Capability  # noqa: E402
from fairhear.reporting.events import Scope  # noqa: E402
from fairhear.reporting.figures import pivotal_kpis  # noqa: E402
from fairhear.reporting.kept import count_in_background  # noqa: E402
from fairhear.reporting.mmbm import mmbm_quarterly  # noqa: E402
from fairhear.reporting.models import DashboardCount  # noqa: E402
from fairhear.reporting.tsm import tsm  # noqa: E402

AGGREGATES = ("COUNT(", "SUM(")


def _best(run, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


_captured: list[tuple[str, tuple]] = []


# CH02 reads its references in the same statement as its numbers (reporting/tsm.py); its bare
# SQL is that statement without them.
REFERENCES = re.compile(
    r"(?:string_agg|group_concat)\(DISTINCT CASE WHEN on_time = 1 THEN ref END(?:, '[^']*')?\)"
)


def _capture(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith("SELECT") and any(a in sql.upper() for a in AGGREGATES):
        _captured.append((REFERENCES.sub("NULL", sql), params))
    return execute(sql, params, many, context)


def _bare(statements: list[tuple[str, tuple]]) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


def _report(name: str, run) -> None:
    took, result = _best(run, ARGS.repeat)
    _captured.clear()
    with connection.execute_wrapper(_capture):
        run()
    statements = list(_captured)
    bare, _ = _best(lambda: _bare(statements), ARGS.repeat)
    refs = _references(result)
    print(
        f"{name:<34} {took:>9.2f} s {bare:>9.2f} s {took / bare if bare else 0:>7.2f}x "
        f"{len(statements):>6} {refs:>12,}",
        flush=True,
    )


def _references(value: object) -> int:
    if isinstance(value, dict):
        return sum(len(v) if k == "references" else _references(v) for k, v in value.items())
    if isinstance(value, list):
        return sum(_references(v) for v in value)
    return 0


def _timed_views(client: Client, n: int, query: str = "") -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get("/reports/dashboard/" + query, HTTP_HOST=settings.ALLOWED_HOSTS[0])
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return sorted(times)


def _p(times: list[float]) -> str:
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"p50 {statistics.median(times) * 1000:,.0f} ms, p95 {p95 * 1000:,.0f} ms"


def _dashboard(organisation: Organisation) -> None:
    """The dashboard as the lead opens it (reporting/kept.py): first with nothing kept, then
    the worker's count, then the figures kept, then after the log has moved on (the figures
    kept are shown and a count asked for), then a choice never counted before."""
    lead = next(
        u
        for u in User.objects.filter(organisation=organisation, is_active=True).order_by("pk")
        if u.can(Capability.LEAD)
    )
    DashboardCount.objects.filter(organisation=organisation).delete()  # nothing kept
    client = Client()
    client.force_login(lead)
    name = f"dashboard, {organisation.slug}"
    [first] = _timed_views(client, 1)
    row = DashboardCount.objects.defer("references").get(viewer=lead, latest=True)
    how = "being counted in the background" if row.counted_at is None else "counted while it waits"
    print(f"{name:<34} first view, nothing kept: {first * 1000:,.0f} ms ({how})", flush=True)
    started = time.perf_counter()
    count_in_background(row.pk)
    took = time.perf_counter() - started
    DBTaskResult.objects.filter(task_path__endswith="count_dashboard").delete()
    print(f"{name:<34} the worker's count: {took:.1f} s", flush=True)
    print(f"{name:<34} the figures kept: {_p(_timed_views(client, ARGS.pages))}", flush=True)
    # The log moves on: the organisation's last event becomes one the count has not seen.
    last = CaseEvent.objects.filter(case__organisation=organisation).aggregate(m=Max("pk"))["m"]
    an_hour_ago = timezone.now() - timedelta(hours=1)
    DashboardCount.objects.filter(pk=row.pk).update(position=last - 1, counted_at=an_hour_ago)
    queued = DBTaskResult.objects.count()
    moved = _p(_timed_views(client, ARGS.pages))
    asked = DBTaskResult.objects.count() - queued
    DBTaskResult.objects.filter(task_path__endswith="count_dashboard").delete()
    print(f"{name:<34} the log moved on: {moved}; {asked} count asked for", flush=True)
    [new] = _timed_views(client, 1, "?start=2026-03-01&end=2026-08-31")
    DBTaskResult.objects.filter(task_path__endswith="count_dashboard").delete()
    print(f"{name:<34} a choice never counted: {new * 1000:,.0f} ms (counted in the background)")


def main() -> None:
    year = ARGS.year
    print(f"{Case.objects.count():,} cases; year {year}; best of {ARGS.repeat}")
    print(f"{'report':<34} {'report':>11} {'bare SQL':>11} {'ratio':>8} {'stmts':>6} {'refs':>12}")
    pivotal = Organisation.objects.get(slug="bench-pivotal")
    mmbm = Organisation.objects.get(slug="bench-mmbm")
    start, end = date(year, 1, 1), date(year, 12, 31)
    only = ARGS.only.split(",")
    if "pivotal" in only:
        _report(
            f"pivotal-kpis {year} by month",
            lambda: pivotal_kpis(Scope(pivotal), start, end, By.MONTH),
        )
    if "tsm" in only:
        _report(f"tsm {year}-{(year + 1) % 100:02d}", lambda: tsm(Scope(pivotal), year))
    if "mmbm" in only:
        _report(f"mmbm-quarterly {year}", lambda: mmbm_quarterly(Scope(mmbm), year))
    if "dashboard" not in only:
        return
    # The page's own assets are not collected here: name them without the manifest's hashes.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        for organisation in (pivotal, mmbm):
            _dashboard(organisation)


if __name__ == "__main__":
    main()
