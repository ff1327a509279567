"""Example values for every letter field, for previewing a template before it is saved."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from fairhear.accounts.models import Organisation
from fairhear.domain.letters import LetterKind
from fairhear.letters.fields import long_day

_EXAMPLES = {
    "reference": "EXAMPLE-2026-0001",
    "complainant.name": "Ms Jo Bloggs",
    "complainant.address": "12 Example Street\nLeeds\nLS1 1AA",
    "signatory.name": "Sam Patel",
    "signatory.role": "Service Manager",
    "policy.title": "Complaints Policy and Procedure",
    "policy.link": "https://example.org/policy/",
    "summary": "The repair to the kitchen window was promised for March and has not been done.",
    "stage.name": "Stage 1",
    "handler.name": "Sam Patel",
    "understanding": "You are unhappy that the kitchen window repair is late.",
    "outcomes_sought": "The window repaired, and an apology.",
    "refusal.reason": "The matter happened over 6 months ago",
    "refusal.explanation": "Our policy deals with matters raised within 6 months.",
    "signposts": "You have the right to ask the Housing Ombudsman Service to look at this. "
    "Housing Ombudsman Service: PO Box 152, Liverpool L33 7WQ.",
    "extension.reason": "We are waiting for the contractor's report.",
    "warning.behaviour": "Several calls on 3 March used offensive language.",
    "restriction.details": "Please contact us by e-mail only, to Sam Patel.",
    "restriction.reason": "The calls on 3 and 5 March used offensive language.",
    "restriction.decision": "The restrictions stay in place for now.",
    "response.outcome": "We have upheld your complaint.",
    "response.complaint_definition": "You are unhappy that the kitchen window repair is late.",
    "response.reasons": "The repair was booked for 3 March and missed twice.",
    "response.policy_references": "Repairs Policy section 4 (urgent repairs within 7 days).",
    "response.outstanding_actions": "- Repair the window, by Friday 13 March 2026",
    "response.remedy": "An apology and £50 for the missed appointments.",
    "response.how_to_escalate": "If you are not happy with this response, you can ask for "
    "Stage 2 within 10 working days of receiving it.",
    "escalation.reasons": "The stage 1 response answered every point you raised.",
    "closure.reason": "Resolved",
    "feedback.how": "You can answer online at https://example.org/survey/sample/ (this link is "
    "for you only and works until Monday 1 June 2026).\n\nOr, to tell us another way, please "
    "reply to this letter.",
    "feedback.link": "https://example.org/survey/sample/",
    "feedback.link_until": "Monday 1 June 2026",
    "received.what": "your complaint",
    "outcome_wanted": "The window repaired, and an apology.",
    "next_steps": "A member of staff will read it and decide how we deal with it.\n"
    "We aim to send you our full reply within 10 working days of receiving it.",
    "track.link": "https://example.org/track/",
}


def sample_fields(kind: LetterKind, org: Organisation) -> dict[str, str]:
    """Every field of the kind with an example value (dates from today)."""
    today = timezone.localdate()
    dates = {
        "today": long_day(today),
        "received_date": long_day(today - timedelta(days=7)),
        "response_due_date": long_day(today + timedelta(days=7)),
        "extension.new_date": long_day(today + timedelta(days=14)),
        "extension.previous_date": long_day(today + timedelta(days=3)),
        "restriction.review_date": long_day(today + timedelta(days=182)),
    }
    values = {**_EXAMPLES, **dates, "organisation.name": org.name}
    return {name: values.get(name, f"({name})") for name in kind.fields}
