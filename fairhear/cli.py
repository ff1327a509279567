"""The `fairhear` command line: check policy packs, print a case's timetable, run the worker.

It imports no Django, so it runs without a database or settings; only `fairhear worker` loads
Django (and the settings in the environment and var/.env) when it starts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from fairhear.domain.calendar import Nation, WorkingDayCalendar
from fairhear.domain.clock import check_year, fmt_day, london_date, parse_timestamp
from fairhear.domain.policy.evaluate import (
    ClockResult,
    Occurrence,
    TimetableInputError,
    Verdict,
    check_occurrences,
    compute_timetable,
    time_limit_verdict,
)
from fairhear.domain.policy.golden import golden_failures
from fairhear.domain.policy.load import (
    PackInvalid,
    load_pack_file,
    load_shipped_pack,
    shipped_pack_names,
)
from fairhear.domain.policy.rules import departures_from_code
from fairhear.domain.policy.schema import PolicyPack
from fairhear.domain.policy.signposts import refusal_signpost_problems

CATEGORIES = ("safeguarding", "health_and_safety", "other")
CODE_PACK = "hos-code-2024"  # the pack whose figures the Code rules compare against
DEPARTS = 3  # exit status of `policy check --against` when the pack departs from the Code


class CommandError(Exception):
    """Bad input to a command; printed as one line, exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args)
    except PackInvalid as exc:
        print("The policy pack is not valid:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except (CommandError, TimetableInputError) as exc:
        print(f"fairhear: {exc}", file=sys.stderr)
        return 2
    except (Exception, RecursionError, MemoryError) as exc:
        # Never a traceback: one line that says what failed and what to do.
        print(
            f"fairhear: could not finish ({type(exc).__name__}: {_shorten(str(exc))}). Check "
            "the input; if it looks right, report this message.",
            file=sys.stderr,
        )
        return 2


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fairhear", description="Fairhear: complaints policy packs and deadlines."
    )
    sub = parser.add_subparsers(metavar="COMMAND")

    policy = sub.add_parser("policy", help="work with policy packs")
    policy_sub = policy.add_subparsers(metavar="ACTION")
    check = policy_sub.add_parser("check", help="validate a pack and print its stages and clocks")
    check.add_argument("file", help="a pack's .toml file, or the name of a shipped pack")
    check.add_argument(
        "--against",
        metavar="CODE",
        help="list every departure from the Housing Ombudsman's Code (hos-code-2024); "
        "exit status 3 when there is one",
    )
    check.set_defaults(handler=_policy_check)

    tt = sub.add_parser("timetable", help="print every clock of a pack for one case")
    tt.add_argument("--policy", required=True, help="a shipped pack's name or a .toml file")
    tt.add_argument("--received", required=True, help="ISO 8601 timestamp with an offset")
    tt.add_argument(
        "--event",
        action="append",
        default=[],
        metavar="NAME=TIMESTAMP",
        help="something that happened, e.g. allocated=2024-01-03T09:00:00+00:00 (repeatable)",
    )
    tt.add_argument("--incident-date", help="the date the matter complained of happened")
    tt.add_argument("--category", default="other", help=f"one of {', '.join(CATEGORIES)}")
    tt.add_argument(
        "--exceptional-circumstances",
        action="store_true",
        help="exceptional circumstances are recorded (packs that allow them)",
    )
    tt.add_argument(
        "--nation",
        default=Nation.ENGLAND_AND_WALES.value,
        choices=[n.value for n in Nation],
        help="whose bank holidays apply",
    )
    tt.add_argument(
        "--closure",
        action="append",
        default=[],
        metavar="DATE",
        help="an organisation closure day (repeatable)",
    )
    tt.add_argument("--format", choices=["text", "json"], default="text")
    tt.set_defaults(handler=_timetable)

    worker = sub.add_parser(
        "worker", help="run queued tasks, sweep the clocks every minute and send the outbox"
    )
    worker.add_argument(
        "--once", action="store_true", help="one round of tasks, sweep and outbox, then stop"
    )
    worker.add_argument("--worker-id", default="", help="this worker's name on the status page")
    worker.set_defaults(handler=_worker)
    return parser


def _worker(args: argparse.Namespace) -> int:
    """`manage.py worker` under the project's settings (docs/operations.md, "The worker"), in
    place of this process, so that this module never imports Django itself."""
    import os

    env = {"DJANGO_SETTINGS_MODULE": "fairhear.settings.base", **os.environ}
    argv = [sys.executable, "-m", "django", "worker"]
    if args.once:
        argv.append("--once")
    if args.worker_id:
        argv += ["--worker-id", args.worker_id]
    os.execve(sys.executable, argv, env)  # noqa: S606 - our own interpreter, no shell
    return 0  # pragma: no cover - execve does not return


def _load(ref: str) -> PolicyPack:
    try:
        is_file = Path(ref).is_file()
    except (OSError, ValueError):  # a name too long for the system, or with a NUL in it
        is_file = False
    if is_file:
        return load_pack_file(ref)
    if ref.endswith(".toml") or len(ref) > 100:
        raise CommandError(f"there is no pack file {_shorten(ref, 100)!r}; check the path.")
    if ref not in shipped_pack_names():
        raise CommandError(
            f"{ref!r} is not a shipped pack; choose one of {', '.join(shipped_pack_names())} "
            "or give the path of a .toml file."
        )
    return load_shipped_pack(ref)


def _policy_check(args: argparse.Namespace) -> int:
    pack = _load(args.file)
    failures = golden_failures(pack)
    if failures:
        print(
            f"The policy pack {pack.name} is not valid: its own worked examples fail:",
            file=sys.stderr,
        )
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    problems = refusal_signpost_problems(pack)
    if problems:
        print(
            f"The policy pack {pack.name} is not valid: its refusal texts leave out a signpost:",
            file=sys.stderr,
        )
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if args.against:
        return _print_departures(pack, _code_pack(args.against))
    print(f"{pack.name} {pack.version}: {pack.organisation}, {pack.title}")
    print(f"Source: {pack.source}")
    print(f"Time limit: {pack.time_limit.months} months ({pack.time_limit.cites})")
    print("Stages:")
    for stage in pack.stages:
        final = ", final" if stage.final else ""
        print(
            f"  {stage.number}. {stage.name}: handled by {stage.handler_title}{final} "
            f"({stage.cites})"
        )
    print("Clocks:")
    for clock in pack.clocks.values():
        print(
            f"  {clock.name}: {clock.duration} after {' or '.join(clock.starts_from)} "
            f"({clock.cites})"
        )
    print(f"Worked examples: {len(pack.golden)} passed.")
    return 0


def _code_pack(ref: str) -> PolicyPack:
    code = _load(ref)
    if code.name != CODE_PACK:
        raise CommandError(
            f"--against {ref!r}: the rules are the Housing Ombudsman's Complaint Handling Code; "
            f"use --against {CODE_PACK} (or a .toml file of that pack)."
        )
    return code


def _print_departures(pack: PolicyPack, code: PolicyPack) -> int:
    """Every departure from the Code with its section; status 3 when there is any."""
    departures = departures_from_code(pack, code)
    against = f"the {code.title} ({code.name} {code.version})"
    if not departures:
        print(f"{pack.name} {pack.version} does not depart from {against}.")
        return 0
    ways = "1 way" if len(departures) == 1 else f"{len(departures)} ways"
    print(f"{pack.name} {pack.version} departs from {against} in {ways}:")
    for departure in departures:
        print(f"  {departure}")
    return DEPARTS


def _parse_date(text: str, what: str) -> date:
    try:
        day = date.fromisoformat(text) if len(text) <= 10 else None
    except ValueError:
        day = None
    if day is None:
        raise CommandError(
            f"{what} {_shorten(text, 40)!r} is not a date; write it as YYYY-MM-DD."
        ) from None
    try:
        check_year(day, f"{what} {text}")
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    return day


def _timetable(args: argparse.Namespace) -> int:
    pack = _load(args.policy)
    try:
        received_at = parse_timestamp(args.received)
    except ValueError as exc:
        raise CommandError(f"--received: {exc}") from None
    received_on = london_date(received_at)
    occurrences = [Occurrence("received", received_on), Occurrence("logged", received_on)]
    moments = []
    for item in args.event:
        name, sep, stamp = item.partition("=")
        if not sep or not name:
            raise CommandError(f"--event {item!r} must be NAME=TIMESTAMP.")
        try:
            moment = parse_timestamp(stamp)
        except ValueError as exc:
            raise CommandError(f"--event {name}: {exc}") from None
        occurrences.append(Occurrence(name.strip(), london_date(moment)))
        moments.append((name.strip(), moment))
    check_occurrences(pack, received_on, occurrences)
    for name, moment in moments:  # the same day as receipt, but earlier in it
        if moment < received_at:
            raise CommandError(
                f"--event {name} at {moment.isoformat()} is before the complaint was received "
                f"at {received_at.isoformat()}; check both times."
            )
    category = args.category
    codes = [c.code for c in pack.categories]
    if category not in {*codes, *CATEGORIES}:
        raise CommandError(
            f"--category {category!r} is not a category of the {pack.name} pack; use one of "
            f"{', '.join(codes)}."
        )
    incident = _parse_date(args.incident_date, "--incident-date") if args.incident_date else None
    closures = [_parse_date(d, "--closure") for d in args.closure]
    cal = WorkingDayCalendar(Nation(args.nation), closures=closures)
    clocks = compute_timetable(pack, cal, occurrences)
    verdict = time_limit_verdict(
        pack,
        received_on=received_on,
        incident_on=incident,
        category=category,
        exceptional_circumstances=args.exceptional_circumstances,
    )
    if args.format == "json":
        print(json.dumps(_as_json(pack, clocks, verdict), indent=2))
    else:
        print(_as_text(pack, cal, received_on, clocks, verdict))
    return 0


def _as_json(pack: PolicyPack, clocks: list[ClockResult], verdict: Verdict) -> dict:
    return {
        "policy": pack.name,
        "version": pack.version,
        "clocks": [
            {
                "name": c.name,
                "starts_from": " or ".join(c.rule.starts_from),
                "started_by": c.started_by,
                "due": c.due.isoformat() if c.due else None,
                "explanation": c.explanation,
                "cites": c.rule.cites,
            }
            for c in clocks
        ],
        "acceptance": {"in_time": verdict.in_time, "reason": verdict.reason},
    }


def _as_text(
    pack: PolicyPack,
    cal: WorkingDayCalendar,
    received_on: date,
    clocks: list[ClockResult],
    verdict: Verdict,
) -> str:
    lines = [
        f"{pack.organisation}: {pack.title} ({pack.name} {pack.version})",
        f"Received {fmt_day(received_on)}; bank holidays of {cal.nation.label}.",
        "",
    ]
    width = max(len(c.name) for c in clocks)
    for c in clocks:
        due = fmt_day(c.due) if c.due else "not started"
        lines.append(f"{c.name:<{width}}  {due:<16}  {c.explanation}")
        lines.append(f"{'':<{width}}  {c.rule.label} ({c.rule.cites})")
    lines += [
        "",
        f"Time limit: {'in time' if verdict.in_time else 'out of time'}. {verdict.reason}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
