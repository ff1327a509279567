"""Steps someone else must agree before they are taken: Pivotal §9 stage 1 step 7 (a stage 1
extension "with their agreement", the Head of Services') and §13 ("the outcome agreed with the
Head of Services" before the stage 1 response goes). The pack declares the step and who signs;
these rules decide whether it may be taken now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from fairhear.domain.clock import fmt_day
from fairhear.domain.lifecycle import TransitionRejected
from fairhear.domain.policy.schema import PolicyPack, SignOff


class SignOffStep(StrEnum):
    """A step a pack may ask to be signed off."""

    EXTENSION = "extension"
    RESPONSE = "response"

    @property
    def label(self) -> str:
        """The step in words."""
        return {
            SignOffStep.EXTENSION: "the extension and its new date",
            SignOffStep.RESPONSE: "the outcome of the response",
        }[self]


@dataclass(frozen=True, slots=True)
class SignedOff:
    """A recorded sign-off: who agreed which step, and when."""

    step: SignOffStep
    by: str
    on: date


def sign_off_for(pack: PolicyPack, stage: int, step: SignOffStep) -> SignOff | None:
    """The sign-off the pack asks for before this step at this stage, if any."""
    number = max(stage, 1)
    if step is SignOffStep.RESPONSE:
        return pack.stage(number).response_sign_off
    extension = pack.clocks[pack.stage(number).response_clock].extension
    return extension.sign_off if extension else None


def steps_to_sign_off(pack: PolicyPack, stage: int) -> list[SignOffStep]:
    """The steps at this stage that need someone's agreement first."""
    return [step for step in SignOffStep if sign_off_for(pack, stage, step) is not None]


def check_signed_off(
    pack: PolicyPack,
    stage: int,
    step: SignOffStep,
    *,
    signed: SignedOff | None,
    actor_signs: bool,
) -> SignOff | None:
    """Refuse the step until the person the pack names has agreed it; the signer may take the
    step themselves. Returns the pack's sign-off rule (None when the step needs none)."""
    rule = sign_off_for(pack, stage, step)
    if rule is None or signed is not None or actor_signs:
        return rule
    title = pack.role_title(rule.by)
    raise TransitionRejected(
        f"{pack.stage(max(stage, 1)).name}: {step.label} must be agreed with the {title} first "
        f"({rule.cites}). Ask the {title} to record their sign-off on this case, or the {title} "
        "may take this step themselves."
    )


def describe_sign_off(signed: SignedOff, title: str) -> str:
    """'Agreed by Alex Allocator (Head of Services) on Tue 3 Mar 2026'."""
    return f"Agreed by {signed.by} ({title}) on {fmt_day(signed.on)}"
