"""A letter's own fields: the values its placeholders read, taken from the case, the event the
letter confirms and the case's policy version, and nothing else (fairhear.domain.letters)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from fairhear.accounts.models import User
from fairhear.cases.models import Case, CaseEvent
from fairhear.cases.selectors import case_clocks, case_signpost_facts
from fairhear.cases.services import Outcome
from fairhear.domain.clock import london_date
from fairhear.domain.letters import LetterKind
from fairhear.domain.lifecycle import Action, CaseKind
from fairhear.domain.policy.schema import PolicyPack, ResponsePart, SignpostMoment
from fairhear.domain.policy.signposts import signposts_text
from fairhear.letters.survey import SurveyLink, survey_link
from fairhear.links import absolute_url

_OUTCOME_WORDS = {
    Outcome.UPHELD: "We have upheld your complaint.",
    Outcome.PARTLY_UPHELD: "We have partly upheld your complaint.",
    Outcome.NOT_UPHELD: "We have not upheld your complaint.",
}


def long_day(day: date) -> str:
    """'Tuesday 3 March 2026': a date in words, as a letter gives it."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def _iso_day(value: object) -> str:
    return long_day(date.fromisoformat(str(value))) if value else ""


def policy_link(case: Case) -> str:
    """The address of the organisation's published policy (Pivotal §9 stage 1 step 4)."""
    path = reverse("policy:published", kwargs={"slug": case.organisation.slug})
    return absolute_url(path)


_RECEIVED_WHAT = {
    CaseKind.COMPLAINT: "your complaint",
    CaseKind.COMPLIMENT: "your compliment",
    CaseKind.SUGGESTION: "your suggestion",
    CaseKind.SERVICE_REQUEST: "your request",
}


def track_link(case: Case) -> str:
    """The address of Track my case for the case's organisation."""
    path = reverse("intake:track", kwargs={"slug": case.organisation.slug})
    return absolute_url(path)


def letter_fields(
    *,
    case: Case,
    pack: PolicyPack,
    kind: LetterKind,
    actor: User | None,
    event: CaseEvent | None = None,
    response: dict | None = None,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """Every field a letter of `kind` may show, as plain text. `event` is the step the letter
    confirms; `response` a stage response's content (a draft's or the sent event's data);
    `extra` what the colleague writes for a letter that follows no event (a warning)."""
    person = case.representative or case.complainant
    fields = {
        "today": long_day(timezone.localdate()),
        "reference": case.reference,
        "received_date": long_day(london_date(case.received_at)),
        "complainant.name": person.name if person else "Sir or Madam",
        "complainant.address": person.address if person else "",
        "organisation.name": case.organisation.name,
        "signatory.name": str(actor) if actor else case.organisation.name,
        "signatory.role": (actor.job_title if actor else "")
        or pack.role_title(pack.stage(max(case.stage, 1)).handler),
        "policy.title": pack.title,
        "policy.link": policy_link(case),
        "summary": case.summary,
    }
    data = event.data if event is not None else {}
    stage_number = event.stage if event is not None else case.stage
    fields |= _own_fields(case, pack, kind, data, max(stage_number, 1), response or data)
    for name, value in (extra or {}).items():
        if name in kind.fields and name not in fields:
            fields[name] = value.strip()
    return fields


def _own_fields(
    case: Case, pack: PolicyPack, kind: LetterKind, data: dict, stage: int, response: dict
) -> dict[str, str]:
    if kind is LetterKind.RECEIPT:
        return {
            "received.what": _RECEIVED_WHAT.get(case.kind, "your message"),
            "outcome_wanted": case.desired_outcome,
            "track.link": track_link(case),
        }
    if kind is LetterKind.ACKNOWLEDGEMENT:
        return _acknowledgement(case, pack, data, stage)
    if kind is LetterKind.REFUSAL:
        reason = pack.refusal_reason(data["reason_code"]) if data.get("reason_code") else None
        explanation = "\n\n".join(
            t for t in (reason.letter_text if reason else "", data.get("explanation", "")) if t
        )
        return {
            "refusal.reason": data.get("reason", ""),
            "refusal.explanation": explanation,
            "signposts": _signposts(case, pack, SignpostMoment.REFUSAL),
        }
    if kind is LetterKind.EXTENSION:
        return {
            "stage.name": pack.stage(stage).name,
            "extension.reason": data.get("reason", ""),
            "extension.new_date": _iso_day(data.get("new_due")),
            "extension.previous_date": _iso_day(data.get("previous_due")),
            "signposts": data.get("signposts_text", ""),
        }
    if kind is LetterKind.RESTRICTION_NOTICE:
        return {
            "restriction.details": data.get("restrictions", ""),
            "restriction.reason": data.get("reason", ""),
            "restriction.review_date": _review_date(case, pack),
        }
    if kind is LetterKind.RESTRICTION_REVIEW:
        return {
            "restriction.decision": data.get("decision", ""),
            "restriction.review_date": _review_date(case, pack),
        }
    if kind is LetterKind.STAGE_RESPONSE:
        return (
            {"stage.name": pack.stage(stage).name}
            | {
                f"response.{part.value}": text
                for part, text in response_parts_given(case, pack, stage, response).items()
            }
            | {"response.outcome": _OUTCOME_WORDS.get(response.get("outcome", ""), "")}
        )
    if kind is LetterKind.ESCALATION_REFUSAL:
        to_stage = data.get("to_stage") or min(stage + 1, pack.last_stage)
        return {
            "stage.name": pack.stage(to_stage).name,
            "escalation.reasons": data.get("reason", ""),
            "signposts": data.get("signposts_text", ""),
        }
    if kind in {LetterKind.CLOSURE, LetterKind.AUTO_CLOSURE}:
        return {"closure.reason": _closure_words(pack, case.closure_reason)}
    if kind is LetterKind.FEEDBACK_SURVEY:
        link = survey_link(case)
        return {
            "feedback.how": _feedback_how(case, link),
            "feedback.link": link.url,
            "feedback.link_until": long_day(london_date(link.valid_until)),
        }
    return {}


def _acknowledgement(case: Case, pack: PolicyPack, data: dict, stage: int) -> dict[str, str]:
    due = data.get("agreed_response_date")
    if not due:
        clock = next(
            (c for c in case_clocks(case=case) if c.name == pack.stage(stage).response_clock),
            None,
        )
        due = clock.due.isoformat() if clock and clock.due else None
    return {
        "stage.name": pack.stage(stage).name,
        "handler.name": str(case.handler) if case.handler else "",
        "understanding": data.get("understanding", ""),
        "outcomes_sought": data.get("outcomes_sought", ""),
        "response_due_date": _iso_day(due),
    }


def response_parts_given(
    case: Case, pack: PolicyPack, stage: int, response: dict
) -> dict[ResponsePart, str]:
    """Each part of a stage response as the letter gives it; empty where nothing was given."""
    actions = response.get("outstanding_actions") or []
    if actions:
        outstanding = "\n".join(f"- {a['action']}, by {_iso_day(a['due'])}" for a in actions)
    elif response.get("nothing_outstanding"):
        outstanding = "Nothing is outstanding."
    else:
        outstanding = ""
    return {
        ResponsePart.COMPLAINT_DEFINITION: _understanding(case, stage),
        ResponsePart.REASONS: response.get("reasons", ""),
        ResponsePart.POLICY_REFERENCES: response.get("policy_references", ""),
        ResponsePart.OUTSTANDING_ACTIONS: outstanding,
        ResponsePart.REMEDY: response.get("remedy", ""),
        ResponsePart.HOW_TO_ESCALATE: how_to_escalate(case, pack, stage),
    }


def _understanding(case: Case, stage: int) -> str:
    ack = case.events.filter(kind=Action.ACKNOWLEDGE, stage=stage).order_by("-sequence").first()
    return ack.data.get("understanding", "") if ack else ""


def how_to_escalate(case: Case, pack: PolicyPack, stage: int) -> str:
    """How the complainant can take the complaint further after this stage's response: the
    next stage and its window, or, after the final stage, the bodies that apply (Pivotal
    §11.2 g; §16; Code 6.9 and 6.19)."""
    current = pack.stage(stage)
    if not current.final and stage < pack.last_stage:
        following = pack.stage(stage + 1)
        words = f"If you are not happy with this response, you can ask for {following.name}."
        if following.request_clock:
            rule = pack.clocks[following.request_clock]
            words += (
                f" Please ask within {rule.duration} of receiving this response "
                f"({following.cites}), and tell us why you are still unhappy."
            )
        return words
    bodies = _signposts(case, pack, SignpostMoment.FINAL_RESPONSE)
    final = f"This is our final response: the {pack.organisation} complaints procedure ends here."
    return f"{final}\n\n{bodies}" if bodies else final


def _signposts(case: Case, pack: PolicyPack, moment: SignpostMoment) -> str:
    return signposts_text(pack, case_signpost_facts(case), moment)


def _review_date(case: Case, pack: PolicyPack) -> str:
    clock = next(
        (c for c in case_clocks(case=case) if c.name == pack.restriction_review_clock), None
    )
    return long_day(clock.due) if clock and clock.due else ""


def _closure_words(pack: PolicyPack, code: str) -> str:
    if not code:
        return ""
    try:
        return pack.closure_reason(code).label
    except KeyError:
        return code.replace("_", " ")


def _feedback_how(case: Case, link: SurveyLink) -> str:
    """How to answer: online by the personal link first (it records the answer on the case,
    Pivotal §21.2), then by e-mail, phone or reply."""
    org = case.organisation
    ways = [
        f"e-mail {email}" if (email := getattr(org, "email", "")) else "",
        f"call {phone}" if (phone := getattr(org, "phone", "")) else "",
    ]
    given = " or ".join(w for w in ways if w)
    online = (
        f"You can answer online at {link.url} (this link is for you only and works until "
        f"{long_day(london_date(link.valid_until))})."
    )
    other = (
        f"Or, to tell us another way, please {given}, or reply to this letter."
        if given
        else "Or, to tell us another way, please reply to this letter."
    )
    return f"{online}\n\n{other}"
