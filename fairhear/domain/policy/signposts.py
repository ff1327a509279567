"""Which external bodies a case's complainant is told about, and the words that tell them.

The pack maps what a case concerns (the service area's kind, whether it is CQC-registered, the
case's categories) to its signposts (Pivotal §1.4, §6.2 and §16; MMBM §8.3.6; Code 2.4 and
6.19; REGULATION.md §3). Every refusal, final response and letter uses `signposts_for`, so each
names those bodies and only those.
"""

from __future__ import annotations

from dataclasses import dataclass

from fairhear.domain.policy.schema import (
    AppliesWhen,
    PolicyPack,
    Reason,
    ServiceKind,
    Signpost,
    SignpostMoment,
)


@dataclass(frozen=True, slots=True)
class SignpostFacts:
    """What a case concerns, as far as choosing its signposts goes.

    `service_kind` and `cqc_registered` are None when the case has no service area, or its
    service area does not say.
    """

    service_kind: ServiceKind | None = None
    cqc_registered: bool | None = None
    categories: tuple[str, ...] = ()


def applies(signpost: Signpost, facts: SignpostFacts) -> bool:
    """Whether the signpost applies to a case with these facts.

    A fact that is not recorded counts as matching: naming a body that may not apply is a
    smaller harm than leaving out the one that does (docs/policy-packs.md, signposts).
    """
    when: AppliesWhen = signpost.applies_when
    kind_known = when.service_kinds and facts.service_kind is not None
    if kind_known and facts.service_kind not in when.service_kinds:
        return False
    cqc_known = when.cqc_registered is not None and facts.cqc_registered is not None
    if cqc_known and facts.cqc_registered is not when.cqc_registered:
        return False
    categories_known = when.categories and facts.categories
    return not (categories_known and not set(when.categories) & set(facts.categories))


def signposts_for(
    pack: PolicyPack, facts: SignpostFacts, moment: SignpostMoment | None = None
) -> tuple[Signpost, ...]:
    """The pack's signposts that apply to the case (given at `moment`, when one is named)."""
    return tuple(
        s
        for s in pack.signposts
        if applies(s, facts) and (moment is None or moment in s.given_with)
    )


def signpost_paragraph(signpost: Signpost) -> str:
    """The words a letter gives for one signpost: the right, then the contact; empty for a
    pack written before signposts had words of their own."""
    if not signpost.right:
        return ""
    return f"{signpost.right} {signpost.name}: {signpost.contact}"


def signposts_text(pack: PolicyPack, facts: SignpostFacts, moment: SignpostMoment) -> str:
    """Every signpost paragraph for the case at this moment, one paragraph each."""
    paragraphs = [signpost_paragraph(s) for s in signposts_for(pack, facts, moment)]
    return "\n\n".join(p for p in paragraphs if p)


def refusal_letter_text(pack: PolicyPack, reason: Reason, facts: SignpostFacts) -> str:
    """The refusal's words to the complainant: the pack's reason, then the right to challenge
    the decision and the contact of each body that applies (Pivotal §6.2; Code 2.4)."""
    extra = signposts_text(pack, facts, SignpostMoment.REFUSAL)
    return f"{reason.letter_text}\n\n{extra}" if extra else reason.letter_text


def _conditional(signpost: Signpost) -> bool:
    when = signpost.applies_when
    return bool(when.service_kinds or when.categories or when.cqc_registered is not None)


def refusal_signpost_problems(pack: PolicyPack) -> list[str]:
    """Every refusal text that leaves out a signpost the pack gives with refusals, or names in
    its own words a body that applies only to some cases (Pivotal §6.2; Code 2.4)."""
    problems = []
    for j, signpost in enumerate(pack.signposts):
        gives = SignpostMoment.REFUSAL in signpost.given_with
        for i, reason in enumerate(pack.refusal_reasons):
            where = f"refusal_reasons[{i}] ({reason.code})"
            named = signpost.name in reason.letter_text
            written = named and signpost.contact in reason.letter_text
            if gives and not signpost.right and not written:
                problems.append(
                    f"{where}: the refusal text does not give the right to go to the "
                    f"{signpost.name} or its contact, though signposts[{j}] is given with "
                    f'refusals. Add right = "…" to signposts[{j}] (its words and contact are '
                    "then added to every refusal letter), or write both into letter_text."
                )
            elif named and _conditional(signpost):
                problems.append(
                    f"{where}: the refusal text names the {signpost.name}, which applies only to "
                    f"some cases (signposts[{j}].applies_when). Take it out of letter_text: the "
                    "signpost's own words are added to the letters of the cases it applies to."
                )
    return problems
