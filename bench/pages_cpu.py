"""The CPU of one workspace page in one process: each page of bench/load.py asked for again and
again with django.test.Client (after a few to warm the caches), printing the median and the 90th
percentile of the process's CPU per request, the wall-clock median and the SQL queries; with
--profile, the functions where one page's time goes (cProfile, sorted by cumulative time).

Both are for a database loaded by bench/generate.py. Viewing a case records the view in the
access log and each request renews the session, so run it on a copy of the database.

Run:
    .venv/bin/python bench/pages_cpu.py --database-url postgres://postgres@127.0.0.1:5432/fh_copy
Options: --requests 50 --warm 5 --pages my_work_lead,case_page --profile case_page --top 40
    --sort tottime --dump case_page.prof --sql (each page's queries, shortened)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import load  # noqa: E402  (bench/ is the script's own directory)

# The pages of bench/load.py that render a list or a case: My work, the queues, the case page.
DEFAULT = "my_work_lead,my_work_investigator,queue_mine,queue_to-allocate,queue_overdue,case_page"


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--pages", default=DEFAULT, help="comma-separated names of bench/load.py")
    parser.add_argument("--profile", default="", help="one page's name: profile it instead")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime")
    parser.add_argument("--dump", default="", help="also write the profile to this file")
    parser.add_argument("--organisation", default="bench-pivotal")
    parser.add_argument("--sql", action="store_true", help="also print each page's queries")
    return parser.parse_args()


def main() -> None:
    args = _parse()
    load._setup(args.database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from fairhear.accounts.models import Organisation

    call_command("collectstatic", interactive=False, verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    org = Organisation.objects.get(slug=args.organisation)
    pages, facts = load._pages(org)
    wanted = (args.profile or args.pages).split(",")
    pages = sorted((p for p in pages if p[0] in wanted), key=lambda p: wanted.index(p[0]))
    for key, value in facts.items():
        print(f"  {key}: {value}")
    print("| page | CPU ms/request, median | p90 | wall ms, median | SQL queries | bytes |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, user, paths in pages:
        client = Client()
        client.force_login(user)
        for n in range(args.warm):
            client.get(paths[n % len(paths)])
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for n in range(args.requests):
                client.get(paths[n % len(paths)])
            profile.disable()
            out = io.StringIO()
            if args.dump:
                profile.dump_stats(args.dump)
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
            continue
        cpu, wall = [], []
        for n in range(args.requests):
            c0, w0 = time.process_time(), time.perf_counter()
            response = client.get(paths[n % len(paths)])
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {paths[n % len(paths)]} answered {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(paths[-1])
        p90 = sorted(cpu)[int(len(cpu) * 0.9) - 1]
        print(
            f"| {name} | {statistics.median(cpu) * 1000:.1f} | {p90 * 1000:.1f} | "
            f"{statistics.median(wall) * 1000:.1f} | {len(captured.captured_queries)} | "
            f"{len(response.content):,} |"
        )
        if args.sql:
            for query in captured.captured_queries:
                print(f"    {query['time']}s  {query['sql'][:160]}")


if __name__ == "__main__":
    main()
