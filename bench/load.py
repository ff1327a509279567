"""The staff workspace under load: 8 clients against gunicorn with 2 sync workers (loopback only)
on a database loaded by bench/generate.py, one page at a time, each bounded by a number of
requests and a time.

Pages: My work (the lead officer, and the investigator with the most open cases), each work
queue (the lead), the case page (the lead; 200 unrestricted cases in turn), search by
reference (answered by a redirect to the case), full-text search (words from the complaints),
and the CSV export of a filter holding about 1,000 cases (chosen from the data: by handler,
service area, status, kind, stage or outcome). For each page it prints ok/s, p50/p95/p99, the
failures, the SQL queries the page makes (counted once in this process with django.test.Client
and CaptureQueriesContext) and the server's CPU per request.

Colleagues sign in by session: the script makes a session for each of them in the database
(as signing in would), so neither django-axes nor two-factor sign-in is involved.

Run:
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/fh_bench_1m
Options: --clients 8 --requests 400 --duration 20 (per page) --port 0 (a free one) --pages ...
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from proc_cpu import cpu_seconds  # noqa: E402  (bench/ is the script's own directory)

WORDS = ["boiler", "damp bedroom", "rude", "fire door", "medication", "Hawthorn Close"]


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="at most, per page")
    parser.add_argument("--duration", type=float, default=20, help="seconds at most, per page")
    parser.add_argument("--port", type=int, default=0, help="0: a free port on 127.0.0.1")
    parser.add_argument("--pages", default="", help="comma-separated names; all by default")
    parser.add_argument("--organisation", default="bench-pivotal")
    return parser.parse_args()


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhear.settings.base")
    os.environ.setdefault("FAIRHEAR_SECRET_KEY", "bench-only-not-secret")
    os.environ["FAIRHEAR_SECURE_COOKIES"] = "false"
    os.environ.setdefault("FAIRHEAR_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _session(user: object) -> str:
    """A signed-in session for `user`, as django.contrib.auth.login would store it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "fairhear.accounts.backends.AccountBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _export_filter(lead: object) -> tuple[str, int]:
    """The filter (as a query string) whose cases number closest to 1,000, and how many."""
    from django.db.models import Count

    from fairhear.cases.selectors import case_list_visible_to

    cases = case_list_visible_to(user=lead)
    best: tuple[int, str, int] = (10**9, "", 0)
    combinations = (
        ["handler"],
        ["service_area", "state"],
        ["service_area", "closure_reason"],
        ["service_area", "state", "kind"],
        ["service_area", "state", "stage"],
        ["service_area", "closure_reason", "stage"],
    )
    names = {"state": "status", "closure_reason": "outcome"}
    for columns in combinations:
        for row in cases.values(*columns).annotate(n=Count("pk")):
            if None in row.values() or "" in row.values():
                continue
            params = {names.get(c, c): str(row[c]) for c in columns}
            best = min(best, (abs(row["n"] - 1000), urllib.parse.urlencode(params), row["n"]))
    return best[1], best[2]


def _pages(org: object) -> tuple[list[tuple[str, object, list[str]]], dict]:
    """(name, colleague, paths in turn) for every page measured."""
    from django.db.models import Count, Max, Min

    from fairhear.accounts.models import User
    from fairhear.cases.models import Case
    from fairhear.cases.queues import QUEUES
    from fairhear.domain.lifecycle import CaseState

    lead = User.objects.get(username=f"{org.slug.split('-')[1][:3]}-lead-001")
    open_states = [s for s in CaseState if s.value not in {"closed", "refused"}]
    busiest = (
        Case.objects.filter(organisation=org, state__in=open_states, handler__isnull=False)
        .values("handler")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    investigator = User.objects.get(pk=busiest["handler"])
    bounds = Case.objects.filter(organisation=org).aggregate(lo=Min("pk"), hi=Max("pk"))
    rng = random.Random(7)  # noqa: S311 - which cases to open, not a secret
    picks = [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(2000)]
    references = list(
        Case.objects.filter(pk__in=picks, organisation=org, restricted_access=False)
        .exclude(about_colleagues=lead)
        .values_list("reference", flat=True)[:200]
    )
    export, export_rows = _export_filter(lead)
    pages = [
        ("my_work_lead", lead, ["/cases/"]),
        ("my_work_investigator", investigator, ["/cases/"]),
        *((f"queue_{q.slug}", lead, [f"/cases/queues/{q.slug}/"]) for q in QUEUES),
        ("case_page", lead, [f"/cases/{r}/" for r in references]),
        ("search_reference", lead, [f"/cases/search/?q={r}" for r in references]),
        (
            "search_full_text",
            lead,
            [f"/cases/search/?{urllib.parse.urlencode({'q': w})}" for w in WORDS],
        ),
        ("export_csv_1000", lead, [f"/cases/search/?{export}&export=csv"]),
    ]
    facts = {
        "lead": lead.username,
        "investigator": f"{investigator.username} ({busiest['n']} open cases)",
        "export": f"{export} ({export_rows} cases)",
    }
    return pages, facts


def _query_counts(pages: list) -> dict[str, int]:
    """SQL queries per page, from one request after one to warm the caches."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    counts = {}
    for name, user, paths in pages:
        client = Client()
        client.force_login(user)
        client.get(paths[0])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(paths[-1])
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        counts[name] = (len(captured.captured_queries), response.status_code)
    return counts


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _drive(base: str, cookie: str, paths: list[str], args: argparse.Namespace) -> dict:
    """8 clients on one page until the requests or the time run out."""
    opener = urllib.request.build_opener(_NoRedirect())
    lock = threading.Lock()
    latencies: list[float] = []
    failures: dict[str, int] = {}
    counter = iter(range(args.requests))
    deadline = time.monotonic() + args.duration

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            request = urllib.request.Request(base + paths[n % len(paths)])  # noqa: S310
            request.add_header("Cookie", cookie)
            started = time.perf_counter()
            try:
                with opener.open(request, timeout=60) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                exc.read()
                status = exc.code
            except OSError as exc:
                status = type(exc).__name__
            took = time.perf_counter() - started
            with lock:
                if status in (200, 302):
                    latencies.append(took)
                else:
                    failures[str(status)] = failures.get(str(status), 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"elapsed": time.perf_counter() - started, "ok": latencies, "failures": failures}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(server: subprocess.Popen, url: str) -> None:
    """Until gunicorn answers (two minutes at most on a busy machine); stop if it exits."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered (its error is above).")
        try:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 - loopback only
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within two minutes.")


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round((len(values) - 1) * p / 100))] * 1000


def main() -> None:
    args = _parse()
    _setup(args.database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import reverse

    from fairhear.accounts.models import Organisation
    from fairhear.cases.models import Case

    call_command("collectstatic", interactive=False, verbosity=0)
    org = Organisation.objects.get(slug=args.organisation)
    pages, facts = _pages(org)
    if args.pages:
        wanted = set(args.pages.split(","))
        pages = [p for p in pages if p[0] in wanted]
    queries = _query_counts(pages)
    cookies = {}
    for _, user, _ in pages:
        if user.pk not in cookies:
            cookies[user.pk] = f"{settings.SESSION_COOKIE_NAME}={_session(user)}"
    env = {**os.environ, "FAIRHEAR_LOG_LEVEL": "WARNING"}
    args.port = args.port or _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, arguments from this script
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "fairhear.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
            # Load the app once before the workers fork; a busy machine may take long for it.
            "--preload",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    rows = []
    try:
        _wait_for(server, f"{base}{reverse('login')}")
        for name, user, paths in pages:
            cpu = cpu_seconds(server.pid)
            result = _drive(base, cookies[user.pk], paths, args)
            cpu = cpu_seconds(server.pid) - cpu
            rows.append((name, result, cpu))
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = Case.objects.count()
    mine = Case.objects.filter(organisation=org).count()
    print(
        f"{total:,} cases; organisation {org.slug} ({mine:,} cases); {args.clients} clients, "
        f"gunicorn 2 sync workers, PostgreSQL; at most {args.requests} requests or "
        f"{args.duration:.0f} s a page"
    )
    for key, value in facts.items():
        print(f"  {key}: {value}")
    print("| page | ok | ok/s | p50 ms | p95 ms | p99 ms | failures | SQL queries | CPU ms/req |")
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|")
    for name, result, cpu in rows:
        ok = result["ok"]
        count, status = queries[name]
        fails = ", ".join(f"{k}: {v}" for k, v in result["failures"].items()) or "0"
        print(
            f"| {name} | {len(ok)} | {len(ok) / result['elapsed']:.1f} | {_pct(ok, 50):.0f} | "
            f"{_pct(ok, 95):.0f} | {_pct(ok, 99):.0f} | {fails} | {count} ({status}) | "
            f"{cpu / max(1, len(ok)) * 1000:.0f} |"
        )
    subprocess.run(["uptime"], check=False)  # noqa: S607 - the machine's load, for the write-up


if __name__ == "__main__":
    main()
