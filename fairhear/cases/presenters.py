"""Display logic for cases: action buttons, timeline entries, stage names (due dates and clocks
in words are clock_presenters.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils import timezone

from fairhear.cases.actions import ACTIONS
from fairhear.cases.attachments import size_in_words, type_in_words
from fairhear.cases.models import Case, CaseAttachment, CaseEvent, Submission
from fairhear.cases.people_presenters import person_lines
from fairhear.cases.services import SATISFACTION, TOLD_HOW, WARNED_HOW
from fairhear.domain.clock import fmt_day
from fairhear.domain.lifecycle import Action, CaseState, CommunicationChannel, Direction
from fairhear.domain.policy.schema import PolicyPack
from fairhear.domain.responses import Means
from fairhear.domain.restrictions import Notice
from fairhear.domain.sign_off import SignOffStep
from fairhear.links import path_maker

_SECONDARY = {
    Action.ROUTE_OUT,
    Action.NOT_INVESTIGATE,
    Action.REFER_TO_AGENCY,
    Action.ADD_NOTE,
    Action.CORRECT_DETAILS,
    Action.RECORD_COMMUNICATION,
    Action.APPLY_RESTRICTION,
    Action.REVIEW_RESTRICTION,
    Action.LIFT_RESTRICTION,
    Action.RESTRICT_ACCESS,
    Action.CHANGE_ACCESS_NAMES,
    Action.UNRESTRICT_ACCESS,
    Action.WARN_BEHAVIOUR,
    Action.RECORD_RESTRICTION_NOTICE,
    Action.REPORT_BEHAVIOUR,
    Action.TAKE_INTO_RESPONSE,
    Action.RECORD_OMBUDSMAN_REFERRAL,
    Action.ASSESS_EXTENSION_REASON,
    Action.RECORD_FEEDBACK,
    Action.RECORD_MANAGERS_TOLD,
    Action.CLOSE,
    Action.RECORD_DATE_NOT_AGREED,
}


# The natural next step comes first, so the green button is the one most often wanted.
_ORDER = [
    Action.ACCEPT,
    Action.START_LOCAL_RESOLUTION,
    Action.RESOLVE_LOCALLY,
    Action.ALLOCATE,
    Action.ACKNOWLEDGE,
    Action.SIGN_OFF,
    Action.RESPOND,
    Action.EXTEND,
    Action.ACCEPT_ESCALATION,
    Action.REFUSE_ESCALATION,
    Action.REQUEST_ESCALATION,
    Action.RECORD_RESPONSE_RECEIPT,
    Action.FORWARD_COMPLIMENT,
    Action.CONVERT_TO_COMPLAINT,
    Action.CHANGE_KIND,
    Action.CLOSE_CONTACT,
    Action.REFUSE,
]


def _secondary(action: Action, case: Case) -> bool:
    return action in _SECONDARY or (action is Action.ALLOCATE and case.handler_id is not None)


def _label(action: Action, case: Case) -> str:
    if action is Action.ALLOCATE and case.handler_id is not None:
        return "Reallocate"
    return action.label


def closure_label(case: Case, pack: PolicyPack) -> str:
    """Why a case closed, with the policy section; a code the pack lacks reads as words."""
    if not case.closure_reason:
        return ""
    try:
        reason = pack.closure_reason(case.closure_reason)
    except KeyError:
        return case.closure_reason.replace("_", " ").capitalize()
    return f"{reason.label} ({reason.cites})"


def action_links(actions: list[Action], case: Case) -> tuple[list[dict], list[dict]]:
    """The case page's buttons (the natural next step first) and its quieter links, each with
    its form's address (one reverse() for them all); actions Fairhear takes itself
    (auto-closure) have no form and are left out."""
    action_path = path_maker("cases:action", case.reference)
    items = [
        {
            "action": a,
            "spec": ACTIONS[a],
            "label": _label(a, case),
            "href": action_path(a.value),
        }
        for a in sorted(actions, key=lambda a: _ORDER.index(a) if a in _ORDER else len(_ORDER))
        if a in ACTIONS
    ]
    return (
        [i for i in items if not _secondary(i["action"], case)],
        [i for i in items if _secondary(i["action"], case)],
    )


def stage_label(case: Case, pack: PolicyPack) -> str:
    """'Stage 1', 'Stage 2 (appeal to the SLT)', or the kind of contact for other cases."""
    if case.kind != Case.Kind.COMPLAINT:
        return case.get_kind_display()
    if case.stage == 0:
        return "Before stage 1"
    return pack.stage(case.stage).name


def state_label(case: Case) -> str:
    """The state in words."""
    return CaseState(case.state).label


@dataclass(frozen=True, slots=True)
class FileLine:
    """A file on the timeline: its name, size and type in words, and where to download it."""

    name: str
    size: str
    type: str
    url: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of a case's history."""

    title: str
    when: str
    who: str
    details: list[tuple[str, str]]
    files: list[FileLine] = field(default_factory=list)


_DETAIL_LABELS = {
    "letter_label": "Letter",
    "subject": "Subject",
    "delivery_words": "Sent",
    "reason": "Reason",
    "route_label": "Routed out",
    "passed_to": "Passed to",
    "agency": "Agency",
    "information": "Passed to the agency",
    "routed_to": "Dealt with under",
    "reasons": "Reasons",
    "explanation": "Explanation",
    "note": "Note",
    "text": "Note",
    "outcome": "Outcome",
    "understanding": "Our understanding",
    "outcomes_sought": "Outcomes sought",
    "handler": "Handled by",
    "policy_references": "Policy references",
    "remedy": "Remedy",
    "discretion": "Discretionary decision",
    "time_limit": "Time limit",
    "restrictions": "Restrictions",
    "behaviour": "Behaviour",
    "summary": "What they told us",
    "additional_answer": "How it answers the additional complaints",
    "decision": "Decision",
    "body": "Referred to",
    "satisfaction": "Satisfaction",
    "comments": "Comments",
    "letter_text": "Letter wording",
    "exceptional_circumstances": "Exceptional circumstances",
    "refusal_reason": "Refused under",
    "told": "Who was told",
    "how": "How",
}


def timeline(
    events: list[CaseEvent], attachments: Sequence[CaseAttachment] = (), *, reference: str = ""
) -> list[TimelineEntry]:
    """The case's events as timeline entries, newest first, each with the files it came with
    (`attachments`: all of the case's, read in one query; `reference`: the case's, for the
    download links)."""
    files: dict[int, list[FileLine]] = defaultdict(list)
    for attachment in attachments:
        files[attachment.event_id].append(_file_line(attachment, reference))
    return [
        TimelineEntry(
            title=_title(event, event.data or {}),
            when=_when(event),
            who=_who(event),
            details=_details(event, event.data or {}),
            files=files.get(event.pk, []),
        )
        for event in reversed(events)
    ]


def _file_line(attachment: CaseAttachment, reference: str) -> FileLine:
    return FileLine(
        name=attachment.name,
        size=size_in_words(attachment.size),
        type=type_in_words(attachment.content_type),
        url=reverse("cases:attachment", args=[reference, attachment.pk]),
    )


# What came in with no colleague taking it down: who sent it, rather than "automatic".
_SENT_BY = {"web": "Sent by the website form", "email": "Sent by e-mail"}


def _who(event: CaseEvent) -> str:
    if event.kind == Action.RECEIVE and event.actor_id is None:
        return _SENT_BY.get((event.data or {}).get("channel", ""), event.actor_label)
    if event.kind == Action.RECORD_FEEDBACK and (event.data or {}).get("through") == "survey":
        return "Answered online by the complainant (feedback survey link)"
    return event.actor_label


def _details(event: CaseEvent, data: dict) -> list[tuple[str, str]]:
    """What an event recorded, as labelled lines, ending with any file an e-mail brought that
    was not kept as a file of the case, and why (mailin/services.py)."""
    return _recorded(event, data) + [
        ("File not kept", f"{item['name']}: {item['reason']}")
        for item in data.get("attachments_withheld", [])
    ]


def _recorded(event: CaseEvent, data: dict) -> list[tuple[str, str]]:
    if event.kind == Action.RECORD_RESPONSE_RECEIPT and data.get("previous_received_on"):
        return _receipt_correction(data)
    if event.kind in _OWN_DETAILS:
        return _OWN_DETAILS[event.kind](data)
    details = [
        (label, _value(key, data[key])) for key, label in _DETAIL_LABELS.items() if data.get(key)
    ]
    if event.kind == Action.EXTEND:
        details.insert(0, ("New response date", fmt_day(date.fromisoformat(data["new_due"]))))
        told = data.get("told_on")
        details.append(
            ("Complainant told", fmt_day(date.fromisoformat(told)) if told else "Not yet")
        )
        if data.get("beyond_limit"):
            details += _beyond_limit(data)
    if event.kind == Action.RESPOND:
        for item in data.get("outstanding_actions", []):
            details.append(
                (
                    "Outstanding action",
                    f"{item['action']} by {fmt_day(date.fromisoformat(item['due']))}",
                )
            )
        details.append(("On time", "Yes" if data.get("on_time") else "No"))
    if event.kind == Action.FORWARD_COMPLIMENT:
        details += _compliment_details(data)
    details += _step_details(data)
    details += person_lines(data)  # only a receipt records its people
    if event.kind == Action.ASSESS_EXTENSION_REASON:
        details.insert(0, ("Good reason", "Yes" if data.get("good_reason") else "No"))
    override = data.get("override")
    if override:
        # Someone other than the allocated handler acted: who for, and why.
        details.insert(0, (f"Acting for {override['for_handler']}", override["reason"]))
    return details


def _communication_details(data: dict) -> list[tuple[str, str]]:
    return [
        ("How", CommunicationChannel(data["channel"]).label),
        ("What was said", data.get("summary", "")),
    ]


def _correction_details(data: dict) -> list[tuple[str, str]]:
    """Each detail before and after, why, then what the correction moved
    (domain/corrections.py)."""
    details = [(c["label"], f"{c['from']} → {c['to']}") for c in data.get("changes", [])]
    details += [("Why", data.get("reason", ""))]
    return details + [("It changed", effect) for effect in data.get("effects", [])]


def _compliment_details(data: dict) -> list[tuple[str, str]]:
    """Pivotal §19.3: passed on "through the line management process": who to."""
    details = []
    for key, label in (("colleagues", "About"), ("line_managers", "Passed to line manager")):
        names = [person["name"] for person in data.get(key, [])]
        if names:
            details.append((label, ", ".join(names)))
    return details


def _missed_details(data: dict) -> list[tuple[str, str]]:
    """Which deadline passed unmet, when it was due, and where the policy sets it."""
    return [
        ("Deadline", data.get("label", "")),
        ("Was due", fmt_day(date.fromisoformat(data["due"]))),
        ("Policy", data.get("cites", "")),
        ("Told", ", ".join(data.get("told", [])) or "Nobody with an e-mail address"),
    ]


def _window_details(data: dict) -> list[tuple[str, str]]:
    """Which window closed, its last day and where the policy sets it: a request from now on
    is late (Pivotal §9 stage 2 point 1; MMBM §8.2.2)."""
    return [
        ("Window", data.get("label", "")),
        ("Last day", fmt_day(date.fromisoformat(data["due"]))),
        ("Policy", data.get("cites", "")),
        ("From now on", "A request for the next stage is late"),
    ]


def _updates_details(data: dict) -> list[tuple[str, str]]:
    """The interval agreed with the complainant (Pivotal §11.2 b and e; MMBM §8.1.2)."""
    every = int(data["every"])
    details = [("Every", "working day" if every == 1 else f"{every} working days")]
    return details + ([("Agreed", data["note"])] if data.get("note") else [])


# Events whose details are read in their own way rather than from _DETAIL_LABELS.
_OWN_DETAILS = {
    Action.RECORD_MISSED_DEADLINE: _missed_details,
    Action.RECORD_WINDOW_CLOSED: _window_details,
    Action.AGREE_UPDATES: _updates_details,
    Action.RECORD_COMMUNICATION: _communication_details,
    Action.CORRECT_DETAILS: _correction_details,
}


def _title(event: CaseEvent, data: dict) -> str:
    """The event's heading in the timeline."""
    kind = Action(event.kind)
    if kind is Action.RECORD_RESPONSE_RECEIPT and data.get("previous_received_on"):
        return "Receipt date corrected"
    if kind is Action.RECORD_COMMUNICATION:
        return f"Communication {Direction(data['direction']).label.lower()}"
    if kind in {Action.ALLOCATE, Action.ACKNOWLEDGE, Action.RESPOND} and event.stage:
        return f"{_PAST[kind]} (stage {event.stage})"
    if kind is Action.CLOSE and data.get("withdrawn"):
        return "Withdrawn by the complainant"
    return _PAST.get(kind, kind.label)


def _receipt_correction(data: dict) -> list[tuple[str, str]]:
    """A corrected receipt date: from what, to what, why, and which dates it moved."""

    def day(iso: str | None) -> str:
        return fmt_day(date.fromisoformat(iso)) if iso else "not started"

    details = [
        ("Corrected", f"{day(data['previous_received_on'])} → {day(data['received_on'])}"),
        ("Why", data.get("correction_reason", "")),
    ]
    details += [
        ("Moved", f"{m['label']}: {day(m['from'])} → {day(m['to'])}") for m in data.get("moved", [])
    ]
    return details


def _step_details(data: dict) -> list[tuple[str, str]]:
    """How a response or acknowledgement was given, a date agreed, and signposts given."""
    out = []
    if data.get("means"):
        out.append(("Given by", Means(data["means"]).label))
    if data.get("written_confirmation_offered"):
        out.append(("Written confirmation", "Offered"))
    if data.get("agreed_response_date"):
        agreed = fmt_day(date.fromisoformat(data["agreed_response_date"]))
        out.append(("Response date agreed", f"{agreed} ({data.get('agreed_cites', '')})"))
    if data.get("proposed_due"):
        out.append(("Date proposed", fmt_day(date.fromisoformat(data["proposed_due"]))))
    if data.get("notice_sent_on"):
        sent = fmt_day(date.fromisoformat(data["notice_sent_on"]))
        out.append(("Written notice sent", sent))
    if data.get("for_reference") and data.get("sent_on"):
        sent = fmt_day(date.fromisoformat(data["sent_on"]))
        what = Notice(data["notice"]).label
        out.append((f"Written notice of {what} sent", f"{sent} (case {data['for_reference']})"))
    if data.get("consultation"):
        out.append(("Complainant consulted", data["consultation"]))
    if data.get("external_investigator"):
        ext = data["external_investigator"]
        out.append(
            (
                "External investigator",
                f"{ext['name']}, {ext['organisation']} ({data.get('handler', '')} stays "
                "accountable)",
            )
        )
    if data.get("signed_off_by"):
        out.append(
            (
                f"Agreed with the {data['signed_off_title']} ({data['sign_off_cites']})",
                data["signed_off_by"],
            )
        )
    if data.get("step") in {s.value for s in SignOffStep}:
        out.append(("Agreed", f"{SignOffStep(data['step']).label.capitalize()} ({data['cites']})"))
    for signpost in data.get("signposts", []):
        cites = f" ({data['cites']})" if data.get("cites") else ""
        out.append(("Details given" + cites, f"{signpost['name']}: {signpost['contact']}"))
    return out


def _beyond_limit(data: dict) -> list[tuple[str, str]]:
    """An extension past the pack's limit: the limit, the reason, and whether the rule allows it."""
    limit = fmt_day(date.fromisoformat(data["limit"]))
    agreed_by = data.get("beyond_limit_agreed_by")
    counts = (
        "Yes, the policy allows a later date with a good reason"
        + (f" agreed by {agreed_by}" if agreed_by else "")
        if data.get("within_rule")
        else f"No: it counts as on time only up to {limit}"
    )
    return [
        (f"Beyond the policy's limit of {limit}", data.get("beyond_limit_reason", "")),
        ("Counts in full for on time", counts),
    ]


_CODED = {"upheld", "partly_upheld", "not_upheld", *(code for code, _ in SATISFACTION)}
_TOLD_WORDS = dict(TOLD_HOW) | dict(WARNED_HOW)


def _value(key: str, value: object) -> str:
    """A stored value as words: coded outcomes and answers read as sentences."""
    text = str(value)
    if key == "how" and text in _TOLD_WORDS:
        return _TOLD_WORDS[text]
    if text in _CODED:
        return text.replace("_", " ").capitalize()
    return text


def _when(event: CaseEvent) -> str:
    local = timezone.localtime(event.occurred_at)
    return f"{fmt_day(local.date())} at {local:%H:%M}"


_PAST = {
    Action.RECEIVE: "Received",
    Action.ACCEPT: "Accepted",
    Action.REFUSE: "Not accepted",
    Action.ROUTE_OUT: "Routed out of this procedure",
    Action.NOT_INVESTIGATE: "Anonymous: not investigated",
    Action.REFER_TO_AGENCY: "Referred to another agency",
    Action.CORRECT_DETAILS: "Details corrected",
    Action.START_LOCAL_RESOLUTION: "Local resolution contact",
    Action.RESOLVE_LOCALLY: "Resolved locally",
    Action.ALLOCATE: "Allocated",
    Action.ACKNOWLEDGE: "Acknowledged",
    Action.EXTEND: "Extension agreed",
    Action.RESPOND: "Response sent",
    Action.RECORD_RESPONSE_RECEIPT: "Response received by the complainant",
    Action.REQUEST_ESCALATION: "Escalation requested",
    Action.ACCEPT_ESCALATION: "Escalation accepted",
    Action.REFUSE_ESCALATION: "Escalation refused",
    Action.CLOSE: "Closed",
    Action.AUTO_CLOSE: "Closed automatically",
    Action.CONVERT_TO_COMPLAINT: "Logged as a complaint",
    Action.FORWARD_COMPLIMENT: "Compliment passed on",
    Action.CLOSE_CONTACT: "Closed",
    Action.APPLY_RESTRICTION: "Restrictions applied",
    Action.REVIEW_RESTRICTION: "Restrictions reviewed",
    Action.LIFT_RESTRICTION: "Restrictions lifted",
    Action.WARN_BEHAVIOUR: "Warned about unacceptable behaviour",
    Action.REPORT_BEHAVIOUR: "Told of the behaviour",
    Action.RECORD_RESTRICTION_NOTICE: "Written notice about restrictions sent",
    Action.TAKE_INTO_RESPONSE: "Additional complaint taken into the stage 1 response",
    Action.RECORD_OMBUDSMAN_REFERRAL: "Referred to an ombudsman",
    Action.RECORD_FEEDBACK: "Feedback recorded",
    Action.ASSESS_EXTENSION_REASON: "Extension reason assessed",
    Action.ADD_NOTE: "Note",
    Action.RECORD_DATE_NOT_AGREED: "Revised date not agreed",
    Action.RECORD_MANAGERS_TOLD: "Told of the complaint",
    Action.SIGN_OFF: "Signed off",
    Action.RECORD_COMMUNICATION: "Communication",
    Action.RESTRICT_ACCESS: "Access restricted",
    Action.CHANGE_ACCESS_NAMES: "Who may see it changed",
    Action.UNRESTRICT_ACCESS: "Restricted access removed",
    Action.DRAFT_RESPONSE: "Response letter drafted",
    Action.SEND_LETTER: "Letter sent",
    Action.CHANGE_KIND: "What it is changed",
    Action.RECORD_MISSED_DEADLINE: "Deadline missed",
    Action.RECORD_WINDOW_CLOSED: "Window to ask for the next stage closed",
    Action.AGREE_UPDATES: "Update interval agreed",
    Action.HOLD_AUTO_CLOSE: "Kept open: it will not close by itself",
}


def routed_out_label(event: CaseEvent | None) -> str:
    """Where a routed-out matter went, to whom and when, in a sentence (Pivotal §6.1 g, §17.1)."""
    if event is None:
        return ""
    d = event.data
    on = fmt_day(timezone.localtime(event.occurred_at).date())
    return (
        f"{d['route_label']}. Passed to {d['passed_to']} on {on}, to be dealt with under "
        f"{d['routed_to']} ({d['cites']})."
    )


def _submission(case: Case) -> Submission | None:
    try:
        return case.submission
    except Submission.DoesNotExist:
        return None


def repeats_caught(case: Case) -> str:
    """How often the form that made this case was sent again and not saved again, in words."""
    submission = _submission(case)
    if submission is None or not submission.repeats:
        return ""
    last = timezone.localtime(submission.last_repeat_at)
    times = "once more" if submission.repeats == 1 else f"{submission.repeats} more times"
    return (
        f"The form that made this case was sent {times}, last on {fmt_day(last.date())} at "
        f"{last:%H:%M}. Each repeat was recognised and no second case was made."
    )


def submitted_answers(case: Case) -> list[tuple[str, str]]:
    """The questions a form asked that the case's own fields do not hold, with the answers
    exactly as given, in the order they were asked."""
    submission = _submission(case)
    if submission is None:
        return []
    return [(str(q), str(a)) for q, a in submission.answers.get("questions", [])]
