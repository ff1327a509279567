"""Letters: their kinds, the fields each may show, and the small placeholder language their
templates are written in (docs/letters.md).

A template is plain text with placeholders such as `{{ complainant.name }}` or
`{{ response.reasons }}`; a blank line starts a paragraph, and a paragraph whose first line
starts with "## " is a heading with its text. A placeholder reads one of the letter's own
fields, nothing else: there are no conditions, loops, filters or code, so a template an
administrator writes can never reach data the letter does not carry. An unknown field or a
stray brace is refused when the template is saved, in words that say which and what to write
instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from fairhear.domain.lifecycle import Action

# A placeholder: two braces, a dotted lower-case name, two braces; spaces inside are allowed.
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z_]*(?:\.[a-z][a-z_]*)*)\s*\}\}")
# Anything that looks like template code but is not a placeholder.
_STRAY = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
MAX_TEMPLATE_CHARS = 20_000
MAX_SUBJECT_CHARS = 200


class LetterKind(StrEnum):
    """Every letter Fairhear writes (Pivotal §6.2, §9, §11.2, §14.2; MMBM §8, §9)."""

    RECEIPT = "receipt"
    ACKNOWLEDGEMENT = "acknowledgement"
    REFUSAL = "refusal"
    EXTENSION = "extension"
    RESTRICTION_WARNING = "restriction_warning"
    RESTRICTION_NOTICE = "restriction_notice"
    RESTRICTION_REVIEW = "restriction_review"
    STAGE_RESPONSE = "stage_response"
    ESCALATION_REFUSAL = "escalation_refusal"
    CLOSURE = "closure"
    AUTO_CLOSURE = "auto_closure"
    FEEDBACK_SURVEY = "feedback_survey"

    @property
    def label(self) -> str:
        """The kind in words."""
        return _LABELS[self]

    @property
    def follows(self) -> tuple[Action, ...]:
        """The events a letter of this kind confirms in writing; empty: it stands alone."""
        return _FOLLOWS[self]

    @property
    def fields(self) -> tuple[str, ...]:
        """Every placeholder a template of this kind may use."""
        return COMMON_FIELDS + _OWN_FIELDS[self]


_LABELS = {
    LetterKind.RECEIPT: "Acknowledgement of what was sent in",
    LetterKind.ACKNOWLEDGEMENT: "Acknowledgement",
    LetterKind.REFUSAL: "Complaint not accepted",
    LetterKind.EXTENSION: "Extension of the response date",
    LetterKind.RESTRICTION_WARNING: "Warning about unreasonable behaviour",
    LetterKind.RESTRICTION_NOTICE: "Notice of restrictions on contact",
    LetterKind.RESTRICTION_REVIEW: "Review of restrictions on contact",
    LetterKind.STAGE_RESPONSE: "Stage response",
    LetterKind.ESCALATION_REFUSAL: "Escalation not accepted",
    LetterKind.CLOSURE: "Closure",
    LetterKind.AUTO_CLOSURE: "Closure after no reply",
    LetterKind.FEEDBACK_SURVEY: "Feedback survey invitation",
}

_FOLLOWS: dict[LetterKind, tuple[Action, ...]] = {
    # Sent by Fairhear itself when the public form is sent (issue 8: "an acknowledgement
    # e-mail with a PDF letter"), before anyone has triaged it; a colleague never writes it.
    LetterKind.RECEIPT: (),
    LetterKind.ACKNOWLEDGEMENT: (Action.ACKNOWLEDGE,),
    LetterKind.REFUSAL: (Action.REFUSE,),
    LetterKind.EXTENSION: (Action.EXTEND,),
    LetterKind.RESTRICTION_WARNING: (),
    LetterKind.RESTRICTION_NOTICE: (Action.APPLY_RESTRICTION,),
    LetterKind.RESTRICTION_REVIEW: (Action.REVIEW_RESTRICTION,),
    LetterKind.STAGE_RESPONSE: (Action.RESPOND,),
    LetterKind.ESCALATION_REFUSAL: (Action.REFUSE_ESCALATION,),
    LetterKind.CLOSURE: (Action.CLOSE,),
    LetterKind.AUTO_CLOSURE: (Action.AUTO_CLOSE,),
    LetterKind.FEEDBACK_SURVEY: (),
}

COMMON_FIELDS = (
    "today",
    "reference",
    "received_date",
    "complainant.name",
    "complainant.address",
    "organisation.name",
    "signatory.name",
    "signatory.role",
    "policy.title",
    "policy.link",
    "summary",
)

_OWN_FIELDS: dict[LetterKind, tuple[str, ...]] = {
    LetterKind.RECEIPT: ("received.what", "outcome_wanted", "next_steps", "track.link"),
    LetterKind.ACKNOWLEDGEMENT: (
        "stage.name",
        "handler.name",
        "understanding",
        "outcomes_sought",
        "response_due_date",
    ),
    LetterKind.REFUSAL: ("refusal.reason", "refusal.explanation", "signposts"),
    LetterKind.EXTENSION: (
        "stage.name",
        "extension.reason",
        "extension.new_date",
        "extension.previous_date",
        "signposts",
    ),
    LetterKind.RESTRICTION_WARNING: ("warning.behaviour",),
    LetterKind.RESTRICTION_NOTICE: (
        "restriction.details",
        "restriction.reason",
        "restriction.review_date",
    ),
    LetterKind.RESTRICTION_REVIEW: ("restriction.decision", "restriction.review_date"),
    LetterKind.STAGE_RESPONSE: (
        "stage.name",
        "response.outcome",
        "response.complaint_definition",
        "response.reasons",
        "response.policy_references",
        "response.outstanding_actions",
        "response.remedy",
        "response.how_to_escalate",
    ),
    LetterKind.ESCALATION_REFUSAL: ("stage.name", "escalation.reasons", "signposts"),
    LetterKind.CLOSURE: ("closure.reason",),
    LetterKind.AUTO_CLOSURE: ("closure.reason",),
    LetterKind.FEEDBACK_SURVEY: ("feedback.how", "feedback.link", "feedback.link_until"),
}


class TemplateProblem(ValueError):
    """A letter template cannot be used; the message says what is wrong and how to fix it."""


def placeholders_in(text: str) -> list[str]:
    """The field names a template's placeholders read, in order of first use."""
    seen: list[str] = []
    for name in _PLACEHOLDER.findall(text):
        if name not in seen:
            seen.append(name)
    return seen


def check_template(kind: LetterKind, text: str, *, what: str = "The letter") -> list[str]:
    """The fields a template reads; TemplateProblem naming the first thing that is not a
    placeholder of this kind of letter (an unknown field, a stray brace, template code)."""
    if len(text) > MAX_TEMPLATE_CHARS:
        raise TemplateProblem(
            f"{what} is {len(text):,} characters long; keep it to {MAX_TEMPLATE_CHARS:,}."
        )
    stray = _STRAY.search(_PLACEHOLDER.sub("", text))
    if stray:
        line = text[: _line_start(text, stray.group())].count("\n") + 1
        raise TemplateProblem(
            f"{what} has “{stray.group()}” on line {line} that is not a placeholder. "
            "A placeholder is a field name between double braces, such as "
            "{{ complainant.name }}; conditions, loops and other template code are not "
            "allowed."
        )
    names = placeholders_in(text)
    unknown = [n for n in names if n not in kind.fields]
    if unknown:
        listed = ", ".join("{{ " + f + " }}" for f in kind.fields)
        raise TemplateProblem(
            f"{what} uses {{{{ {unknown[0]} }}}}, which is not a field of a "
            f"{kind.label.lower()} letter. Use one of: {listed}."
        )
    return names


def _line_start(text: str, token: str) -> int:
    cleaned = _PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)
    return cleaned.find(token)


def fill(text: str, fields: dict[str, str]) -> str:
    """The template with each placeholder replaced by its field's value (plain text; the page
    or PDF escapes it). A field with no value reads as nothing."""
    return _PLACEHOLDER.sub(lambda m: fields.get(m.group(1), ""), text)


@dataclass(frozen=True, slots=True)
class LetterText:
    """A letter's subject and body, as written by a template, before layout."""

    subject: str
    body: str

    @property
    def paragraphs(self) -> list[list[str]]:
        """The body as paragraphs (blank lines between), each a list of its lines."""
        blocks = re.split(r"\n\s*\n", self.body.replace("\r\n", "\n").strip())
        return [[line.rstrip() for line in b.split("\n")] for b in blocks if b.strip()]

    @property
    def blocks(self) -> list[Block]:
        """The body as blocks: a paragraph whose first line starts with "## " is a heading
        with what follows it; a heading with nothing after it (a part this letter does not
        have) is left out."""
        out = []
        for lines in self.paragraphs:
            if lines[0].startswith("## "):
                rest = [ln for ln in lines[1:] if ln.strip()]
                if rest:
                    out.append(Block(lines[0][3:].strip(), rest))
            else:
                out.append(Block("", lines))
        return out


@dataclass(frozen=True, slots=True)
class Block:
    """A heading (may be empty) and the lines of the paragraph under it."""

    heading: str
    lines: list[str]
