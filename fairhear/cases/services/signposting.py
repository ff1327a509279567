"""What a case's event records of the ombudsmen and regulators it gave the complainant."""

from __future__ import annotations

from fairhear.cases.models import Case
from fairhear.cases.selectors import case_signpost_facts
from fairhear.domain.policy.schema import PolicyPack, Reason, Signpost, SignpostMoment
from fairhear.domain.policy.signposts import refusal_letter_text, signposts_for, signposts_text


def signposts_given(case: Case, pack: PolicyPack, moment: SignpostMoment) -> dict:
    """The signposts given at `moment` and their words, for the event's data (Pivotal §6.2,
    §9 stage 2 point 5, §16; MMBM §8.3.6; Code 2.4, 6.5, 6.19)."""
    facts = case_signpost_facts(case)
    return {
        "signposts": recorded(signposts_for(pack, facts, moment)),
        "signposts_text": signposts_text(pack, facts, moment),
    }


def refusal_letter(case: Case, pack: PolicyPack, reason: Reason) -> dict:
    """A refusal's letter text (the reason, then each signpost's right and contact) and the
    signposts it gives (Pivotal §6.2; Code 2.4)."""
    facts = case_signpost_facts(case)
    return {
        "letter_text": refusal_letter_text(pack, reason, facts),
        "signposts": recorded(signposts_for(pack, facts, SignpostMoment.REFUSAL)),
    }


def recorded(signposts: tuple[Signpost, ...]) -> list[dict]:
    """Signposts as an event records them: code, name and contact."""
    return [{"code": s.code, "name": s.name, "contact": s.contact} for s in signposts]
