"""`[learning]` in a pack: whether a debrief with the colleagues involved follows each closed
complaint (Pivotal §22.1), and the words a pack author reads when the table is wrong."""

import pytest

from fairhear.domain.policy.diff import pack_changes
from fairhear.domain.policy.load import PACKS_DIR, PackInvalid, load_pack_file, load_pack_text
from fairhear.domain.policy.schema import LearningRules

PIVOTAL_TEXT = (PACKS_DIR / "pivotal.toml").read_text(encoding="utf-8")
SHIPPED = 'debrief_after_closure = true\ndebrief_cites = "§22.1"'


def test_pivotal_holds_a_debrief_after_closure_and_mmbm_and_the_code_do_not():
    # Pivotal §22.1: "Following closure of a complaint, Pivotal will hold a debriefing session".
    assert load_pack_file(PACKS_DIR / "pivotal.toml").learning == LearningRules(True, "§22.1")
    assert load_pack_file(PACKS_DIR / "mmbm.toml").learning == LearningRules(False, "")
    assert load_pack_file(PACKS_DIR / "hos-code-2024.toml").learning == LearningRules(False, "")


def test_a_pack_without_the_table_asks_for_no_debrief():
    text = PIVOTAL_TEXT.replace("[learning]\n" + SHIPPED + "\n", "")
    assert load_pack_text(text).learning == LearningRules()


@pytest.mark.parametrize(
    ("table", "field", "words"),
    [
        ('debrief_after_closure = "yes"', "learning.debrief_after_closure", "true or false"),
        ("debrief_after_closure = true", "learning.debrief_cites", "is missing"),
        ('debrief_cites = "§22.1"', "learning.debrief_after_closure", "is missing; say true"),
        (SHIPPED + "\nheld_within = 5", "learning.held_within", "not a field"),
    ],
)
def test_a_wrong_learning_table_names_the_field_and_how_to_fix_it(table, field, words):
    text = PIVOTAL_TEXT.replace(SHIPPED, table)
    with pytest.raises(PackInvalid) as refused:
        load_pack_text(text)
    (problem,) = refused.value.problems
    assert field in str(problem)
    assert words in str(problem)


def test_turning_the_debrief_off_shows_in_the_changes_between_versions():
    old = load_pack_text(PIVOTAL_TEXT)
    new = load_pack_text(PIVOTAL_TEXT.replace(SHIPPED, "debrief_after_closure = false"))
    (change,) = [c for c in pack_changes(old, new) if c.what == "debrief after closure"]
    assert (change.before, change.after) == ("yes (§22.1)", "no")
