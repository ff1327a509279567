"""Track my case: the signed link, what the complainant is shown, and what they can do there.

The link is Django's signing with its own salt (single-purpose: no other signed value of
Fairhear's can stand for it), a timestamp checked against FAIRHEAR_TRACK_LINK_HOURS, and the
case's reference and the e-mail address it was sent to (bound: it stops working if that address
is no longer the case's). Asking for a link does the same work whether or not the details match
(one look-up, one e-mail queued to the address typed), so neither the page nor its timing says
whether a case exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from fairhear.accounts.models import Organisation
from fairhear.cases.models import Case, CaseClock, CaseEvent
from fairhear.cases.services import (
    case_record_communication,
    case_request_escalation,
)
from fairhear.domain.clock import fmt_day, london_date
from fairhear.domain.lifecycle import Action, CaseState, CommunicationChannel, Direction
from fairhear.domain.policy.schema import PolicyPack
from fairhear.domain.references import normalise_reference
from fairhear.intake.notices import contact_address, track_link_enqueue
from fairhear.policies.selectors import policy_pack_for

_SALT = "fairhear.intake.track-my-case"
SATISFIED = "The complainant said, through Track my case, that they are satisfied."


class LinkNotValid(Exception):
    """The link is wrong, expired, or no longer matches the case's e-mail address."""


def _max_age() -> int:
    return settings.FAIRHEAR_TRACK_LINK_HOURS * 3600


def track_token(case: Case, email: str) -> str:
    """The signed, timestamped token for this case and address."""
    return signing.dumps({"r": case.reference, "e": email.strip().lower()}, salt=_SALT)


def _matching(organisation: Organisation, reference: str, email: str) -> Case | None:
    reference = normalise_reference(reference)[:50]
    case = (
        Case.objects.filter(organisation=organisation, reference=reference)
        .select_related("complainant", "representative", "organisation")
        .first()
    )
    if case is None or contact_address(case).lower() != email.strip().lower():
        return None
    return case


def track_link_request(
    *, organisation: Organisation, reference: str, email: str, link_for: object
) -> None:
    """Queue the link to `email` if a case of the organisation has that reference and
    address, and otherwise a note saying no case matched; the caller cannot tell which.
    `link_for(token)` makes the absolute link."""
    with transaction.atomic(durable=True):
        case = _matching(organisation, reference, email)
        link = link_for(track_token(case, email)) if case is not None else ""
        track_link_enqueue(
            organisation=organisation,
            to=email.strip(),
            reference=normalise_reference(reference)[:50],
            link=link,
            hours=settings.FAIRHEAR_TRACK_LINK_HOURS,
        )


def case_from_token(token: str) -> Case:
    """The case a link stands for; LinkNotValid when it is wrong, expired or no longer its."""
    try:
        value = signing.loads(token[:500], salt=_SALT, max_age=_max_age())
    except signing.BadSignature:
        raise LinkNotValid from None
    case = (
        Case.objects.filter(reference=value.get("r", ""))
        .select_related("complainant", "representative", "organisation", "policy_version")
        .first()
    )
    if case is None or contact_address(case).lower() != value.get("e"):
        raise LinkNotValid
    return case


# What the case's state means, said to the person who sent it.
_STATE_WORDS = {
    CaseState.RECEIVED: "We have it and are deciding how to deal with it.",
    CaseState.LOCAL_RESOLUTION: "We are trying to put it right quickly.",
    CaseState.AWAITING_ALLOCATION: "We are choosing who will look into it.",
    CaseState.AWAITING_ACKNOWLEDGEMENT: "We are looking into it.",
    CaseState.INVESTIGATING: "We are looking into it.",
    CaseState.RESPONDED: "We have sent our response.",
    CaseState.ESCALATION_REQUESTED: "You asked for the next stage. We are deciding on it.",
    CaseState.REFUSED: "We could not deal with it under our complaints policy. We wrote to "
    "tell you why and where else you can go.",
    CaseState.CLOSED: "It is closed.",
}


@dataclass(frozen=True, slots=True)
class NextStage:
    """Whether the complainant can ask for the next stage now, and the words for it."""

    name: str
    open_until: date | None  # the last day of the window, when it is open
    late_words: str  # how to ask for late acceptance, once the window has closed


@dataclass(frozen=True, slots=True)
class TrackView:
    """What the Track my case page shows."""

    case: Case
    stage_name: str
    state_words: str
    dates: list[tuple[str, str]]
    communications: list[tuple[str, str, str]]  # (date, what, text shown)
    next_stage: NextStage | None


def _clock_dates(case: Case, pack: PolicyPack) -> list[tuple[str, str]]:
    dates = [("Received", fmt_day(london_date(case.received_at)))]
    if case.stage and case.state in {
        CaseState.AWAITING_ALLOCATION,
        CaseState.AWAITING_ACKNOWLEDGEMENT,
        CaseState.INVESTIGATING,
    }:
        response = CaseClock.objects.filter(
            case=case,
            name=pack.stage(case.stage).response_clock,
            status__in=["running", "overdue"],
        ).first()
        if response is not None and response.due:
            dates.append(("We aim to reply by", fmt_day(response.due)))
    return dates


def _communications(case: Case) -> list[tuple[str, str, str]]:
    shown = []
    events = CaseEvent.objects.filter(
        case=case, kind__in=[Action.RECORD_COMMUNICATION, Action.RESPOND, Action.ACKNOWLEDGE]
    ).order_by("sequence")
    for event in events:
        on = fmt_day(london_date(event.occurred_at))
        if event.kind == Action.RESPOND:
            shown.append((on, "We sent our response", ""))
        elif event.kind == Action.ACKNOWLEDGE:
            shown.append((on, "We acknowledged it", ""))
        elif event.data.get("through") == "track":
            shown.append((on, "You wrote to us here", event.data.get("summary", "")))
        else:
            channel = CommunicationChannel(event.data.get("channel", "other")).label
            direction = Direction(event.data.get("direction", "out"))
            shown.append(
                (on, f"{channel} {'from you' if direction is Direction.IN else 'to you'}", "")
            )
    return shown


def _next_stage(case: Case, pack: PolicyPack) -> NextStage | None:
    """Pivotal §9 stage 2 point 1; MMBM §8.2.2: the next stage is asked for within its window
    after a response; later, only with the reason it could not be sooner."""
    if not case.stage or case.stage >= pack.last_stage:
        return None
    if case.state not in {CaseState.RESPONDED, CaseState.CLOSED}:
        return None
    following = pack.stage(case.stage + 1)
    window = None
    if following.request_clock:
        clock = CaseClock.objects.filter(case=case, name=following.request_clock).first()
        window = clock.due if clock is not None else None
    today = timezone.localdate()
    late = (
        "The time to ask for it has passed. You can still ask: send us a message below saying "
        "why you could not ask sooner, and we will decide whether to accept it."
    )
    if window is not None and today <= window:
        return NextStage(name=following.name, open_until=window, late_words="")
    return NextStage(name=following.name, open_until=None, late_words=late)


def track_view(case: Case) -> TrackView:
    """The page's content for a case."""
    pack = policy_pack_for(case.policy_version)
    stage_name = pack.stage(case.stage).name if case.stage else ""
    return TrackView(
        case=case,
        stage_name=stage_name,
        state_words=_STATE_WORDS[CaseState(case.state)],
        dates=_clock_dates(case, pack),
        communications=_communications(case),
        next_stage=_next_stage(case, pack),
    )


def track_send_message(*, case: Case, text: str) -> Case:
    """A message from the complainant onto the case: an incoming communication, which stops
    a clock the pack names it in (Pivotal §10.1 c)."""
    return case_record_communication(
        case=case,
        actor=None,
        direction=Direction.IN,
        channel=CommunicationChannel.OTHER,
        summary=text,
        through="track",
    )


def track_ask_next_stage(*, case: Case, reasons: str) -> Case:
    """The complainant asks for the next stage within its window."""
    return case_request_escalation(
        case=case, actor=None, requested_at=timezone.now(), reasons=reasons
    )


def track_say_satisfied(*, case: Case) -> Case:
    """The complainant says they are satisfied: recorded as a message from them."""
    return track_send_message(case=case, text=SATISFIED)
