"""Reading policy versions as domain policy packs."""

from functools import lru_cache

from fairhear.domain.policy.load import load_pack_text
from fairhear.domain.policy.schema import PolicyPack
from fairhear.policies.models import PolicyVersion


@lru_cache(maxsize=32)
def _pack_from_text(sha256: str, text: str, source: str) -> PolicyPack:
    del sha256  # part of the cache key only
    return load_pack_text(text, source=source)


def policy_pack_for(version: PolicyVersion) -> PolicyPack:
    """The validated pack of a published version (cached: versions never change)."""
    return _pack_from_text(version.sha256, version.source_toml, f"{version.name}.toml")
