"""Import a spreadsheet log (CSV or Excel, one row per case) through a column mapping: each row
becomes a case whose dates (received, accepted, acknowledged, responded, escalated, closed)
are the events of its history, replayed through the same services as a JSON history
(docs/import.md, "A spreadsheet log")."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

from fairhear.accounts.models import Organisation, User
from fairhear.cases.models import Case
from fairhear.cases.services import Outcome
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action, CaseKind
from fairhear.domain.policy.schema import PolicyPack
from fairhear.importing import log_values as v
from fairhear.importing.history import (
    ImportSummary,
    Progress,
    finish,
    replay_cases,
    run_all_or_nothing,
)
from fairhear.importing.history_format import CaseSpec, EventSpec
from fairhear.importing.log_mapping import FIELDS, Mapping
from fairhear.importing.problems import Problem
from fairhear.policies.selectors import policy_pack_for

# A step the log dates without a time is put at this time of day, a minute after the step
# before it on the same day, so the steps keep the log's order.
DAY_STARTS = 9
NOT_IN_LOG = "Not in the previous log; dated with the step before it."


def read_rows(path: Path) -> list[dict[str, object]]:
    """The rows of a CSV file or the first sheet of an Excel workbook, by column header."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook  # only an Excel log needs it

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        header = [v.text(h) for h in rows[0]] if rows else []
        return [dict(zip(header, row, strict=False)) for row in rows[1:]]
    text = path.read_text(encoding="utf-8-sig")
    return [{v.text(k): val for k, val in row.items()} for row in csv.DictReader(io.StringIO(text))]


def _choices(pairs: list[tuple[str, str]], **more: str) -> dict[str, str]:
    out = {code: code for code, _ in pairs} | {label: code for code, label in pairs}
    return out | {words.replace("_", " "): code for words, code in more.items()}


KINDS = _choices(Case.Kind.choices)
CHANNELS = _choices(
    Case.Channel.choices, telephone="phone", email_address="email", web_form="web", visit="visit"
)
TENURES = _choices(
    Case.Tenure.choices,
    general_needs="lcra",
    social_rent="lcra",
    affordable_rent="lcra",
    rent="lcra",
    shared_ownership="lcho",
    leasehold="other",
    not_known="unknown",
)
OUTCOMES = _choices(Outcome.CHOICES, partially_upheld="partly_upheld", partial="partly_upheld")


class _Row:
    """One row read through the mapping, collecting the problems of its cells."""

    def __init__(self, number: int, cells: dict, mapping: Mapping, pack: PolicyPack) -> None:
        self.number, self.mapping, self.pack = number, mapping, pack
        self.problems: list[Problem] = []
        by_field = {target: column for column, target in mapping.columns.items()}
        self.columns = by_field
        self.values = {
            target: cells.get(column) for target, column in by_field.items() if column in cells
        }
        self.ref = v.text(self.values.get("source_reference"))

    def raw(self, target: str) -> object:
        value = self.values.get(target)
        return value if v.text(value) else self.mapping.defaults.get(target)

    def read(self, target: str) -> object:
        """The field's value from its cell (or the default), or None with a problem."""
        kind, raw = FIELDS[target], self.raw(target)
        pack = self.pack
        readers = {
            "text": v.text,
            "yes/no": v.yes_no,
            "date": v.when,
            "kind": lambda x: v.choice(x, KINDS, "kind of case"),
            "channel": lambda x: v.choice(x, CHANNELS, "channel"),
            "tenure": lambda x: v.choice(x, TENURES, "tenure"),
            "outcome": lambda x: v.choice(x, OUTCOMES, "outcome"),
            "categories": lambda x: v.many(x, _reasons(pack.categories), "category"),
            "refusal": lambda x: v.choice(x, _reasons(pack.refusal_reasons), "refusal reason"),
            "closure": lambda x: v.choice(x, _reasons(pack.closure_reasons), "closure reason"),
            "colleague": v.text,
        }
        try:
            return readers[kind](raw)
        except v.Unreadable as unreadable:
            self.say(str(unreadable), target)
            return None

    def say(self, message: str, target: str) -> None:
        column = self.columns.get(target, "")
        where = {"column": column} if column else {}
        if not column and target:
            message = f"{message} (the default for {target})"
        self.problems.append(Problem(message, row=self.number, source_reference=self.ref, **where))


def _reasons(reasons: tuple) -> dict[str, str]:
    return {r.code: r.code for r in reasons} | {r.label: r.code for r in reasons}


def import_log(
    *,
    organisation: Organisation,
    rows: list[dict[str, object]],
    mapping: Mapping,
    dry_run: bool,
    progress: Progress | None = None,
) -> ImportSummary:
    """Check every row (a dry run reports every problem by row and column and keeps nothing)
    or import them all; a real import with any problem keeps nothing and raises
    ImportRefused. A row whose reference was imported before is skipped."""
    summary = ImportSummary(dry_run=dry_run, organisation=organisation.slug)
    pack = policy_pack_for(organisation.active_policy_version)
    users = {u.email.lower(): u for u in User.objects.filter(organisation=organisation)}
    names = {str(u).lower(): e for e, u in users.items()}
    headers = set(rows[0]) if rows else set()
    for column in mapping.columns:
        if column not in headers:
            summary.problems.append(
                Problem(
                    f"The log has no column {column!r}; its columns are "
                    f"{', '.join(sorted(h for h in headers if h))}."
                )
            )
    specs, broken = [], set()
    for number, cells in enumerate(rows, start=2):  # row 1 is the header
        if not any(v.text(c) for c in cells.values()):
            continue  # a blank row
        row = _Row(number, cells, mapping, pack)
        spec = _case(row, users, names)
        summary.problems += row.problems
        if row.problems:
            broken.add(number)
        specs.append(spec)
    seen: dict[str, int] = {}
    for spec in specs:
        if spec.source_reference in seen:
            summary.problems.append(
                Problem(
                    f"The reference is also row {seen[spec.source_reference]}'s.",
                    row=spec.number,
                    source_reference=spec.source_reference,
                )
            )
            broken.add(spec.number)
        seen.setdefault(spec.source_reference, spec.number)
    if any(p.row is None for p in summary.problems):
        return finish(summary)
    return run_all_or_nothing(
        summary, lambda: replay_cases(organisation, specs, users, broken, summary, progress)
    )


def _colleague(row: _Row, target: str, users: dict, names: dict) -> str:
    written = row.read(target) or ""
    email = written.lower() if written.lower() in users else names.get(written.lower(), "")
    if written and not email:
        row.say(f"{written!r} is not a colleague of the organisation (name or e-mail).", target)
    return email


def _case(row: _Row, users: dict[str, User], names: dict[str, str]) -> CaseSpec:
    fields = {
        "kind": row.read("kind") or CaseKind.COMPLAINT.value,
        "channel": row.read("channel") or "",
        "summary": row.read("summary") or "",
        "desired_outcome": row.read("desired_outcome") or "",
        "service_area": row.read("service_area") or "",
        "categories": row.read("categories") or [],
        "tenure": row.read("tenure") or Case.Tenure.UNKNOWN,
        "anonymous": bool(row.read("anonymous")),
        "safeguarding": bool(row.read("safeguarding")),
        "health_and_safety": bool(row.read("health_and_safety")),
    }
    incident = row.read("incident_date")
    if incident:
        fields["incident_date"] = incident.date().isoformat()
    person = {k: row.read(f"complainant_{k}") or "" for k in ("name", "email", "phone", "address")}
    if person["name"]:
        fields["complainant"] = person
    elif not fields["anonymous"]:
        row.say("Give the complainant's name, or say Yes to anonymous.", "complainant_name")
    for target in ("source_reference", "summary", "channel"):
        if not fields.get(target, row.ref):
            row.say("This is needed for every case.", target)
    if not row.ref:
        row.say("This is needed for every case.", "source_reference")
    spec = CaseSpec(row.number, row.ref, fields, source="log")
    spec.columns.update(row.columns)  # a field's column, for the problems the replay finds
    _Steps(row, spec, users, names).build()
    return spec


class _Steps:
    """The row's dates as the events of its history, in the log's order."""

    def __init__(self, row: _Row, spec: CaseSpec, users: dict, names: dict) -> None:
        self.row, self.spec = row, spec
        self.by = row.mapping.defaults.get("by", "").lower()
        if self.by and self.by not in users:
            row.say(f"{self.by} is not a colleague of the organisation.", "")
        self.handler = _colleague(row, "handler", users, names) or self.by
        self.handler2 = _colleague(row, "stage2_handler", users, names)
        self.last: datetime | None = None

    def at(self, target: str, fallback: bool = False) -> datetime | None:
        """The step's time: its cell's date (at the start of the working day, or its own time)
        kept after the step before it; or, with `fallback`, the step before it's time."""
        moment = self.row.read(target) if target else None
        if moment is None:
            if not fallback or self.last is None:
                return None
            moment = self.last
        elif moment.astimezone(LONDON).time() == datetime.min.time():
            moment = moment.replace(hour=DAY_STARTS)
        if self.last is not None and moment.date() == self.last.astimezone(LONDON).date():
            moment = max(moment, self.last + timedelta(minutes=1))
        self.last = moment
        return moment

    def add(self, kind: Action, target: str, moment: datetime, by: str, **data: object) -> None:
        number = len(self.spec.events) + 1
        self.spec.events.append(EventSpec(number, kind, moment, by, data))
        column = self.row.columns.get(target)
        if column:
            self.spec.columns[number] = column

    def build(self) -> None:
        received = self.at("received")
        if received is None:
            if not v.text(self.row.raw("received")):  # not blank: already said it is unreadable
                self.row.say("Every case needs the date it was received.", "received")
            return
        self.add(Action.RECEIVE, "received", received, self.by)
        kind = self.spec.fields["kind"]
        if kind != CaseKind.COMPLAINT:
            closed = self.at("closed")
            if closed:
                self.add(Action.CLOSE_CONTACT, "closed", closed, self.by, outcome=NOT_IN_LOG)
            return
        refused = self.at("refused")
        if refused:
            reason = self.row.read("refusal_reason")
            if not reason:
                self.row.say("Say why it was not accepted.", "refusal_reason")
            self.add(Action.REFUSE, "refused", refused, self.by, reason_code=reason or "")
            return
        later = ("acknowledged", "responded", "escalated", "closed")
        if not any(self.row.raw(t) for t in ("accepted", *later)):
            return
        self._stage_one()
        if self.row.raw("escalated"):
            self._stage_two()
        closed = self.at("closed")
        if closed and not self.row.raw("stage2_responded"):
            reason = self.row.read("closure_reason")
            if not reason:
                self.row.say("Say why it was closed.", "closure_reason")
            self.add(Action.CLOSE, "closed", closed, self.handler, reason_code=reason or "")

    def _stage_one(self) -> None:
        accepted = self.at("accepted", fallback=True)
        self.add(Action.ACCEPT, "accepted", accepted, self.by)
        self.add(Action.ALLOCATE, "accepted", self.at("", True), self.by, handler=self.handler)
        if not any(self.row.raw(t) for t in ("acknowledged", "responded", "escalated")):
            return
        ack = self.row.raw("acknowledged")
        understanding = "" if ack else NOT_IN_LOG
        acknowledged = self.at("acknowledged", fallback=True)
        self.add(
            Action.ACKNOWLEDGE,
            "acknowledged",
            acknowledged,
            self.handler,
            understanding=understanding,
        )
        if self.row.raw("responded") or self.row.raw("escalated"):
            self._response(1, "responded", "outcome", "response_reasons", self.handler)
        if self.row.raw("response_received"):
            self.add(
                Action.RECORD_RESPONSE_RECEIPT,
                "response_received",
                self.at("response_received"),
                self.handler,
            )

    def _response(self, stage: int, target: str, outcome: str, reasons: str, by: str) -> None:
        moment = self.at(target, fallback=True)
        if self.row.pack.stage(stage).response_sign_off is not None:
            self.add(Action.SIGN_OFF, target, moment, self.by, step="response")
        remedy = self.row.read("remedy") if stage == 1 else ""
        decided = self.row.read(outcome)
        if not decided:
            self.row.say("Say whether it was upheld, partly upheld or not upheld.", outcome)
        self.add(
            Action.RESPOND,
            target,
            moment,
            by,
            outcome=decided or "",
            reasons=self.row.read(reasons) or NOT_IN_LOG,
            **({"remedy": remedy} if remedy else {}),
        )

    def _stage_two(self) -> None:
        requested = self.at("escalated")
        if not self.handler2:
            self.row.say("Say who handled the escalated complaint.", "stage2_handler")
        self.add(Action.REQUEST_ESCALATION, "escalated", requested, self.by)
        self.add(Action.ACCEPT_ESCALATION, "escalated", self.at("", True), self.by)
        self.add(Action.ALLOCATE, "escalated", self.at("", True), self.by, handler=self.handler2)
        if not self.row.raw("stage2_responded") and not self.row.raw("stage2_acknowledged"):
            return
        ack = self.row.raw("stage2_acknowledged")
        self.add(
            Action.ACKNOWLEDGE,
            "stage2_acknowledged",
            self.at("stage2_acknowledged", fallback=True),
            self.handler2,
            understanding="" if ack else NOT_IN_LOG,
        )
        if self.row.raw("stage2_responded"):
            self._response(2, "stage2_responded", "stage2_outcome", "stage2_reasons", self.handler2)
