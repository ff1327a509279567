"""Load N cases with realistic histories into a PostgreSQL database, for the load benchmark.

Two organisations, one on each shipped pack (Pivotal and MMBM), with their service areas and
about 400 colleagues in the demo's roles. A few dozen template cases per organisation are made
through the real services (the demo's stories, plus notes), so every state and stage has the
event sequence, clocks, involvements and next deadline the services give it. The rest are
copies of the templates written with PostgreSQL COPY (bench/replicate.py): each copy gets its
own id, reference, complainant (name, e-mail, phone, address), colleagues in the same roles
(the handler, the allocator of its service area, reviewers, the logger), a varied summary, and
its own hash chain, so `manage.py verify_log` finds nothing wrong. Dates are the templates' own
(the last five months, relative to today), so every clock is exactly what the services
computed. Secondary indexes are dropped during the copy and built again afterwards.

Run (the script creates and migrates the database; it refuses one that already has cases):
    .venv/bin/python bench/generate.py --cases 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/fh_bench_1m
Options: --templates 60 (per organisation), --open-share 0.05 (share of copies that are still
open: most of a long history is closed), --seed 2026.
It prints the time of each step, cases/s of the copy and the total time.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# Bench-only: the roles, in the demo's words, and how many colleagues hold each per organisation.
STAFF = [
    # demo role, how many, first part of the username
    ("lead", 1, "lead"),
    ("admin", 1, "admin"),
    ("director", 4, "director"),
    ("reviewer", 12, "reviewer"),
    ("allocator", 0, "allocator"),  # two per service area, added below
    ("investigator", 60, "investigator"),
    ("colleague", 114, "colleague"),
]
NOTES = [
    "Called the complainant: they will send photographs of the damp.",
    "Spoke to the repairs contractor, who will visit on Thursday morning.",
    "Visited the property with the surveyor; the window seals have failed.",
    "The complainant asked for letters in large print from now on.",
    "Checked the rent account: two payments were applied to the wrong week.",
    "Met the scheme manager to go through the care plan and the missed visits.",
    "Left a voicemail; will try again tomorrow afternoon.",
    "Read the support worker's notes for the week of the incident.",
]


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--templates", type=int, default=60, help="per organisation")
    parser.add_argument("--open-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def _create_database(url: str) -> None:
    """Create the database when nothing answers under its name (createdb, on loopback)."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.OperationalError:
        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhear.settings.base")
    os.environ.setdefault("FAIRHEAR_SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("FAIRHEAR_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def make_organisation(policy: str, rng: random.Random, password_hash: str) -> object:
    """An organisation on a shipped pack with its service areas, closure day and colleagues."""
    from django.utils import timezone
    from replicate import FIRST, LAST

    from fairhear.accounts.models import ClosureDay, Organisation, ServiceArea, User
    from fairhear.core.demo import AREAS, ROLES, Demo, _job_title
    from fairhear.domain.policy.schema import Capability
    from fairhear.policies.services import policy_version_publish_shipped

    org = Organisation.objects.create(
        name={"pivotal": "Pivotal Homes (bench)", "mmbm": "MMBM Care (bench)"}[policy],
        slug=f"bench-{policy}",
        nation="england-and-wales",
        homes_lcra=18500,
        homes_lcho=2400,
    )
    areas = [
        ServiceArea.objects.create(organisation=org, name=n, kind=k, cqc_registered=c)
        for n, k, c in AREAS[policy]
    ]
    today = timezone.localdate()
    ClosureDay.objects.create(organisation=org, day=today.replace(month=12, day=24), reason="Eve")
    caps = {role: [Capability.LOG.value, *(c.value for c in cs)] for role, *_, cs in ROLES}
    titles = {role: _job_title(policy, title, cs) for role, _f, _l, title, cs in ROLES}
    users: list[User] = []
    roles: dict[str, list[User]] = {}
    prefix = policy[:3]
    for role, count, stem in STAFF:
        if role == "allocator":
            count = 2 * len(areas)
        for i in range(count):
            user = User(
                username=f"{prefix}-{stem}-{i + 1:03d}",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                job_title=titles[role],
                email=f"{prefix}-{stem}-{i + 1:03d}@bench.fairhear.invalid",
                organisation=org,
                capabilities=caps[role],
                password=password_hash,
                service_area=areas[i // 2] if role == "allocator" else None,
            )
            users.append(user)
            roles.setdefault(role, []).append(user)
    User.objects.bulk_create(users)
    managers = roles["allocator"]
    for user in roles["investigator"] + roles["colleague"]:
        user.line_manager = rng.choice(managers)
    User.objects.bulk_update(roles["investigator"] + roles["colleague"], ["line_manager"])
    admin = roles["admin"][0]
    policy_version_publish_shipped(organisation=org, name=policy, published_by=admin)
    org.refresh_from_db()
    # The templates' cast: the first colleague of each role ("investigator2" and "reviewer2"
    # are the second), as the demo's stories name them.
    cast = {role: people[0] for role, people in roles.items()}
    cast["investigator2"] = roles["investigator"][1]
    cast["reviewer2"] = roles["reviewer"][1]
    return Demo(org, cast, ""), roles, areas


def make_templates(demo: object, count: int, seed: int) -> None:
    """`count` cases through the services (the demo's stories), some with notes."""
    from django.utils import timezone

    from fairhear.cases import services as s
    from fairhear.cases.models import Case
    from fairhear.core.demo import add_demo_cases

    add_demo_cases(demo, count=count, seed=seed)
    s.cases_auto_close_sweep(today=timezone.localdate())
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    now = timezone.now()
    for case in Case.objects.filter(organisation=demo.org).order_by("pk"):
        last = case.events.order_by("-sequence").first().occurred_at
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            when = min(now - timedelta(minutes=1), last + timedelta(hours=rng.randint(1, 30)))
            actor = case.handler or demo.users["allocator"]
            s.case_add_note(case=case, actor=actor, text=rng.choice(NOTES), occurred_at=when)
            last = when


def main() -> None:
    args = _parse()
    started = time.perf_counter()
    _create_database(args.database_url)
    _django(args.database_url)
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from fairhear.cases.models import Case

    call_command("migrate", verbosity=0)
    if Case.objects.exists():
        sys.exit("This database already has cases: give the name of a new one.")
    print(f"migrated in {time.perf_counter() - started:.1f} s")
    rng = random.Random(args.seed)  # noqa: S311 - test data, not secrets
    password = secrets.token_urlsafe(9)
    password_hash = make_password(password)
    orgs = []
    step = time.perf_counter()
    per_org = min(args.templates, max(1, args.cases // 2))
    for i, policy in enumerate(["pivotal", "mmbm"]):
        demo, roles, areas = make_organisation(policy, rng, password_hash)
        make_templates(demo, per_org, args.seed + i)
        orgs.append((demo.org, roles, areas))
    made = Case.objects.count()
    print(
        f"2 organisations, {sum(len(u) for _, r, _ in orgs for u in r.values())} colleagues "
        f"and {made} template cases through the services in {time.perf_counter() - step:.1f} s"
    )
    import replicate

    copies = max(0, args.cases - made)
    step = time.perf_counter()
    replicate.replicate(
        orgs, url=args.database_url, copies=copies, open_share=args.open_share, seed=args.seed
    )
    elapsed = time.perf_counter() - step
    total = time.perf_counter() - started
    print(
        f"{copies:,} copies in {elapsed:.1f} s ({copies / max(elapsed, 1e-9):,.0f} cases/s, "
        "indexes rebuilt, tables vacuumed)"
    )
    print(f"{Case.objects.count():,} cases in all; total time {total:.1f} s ({total / 60:.1f} min)")
    print(f"every colleague's password: {password} (piv-lead-001, mmb-investigator-001, ...)")
    subprocess.run(["uptime"], check=False)  # noqa: S607 - the machine's load, for the write-up


if __name__ == "__main__":
    main()
