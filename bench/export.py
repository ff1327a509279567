"""The log export's speed and memory: `manage.py export_log` as the lead (who sees every case)
writes the first N cases of a generated database (bench/generate.py) as CSV and as Excel, each in
a fresh process, and this prints cases per second and the process's peak memory (its maximum
resident set, from the kernel) for each N. Flat memory as N grows is what "streamed" means.

Run (on a database made by bench/generate.py):
    .venv/bin/python bench/export.py --database-url postgres://postgres@127.0.0.1:5432/fh_bench_100k
Options: --sizes 1000,10000,100000 --formats csv,xlsx --organisation bench-pivotal.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The child: the command's own code path (case_csv_lines / case_xlsx_write over the lead's
# visible cases), limited to the first N cases in the command's order.
CHILD = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhear.settings.base")
os.environ.setdefault("FAIRHEAR_SECRET_KEY", "bench-only-not-secret")
import django
django.setup()
from fairhear.accounts.models import User
from fairhear.cases.export import case_csv_lines, case_xlsx_write
from fairhear.cases.selectors import case_list_visible_to
from fairhear.domain.policy.schema import Capability

slug, size, fmt, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
lead = next(
    u for u in User.objects.filter(organisation__slug=slug, is_active=True).order_by("pk")
    if u.can(Capability.LEAD)
)
visible = case_list_visible_to(user=lead).order_by("received_at", "reference")
cases = visible.filter(pk__in=visible.values("pk")[:size])
if fmt == "xlsx":
    with open(path, "wb") as out:
        written = case_xlsx_write(cases, out)
else:
    with open(path, "w", encoding="utf-8", newline="") as out:
        written = sum(1 for line in map(out.write, case_csv_lines(cases))) - 1
print(written)
"""


def _run(args: argparse.Namespace, size: int, fmt: str, folder: str) -> tuple[int, float, int]:
    """(cases written, seconds, peak resident memory in KiB) of one export in a fresh process."""
    path = os.path.join(folder, f"log.{fmt}")
    started = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 - this interpreter, the script's own code
        [sys.executable, "-c", CHILD, args.organisation, str(size), fmt, path],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": args.database_url},
        stdout=subprocess.PIPE,
        text=True,
    )
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"The export of {size} cases as {fmt} failed (exit {child.returncode}).")
    return int(out.strip()), seconds, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--organisation", default="bench-pivotal")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    columns = ("asked", "written", "seconds", "cases/s")
    print(f"{'format':<6} " + " ".join(f"{c:>9}" for c in columns) + f" {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for fmt in args.formats.split(","):
            for size in sizes:
                written, seconds, peak = _run(args, size, fmt, folder)
                size_mib = os.path.getsize(os.path.join(folder, f"log.{fmt}")) / 2**20
                print(
                    f"{fmt:<6} {size:>9,} {written:>9,} {seconds:>9.1f} "
                    f"{written / seconds:>9,.0f} {peak / 1024:>9.0f}   (file {size_mib:,.1f} MiB)",
                    flush=True,
                )


if __name__ == "__main__":
    main()
