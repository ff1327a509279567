"""The public form under load: 8 clients, each sending the whole form (every question page,
then check your answers and send) against gunicorn with 2 workers on PostgreSQL, and a check
in the database that every successful send made exactly one case (0 lost, 0 duplicated).

It runs in two phases, so that the last part of the form can be measured on its own: first the
clients fill in forms up to "check your answers" (the start page, every question page and the
documents page), then they send them (GET "check your answers" + POST send: the part
comparable with a one-page form's "GET form + POST"). It prints, per phase and for the whole
form: forms per second, p50/p95/p99 and the server's CPU (gunicorn's master and workers) per
form; then the check in the database.

Run (a scratch PostgreSQL database; the script migrates it, adds its own organisation,
collects the static files and starts and stops gunicorn itself, on loopback only):
    createdb -h 127.0.0.1 -U postgres fh_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fh_bench .venv/bin/python bench/submission.py
Options: --clients 8 --forms 400 --duration 60 --port 18090.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from proc_cpu import cpu_seconds  # noqa: E402  (bench/ is the script's own directory)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhear.settings.base")
os.environ.setdefault("FAIRHEAR_SECRET_KEY", "bench-only-not-secret")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from fairhear.accounts.models import Organisation  # noqa: E402
from fairhear.cases.models import Case  # noqa: E402
from fairhear.policies.services import policy_version_publish_shipped  # noqa: E402

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')

STEPS = [
    ("kind", {"kind": "complaint"}),
    ("what", {"summary": "{marker} The lift in our block has been broken for three weeks."}),
    ("when", {"incident_date_day": "9", "incident_date_month": "2", "incident_date_year": "2026"}),
    ("where", {"place": "12 Acacia Road"}),
    ("who", {"people": "The caretaker"}),
    ("outcome", {"desired_outcome": "Mend the lift."}),
    ("whom", {"whom": "me"}),
    ("contact", {"name": "Grace Hopper", "email": "bench{seq}@example.invalid", "prefer": "email"}),
    ("needs", {"communication_needs": "", "reasonable_adjustments": ""}),
]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _opener() -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())


def _call(opener: urllib.request.OpenerDirector, url: str, data: dict | None = None) -> tuple:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, body, timeout=30) as response:
            return response.status, response.read().decode(), response.headers.get("Location")
    except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx, 5xx
        return exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location")


def _fill(base: str, slug: str, marker: str, seq: int) -> tuple[object, str, float] | None:
    """Fill in one form up to "check your answers": (the client, its CSRF token, seconds), or
    None if a page refused an answer."""
    opener = _opener()
    started = time.perf_counter()
    status, page, _ = _call(opener, f"{base}/feedback/{slug}/")
    token = _CSRF.search(page).group(1)
    _call(opener, f"{base}/feedback/{slug}/", {"csrfmiddlewaretoken": token})
    for step, fields in STEPS:
        data = {k: v.format(marker=marker, seq=seq) for k, v in fields.items()}
        status, _, _ = _call(
            opener, f"{base}/feedback/{slug}/{step}/", {"csrfmiddlewaretoken": token, **data}
        )
        if status != 302:
            return None
    _call(
        opener,
        f"{base}/feedback/{slug}/documents/",
        {"csrfmiddlewaretoken": token, "continue": "1"},
    )
    return opener, token, time.perf_counter() - started


def _check_and_send(base: str, slug: str, opener: object, token: str) -> tuple[bool, float]:
    """GET "check your answers", then send: (sent, seconds)."""
    started = time.perf_counter()
    status, page, _ = _call(opener, f"{base}/feedback/{slug}/check/")
    key = _KEY.search(page).group(1)
    status, _, location = _call(
        opener,
        f"{base}/feedback/{slug}/check/",
        {"csrfmiddlewaretoken": token, "idempotency_key": key, "website": ""},
    )
    sent = status == 302 and (location or "").endswith("/done/")
    return sent, time.perf_counter() - started


def _in_parallel(clients: int, work: object) -> float:
    """Run `work` in `clients` threads until each returns; the elapsed seconds."""
    threads = [threading.Thread(target=work) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round((len(values) - 1) * p / 100))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--forms", type=int, default=400)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--port", type=int, default=18090)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    tag = uuid.uuid4().hex[:8]
    org = Organisation.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
    policy_version_publish_shipped(organisation=org, name="pivotal")
    env = {
        **os.environ,
        "FAIRHEAR_FEEDBACK_PER_HOUR": "1000000000",
        "FAIRHEAR_SECURE_COOKIES": "false",
        "FAIRHEAR_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, arguments from this script
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "fairhear.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{args.port}",
            # As the peer's run.sh: a worker's first request loads every module, which can
            # take longer than gunicorn's default 30 s on a busy machine.
            "--timeout",
            "180",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        # Until both workers answer (each loads its modules on its first request), unmeasured.
        answered = 0
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/feedback/{org.slug}/", timeout=180)  # noqa: S310
                answered += 1
                if answered == 8:
                    break
            except OSError:
                time.sleep(0.2)
        marker = f"BENCH-{tag}"
        lock = threading.Lock()
        counter = iter(range(args.forms))
        deadline = time.monotonic() + args.duration
        filled: list[tuple[object, str, float]] = []
        tried = 0

        def fill() -> None:
            nonlocal tried
            while time.monotonic() < deadline:
                with lock:
                    seq = next(counter, None)
                if seq is None:
                    return
                outcome = _fill(base, org.slug, f"{marker}-{seq:06d}", seq)
                with lock:
                    tried += 1
                    if outcome is not None:
                        filled.append(outcome)

        cpu = cpu_seconds(server.pid)
        fill_s = _in_parallel(args.clients, fill)
        fill_cpu, cpu = cpu_seconds(server.pid) - cpu, cpu_seconds(server.pid)

        queue = list(filled)
        sends: list[tuple[bool, float, float]] = []

        def send() -> None:
            while True:
                with lock:
                    if not queue:
                        return
                    opener, token, fill_seconds = queue.pop()
                sent, seconds = _check_and_send(base, org.slug, opener, token)
                with lock:
                    sends.append((sent, fill_seconds, seconds))

        send_s = _in_parallel(args.clients, send)
        send_cpu = cpu_seconds(server.pid) - cpu
    finally:
        server.terminate()
        server.wait(timeout=30)

    sent = [r for r in sends if r[0]]
    counts = {}
    for summary in Case.objects.filter(organisation=org).values_list("summary", flat=True):
        seq = summary.split(" ", 1)[0]
        counts[seq] = counts.get(seq, 0) + 1
    duplicated = sum(n - 1 for n in counts.values() if n > 1)
    lost = len(sent) - len(counts)
    n = max(1, len(sent))
    whole = [r[1] + r[2] for r in sent]
    pair = [r[2] for r in sent]
    print(f"clients {args.clients}, gunicorn 2 workers, {connection_vendor()}")
    print(
        f"filled in {len(filled)} of {tried} forms in {fill_s:.1f} s "
        f"({2 + len(STEPS) + 1} requests each): {len(filled) / fill_s:.1f} forms/s, "
        f"server CPU {fill_cpu / max(1, len(filled)) * 1000:.1f} ms a form"
    )
    print(
        f"check + send (2 requests): {len(sent)} of {len(sends)} sent in {send_s:.1f} s: "
        f"{len(sent) / send_s:.1f} forms/s; p50 {_pct(pair, 50):.0f} ms, "
        f"p95 {_pct(pair, 95):.0f} ms, p99 {_pct(pair, 99):.0f} ms; "
        f"server CPU {send_cpu / n * 1000:.1f} ms a form"
    )
    print(
        f"whole form ({2 + len(STEPS) + 3} requests): {len(sent) / (fill_s + send_s):.1f} "
        f"forms/s; p50 {_pct(whole, 50):.0f} ms, p95 {_pct(whole, 95):.0f} ms, "
        f"p99 {_pct(whole, 99):.0f} ms; server CPU {(fill_cpu + send_cpu) / n * 1000:.1f} ms "
        f"a form"
    )
    print(f"cases in the database {len(counts)}: lost {lost}, duplicated {duplicated}")


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
