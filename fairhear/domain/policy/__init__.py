"""Policy packs: the organisation's complaints policy as validated, versioned data."""
