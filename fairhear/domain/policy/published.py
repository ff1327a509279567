"""The policy in words for the public, generated from the active pack: how to complain, the
stages and their timescales, what cannot be dealt with and why, how to take it further and the
bodies to go to after (Pivotal §9 stage 1 step 4: "give the complainant a copy of this
Complaints Policy and Procedures including Housing Ombudsman contact details"). Two readings:
the full one, and an easy-read one with short sentences, one idea per line."""

from __future__ import annotations

from dataclasses import dataclass, field

from fairhear.domain.policy.schema import ClockRule, PolicyPack, Stage, describe_milestone


@dataclass(frozen=True, slots=True)
class Body:
    """An ombudsman or regulator the pack names, with its contact details."""

    name: str
    when: str
    right: str
    contact: str


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and its paragraphs (or, in the easy-read version, its lines)."""

    heading: str
    lines: list[str] = field(default_factory=list)
    listed: bool = False  # a list of separate items, shown with bullets


@dataclass(frozen=True, slots=True)
class PublishedPolicy:
    """The policy in words: sections to read, then the bodies that can look at a complaint."""

    title: str
    organisation: str
    version: str
    sections: list[Section]
    bodies: list[Body]


def _start_words(rule: ClockRule) -> str:
    start = describe_milestone(rule.starts_from[0]) if rule.starts_from else "it starts"
    return start.replace("the complainant receives", "you receive")


def _clock_words(rule: ClockRule) -> str:
    return f"within {rule.duration} of when {_start_words(rule)}"


def _a(title: str) -> str:
    """'a Service Manager', 'an SLT member', 'an independent reviewer'."""
    first = title.split(" ")[0]
    spoken_vowel = first.isupper() and first[0] in "AEFHILMNORSX"
    return f"{'an' if spoken_vowel or title[0].lower() in 'aeiou' else 'a'} {title}"


def _stage_lines(pack: PolicyPack, stage: Stage) -> list[str]:
    lines = []
    if stage.number > 1 and stage.request_clock:
        rule = pack.clocks[stage.request_clock]
        lines.append(f"You can ask for {stage.name} {_clock_words(rule)}.")
        if stage.request_criteria:
            lines.append(stage.request_criteria)
    lines.append(f"At this stage your complaint is dealt with by {_a(stage.handler_title)}.")
    if stage.acknowledgement_clock:
        rule = pack.clocks[stage.acknowledgement_clock]
        lines.append(f"We acknowledge your complaint {_clock_words(rule)}.")
    rule = pack.clocks[stage.response_clock]
    lines.append(f"We send you our response {_clock_words(rule)}.")
    if rule.extension is not None:
        limit = ""
        if rule.extension.up_to_clock:
            bound = pack.clocks[rule.extension.up_to_clock]
            limit = f", never more than {bound.duration} after {_start_words(bound)}"
        elif rule.extension.by_at_most:
            limit = f", by at most {rule.extension.by_at_most}"
        lines.append(
            "If we need longer, we tell you why and agree a new date with you" + limit + "."
        )
    if stage.final:
        lines.append(f"This is the final stage of the {pack.organisation} complaints procedure.")
    return lines


def published_policy(pack: PolicyPack, *, ways_to_complain: list[str]) -> PublishedPolicy:
    """The full policy in words, from the pack alone (plus the organisation's own ways in)."""
    limit = pack.time_limit
    exempt = [c.label.lower() for c in pack.categories if c.code in limit.exempt_categories]
    time_lines = [
        f"Please complain within {limit.months} months of what happened "
        f"(section {limit.cites.lstrip('§')} of our policy)."
    ]
    if exempt:
        time_lines.append(f"There is no time limit for complaints about {' or '.join(exempt)}.")
    if limit.exceptional_circumstances:
        time_lines.append("We may look at an older complaint if there is a good reason.")
    how = [
        "You can complain in the way that suits you. You do not have to use the word “complaint”.",
        *ways_to_complain,
        "Someone else, such as a relative, friend or advocate, can complain for you if you agree.",
        "Tell us if you need any help or changes to how we contact you, and we will make them.",
    ]
    sections = [
        Section("How to complain", how),
        Section("Time limits", time_lines),
        *[Section(s.name, _stage_lines(pack, s)) for s in pack.stages],
        Section(
            "What we cannot deal with under this policy",
            [f"{r.label} ({r.cites})." if r.cites else f"{r.label}." for r in pack.refusal_reasons]
            + ["If we cannot deal with your complaint, we write to tell you why and where to go."],
            listed=True,
        ),
        Section("How to take your complaint further", _escalation_lines(pack)),
    ]
    bodies = [Body(s.name, s.when, s.right, s.contact) for s in pack.signposts]
    return PublishedPolicy(pack.title, pack.organisation, pack.version, sections, bodies)


def _escalation_lines(pack: PolicyPack) -> list[str]:
    lines = []
    for stage in pack.stages[1:]:
        if stage.request_clock:
            rule = pack.clocks[stage.request_clock]
            lines.append(
                f"If you are not happy with our response, you can ask for {stage.name} "
                f"{_clock_words(rule)}."
            )
    lines.append(
        "After our final response, you can ask an independent body to look at your complaint. "
        "Their details are below."
    )
    return lines


def easy_read(pack: PolicyPack) -> list[Section]:
    """The policy as short sentences, one idea per line."""
    limit = pack.time_limit
    out = [
        Section(
            "Telling us",
            [
                "You can tell us you are unhappy.",
                "You can tell any member of staff.",
                "You can phone, write, e-mail or use our website.",
                "You do not have to say the word “complaint”.",
                "Someone can help you.",
                "They can complain for you.",
                "Tell us if you need help to talk to us.",
            ],
        ),
        Section(
            "When to tell us",
            [f"Tell us within {limit.months} months of what happened."]
            + [
                f"There is no time limit for {c.label.lower()}."
                for c in pack.categories
                if c.code in limit.exempt_categories
            ],
        ),
    ]
    for stage in pack.stages:
        lines = []
        if stage.number > 1:
            lines.append("You can ask for this if you are still unhappy.")
            if stage.request_clock:
                lines.append(f"Ask within {pack.clocks[stage.request_clock].duration}.")
        who = _a(stage.handler_title)
        lines.append(f"{who[0].upper()}{who[1:]} looks at your complaint.")
        if stage.acknowledgement_clock:
            duration = pack.clocks[stage.acknowledgement_clock].duration
            lines.append(f"We tell you we have it within {duration}.")
        lines.append(f"We answer within {pack.clocks[stage.response_clock].duration}.")
        lines.append("If we need more time, we tell you why.")
        lines.append("We agree a new date with you.")
        if stage.final:
            lines.append("This is our last answer.")
        out.append(Section(stage.name, lines))
    out.append(
        Section(
            "What we cannot look at",
            [f"{r.label}." for r in pack.refusal_reasons]
            + ["If we cannot look at it, we write and tell you why."],
        )
    )
    out.append(
        Section(
            "If you are still unhappy",
            ["You can ask someone outside to look at it."]
            + [f"You can contact the {s.name}." for s in pack.signposts]
            + ["Their details are below."],
        )
    )
    out.append(
        Section(
            "Working days",
            ["Working days are Monday to Friday.", "Bank holidays are not working days."],
        )
    )
    return out
