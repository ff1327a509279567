"""Reading policy versions as domain policy packs, checked against their sha256 every time."""

import hashlib
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from fairhear.accounts.models import Organisation
from fairhear.domain.policy.load import load_pack_text
from fairhear.domain.policy.schema import PolicyPack
from fairhear.domain.policy_review import policy_review_due
from fairhear.policies.models import PolicyReview, PolicyVersion
from fairhear.sql_memo import memo_fetch

CASE_ALARM = "This case's policy version failed its integrity check; the lead has been told."
INTAKE_ALARM = (
    "Your organisation's policy version failed its integrity check; the lead has been told. "
    "Cases cannot be logged until it is put right."
)


class PolicyVersionTampered(RuntimeError):
    """A published version's text no longer matches the sha256 taken when it was published.

    Nothing may be worked out from the altered text: the case (or intake) stops with a plain
    message, and the lead sees the version named on My work (docs/adr/ADR-005).
    """

    def __init__(self, version: PolicyVersion, message: str = CASE_ALARM) -> None:
        super().__init__(message)
        self.version = version


# Parsed packs by (version id, sha256): a published version never changes, so its id and the
# hash taken when it was published name its text without holding the text as the key.
_PACKS: dict[tuple[int, str], PolicyPack] = {}
_MAX_PACKS = 64
_PACKS_LOCK = threading.Lock()


def _pack_of(version: PolicyVersion) -> PolicyPack:
    key = (version.pk, version.sha256)
    pack = _PACKS.get(key)
    if pack is None:
        pack = load_pack_text(version.source_toml, source=f"{version.name}.toml")
        with _PACKS_LOCK:
            if len(_PACKS) >= _MAX_PACKS:
                _PACKS.pop(next(iter(_PACKS)))
            _PACKS[key] = pack
    return pack


def policy_version_intact(version: PolicyVersion) -> bool:
    """True when the version's text still hashes to the sha256 stored when it was published."""
    return hashlib.sha256(version.source_toml.encode("utf-8")).hexdigest() == version.sha256


def policy_pack_for(version: PolicyVersion, *, alarm: str = CASE_ALARM) -> PolicyPack:
    """The validated pack of a published version; PolicyVersionTampered if its text changed.

    The text is hashed on every call (it is cheap) so that an edit made behind the database
    triggers never yields a silently different deadline; parsing is cached by version id and
    sha256. Pages that list cases defer the text and call this once per version, not per row.
    """
    if not policy_version_intact(version):
        raise PolicyVersionTampered(version, alarm)
    return _pack_of(version)


def policy_packs_by_id(version_ids: Iterable[int]) -> dict[int, PolicyPack | None]:
    """The pack of each of these versions by id, None for a version failing its integrity
    check (so that only its own cases stop), read in one query whose SQL is built once per
    number of versions (sql_memo): every list page asks, for its rows and its filters."""
    ids = sorted(set(version_ids))

    def build(values: Mapping[str, object]) -> QuerySet[PolicyVersion]:
        return PolicyVersion.objects.filter(
            pk__in=[values[f"id{n}"] for n in range(len(ids))]
        ).order_by()

    if not ids:
        return {}
    packs: dict[int, PolicyPack | None] = {}
    for version in memo_fetch(
        ("policy_versions", len(ids)), build, {f"id{n}": pk for n, pk in enumerate(ids)}
    ):
        try:
            packs[version.pk] = policy_pack_for(version)
        except PolicyVersionTampered:
            packs[version.pk] = None
    return packs


def policy_versions_failing_check(*, organisation_id: int) -> list[PolicyVersion]:
    """The organisation's published versions whose text no longer matches its sha256, each
    with `pinned_references`: the references of the cases opened under it. Every version's
    text is read and hashed on every call (the lead's My work asks on every visit), by SQL
    built once (sql_memo)."""

    def build(values: Mapping[str, object]) -> QuerySet[PolicyVersion]:
        return PolicyVersion.objects.filter(organisation_id=values["organisation"]).order_by("pk")

    failing = []
    for version in memo_fetch(("organisation_versions",), build, {"organisation": organisation_id}):
        if not policy_version_intact(version):
            version.pinned_references = list(
                version.cases.order_by("reference").values_list("reference", flat=True)
            )
            failing.append(version)
    return failing


@dataclass(frozen=True)
class PacksInUse:
    """The packs of an organisation's published versions (every organisation's, when none is
    named): those intact, and whether any version failed its integrity check."""

    packs: list[PolicyPack]
    tampered: bool


def policy_packs_in_use(*, organisation_id: int | None = None) -> PacksInUse:
    """What the worker's sweep reads once to name, in its queries, the clocks the packs give
    (a version failing its check is left out and said so; its cases are warned of one by one
    where they are read)."""
    versions = PolicyVersion.objects.order_by("pk")
    if organisation_id is not None:
        versions = versions.filter(organisation_id=organisation_id)
    packs, tampered = [], False
    for version in versions:
        try:
            packs.append(policy_pack_for(version))
        except PolicyVersionTampered:
            tampered = True
    return PacksInUse(packs, tampered)


def policy_version_list(*, organisation: Organisation) -> list[PolicyVersion]:
    """The organisation's published versions, newest first (without their text)."""
    return list(
        PolicyVersion.objects.filter(organisation=organisation)
        .defer("source_toml")
        .select_related("published_by")
        .order_by("-published_at", "-pk")
    )


def policy_version_get(*, organisation: Organisation, pk: int) -> PolicyVersion:
    """One of the organisation's published versions; PolicyVersion.DoesNotExist otherwise."""
    return PolicyVersion.objects.select_related("published_by").get(
        organisation=organisation, pk=pk
    )


@dataclass(frozen=True, slots=True)
class PolicyReviewState:
    """Where the active policy's own review stands: when it is next due (None when the policy
    sets no review), the last review recorded, and the section that sets it."""

    due: date | None
    last: PolicyReview | None
    cites: str
    every_months: int | None


def policy_review_state(*, organisation: Organisation) -> PolicyReviewState | None:
    """The active version's review, or None when there is no active version (two queries)."""
    version = organisation.active_policy_version
    if version is None:
        return None
    pack = policy_pack_for(version)
    last = (
        PolicyReview.objects.filter(organisation=organisation, version=version)
        .select_related("recorded_by")
        .order_by("-reviewed_on", "-pk")
        .first()
    )
    due = policy_review_due(
        pack,
        published_on=timezone.localdate(version.published_at),
        last_reviewed=last.reviewed_on if last else None,
    )
    return PolicyReviewState(
        due=due, last=last, cites=pack.review_cites, every_months=pack.review_every_months
    )
