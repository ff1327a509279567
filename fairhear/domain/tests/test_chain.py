"""The case log's hash chain, without a database (docs/adr/ADR-005)."""

import hashlib
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from fairhear.domain.chain import LoggedEvent, StoredCase, canonical, chain_problems, genesis, link

LONDON = ZoneInfo("Europe/London")


def test_the_canonical_form_is_sorted_key_json_with_utc_times():
    content = {"b": [1, "é"], "a": datetime(2024, 9, 2, 10, 30, tzinfo=LONDON), "c": None}
    # 10:30 BST is 09:30 UTC; é is written as its \u escape.
    assert canonical(content) == '{"a":"2024-09-02T09:30:00+00:00","b":[1,"\\u00e9"],"c":null}'


def test_a_link_hashes_the_previous_hash_and_the_canonical_content():
    expected = hashlib.sha256(b'prev\n{"a":1}').hexdigest()
    assert link("prev", {"a": 1}) == expected


def test_the_genesis_names_the_case_id_and_reference():
    expected = hashlib.sha256(b"fairhear-case-log-v1\ngenesis\n7\nC-2024-000007").hexdigest()
    assert genesis(7, "C-2024-000007") == expected


def test_a_naive_time_cannot_be_hashed():
    with pytest.raises(ValueError, match="must carry its time zone"):
        canonical({"at": datetime(2024, 9, 2, 10)})


def _log(*kinds: tuple[str, str]) -> list[LoggedEvent]:
    """Events chained properly from case 1's genesis: (from_state, to_state) each."""
    events, previous = [], genesis(1, "C-1")
    for n, (before, after) in enumerate(kinds, start=1):
        content = {"sequence": n, "from": before, "to": after}
        previous = link(previous, content)
        events.append(LoggedEvent(n, content, previous, before, after, 0))
    return events


def test_an_intact_log_has_no_problems():
    events = _log(("", "received"), ("received", "closed"))
    case = StoredCase(1, "C-1", events[-1].stored_hash, "closed", 0)
    assert chain_problems(case, events) == []


def test_a_changed_event_a_lost_last_event_and_a_drifted_state_are_each_named():
    events = _log(("", "received"), ("received", "awaiting_allocation"), ("x", "x"))
    head = events[-1].stored_hash
    changed = replace(events[0], content={"sequence": 1, "from": "", "to": "refused"})
    case = StoredCase(1, "C-1", head, "closed", 0)
    assert chain_problems(case, [changed, events[1]]) == [
        "Event 1 does not match its hash: it was changed, inserted or an event before it was "
        "removed outside Fairhear.",
        "Its last event is number 2, not the last one Fairhear wrote: events were removed or "
        "added outside Fairhear.",
        "It is stored as “Closed” but its events leave it “Awaiting allocation”.",
    ]
