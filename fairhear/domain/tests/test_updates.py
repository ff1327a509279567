"""Agreed update intervals (Pivotal §11.2 b and e; MMBM §8.1.2; Code 5.9): the next update is
due N working days after the last thing sent to the complainant; `[updates]` in a pack."""

from datetime import date

import pytest

from fairhear.domain.calendar import WorkingDayCalendar
from fairhear.domain.history import EventRecord
from fairhear.domain.lifecycle import Action
from fairhear.domain.policy.load import PACKS_DIR, PackInvalid, load_pack_text
from fairhear.domain.updates import update_plan

CAL = WorkingDayCalendar()
PIVOTAL_TEXT = (PACKS_DIR / "pivotal.toml").read_text(encoding="utf-8")


def rec(kind: Action, on: date, **data) -> EventRecord:
    return EventRecord(kind=kind, stage=1, on=on, recorded_on=on, data=data)


def test_nothing_is_due_until_an_interval_is_agreed():
    assert update_plan([rec(Action.ACKNOWLEDGE, date(2023, 12, 18))], CAL) is None


def test_the_next_update_counts_working_days_from_the_last_one_sent_over_christmas():
    records = [
        rec(Action.ACKNOWLEDGE, date(2023, 12, 18)),
        rec(Action.AGREE_UPDATES, date(2023, 12, 18), every=5),
    ]
    # Tue 19 (1) … Fri 22 (4), [25 and 26 Dec], Wed 27 Dec (5).
    assert update_plan(records, CAL).due == date(2023, 12, 27)
    # A call from them is not an update; a call to them is: Thu 21 Dec + 5 is Tue 2 Jan 2024
    # (Fri 22, Wed 27, Thu 28, Fri 29, [Mon 1 Jan], Tue 2).
    records.append(rec(Action.RECORD_COMMUNICATION, date(2023, 12, 21), direction="in"))
    assert update_plan(records, CAL).due == date(2023, 12, 27)
    records.append(rec(Action.RECORD_COMMUNICATION, date(2023, 12, 21), direction="out"))
    plan = update_plan(records, CAL)
    assert (plan.last_update, plan.due) == (date(2023, 12, 21), date(2024, 1, 2))
    assert plan.label == "Update the complainant (agreed: every 5 working days)"


def test_a_later_agreement_replaces_the_earlier_interval():
    records = [
        rec(Action.AGREE_UPDATES, date(2024, 3, 4), every=5),
        rec(Action.AGREE_UPDATES, date(2024, 3, 6), every=1),
    ]
    assert update_plan(records, CAL).due == date(2024, 3, 7)


@pytest.mark.parametrize("value", ["0", "61", "2.5", '"ten"', "true"])
def test_a_pack_default_interval_outside_1_to_60_is_named_in_plain_words(value):
    text = PIVOTAL_TEXT.replace("default_every = 5", f"default_every = {value}")
    with pytest.raises(PackInvalid) as caught:
        load_pack_text(text, source="pivotal.toml")
    [problem] = caught.value.problems
    assert "updates.default_every" in str(problem)
    assert "whole number of working days from 1 to 60" in str(problem)
