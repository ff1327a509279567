"""Which of Fairhear's event kinds a history file may hold, the service that replays each, and
how an event's `data` becomes that service's arguments (and back, for the export).

An event's data holds the service's own arguments by name (docs/import.md): `case_accept`
takes `exceptional_circumstances` and `note`, so an `accepted` event's data may hold those two.
What each argument is (text, a date, a yes/no, a colleague) is read from the service's own
signature, so a service that gains an argument can be imported with it at once.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fairhear.cases import services as s
from fairhear.domain.corrections import CORRECTABLE
from fairhear.domain.lifecycle import Action, CaseKind

# The arguments every service takes that an event gives in its own fields (`at`, `by`).
# Not read from the file: the case and actor the import supplies; files (a history file
# carries no attachments); and notices, which a history being imported never sends.
_FIXED = {
    "case",
    "actor",
    "seen_sequence",
    "uploads",
    "kept",
    "attachments",
    "attachments_withheld",
    "withheld",
    "attachment_source",
    "notify",
}


@dataclass(frozen=True, slots=True)
class Argument:
    """One argument of a service: its name, what it is, and whether it must be given."""

    name: str
    # "text", "date", "yes/no", "number", "colleague", "colleagues", "list", "kind", "details"
    type: str
    required: bool
    nullable: bool
    default: object


@dataclass(frozen=True, slots=True)
class EventKind:
    """An event kind the import replays: the service, the name of its time argument, its
    other arguments, and where the export finds each argument in a stored event's data when it
    is kept under another name."""

    action: Action
    service: Callable
    time: str
    arguments: dict[str, Argument]
    stored_as: dict[str, str]


def _type(annotation: str) -> str:
    base = annotation.replace(" | None", "").strip()
    return {
        "str": "text",
        "bool": "yes/no",
        "int": "number",
        "date": "date",
        "User": "colleague",
        "list[User]": "colleagues",
        "dict[str, object]": "details",
        "list[dict]": "list",
        "CaseKind": "kind",
    }[base]


def _kind(
    action: Action, service: Callable, time: str = "occurred_at", **stored_as: str
) -> EventKind:
    arguments = {}
    for name, param in inspect.signature(service).parameters.items():
        if name in _FIXED or name == time:
            continue
        annotation = str(param.annotation)
        arguments[name] = Argument(
            name=name,
            type=_type(annotation),
            required=param.default is inspect.Parameter.empty,
            nullable="None" in annotation,
            default=None if param.default is inspect.Parameter.empty else param.default,
        )
    return EventKind(action, service, time, arguments, stored_as)


EVENT_KINDS: dict[Action, EventKind] = {
    k.action: k
    for k in [
        _kind(Action.ACCEPT, s.case_accept),
        _kind(Action.REFUSE, s.case_refuse),
        _kind(Action.START_LOCAL_RESOLUTION, s.case_start_local_resolution),
        _kind(Action.RESOLVE_LOCALLY, s.case_resolve_locally),
        _kind(Action.ALLOCATE, s.case_allocate, handler="handler_id"),
        _kind(Action.ACKNOWLEDGE, s.case_acknowledge),
        _kind(Action.EXTEND, s.case_extend),
        _kind(Action.SIGN_OFF, s.case_sign_off),
        _kind(Action.RECORD_DATE_NOT_AGREED, s.case_record_date_not_agreed),
        _kind(Action.RESPOND, s.case_respond),
        _kind(Action.RECORD_RESPONSE_RECEIPT, s.case_record_response_receipt, "received_on"),
        _kind(Action.REQUEST_ESCALATION, s.case_request_escalation, "requested_at"),
        _kind(Action.ACCEPT_ESCALATION, s.case_accept_escalation),
        _kind(Action.REFUSE_ESCALATION, s.case_refuse_escalation),
        _kind(Action.CLOSE, s.case_close),
        _kind(Action.ROUTE_OUT, s.case_route_out, route_code="route", reason="explanation"),
        _kind(Action.NOT_INVESTIGATE, s.case_decide_not_to_investigate),
        _kind(Action.REFER_TO_AGENCY, s.case_record_agency_referral),
        _kind(Action.RECORD_OMBUDSMAN_REFERRAL, s.case_record_ombudsman_referral, "referred_on"),
        _kind(Action.RECORD_FEEDBACK, s.case_record_feedback),
        _kind(Action.ASSESS_EXTENSION_REASON, s.case_assess_extension_reason),
        _kind(Action.RECORD_MANAGERS_TOLD, s.case_record_managers_told),
        _kind(Action.ADD_NOTE, s.case_add_note),
        _kind(Action.RECORD_COMMUNICATION, s.case_record_communication),
        _kind(Action.CONVERT_TO_COMPLAINT, s.case_convert_to_complaint),
        _kind(Action.CHANGE_KIND, s.case_change_kind),
        _kind(Action.FORWARD_COMPLIMENT, s.case_forward_compliment),
        _kind(Action.CLOSE_CONTACT, s.case_close_contact),
        _kind(Action.AGREE_UPDATES, s.case_agree_updates),
        _kind(Action.HOLD_AUTO_CLOSE, s.case_hold_auto_close),
        _kind(Action.WARN_BEHAVIOUR, s.case_warn_about_behaviour),
        _kind(Action.APPLY_RESTRICTION, s.case_apply_restriction),
        _kind(Action.REVIEW_RESTRICTION, s.case_review_restriction),
        _kind(Action.LIFT_RESTRICTION, s.case_lift_restriction),
        _kind(Action.REPORT_BEHAVIOUR, s.case_report_behaviour),
        _kind(Action.RECORD_RESTRICTION_NOTICE, s.case_record_restriction_notice),
        _kind(Action.RESTRICT_ACCESS, s.case_restrict_access),
        _kind(Action.CHANGE_ACCESS_NAMES, s.case_change_access_names),
        _kind(Action.UNRESTRICT_ACCESS, s.case_unrestrict_access),
        _kind(Action.CORRECT_DETAILS, s.case_correct_details),
    ]
}


def check_value(argument: Argument, value: object) -> str:
    """What is wrong with `value` for `argument`, in words; empty when it will do. Colleagues
    are checked against the file's colleagues later, when they are known."""
    if value is None:
        return "" if argument.nullable else "It is empty; give a value."
    expected = {
        "text": (str, "text in quotes"),
        "yes/no": (bool, "true or false"),
        "number": (int, "a whole number such as 10"),
        "colleague": (str, "a colleague's e-mail address"),
        "colleagues": (list, "a list of colleagues' e-mail addresses"),
        "details": (dict, "the case's fields with their corrected values, as an object"),
        "list": (list, "a list"),
        "date": (str, "a date such as 2026-05-22"),
        "kind": (str, "one of " + ", ".join(k.value for k in CaseKind)),
    }[argument.type]
    # A yes/no is an int to Python, but not a number of days.
    wrong_number = argument.type == "number" and isinstance(value, bool)
    if not isinstance(value, expected[0]) or wrong_number:
        return f"It should be {expected[1]}, not {value!r}."
    if argument.type == "colleagues" and not all(isinstance(v, str) for v in value):
        return f"It should be {expected[1]}, not {value!r}."
    if argument.type == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"It should be a date such as 2026-05-22, not {value!r}."
    if argument.type == "kind" and value not in set(CaseKind):
        return f"It should be {expected[1]}, not {value!r}."
    if argument.type == "details":
        return _check_details(value)
    return ""


# What each detail a correction may change is in a history file, as a case's own fields are.
_DETAIL_TYPES = {
    "summary": "text",
    "desired_outcome": "text",
    "categories": "codes",
    "service_area": "area",
    "about_colleagues": "colleagues",
    "incident_date": "date",
    "tenure": "text",
    "safeguarding": "yes/no",
    "health_and_safety": "yes/no",
    "anti_social_behaviour": "yes/no",
}


def _check_details(details: dict) -> str:
    """What is wrong with a correction's `changes`, in words; empty when it will do."""
    unknown = sorted(set(details) - set(CORRECTABLE))
    if unknown:
        return f"{', '.join(unknown)} cannot be corrected; give some of {', '.join(CORRECTABLE)}."
    if not details:
        return "Give the details corrected, each with its new value."
    for name, value in details.items():
        sort = _DETAIL_TYPES[name]
        problem = ""
        if sort in {"codes", "colleagues"} and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            problem = "a list of " + ("codes" if sort == "codes" else "e-mail addresses")
        elif sort == "yes/no" and not isinstance(value, bool):
            problem = "true or false"
        elif sort == "text" and not isinstance(value, str):
            problem = "text in quotes"
        elif sort == "area" and value is not None and not isinstance(value, str):
            problem = "a service area's name, or null"
        elif sort == "date" and value is not None and not _is_date(value):
            problem = "a date such as 2026-05-22, or null"
        if problem:
            return f"{name} should be {problem}, not {value!r}."
    return ""


def _is_date(value: object) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def importable_kinds() -> str:
    """The event kinds an import takes, for a message."""
    return ", ".join([Action.RECEIVE.value, *(a.value for a in EVENT_KINDS)])
