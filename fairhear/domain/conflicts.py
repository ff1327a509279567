"""What to tell a colleague whose action was overtaken: someone else changed the case while
they had its page open, so nothing they entered was saved (docs/architecture.md, "A request").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from fairhear.domain.clock import LONDON, fmt_day
from fairhear.domain.lifecycle import Action, TransitionRejected

# What each action did, as the rest of a sentence that starts with who did it.
_DID = {
    Action.RECEIVE: "logged this case",
    Action.ACCEPT: "accepted the complaint",
    Action.REFUSE: "decided not to accept the complaint",
    Action.START_LOCAL_RESOLUTION: "started to resolve it locally",
    Action.RESOLVE_LOCALLY: "recorded that it was resolved locally",
    Action.ALLOCATE: "allocated this case to {handler}",
    Action.ACKNOWLEDGE: "acknowledged the complaint",
    Action.EXTEND: "agreed an extension",
    Action.RESPOND: "sent the response",
    Action.RECORD_RESPONSE_RECEIPT: "recorded when the response was received",
    Action.REQUEST_ESCALATION: "recorded a request to escalate",
    Action.ACCEPT_ESCALATION: "accepted the escalation",
    Action.REFUSE_ESCALATION: "refused the escalation",
    Action.CLOSE: "closed this case",
    Action.AUTO_CLOSE: "closed this case",
    Action.CONVERT_TO_COMPLAINT: "logged it as a complaint",
    Action.FORWARD_COMPLIMENT: "passed the compliment on",
    Action.CLOSE_CONTACT: "closed this case",
    Action.APPLY_RESTRICTION: "applied restrictions on contact",
    Action.REVIEW_RESTRICTION: "reviewed the restrictions",
    Action.LIFT_RESTRICTION: "lifted the restrictions",
    Action.RECORD_OMBUDSMAN_REFERRAL: "recorded an ombudsman referral",
    Action.RECORD_FEEDBACK: "recorded feedback",
    Action.ASSESS_EXTENSION_REASON: "assessed the reason for the extension",
    Action.RECORD_DATE_NOT_AGREED: "recorded that a revised date was not agreed",
    Action.RECORD_MANAGERS_TOLD: "recorded who was told of the complaint",
    Action.SIGN_OFF: "signed off a step",
    Action.ROUTE_OUT: "routed it out of this procedure",
    Action.RECORD_COMMUNICATION: "recorded a communication with the complainant",
    Action.NOT_INVESTIGATE: "decided not to investigate the anonymous complaint",
    Action.REFER_TO_AGENCY: "recorded a referral to another agency",
    Action.CORRECT_DETAILS: "corrected the case's details",
    Action.ADD_NOTE: "added a note",
    Action.RESTRICT_ACCESS: "restricted access to this case",
    Action.CHANGE_ACCESS_NAMES: "changed who may see this case",
    Action.UNRESTRICT_ACCESS: "removed the restricted access",
    Action.WARN_BEHAVIOUR: "recorded a warning about unacceptable behaviour",
    Action.REPORT_BEHAVIOUR: "recorded who was told of the behaviour",
    Action.RECORD_RESTRICTION_NOTICE: "recorded a written notice about restrictions",
    Action.TAKE_INTO_RESPONSE: "took an additional complaint into the stage 1 response",
    Action.DRAFT_RESPONSE: "drafted the response letter",
    Action.SEND_LETTER: "sent a letter",
    Action.CHANGE_KIND: "changed what it is",
    Action.RECORD_MISSED_DEADLINE: "recorded that a deadline was missed",
    Action.RECORD_WINDOW_CLOSED: "recorded that the window to ask for the next stage closed",
    Action.AGREE_UPDATES: "agreed how often to update the complainant",
    Action.HOLD_AUTO_CLOSE: "kept the case open instead of it closing by itself",
}
# Beyond this many, the rest are counted rather than listed.
_LISTED = 3


class Overtaken(TransitionRejected):
    """Someone else changed the case after the colleague's page was drawn; `latest` is the
    sequence of the case's newest event, the version a fresh page would show."""

    def __init__(self, message: str, *, latest: int) -> None:
        super().__init__(message)
        self.latest = latest


@dataclass(frozen=True, slots=True)
class Change:
    """One thing recorded on the case after the version the colleague was looking at."""

    action: Action
    actor: str
    recorded_at: datetime
    data: Mapping[str, object] = field(default_factory=dict)


def _did(change: Change) -> str:
    wording = _DID.get(change.action)
    if wording is None:
        return f"recorded “{change.action.label}”"
    if change.action is Action.ALLOCATE:
        return wording.format(handler=change.data.get("handler") or "a colleague")
    return wording


def _at(moment: datetime, today: date) -> str:
    local = moment.astimezone(LONDON)
    if local.date() == today:
        return f"at {local:%H:%M}"
    return f"on {fmt_day(local.date())} at {local:%H:%M}"


def overtaken_message(changes: list[Change], *, today: date) -> str:
    """The refusal for a form sent from a page that was out of date, saying what happened in
    between: "Sam Patel allocated this case to Jo Bloggs at 10:42 while you were on this page;
    nothing you entered was saved — check the case and try again"."""
    if not changes:
        raise ValueError("A form is only out of date when something was recorded since.")
    said = [f"{c.actor} {_did(c)} {_at(c.recorded_at, today)}" for c in changes[:_LISTED]]
    more = len(changes) - len(said)
    if more:
        said.append(f"{more} more change{'s' if more > 1 else ''} followed")
    what = said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"
    return (
        f"{what} while you were on this page; nothing you entered was saved — "
        "check the case and try again."
    )
