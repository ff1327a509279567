"""Copies of template cases written with PostgreSQL COPY, for bench/generate.py.

Every copy is a template (bench/case_templates.py) with its own id and reference, a new
complainant (name, e-mail, phone and address), colleagues in the same roles (the handler to
another investigator, the allocator to one of the case's service area, and so on), a varied
summary, and its own hash chain from its own genesis, so its log verifies like one the services
wrote. The two organisations are copied by two processes at once, each with its own range of
ids and its own connection; the references are taken first, in order, from each organisation's
counter as the intake service would take them (skipping a code another organisation has).

Not a script of its own: bench/generate.py calls `replicate`.
"""

from __future__ import annotations

import hashlib
import importlib
import multiprocessing
import queue
import random
import threading
import time

import psycopg
from case_templates import (
    FIRST,
    LAST,
    STREETS,
    SUFFIXES,
    TABLES,
    TOWNS,
    Template,
    esc,
    load_templates,
)

from fairhear.cases.models import Case, CaseClock, Person
from fairhear.cases.models import ReferenceCounter as Counter
from fairhear.domain.chain import genesis
from fairhear.domain.people import person_keys
from fairhear.domain.references import (
    _HALF_BITS,
    _HALF_MASK,
    _ROUNDS,
    ALPHABET,
    CODE_LENGTH,
    case_reference,
)

CLOSED = {"closed", "refused"}
CATEGORIES = importlib.import_module("fairhear.cases.migrations.0026_case_categories")
EVENT_COLS = (
    "id, case_id, sequence, kind, stage, from_state, to_state, actor_id, actor_label, "
    "occurred_at, recorded_at, policy_version_id, data, chain_hash"
)
PERSON_COLS = [f.column for f in Person._meta.concrete_fields]
COLUMNS = {
    "cases_person": ", ".join(PERSON_COLS),
    "cases_case": ", ".join(f.column for f in Case._meta.concrete_fields),
    "cases_caseevent": EVENT_COLS,
    "cases_caseclock": ", ".join(f.column for f in CaseClock._meta.concrete_fields),
    "cases_caseinvolvement": "id, case_id, user_id, role",
    "cases_case_about_colleagues": "id, case_id, user_id",
    "cases_case_access_named": "id, case_id, user_id",
}
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


# References ------------------------------------------------------------------------------------


def references(prefix: str, year: int, key: bytes, numbers: range) -> list[str]:
    """fairhear.domain.references.case_reference for many numbers at once: its round function
    depends only on the round and a 15-bit half, so all 8 × 32,768 values are worked out once
    (HMAC-SHA256 as the domain computes it; checked against it below)."""
    block = (
        key.ljust(64, b"\0") if len(key) <= 64 else hashlib.sha256(key).digest().ljust(64, b"\0")
    )
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    table = []
    for i in range(_ROUNDS):
        row = []
        for half in range(_HALF_MASK + 1):
            h = inner.copy()
            h.update(bytes([i]) + half.to_bytes(2, "big"))
            o = outer.copy()
            o.update(h.digest())
            row.append(int.from_bytes(o.digest()[:2], "big") & _HALF_MASK)
        table.append(row)
    out = []
    for number in numbers:
        left, right = number >> _HALF_BITS, number & _HALF_MASK
        for row in table:
            left, right = right, left ^ row[right]
        value = (left << _HALF_BITS) | right
        chars = []
        for _ in range(CODE_LENGTH):
            value, digit = divmod(value, 32)
            chars.append(ALPHABET[digit])
        code = "".join(reversed(chars))
        out.append(f"{prefix}-{year}-{code[:3]}-{code[3:]}")
    check = numbers[: min(50, len(numbers))]
    assert out[: len(check)] == [case_reference(prefix, year, key, n) for n in check]
    return out


def _take_references(org_id: int, wanted: dict, taken: set[str]) -> dict[tuple, list[str]]:
    """`wanted[(prefix, year)]` new references per counter, in the counter's order, skipping
    codes already taken; the counters are moved on as intake would."""
    got = {}
    for (prefix, year), count in wanted.items():
        counter = Counter.objects.get(organisation_id=org_id, prefix=prefix, year=year)
        key = bytes.fromhex(counter.key)
        refs: list[str] = []
        number = counter.last
        while len(refs) < count:
            batch = references(prefix, year, key, range(number + 1, number + 1 + count - len(refs)))
            number += len(batch)
            refs += [r for r in batch if r not in taken]
        taken.update(refs)
        counter.last = number
        counter.save(update_fields=["last"])
        got[(prefix, year)] = refs
    return got


# People -----------------------------------------------------------------------------------------


def _names() -> list[tuple[str, str, str]]:
    out = []
    for first in FIRST:
        for last in LAST:
            name = f"{first} {last}"
            key = person_keys(name=name).name
            out.append((name, key, f"{first}.{last}".lower().replace("'", "")))
    return out


def _person(
    rng: random.Random, pid: int, org: int, like: dict | None, now: str, names: list
) -> str:
    """A COPY line of cases_person: a new person, keyed as fairhear.domain.people keys them."""
    name, name_key, stem = rng.choice(names)
    email = f"{stem}.{pid}@example.org"
    a, b = rng.randint(1200, 1999), rng.randint(100000, 999999)
    town, area = rng.choice(TOWNS)
    outward, inward = f"{area}{rng.randint(1, 29)}", f"{rng.randint(1, 9)}{rng.choice(LETTERS)}"
    inward += rng.choice(LETTERS)
    street = f"{rng.randint(1, 180)} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}"
    needs = esc((like or {}).get("communication_needs", ""))
    adjustments = esc((like or {}).get("reasonable_adjustments", ""))
    return (
        f"{pid}\t{org}\t{name}\t{email}\t0{a} {b}\t{street}, {town}\\n{outward} {inward}\t"
        f"{needs}\t{adjustments}\t{now}\t{name_key}\t{email}\t0{a}{b}\t{outward}{inward}\n"
    )


# Copies -----------------------------------------------------------------------------------------


class _Cast:
    """Colleagues as a copy's values: id, JSON name, COPY name, line manager's id and name."""

    def __init__(self, roles: dict, areas: list) -> None:
        everyone = {u.pk: u for people in roles.values() for u in people}

        def info(user: object) -> tuple:
            manager = everyone.get(user.line_manager_id)
            return (
                user.pk,
                str(user.pk),
                esc_json(str(user)),
                esc(str(user)),
                str(manager.pk) if manager else None,
                esc_json(str(manager)) if manager else None,
            )

        self.roles = {role: [info(u) for u in people] for role, people in roles.items()}
        self.by_area = {
            a.pk: [info(u) for u in roles["allocator"] if u.service_area_id == a.pk] for a in areas
        }

    def pick(self, t: Template, rng: random.Random) -> dict[int, tuple]:
        cast: dict[int, tuple] = {}
        used: set[int] = set()
        for uid, role in t.users.items():
            pool = self.by_area.get(t.area) if role == "allocator" else None
            pool = pool or self.roles[role]
            choice = rng.choice(pool)
            while choice[0] in used and len(pool) > 1:  # two of one role stay two people
                choice = rng.choice(pool)
            cast[uid] = choice
            used.add(choice[0])
        return cast


def esc_json(text: str) -> str:
    """A name as a JSON string; the names used have nothing JSON or COPY would escape."""
    return f'"{text}"'


def copy_case(t: Template, cid: int, reference: str, ctx: dict, out: dict) -> None:
    """Append one copy's COPY lines to `out`, table by table."""
    rng, ids = ctx["rng"], ctx["ids"]
    cast = ctx["cast"].pick(t, rng)
    vals = {"C": str(cid)}
    for uid, (_pk, pk, name, _plain, manager, manager_name) in cast.items():
        vals[f"U{uid}"], vals[f"N{uid}"] = pk, name
        if manager is not None:
            vals[f"L{uid}"], vals[f"K{uid}"] = manager, manager_name
    person = representative = "\\N"
    if t.person is not None:
        person = vals["P"] = str(ids.take("cases_person"))
        out["cases_person"].append(
            _person(rng, person, ctx["org"], t.person, ctx["now"], ctx["names"])
        )
    if t.representative is not None:
        representative = vals["R"] = str(ids.take("cases_person"))
        out["cases_person"].append(
            _person(rng, representative, ctx["org"], t.representative, ctx["now"], ctx["names"])
        )
    summary = f"{t.summary_esc} It is at {rng.randint(1, 180)} {rng.choice(STREETS)} "
    summary += f"{rng.choice(SUFFIXES)}."
    previous = genesis(cid, reference)
    lines = out["cases_caseevent"]
    for line, canon, keys, data_keys, actor in t.events:
        text = canon.format(*[vals[k] for k in keys])
        previous = hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()
        who = [vals[f"U{actor}"], cast[actor][3]] if actor is not None else []
        lines.append(
            line.format(
                ids.take("cases_caseevent"), cid, *who, *[vals[k] for k in data_keys], previous
            )
        )
    handler = vals[f"U{t.handler}"] if t.handler in t.users else esc(t.handler)
    logged_by = vals[f"U{t.logged_by}"] if t.logged_by in t.users else esc(t.logged_by)
    out["cases_case"].append(
        t.case_line.format(
            cid, reference, person, representative, summary, handler, logged_by, previous
        )
    )
    clocks = out["cases_caseclock"]
    for clock in t.clocks:
        clocks.append(f"{ids.take('cases_caseclock')}\t{cid}\t{clock}\n")
    for uid, role in t.involvements:
        iid = ids.take("cases_caseinvolvement")
        out["cases_caseinvolvement"].append(f"{iid}\t{cid}\t{vals[f'U{uid}']}\t{role}\n")
    for table, users in (
        ("cases_case_about_colleagues", t.about),
        ("cases_case_access_named", t.named),
    ):
        for uid in users:
            out[table].append(f"{ids.take(table)}\t{cid}\t{vals[f'U{uid}']}\n")


class _Ids:
    """The next id of each table in one process's own range."""

    def __init__(self, start: dict[str, int]) -> None:
        self.next = dict(start)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def _rows(t: Template) -> dict[str, int]:
    """How many rows of each table one copy of `t` writes."""
    return {
        "cases_person": (t.person is not None) + (t.representative is not None),
        "cases_case": 1,
        "cases_caseevent": len(t.events),
        "cases_caseclock": len(t.clocks),
        "cases_caseinvolvement": len(t.involvements),
        "cases_case_about_colleagues": len(t.about),
        "cases_case_access_named": len(t.named),
    }


def _writer(url: str, chunks: queue.Queue, errors: list) -> None:
    """Send each chunk with COPY, table by table, one transaction a chunk."""
    try:
        with psycopg.connect(url) as conn:
            # Bench-only: foreign keys are not checked row by row during the copy.
            conn.execute("SET session_replication_role = replica")
            conn.execute("SET synchronous_commit = off")
            while (chunk := chunks.get()) is not None:
                with conn.cursor() as cursor:
                    for table, lines in chunk.items():
                        if lines:
                            sql = f"COPY {table} ({COLUMNS[table]}) FROM STDIN"
                            with cursor.copy(sql) as copy:
                                copy.write("".join(lines))
                conn.commit()
    except Exception as exc:  # handed to the process, which stops
        errors.append(exc)
        while chunks.get() is not None:
            pass


def _work(job: dict) -> int:
    """One organisation's copies, in a process of its own."""
    ids = _Ids(job["start"])
    rng = random.Random(job["seed"])  # noqa: S311 - test data, not secrets
    ctx = {
        "rng": rng,
        "ids": ids,
        "cast": job["cast"],
        "org": job["org"],
        "now": job["now"],
        "names": _names(),
    }
    chunks: queue.Queue = queue.Queue(maxsize=2)
    errors: list = []
    writer = threading.Thread(target=_writer, args=(job["url"], chunks, errors))
    writer.start()
    templates, refs = job["templates"], {k: iter(v) for k, v in job["refs"].items()}
    try:
        out = {table: [] for table in TABLES}
        for n, index in enumerate(job["choices"], 1):
            t = templates[index]
            copy_case(t, ids.take("cases_case"), next(refs[(t.prefix, t.year)]), ctx, out)
            if n % 5000 == 0 or n == len(job["choices"]):
                if errors:
                    break
                chunks.put(out)
                out = {table: [] for table in TABLES}
    finally:
        chunks.put(None)
        writer.join()
    if errors:
        raise errors[0]
    return len(job["choices"])


# Indexes and the whole copy ---------------------------------------------------------------------


def _drop_indexes(cursor: psycopg.Cursor) -> list[str]:
    """Drop the secondary indexes and unique constraints of the tables copied into; return the
    statements that make them again."""
    again = []
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)",
        [TABLES],
    )
    for table, name, definition in cursor.fetchall():
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        again.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE NOT i.indisprimary AND i.indrelid::regclass::text = ANY(%s)",
        [TABLES],
    )
    for name, definition in cursor.fetchall():
        cursor.execute(f"DROP INDEX {name}")
        again.append(definition)
    return again


def replicate(orgs: list, *, url: str, copies: int, open_share: float, seed: int) -> None:
    """Write `copies` copies of the organisations' template cases, shared between them; most
    are copies of closed templates (`open_share` of them are still open)."""
    from django.db import connections
    from django.utils import timezone

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    now = esc(timezone.now())
    taken = set(Case.objects.values_list("reference", flat=True))
    jobs = []
    for n, (org, roles, areas) in enumerate(orgs):
        templates = load_templates(org, roles)
        open_ = [i for i, t in enumerate(templates) if t.state not in CLOSED]
        closed = [i for i, t in enumerate(templates) if t.state in CLOSED] or open_
        open_ = open_ or closed
        share = copies // len(orgs) + (n < copies % len(orgs))
        choices = [rng.choice(open_ if rng.random() < open_share else closed) for _ in range(share)]
        wanted: dict[tuple, int] = {}
        for i in choices:
            key = (templates[i].prefix, templates[i].year)
            wanted[key] = wanted.get(key, 0) + 1
        refs = _take_references(org.pk, wanted, taken)
        jobs.append(
            {
                "url": url,
                "org": org.pk,
                "now": now,
                "seed": seed + 1000 + n,
                "cast": _Cast(roles, areas),
                "templates": templates,
                "choices": choices,
                "refs": refs,
            }
        )
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cursor:
        again = _drop_indexes(cursor)
        start = {}
        for table in TABLES:
            cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608
            start[table] = cursor.fetchone()[0]
    first_copy = start["cases_case"]
    for job in jobs:  # each process its own range of ids
        job["start"] = dict(start)
        for i in job["choices"]:
            for table, count in _rows(job["templates"][i]).items():
                start[table] += count
    started = time.perf_counter()
    connections.close_all()  # nothing of this process's connection goes into the children
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_work, args=(job,)) for job in jobs]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    if any(p.exitcode != 0 for p in processes):
        raise SystemExit("A copying process failed (its error is above).")
    print(f"  copied in {time.perf_counter() - started:.1f} s; building the indexes again")
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cursor:
        # The copies' categories as rows, by the statement migration cases/0026 fills them
        # with (cases/services/categories.py keeps them for the cases the services write).
        code, elements = CATEGORIES.ELEMENTS["postgresql"]
        fill = CATEGORIES.FILL.format(code=code, elements=elements)
        cursor.execute(f"{fill} WHERE c.id >= %s", [first_copy])
        cursor.execute("VACUUM ANALYZE cases_casecategory")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        for statement in again:
            cursor.execute(statement)
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
            # VACUUM as well as ANALYZE: it sets the visibility map that index-only scans
            # read (My work's counts and order read case_open_work alone). A database in
            # service has it from autovacuum; without it every open case's heap page is read
            # again (17,000 pages at a million cases, 60 ms of each count), and PostgreSQL
            # may run with autovacuum off (the benchmark machine's does).
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    print(f"  indexes built and tables vacuumed in {time.perf_counter() - started:.1f} s")
