"""A list page's rows, filter form and panel are made once per key and kept (fairhear.kept)."""

from fairhear.kept import Kept


def test_a_value_is_made_once_per_key_and_all_are_forgotten_when_full():
    made: list[str] = []

    def make(word: str):
        return lambda: made.append(word) or word.upper()

    kept: Kept[str] = Kept(2)
    assert kept.get("a", make("a")) == "A"
    assert kept.get("a", make("a")) == "A"
    assert kept.get("b", make("b")) == "B"
    assert made == ["a", "b"]  # "a" the second time was the one kept

    assert kept.get("c", make("c")) == "C"  # full: everything forgotten, then "c" kept
    assert kept.get("a", make("a")) == "A"
    assert made == ["a", "b", "c", "a"]
