"""The wording each kind of letter starts with, in plain language (Pivotal §11.2 a), before an
organisation writes its own. Each reads only its kind's fields (fairhear.domain.letters)."""

from fairhear.domain.letters import LetterKind

_CLOSE = """Yours sincerely

{{ signatory.name }}
{{ signatory.role }}, {{ organisation.name }}"""

_POLICY = """You can read our complaints policy, including how to take your complaint further, at {{ policy.link }}. We can send you a printed copy if you ask."""

_WRITTEN: dict[LetterKind, tuple[str, str]] = {
    LetterKind.RECEIPT: (
        "We have received {{ received.what }} ({{ reference }})",
        """Dear {{ complainant.name }}

Thank you for contacting {{ organisation.name }}. We received {{ received.what }} on {{ received_date }}. Your reference is {{ reference }}; please quote it when you contact us.

## What you told us
{{ summary }}

## What you would like to happen
{{ outcome_wanted }}

## What happens next
{{ next_steps }}

You can follow it online at {{ track.link }} with your reference and your e-mail address.

[POLICY]

Yours sincerely

{{ organisation.name }}""",
    ),
    LetterKind.ACKNOWLEDGEMENT: (
        "We have received your complaint ({{ reference }})",
        """Dear {{ complainant.name }}

Thank you for telling us about your complaint, which we received on {{ received_date }}. Your reference is {{ reference }}; please quote it when you contact us.

{{ handler.name }} is dealing with your complaint and is your point of contact.

## Our understanding of your complaint
{{ understanding }}

## What you would like to happen
{{ outcomes_sought }}

If we have misunderstood anything, please tell us.

We will send you our response by {{ response_due_date }}. If we cannot, we will tell you why and agree a new date with you.

[POLICY]

[CLOSE]""",
    ),
    LetterKind.REFUSAL: (
        "Your complaint ({{ reference }})",
        """Dear {{ complainant.name }}

Thank you for contacting us on {{ received_date }}. We have looked carefully at what you told us, and we are not able to deal with it under our complaints policy.

The reason is: {{ refusal.reason }}.

{{ refusal.explanation }}

{{ signposts }}

[POLICY]

[CLOSE]""",
    ),
    LetterKind.EXTENSION: (
        "A new date for our response ({{ reference }})",
        """Dear {{ complainant.name }}

We are sorry that we cannot send our response to your complaint by {{ extension.previous_date }}, as we said we would.

The reason is: {{ extension.reason }}

We will send you our response by {{ extension.new_date }}. If this date does not suit you, please tell us.

{{ signposts }}

[CLOSE]""",
    ),
    LetterKind.RESTRICTION_WARNING: (
        "How you contact us ({{ reference }})",
        """Dear {{ complainant.name }}

We want to keep helping you with your complaint. We are writing because of the way some contact with us has happened:

{{ warning.behaviour }}

Please change this. If it carries on, we may have to limit how you can contact us. If we do, we will write to you to explain why and how, and we will review our decision at least every six months.

[CLOSE]""",
    ),
    LetterKind.RESTRICTION_NOTICE: (
        "Limits on how you contact us ({{ reference }})",
        """Dear {{ complainant.name }}

We have decided to limit how you can contact us. This is why:

{{ restriction.reason }}

From now on:
{{ restriction.details }}

We will review this decision by {{ restriction.review_date }} and write to you with the outcome.

[CLOSE]""",
    ),
    LetterKind.RESTRICTION_REVIEW: (
        "Our review of the limits on contact ({{ reference }})",
        """Dear {{ complainant.name }}

We have reviewed our decision to limit how you can contact us. This is what we decided:

{{ restriction.decision }}

If the limits stay in place, we will review them again by {{ restriction.review_date }}.

[CLOSE]""",
    ),
    LetterKind.STAGE_RESPONSE: (
        "Our response to your complaint ({{ reference }})",
        """Dear {{ complainant.name }}

This is our {{ stage.name }} response to your complaint, which we received on {{ received_date }}.

## What you complained about
{{ response.complaint_definition }}

## Our decision
{{ response.outcome }}

## Why we reached this decision
{{ response.reasons }}

## The policies, procedures or law we relied on
{{ response.policy_references }}

## What we will do to put things right
{{ response.remedy }}

## What is still to be done, and by when
{{ response.outstanding_actions }}

## If you are not happy with our response
{{ response.how_to_escalate }}

[CLOSE]""",
    ),
    LetterKind.ESCALATION_REFUSAL: (
        "Your request to take your complaint further ({{ reference }})",
        """Dear {{ complainant.name }}

You asked us to look at your complaint again at {{ stage.name }}. We have decided not to do so. This is why:

{{ escalation.reasons }}

This means our last response to you was our final response.

{{ signposts }}

[CLOSE]""",
    ),
    LetterKind.CLOSURE: (
        "We have closed your complaint ({{ reference }})",
        """Dear {{ complainant.name }}

We have closed your complaint. The reason is: {{ closure.reason }}.

If you think we have closed it in error, please contact us and quote {{ reference }}.

[POLICY]

[CLOSE]""",
    ),
    LetterKind.AUTO_CLOSURE: (
        "We have closed your complaint ({{ reference }})",
        """Dear {{ complainant.name }}

We sent you our response and have not heard from you since, so we have closed your complaint. The reason is: {{ closure.reason }}.

If you are still unhappy, please contact us and quote {{ reference }}.

[POLICY]

[CLOSE]""",
    ),
    LetterKind.FEEDBACK_SURVEY: (
        "How did we do? ({{ reference }})",
        """Dear {{ complainant.name }}

Your complaint {{ reference }} is now closed. We would like to know how we handled it, so that we can do better.

{{ feedback.how }}

It takes a few minutes, and what you tell us will not change the outcome of your complaint.

[CLOSE]""",
    ),
}


DEFAULTS: dict[LetterKind, tuple[str, str]] = {
    kind: (subject, body.replace("[POLICY]", _POLICY).replace("[CLOSE]", _CLOSE))
    for kind, (subject, body) in _WRITTEN.items()
}
