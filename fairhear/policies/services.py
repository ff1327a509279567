"""Publishing policy versions. A published version is immutable (a database trigger enforces it)."""

import hashlib

from django.db import transaction

from fairhear.accounts.models import Organisation, User
from fairhear.domain.policy.golden import golden_failures
from fairhear.domain.policy.load import PACKS_DIR, PackInvalid, PackProblem, load_pack_text
from fairhear.policies.models import PolicyVersion


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
