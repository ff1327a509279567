"""How a response or acknowledgement was given, and a response date agreed at acknowledgement.

MMBM §8.1 (acknowledged "verbally or in writing"; "agree a date or timeframe"), §8.1.4 and
§8.1.5 (a response "by letter, email, face to face or by telephone", a spoken one with an offer
of written confirmation) and §8.3.4. Plain values in, a refusal in words out.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from fairhear.domain.clock import fmt_day
from fairhear.domain.lifecycle import TransitionRejected
from fairhear.domain.policy.schema import PolicyPack, Stage


class Means(StrEnum):
    """How something was given to the complainant (MMBM §8.1.4)."""

    LETTER = "letter"
    EMAIL = "email"
    FACE_TO_FACE = "face_to_face"
    PHONE = "phone"

    @property
    def label(self) -> str:
        """The means in words."""
        return _MEANS_LABELS[self]

    @property
    def spoken(self) -> bool:
        """Given by word of mouth rather than in writing."""
        return self in {Means.FACE_TO_FACE, Means.PHONE}


_MEANS_LABELS = {
    Means.LETTER: "Letter",
    Means.EMAIL: "Email",
    Means.FACE_TO_FACE: "Face to face",
    Means.PHONE: "Telephone",
}


def check_means(
    stage: Stage, means: str, *, written_confirmation_offered: bool, what: str = "response"
) -> Means | None:
    """The means a response or acknowledgement was given by (None: not recorded).

    Where the stage says so, a spoken response must come with an offer of written confirmation
    (MMBM §8.1.5).
    """
    if not means:
        return None
    try:
        chosen = Means(means)
    except ValueError:
        options = ", ".join(m.label.lower() for m in Means)
        raise TransitionRejected(
            f"Say how the {what} was given: {options}; {means!r} is not one of them."
        ) from None
    if (
        what == "response"
        and chosen.spoken
        and stage.offer_written_confirmation
        and not written_confirmation_offered
    ):
        raise TransitionRejected(
            f"A response given {_spoken_words(chosen)} must come with an offer to confirm it in "
            f"writing ({stage.cites}). Offer written confirmation, then record that you did."
        )
    return chosen


def _spoken_words(means: Means) -> str:
    return "by telephone" if means is Means.PHONE else "face to face"


def check_agreed_response_date(
    pack: PolicyPack, stage: Stage, *, agreed: date, acknowledged_on: date, policy_due: date | None
) -> None:
    """A response date agreed at acknowledgement may be earlier than the policy's date, never
    later (a later date is an extension) and never before the acknowledgement (MMBM §8.1)."""
    if not stage.agreed_response_date:
        raise TransitionRejected(
            f"The {pack.organisation} policy does not agree a response date at the "
            f"acknowledgement of {stage.name}; leave the agreed date blank."
        )
    if agreed < acknowledged_on:
        raise TransitionRejected(
            f"The agreed response date {fmt_day(agreed)} is before the acknowledgement on "
            f"{fmt_day(acknowledged_on)}; agree a date from then on."
        )
    if policy_due is not None and agreed > policy_due:
        raise TransitionRejected(
            f"The agreed response date {fmt_day(agreed)} is after {fmt_day(policy_due)}, the date "
            f"the policy sets ({stage.cites}). Agree {fmt_day(policy_due)} or earlier here; a "
            "later date is an extension, agreed with its reason."
        )
