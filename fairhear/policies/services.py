"""Publishing policy versions. A published version is immutable (a database trigger enforces it)."""

import hashlib
from datetime import date

from django.db import transaction
from django.utils import timezone

from fairhear.accounts.audit import admin_change_record
from fairhear.accounts.models import Organisation, User
from fairhear.domain.clock import fmt_day
from fairhear.domain.policy.golden import golden_failures
from fairhear.domain.policy.load import PACKS_DIR, PackInvalid, PackProblem, load_pack_text
from fairhear.domain.policy.schema import PolicyPack
from fairhear.domain.policy.signposts import refusal_signpost_problems
from fairhear.policies.models import PolicyReview, PolicyVersion
from fairhear.policies.selectors import policy_pack_for


def policy_version_publish(
    *,
    organisation: Organisation,
    toml_text: str,
    source_name: str = "pack.toml",
    published_by: User | None = None,
    activate: bool = True,
) -> PolicyVersion:
    """Validate a pack (its own worked examples included) and publish it for the organisation.

    Publishing the same text twice returns the existing version. Raises PackInvalid.
    """
    pack = load_pack_text(toml_text, source=source_name)
    failures = golden_failures(pack)
    if failures:
        raise PackInvalid([PackProblem(source_name, "golden", f) for f in failures])
    digest = hashlib.sha256(toml_text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        version, _ = PolicyVersion.objects.get_or_create(
            organisation=organisation,
            sha256=digest,
            defaults={
                "name": pack.name,
                "version": pack.version,
                "source_toml": toml_text,
                "published_by": published_by,
            },
        )
        if activate and organisation.active_policy_version_id != version.pk:
            organisation.active_policy_version = version
            organisation.save(update_fields=["active_policy_version"])
    return version


def policy_version_publish_shipped(
    *, organisation: Organisation, name: str, published_by: User | None = None
) -> PolicyVersion:
    """Publish one of the packs shipped with Fairhear (pivotal, mmbm, hos-code-2024)."""
    path = PACKS_DIR / f"{name}.toml"
    if not path.is_file():
        raise PackInvalid([PackProblem(name, "", "is not a shipped pack.")])
    return policy_version_publish(
        organisation=organisation,
        toml_text=path.read_text(encoding="utf-8"),
        source_name=path.name,
        published_by=published_by,
    )


def policy_pack_check(*, toml_text: str, source_name: str) -> PolicyPack:
    """Everything `fairhear policy check` checks: the fields, the pack's own worked examples
    and the signposts its refusal texts must give. Raises PackInvalid listing every problem."""
    pack = load_pack_text(toml_text, source=source_name)
    problems = [PackProblem(source_name, "golden", f) for f in golden_failures(pack)]
    problems += [
        PackProblem(source_name, "refusal_reasons", p) for p in refusal_signpost_problems(pack)
    ]
    if problems:
        raise PackInvalid(problems)
    return pack


def policy_version_upload(
    *, organisation: Organisation, actor: User, toml_text: str, source_name: str
) -> tuple[PolicyVersion, bool]:
    """Check an uploaded pack and publish it for the organisation without making it active;
    returns the version and whether it is new (the same text uploaded again is the version
    already published). Raises PackInvalid listing every problem."""
    pack = policy_pack_check(toml_text=toml_text, source_name=source_name)
    digest = hashlib.sha256(toml_text.encode("utf-8")).hexdigest()
    with transaction.atomic(durable=True):
        version, created = PolicyVersion.objects.get_or_create(
            organisation=organisation,
            sha256=digest,
            defaults={
                "name": pack.name,
                "version": pack.version,
                "source_toml": toml_text,
                "published_by": actor,
            },
        )
        if created:
            admin_change_record(
                organisation=organisation,
                actor=actor,
                what="policy.publish",
                summary=f"Published the policy version {pack.name} {pack.version} "
                f"(from {source_name}), not yet active",
                after={"version": f"{pack.name} {pack.version}", "sha256": digest},
            )
    return version, created


def policy_version_activate(
    *, organisation: Organisation, actor: User, version: PolicyVersion
) -> None:
    """Make a published version the one new cases are opened under. Open cases keep their
    own version, so none of their deadlines move (BRIEF core idea 1)."""
    if version.organisation_id != organisation.pk:
        raise PackInvalid([PackProblem(str(version), "", "belongs to another organisation.")])
    with transaction.atomic(durable=True):
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        previous = org.active_policy_version
        if previous is not None and previous.pk == version.pk:
            raise PackInvalid([PackProblem(str(version), "", "is already the active version.")])
        org.active_policy_version = version
        org.save(update_fields=["active_policy_version"])
        admin_change_record(
            organisation=org,
            actor=actor,
            what="policy.activate",
            summary=f"Made {version} the active policy version",
            before={"active version": str(previous) if previous else None},
            after={"active version": str(version)},
        )
    organisation.active_policy_version = version


class PolicyReviewInvalid(ValueError):
    """A review that cannot be recorded; the message says why and what to do."""


def policy_review_record(
    *, organisation: Organisation, actor: User, reviewed_on: date, note: str
) -> PolicyReview:
    """Record that the active policy was reviewed on `reviewed_on` (Pivotal §24.1); the next
    review is then due a period after that day (domain/policy_review.py)."""
    today = timezone.localdate()
    version = organisation.active_policy_version
    if version is None:
        raise PolicyReviewInvalid("There is no active policy version to have reviewed.")
    if reviewed_on > today:
        raise PolicyReviewInvalid(
            f"The review date {fmt_day(reviewed_on)} is in the future: record a review once it "
            "has been done."
        )
    # A review of this version: on or after the day it came into force (or, when the pack
    # does not say, the day it was published here).
    pack = policy_pack_for(version)
    earliest = pack.in_force_from or timezone.localdate(version.published_at)
    if reviewed_on < earliest:
        raise PolicyReviewInvalid(
            f"The review date {fmt_day(reviewed_on)} is before {version} came into force "
            f"({fmt_day(earliest)}): record reviews of the active version only."
        )
    if not note.strip():
        raise PolicyReviewInvalid(
            "Say what the review found or decided, e.g. “Reviewed by the Senior Leadership "
            "Team: no change.”"
        )
    with transaction.atomic(durable=True):
        review = PolicyReview.objects.create(
            organisation=organisation,
            version=version,
            reviewed_on=reviewed_on,
            note=note.strip(),
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        admin_change_record(
            organisation=organisation,
            actor=actor,
            what="policy.review",
            summary=f"Recorded the review of {version} on {fmt_day(reviewed_on)}",
            after={"version": str(version), "reviewed on": reviewed_on.isoformat()},
        )
    return review
