"""Which event is which milestone (fairhear/domain/history.py), with no database.

The clocks, the case page and every report read a case's events through this one mapping, so
each event kind is checked here: the milestone it gives, on which date, at which stage.
"""

from datetime import date

import pytest

from fairhear.domain.history import EventRecord, milestones
from fairhear.domain.lifecycle import Action
from fairhear.domain.policy.evaluate import AgreedExtension, Occurrence
from fairhear.domain.policy.load import load_shipped_pack
from fairhear.domain.policy.schema import milestone_names

MON = date(2024, 6, 3)
TUE = date(2024, 6, 4)


def record(kind: Action, stage: int = 1, on: date = MON, recorded_on: date | None = None, **data):
    return EventRecord(kind=kind, stage=stage, on=on, recorded_on=recorded_on or on, data=data)


def names(records: list[EventRecord]) -> list[tuple[str, date]]:
    occurrences, _ = milestones(records)
    return [(o.name, o.on) for o in occurrences]


def test_receipt_gives_received_on_its_date_and_logged_on_the_day_it_reached_the_log():
    # Pivotal §9 stage 1 step 3 and §13.1: the colleague logs it within 1 working day of
    # receiving it, so receipt and logging are two milestones.
    assert names([record(Action.RECEIVE, stage=0, on=MON, recorded_on=TUE)]) == [
        ("received", MON),
        ("logged", TUE),
    ]


def test_a_service_request_logged_as_a_complaint_is_received_and_logged_again():
    # KPIS.md: a converted service request counts from the moment it became a complaint.
    records = [
        record(Action.RECEIVE, stage=0, on=MON),
        record(Action.CONVERT_TO_COMPLAINT, stage=0, on=TUE),
    ]
    assert names(records) == [
        ("received", MON),
        ("logged", MON),
        ("received", TUE),
        ("logged", TUE),
    ]


@pytest.mark.parametrize(
    ("kind", "stage", "data", "expected"),
    [
        (Action.START_LOCAL_RESOLUTION, 0, {}, "local_resolution_contacted"),
        (Action.REFUSE, 0, {"reason_code": "6.1b"}, "refused"),
        # MMBM §8 and §8.1: acceptance into stage 1 ends the local resolution attempt.
        (Action.ACCEPT, 1, {}, "accepted"),
        # Stage 1 milestones are named plainly, later ones carry their number.
        (Action.ALLOCATE, 1, {"handler_id": 1}, "allocated"),
        (Action.ALLOCATE, 2, {"handler_id": 2}, "stage2_allocated"),
        (Action.ALLOCATE, 3, {"handler_id": 3}, "stage3_allocated"),
        (Action.ACKNOWLEDGE, 1, {}, "acknowledged"),
        (Action.ACKNOWLEDGE, 2, {}, "stage2_acknowledged"),
        (Action.ACKNOWLEDGE, 3, {}, "stage3_acknowledged"),
        # Responses always carry the stage number.
        (Action.RESPOND, 1, {"closes_case": False}, "stage1_response_sent"),
        (Action.RESPOND, 2, {}, "stage2_response_sent"),
        # Escalation milestones are named by the stage asked for, not the stage the case is at.
        (Action.REQUEST_ESCALATION, 1, {"to_stage": 2}, "stage2_requested"),
        (Action.REQUEST_ESCALATION, 2, {"to_stage": 3}, "stage3_requested"),
        (Action.ACCEPT_ESCALATION, 2, {"to_stage": 2}, "stage2_request_accepted"),
        (Action.ACCEPT_ESCALATION, 3, {"to_stage": 3}, "stage3_request_accepted"),
        # Every way of closing a complaint is the one milestone "closed".
        (Action.CLOSE, 1, {"reason_code": "10.1a"}, "closed"),
        (Action.AUTO_CLOSE, 1, {"reason_code": "10.1c"}, "closed"),
        (Action.RESOLVE_LOCALLY, 0, {"reason_code": "resolved_locally"}, "closed"),
        # MMBM §9: restrictions are reviewed every six months from the last review.
        (Action.APPLY_RESTRICTION, 1, {}, "restriction_applied"),
        (Action.REVIEW_RESTRICTION, 1, {}, "restriction_reviewed"),
        (Action.LIFT_RESTRICTION, 1, {}, "restriction_lifted"),
    ],
)
def test_each_event_gives_its_milestone_on_the_date_it_happened(kind, stage, data, expected):
    assert names([record(kind, stage=stage, on=TUE, recorded_on=MON, **data)]) == [(expected, TUE)]


def test_the_receipt_of_a_response_is_named_by_the_stage_of_that_response():
    # Pivotal §9 stage 2 point 1: the appeal window runs from when the stage 1 response was
    # received, whatever stage the case has reached when the receipt is recorded.
    assert names([record(Action.RECORD_RESPONSE_RECEIPT, stage=1, response_stage=1)]) == [
        ("stage1_response_received", MON)
    ]
    assert names([record(Action.RECORD_RESPONSE_RECEIPT, stage=2, response_stage=1)]) == [
        ("stage1_response_received", MON)
    ]
    # Without the response's stage, the event's own stage is used.
    assert names([record(Action.RECORD_RESPONSE_RECEIPT, stage=2)]) == [
        ("stage2_response_received", MON)
    ]


def test_a_final_response_is_also_the_closure():
    # Pivotal §9 stage 2 point 6: the SLT member's response is final and closes the case.
    final = record(Action.RESPOND, stage=2, on=TUE, closes_case=True, final=True)
    assert names([final]) == [("stage2_response_sent", TUE), ("closed", TUE)]


@pytest.mark.parametrize(
    ("stage", "data", "expected"),
    [
        # Pivotal §9 stage 2 point 5: an appeal not accepted leaves the stage 1 response final.
        (1, {"to_stage": 2, "reason_code": "appeal_not_accepted"}, "stage2_request_refused"),
        # MMBM §8.3.1: no Directors' appeal, so the stage 2 review is final.
        (2, {"to_stage": 3, "reason_code": "review_final"}, "stage3_request_refused"),
    ],
)
def test_a_refused_escalation_is_named_by_the_stage_asked_for_and_is_also_the_closure(
    stage, data, expected
):
    refused = record(Action.REFUSE_ESCALATION, stage=stage, on=TUE, recorded_on=MON, **data)
    assert names([refused]) == [(expected, TUE), ("closed", TUE)]


@pytest.mark.parametrize(
    "kind",
    [
        Action.EXTEND,
        Action.FORWARD_COMPLIMENT,
        Action.CLOSE_CONTACT,
        Action.RECORD_OMBUDSMAN_REFERRAL,
        Action.RECORD_FEEDBACK,
        Action.ASSESS_EXTENSION_REASON,
        Action.ADD_NOTE,
    ],
)
def test_events_that_start_or_meet_no_clock_give_no_milestone(kind):
    data = (
        {"clock": "stage1_response_due", "new_due": "2024-06-20"} if kind is Action.EXTEND else {}
    )
    assert names([record(kind, **data)]) == []


def test_an_extension_is_read_with_its_clock_new_date_and_the_day_the_complainant_was_told():
    records = [
        record(
            Action.EXTEND,
            clock="stage1_response_due",
            new_due="2024-06-21",
            told_on="2024-06-12",
        ),
        # KPIS.md: an extension the complainant was never told of is kept, with no told date.
        record(Action.EXTEND, clock="appeal_response_due", new_due="2024-07-31", told_on=None),
        record(Action.EXTEND, clock="appeal_response_due", new_due="2024-08-02"),
    ]
    occurrences, extensions = milestones(records)
    assert occurrences == []
    assert extensions == [
        AgreedExtension("stage1_response_due", date(2024, 6, 21), date(2024, 6, 12)),
        AgreedExtension("appeal_response_due", date(2024, 7, 31), None),
        AgreedExtension("appeal_response_due", date(2024, 8, 2), None),
    ]


def test_milestones_keep_the_order_of_the_events():
    records = [
        record(Action.RECEIVE, stage=0, on=date(2024, 6, 3)),
        record(Action.ACCEPT, stage=1, on=date(2024, 6, 3)),
        record(Action.ALLOCATE, stage=1, on=date(2024, 6, 4), handler_id=5),
        record(Action.ACKNOWLEDGE, stage=1, on=date(2024, 6, 5)),
        record(Action.RESPOND, stage=1, on=date(2024, 6, 14), closes_case=False),
        record(Action.RECORD_RESPONSE_RECEIPT, stage=1, on=date(2024, 6, 17), response_stage=1),
        record(Action.REQUEST_ESCALATION, stage=1, on=date(2024, 6, 26), to_stage=2),
        record(Action.ACCEPT_ESCALATION, stage=2, on=date(2024, 6, 27), to_stage=2),
        record(Action.ALLOCATE, stage=2, on=date(2024, 6, 27), handler_id=6),
        record(Action.ACKNOWLEDGE, stage=2, on=date(2024, 6, 28)),
        record(Action.RESPOND, stage=2, on=date(2024, 7, 19), closes_case=True),
    ]
    occurrences, _ = milestones(records)
    assert occurrences == [
        Occurrence("received", date(2024, 6, 3)),
        Occurrence("logged", date(2024, 6, 3)),
        Occurrence("accepted", date(2024, 6, 3)),
        Occurrence("allocated", date(2024, 6, 4)),
        Occurrence("acknowledged", date(2024, 6, 5)),
        Occurrence("stage1_response_sent", date(2024, 6, 14)),
        Occurrence("stage1_response_received", date(2024, 6, 17)),
        Occurrence("stage2_requested", date(2024, 6, 26)),
        Occurrence("stage2_request_accepted", date(2024, 6, 27)),
        Occurrence("stage2_allocated", date(2024, 6, 27)),
        Occurrence("stage2_acknowledged", date(2024, 6, 28)),
        Occurrence("stage2_response_sent", date(2024, 7, 19)),
        Occurrence("closed", date(2024, 7, 19)),
    ]


@pytest.mark.parametrize("pack_name", ["pivotal", "mmbm", "hos-code-2024"])
def test_every_milestone_an_event_can_give_is_one_the_pack_knows(pack_name):
    # A milestone the pack did not know would silently start or meet no clock.
    pack = load_shipped_pack(pack_name)
    known = set(milestone_names(pack.last_stage))
    data = {"to_stage": 2, "response_stage": 1, "closes_case": True, "handler_id": 1}
    data |= {"clock": "x", "new_due": "2024-06-20"}
    for stage in range(1, pack.last_stage + 1):
        for kind in Action:
            to_stage = {"to_stage": min(stage + 1, pack.last_stage)}
            for name, _ in names([record(kind, stage=stage, **(data | to_stage))]):
                assert name in known, (pack_name, kind, stage, name)
