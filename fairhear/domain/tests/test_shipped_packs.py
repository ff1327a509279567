"""Every shipped pack loads and its own worked examples pass (a pack whose examples fail is not
valid)."""

import pytest

from fairhear.domain.policy.golden import golden_failures
from fairhear.domain.policy.load import load_shipped_pack, shipped_pack_names


def test_the_three_commissioned_packs_are_shipped():
    assert shipped_pack_names() == ["hos-code-2024", "mmbm", "pivotal"]


@pytest.mark.parametrize("name", ["pivotal", "mmbm", "hos-code-2024"])
def test_shipped_pack_worked_examples_all_pass(name):
    pack = load_shipped_pack(name)
    assert pack.golden, "each shipped pack carries worked examples"
    assert golden_failures(pack) == []
