"""What an allocation must record beyond who handles the stage: for a sexual-harassment
complaint, that the complainant was consulted about the investigator (MMBM §7.2); and, where the
stage allows it, an external investigator while the allocated colleague stays accountable
(MMBM §8.4)."""

from __future__ import annotations

from fairhear.domain.lifecycle import TransitionRejected
from fairhear.domain.policy.schema import PolicyPack, Reason, Stage


def consultation_categories(pack: PolicyPack, categories: list[str]) -> list[Reason]:
    """The case's categories whose allocation needs the complainant consulted (MMBM §7.2)."""
    return [c for c in pack.categories if c.code in categories and c.consult_on_allocation]


def check_allocation_steps(
    pack: PolicyPack,
    stage: Stage,
    *,
    categories: list[str],
    consultation: str,
    external_name: str,
    external_organisation: str,
) -> None:
    """Refuse an allocation that leaves out what the pack asks it to record."""
    needing = consultation_categories(pack, categories)
    if needing and not consultation.strip():
        reason = needing[0]
        raise TransitionRejected(
            f"This is a {reason.label.lower()} complaint: consider who should investigate it "
            f"and record how the complainant was consulted, or why that was not appropriate "
            f"({reason.cites})."
        )
    if (external_name.strip() or external_organisation.strip()) and not stage.external_investigator:
        raise TransitionRejected(
            f"The {pack.organisation} policy does not provide for an external investigator at "
            f"{stage.name}; leave the external investigator blank."
        )
    if bool(external_name.strip()) != bool(external_organisation.strip()):
        raise TransitionRejected(
            "Give both the external investigator's name and their organisation, or neither."
        )
