"""Pack validation: break a shipped pack one thing at a time and check that the problem names the
file, the field (as a dotted path) and what is wrong, in plain words (BRIEF core idea 1)."""

from pathlib import Path

import pytest

from fairhear.domain.policy.golden import golden_failures
from fairhear.domain.policy.load import (
    PACKS_DIR,
    PackInvalid,
    PackProblem,
    load_pack_file,
    load_pack_text,
    load_shipped_pack,
)

PIVOTAL_TEXT = (PACKS_DIR / "pivotal.toml").read_text(encoding="utf-8")
MMBM_TEXT = (PACKS_DIR / "mmbm.toml").read_text(encoding="utf-8")
CODE_TEXT = (PACKS_DIR / "hos-code-2024.toml").read_text(encoding="utf-8")

ALLOCATION_CLOCK = """[clocks.allocation_due]
label = "Allocate a Service Manager"
starts_from = "received"
working_days = 2
met_by = "allocated"
"""


def edit(text: str, old: str, new: str) -> str:
    """`text` with the one occurrence of `old` replaced by `new`."""
    assert text.count(old) == 1, f"expected exactly one {old!r} in the pack"
    return text.replace(old, new)


def problems_after(old: str, new: str, *, text: str = PIVOTAL_TEXT) -> list[PackProblem]:
    """The problems reported for the Pivotal pack with one edit made."""
    with pytest.raises(PackInvalid) as caught:
        load_pack_text(edit(text, old, new), source="pivotal.toml")
    return caught.value.problems


def only(problems: list[PackProblem]) -> PackProblem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


@pytest.mark.parametrize(("name", "text"), [("pivotal", PIVOTAL_TEXT), ("mmbm", MMBM_TEXT)])
def test_the_shipped_packs_load_from_their_text(name, text):
    """The starting point of every test below: the unbroken text is valid."""
    assert load_pack_text(text, source=f"{name}.toml").name == name
    assert load_pack_text(CODE_TEXT, source="hos-code-2024.toml").name == "hos-code-2024"


def test_a_missing_field_is_named_with_its_path():
    problem = only(problems_after('label = "Allocate a Service Manager"\n', ""))
    assert problem.source == "pivotal.toml"
    assert problem.field == "clocks.allocation_due.label"
    assert problem.message == "is missing; give it some text."
    assert str(problem) == (
        "pivotal.toml: clocks.allocation_due.label: is missing; give it some text."
    )


def test_a_missing_table_says_how_to_add_it():
    start = PIVOTAL_TEXT.index("[time_limit]")
    end = PIVOTAL_TEXT.index("[clocks.log_and_notify_due]")
    problems = problems_after(PIVOTAL_TEXT[start:end], "")
    assert problems[0].field == "time_limit"
    assert problems[0].message == "is missing; add a [time_limit] table."


def test_a_missing_duration_asks_for_one_unit():
    problem = only(
        problems_after(ALLOCATION_CLOCK, ALLOCATION_CLOCK.replace("working_days = 2\n", ""))
    )
    assert problem.field == "clocks.allocation_due"
    assert problem.message == "needs exactly one of working_days, calendar_days or months."


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            ALLOCATION_CLOCK,
            ALLOCATION_CLOCK.replace("working_days = 2", 'working_days = "2"'),
            "clocks.allocation_due.working_days",
            "must be a whole number from 0 to 2,000; got the text '2'.",
        ),
        (
            ALLOCATION_CLOCK,
            ALLOCATION_CLOCK.replace("working_days = 2", "working_days = 2.5"),
            "clocks.allocation_due.working_days",
            "must be a whole number from 0 to 2,000; got the number 2.5.",
        ),
        (
            "months = 6\n",
            "months = 0\n",
            "time_limit.months",
            "must be from 1 to 120; got 0.",
        ),
        (
            "exceptional_circumstances = false\n",
            'exceptional_circumstances = "no"\n',
            "time_limit.exceptional_circumstances",
            "must be true or false, not the text 'no'.",
        ),
        (
            'label = "Allocate a Service Manager"',
            "label = 3",
            "clocks.allocation_due.label",
            "must be non-empty text, not the number 3.",
        ),
        (
            'met_by = "acknowledged"',
            "met_by = 1",
            "clocks.acknowledgement_due.met_by",
            "must be a name or a list of names in quotes.",
        ),
        (
            'purpose = "window"\nstarts_from = ["stage1_response_received"',
            'purpose = "deadline-ish"\nstarts_from = ["stage1_response_received"',
            "clocks.appeal_request_due.purpose",
            "is 'deadline-ish'; use one of 'deadline', 'window', 'limit'.",
        ),
        (
            'handler = "review"',
            'handler = "slt"',
            "stages[1].handler",
            "is 'slt'; use one of 'log', 'allocate', 'investigate', 'review', 'direct', "
            "'lead', 'administer'.",
        ),
    ],
)
def test_a_wrong_type_says_what_was_found(old, new, field, message):
    problem = only(problems_after(old, new))
    assert (problem.source, problem.field, problem.message) == ("pivotal.toml", field, message)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        # A table where text belongs, in the fields that name another part of the pack: these
        # used to crash with "unhashable type" instead of naming the field.
        (
            'acknowledgement_clock = "acknowledgement_due"',
            'acknowledgement_clock = ["acknowledgement_due"]',
            "stages[0].acknowledgement_clock",
        ),
        (
            'request_clock = "appeal_request_due"',
            'request_clock = ["appeal_request_due"]',
            "stages[1].request_clock",
        ),
        (
            'closes_with = "final_response"',
            'closes_with = ["final_response"]',
            "stages[1].closes_with",
        ),
        (
            'up_to_clock = "stage1_extended_response_due"',
            'up_to_clock = ["stage1_extended_response_due"]',
            "clocks.stage1_response_due.extension.up_to_clock",
        ),
        (
            'category = "safeguarding"\n[golden.expect]',
            'category = ["safeguarding"]\n[golden.expect]',
            "golden[5].category",
        ),
    ],
)
def test_a_list_where_a_name_belongs_is_a_problem_not_a_crash(old, new, field):
    problems = problems_after(old, new)
    assert problems[0].field == field
    assert problems[0].message == "must be non-empty text, not a list."
    # A follow-on problem (a final stage then has no closure reason) names the same field.
    assert {p.field for p in problems} == {field}


def test_a_list_where_a_clock_name_belongs_in_starts_no_later_than():
    with pytest.raises(PackInvalid) as caught:
        load_pack_text(
            edit(
                CODE_TEXT,
                'starts_no_later_than = "stage1_acknowledgement_due"',
                'starts_no_later_than = ["stage1_acknowledgement_due"]',
            ),
            source="hos-code-2024.toml",
        )
    problem = only(caught.value.problems)
    assert str(problem) == (
        "hos-code-2024.toml: clocks.stage1_response_due.starts_no_later_than: "
        "must be non-empty text, not a list."
    )


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (ALLOCATION_CLOCK, ALLOCATION_CLOCK + 'colour = "red"\n', "clocks.allocation_due.colour"),
        # A misspelt field is an unknown field, not a silently ignored one.
        (
            'stopped_by = "stage2_request_refused"',
            'stoped_by = "stage2_request_refused"',
            "clocks.appeal_response_due.stoped_by",
        ),
        ("different_handler = true", "diferent_handler = true", "stages[1].diferent_handler"),
        ("satisfied = true", "satisfied = true\nweight = 2", "closure_reasons[0].weight"),
    ],
)
def test_an_unknown_field_lists_the_known_ones(old, new, field):
    problem = only(problems_after(old, new))
    assert problem.field == field
    assert problem.message.startswith("is not a field Fairhear knows here; expected one of ")


def test_a_misspelt_only_ending_is_unknown_and_leaves_the_clock_with_no_ending():
    # Pivotal's auto_close_due is a window with no met_by: stopped_by is all that ends it.
    problems = problems_after(
        'stopped_by = ["stage2_requested", "communication_received", "auto_close_held"]',
        'stoped_by = ["stage2_requested", "communication_received", "auto_close_held"]',
    )
    assert [(p.field, p.message) for p in problems][1:] == [
        ("clocks.auto_close_due", "needs met_by or stopped_by: what ends this deadline?")
    ]
    assert problems[0].field == "clocks.auto_close_due.stoped_by"
    assert problems[0].message.startswith("is not a field Fairhear knows here; expected one of ")


def test_an_unknown_field_in_a_clock_names_the_fields_it_may_have():
    problem = only(problems_after(ALLOCATION_CLOCK, ALLOCATION_CLOCK + "due_in = 2\n"))
    for known in ("starts_from", "met_by", "stopped_by", "working_days", "calendar_days", "months"):
        assert known in problem.message


def test_an_unknown_top_level_table():
    problem = only(problems_after("[auto_close]", "[kpis]\nmonthly = true\n\n[auto_close]"))
    assert problem.field == "kpis"
    assert "is not a field Fairhear knows here" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "field", "event"),
    [
        (
            'starts_from = "allocated"',
            'starts_from = "assigned"',
            "clocks.acknowledgement_due.starts_from",
            "assigned",
        ),
        # Pivotal has 2 stages, so stage 3 events do not exist for it.
        (
            'starts_from = "stage2_requested"\nworking_days = 3',
            'starts_from = "stage3_requested"\nworking_days = 3',
            "clocks.appeal_acknowledgement_due.starts_from",
            "stage3_requested",
        ),
        (
            'met_by = "stage2_acknowledged"',
            'met_by = "appeal_acknowledged"',
            "clocks.appeal_acknowledgement_due.met_by",
            "appeal_acknowledged",
        ),
        (
            'stopped_by = ["stage2_requested", "communication_received", "auto_close_held"]',
            'stopped_by = ["stage2_requested", "complainant_replied", "auto_close_held"]',
            "clocks.auto_close_due.stopped_by",
            "complainant_replied",
        ),
    ],
)
def test_an_unknown_event_name_is_named_with_the_known_ones(old, new, field, event):
    problem = only(problems_after(old, new))
    assert problem.field == field
    assert problem.message.startswith(
        f"names the event {event!r}, which is not one Fairhear records for a 2-stage pack; "
        "use one of "
    )
    assert "stage2_requested" in problem.message
    assert "stage1_response_received" in problem.message


def test_a_stage_3_event_is_known_to_a_3_stage_pack():
    """MMBM has 3 stages, so its stage3_outcome_due may start from stage3_requested."""
    assert load_pack_text(MMBM_TEXT).clocks["stage3_outcome_due"].starts_from == (
        "stage3_requested",
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "clock"),
    [
        (
            'response_clock = "appeal_response_due"',
            'response_clock = "appeal_reply_due"',
            "stages[1].response_clock",
            "appeal_reply_due",
        ),
        (
            'acknowledgement_clock = "acknowledgement_due"',
            'acknowledgement_clock = "ack_due"',
            "stages[0].acknowledgement_clock",
            "ack_due",
        ),
        (
            'request_clock = "appeal_request_due"',
            'request_clock = "appeal_window"',
            "stages[1].request_clock",
            "appeal_window",
        ),
        (
            'clock = "auto_close_due"',
            'clock = "autoclose_due"',
            "auto_close.clock",
            "autoclose_due",
        ),
        (
            'up_to_clock = "stage1_extended_response_due"',
            'up_to_clock = "stage1_limit"',
            "clocks.stage1_response_due.extension.up_to_clock",
            "stage1_limit",
        ),
        (
            "stage1_extended_response_due = 2024-01-24",
            "stage1_extension_limit = 2024-01-24",
            "golden[0].expect.stage1_extension_limit",
            "stage1_extension_limit",
        ),
    ],
)
def test_a_clock_referenced_but_not_defined(old, new, field, clock):
    problem = only(problems_after(old, new))
    assert problem.field == field
    assert problem.message == f"names the clock {clock!r}, which is not defined under [clocks]."


def test_a_restriction_review_clock_that_is_not_defined():
    with pytest.raises(PackInvalid) as caught:
        load_pack_text(
            edit(MMBM_TEXT, 'review_clock = "restriction_review_due"', 'review_clock = "review"'),
            source="mmbm.toml",
        )
    problem = only(caught.value.problems)
    assert str(problem) == (
        "mmbm.toml: restrictions.review_clock: names the clock 'review', which is not defined "
        "under [clocks]."
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            'code = "6.1b"',
            'code = "6.1a"',
            "refusal_reasons[1].code",
            "'6.1a' is used twice in refusal_reasons; codes must be unique.",
        ),
        (
            'code = "10.1b"',
            'code = "10.1a"',
            "closure_reasons[1].code",
            "'10.1a' is used twice in closure_reasons; codes must be unique.",
        ),
        (
            'code = "communication"',
            'code = "repairs"',
            "categories[5].code",
            "'repairs' is used twice in categories; codes must be unique.",
        ),
    ],
)
def test_a_duplicate_reason_code(old, new, field, message):
    problem = only(problems_after(old, new))
    assert (problem.field, problem.message) == (field, message)


@pytest.mark.parametrize(
    ("extra", "listed"),
    [
        ("calendar_days = 2\n", "working_days, calendar_days"),
        ("months = 1\n", "working_days, months"),
    ],
)
def test_two_duration_units(extra, listed):
    problem = only(problems_after(ALLOCATION_CLOCK, ALLOCATION_CLOCK + extra))
    assert problem.field == "clocks.allocation_due"
    assert problem.message == (
        f"needs exactly one of working_days, calendar_days or months; it has {listed}."
    )


def test_an_extension_with_both_kinds_of_limit():
    problem = only(
        problems_after(
            'up_to_clock = "stage1_extended_response_due"\n',
            'up_to_clock = "stage1_extended_response_due"\nby_at_most = { working_days = 10 }\n',
        )
    )
    assert problem.field == "clocks.stage1_response_due.extension"
    assert problem.message == "give either up_to_clock or by_at_most, not both."


def test_the_last_stage_must_be_final():
    problem = only(
        problems_after(
            'final = true\ncloses_with = "final_response"',
            'final = false\ncloses_with = "final_response"',
        )
    )
    assert problem.field == "stages[1].final"
    assert problem.message == "the last stage must say final = true."


def test_a_final_stage_must_name_its_closure_reason():
    problem = only(problems_after('closes_with = "final_response"\n', ""))
    assert problem.field == "stages[1].closes_with"
    assert problem.message == "a final stage must name the closure reason."


REFUSED_CLOSES_WITH = 'request_refused_closes_with = "appeal_not_accepted"\n'


def test_a_stage_without_a_closure_reason_for_refusals_still_loads():
    # Published versions never change, so packs written before stages named this reason must
    # keep loading; a refusal then closes with Fairhear's generic "escalation_refused".
    pack = load_pack_text(edit(PIVOTAL_TEXT, REFUSED_CLOSES_WITH, ""), source="pivotal.toml")
    assert pack.stage(2).request_refused_closes_with is None


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).parent / "published").glob("*.toml")), ids=lambda p: p.stem
)
def test_every_pack_text_ever_shipped_still_loads_and_its_examples_pass(path):
    # A case keeps the policy version it was opened under, stored as its text: the loader must
    # read every format it has ever accepted.
    pack = load_pack_text(path.read_text(encoding="utf-8"), source=path.name)
    assert golden_failures(pack) == []


def test_the_closure_reason_for_a_refused_request_must_be_a_closure_reason():
    problem = only(
        problems_after(REFUSED_CLOSES_WITH, 'request_refused_closes_with = "appeal_refused"\n')
    )
    assert problem.field == "stages[1].request_refused_closes_with"
    assert problem.message == "'appeal_refused' is not a closure reason."


def test_a_stage_whose_requests_may_not_be_refused_needs_no_closure_reason_for_refusal():
    text = edit(PIVOTAL_TEXT, REFUSED_CLOSES_WITH, "")
    text = edit(text, "may_refuse_request = true\n", "may_refuse_request = false\n")
    pack = load_pack_text(text, source="pivotal.toml")
    assert pack.stage(2).request_refused_closes_with is None
    assert load_shipped_pack("pivotal").stage(2).request_refused_closes_with == (
        "appeal_not_accepted"
    )


def test_stages_must_be_numbered_in_order():
    problem = only(problems_after("number = 2\n", "number = 3\n"))
    assert problem.field == "stages"
    assert problem.message == "must be numbered 1, 2, 3 … in order; they are numbered [1, 3]."


def test_a_deadline_needs_something_to_end_it():
    problem = only(problems_after('met_by = "allocated"\n', ""))
    assert problem.field == "clocks.allocation_due"
    assert problem.message == "needs met_by or stopped_by: what ends this deadline?"


def test_an_exempt_category_must_be_a_category():
    problem = only(
        problems_after(
            'exempt_categories = ["safeguarding", "health_and_safety"]',
            'exempt_categories = ["safeguarding", "health-and-safety"]',
        )
    )
    assert problem.field == "time_limit.exempt_categories"
    assert problem.message == (
        "names the category 'health-and-safety', which is not listed under [[categories]]."
    )


def test_an_unknown_closure_reason_for_auto_close():
    problem = only(problems_after('reason = "10.1c"', 'reason = "10.1z"'))
    assert (problem.field, problem.message) == (
        "auto_close.reason",
        "is not one of the closure reasons.",
    )


def test_invalid_toml_names_the_file_and_the_line():
    problem = only(problems_after("[pack]\n", "[pack\n"))
    assert problem.source == "pivotal.toml"
    assert problem.field == ""
    assert problem.message.startswith("is not valid TOML (")
    assert "line 5" in problem.message
    assert str(problem).startswith("pivotal.toml: is not valid TOML (")


def test_every_problem_is_reported_not_just_the_first():
    text = edit(PIVOTAL_TEXT, 'code = "6.1b"', 'code = "6.1a"')
    text = edit(text, 'label = "Allocate a Service Manager"\n', "")
    with pytest.raises(PackInvalid) as caught:
        load_pack_text(text, source="pivotal.toml")
    fields = {p.field for p in caught.value.problems}
    assert fields == {"clocks.allocation_due.label", "refusal_reasons[1].code"}
    assert str(caught.value).count("\n") == 1  # one line per problem


def test_a_pack_file_is_named_by_its_file_name(tmp_path):
    path = tmp_path / "our-policy.toml"
    path.write_text(
        edit(PIVOTAL_TEXT, ALLOCATION_CLOCK, ALLOCATION_CLOCK.replace("working_days", "workdays"))
    )
    with pytest.raises(PackInvalid) as caught:
        load_pack_file(path)
    assert {str(p) for p in caught.value.problems} == {
        "our-policy.toml: clocks.allocation_due.workdays: is not a field Fairhear knows here; "
        "expected one of calendar_days, cites, extension, label, met_by, months, note, purpose, "
        "remind_before, starts_from, starts_no_later_than, stopped_by, working_days.",
        "our-policy.toml: clocks.allocation_due: needs exactly one of working_days, "
        "calendar_days or months.",
    }


def test_a_missing_file_and_a_file_that_is_not_text(tmp_path):
    with pytest.raises(PackInvalid, match="no such file"):
        load_pack_file(tmp_path / "absent.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00not text")
    with pytest.raises(PackInvalid, match="is not UTF-8 text"):
        load_pack_file(binary)


def test_an_unknown_shipped_pack_name_lists_the_shipped_ones():
    with pytest.raises(PackInvalid) as caught:
        load_shipped_pack("pivot")
    assert str(caught.value) == (
        "pivot: is not a shipped pack; choose one of hos-code-2024, mmbm, pivotal or give the "
        "path of a .toml file."
    )


# ---------------------------------------------------------------------------------------------
# Golden cases: a pack whose own worked examples fail is not valid.


def test_a_golden_case_expecting_a_wrong_date_is_reported():
    """Pivotal golden[0]: the stage 1 response is due Wed 10 Jan 2024, not Thu 11 Jan."""
    pack = load_pack_text(
        edit(PIVOTAL_TEXT, "stage1_response_due = 2024-01-10", "stage1_response_due = 2024-01-11")
    )
    assert golden_failures(pack) == [
        "golden[0] 'Received the Friday before Christmas 2023, in time by exactly 6 months': "
        "stage1_response_due should be Thu 11 Jan 2024 but the pack gives Wed 10 Jan 2024."
    ]


def test_a_golden_case_expecting_not_started_for_a_running_clock():
    pack = load_pack_text(
        edit(MMBM_TEXT, "stage3_outcome_due = 2024-12-31", 'stage3_outcome_due = "not started"')
    )
    (failure,) = golden_failures(pack)
    assert failure.endswith(
        "stage3_outcome_due should be not started but the pack gives Tue 31 Dec 2024."
    )


def test_a_golden_case_expecting_the_wrong_verdict_is_reported():
    pack = load_pack_text(
        edit(
            PIVOTAL_TEXT,
            "incident_date = 2024-02-29\n[golden.expect]\nin_time = false",
            "incident_date = 2024-02-29\n[golden.expect]\nin_time = true",
        )
    )
    (failure,) = golden_failures(pack)
    assert failure.startswith("golden[4] 'Out of time: one day more than 6 months after a 29 ")
    assert "in_time should be true but the pack says false: Received Fri 30 Aug 2024" in failure


def test_a_golden_case_whose_rule_changed_is_reported():
    """Changing a rule without updating its worked examples is caught: Appendix 1's "of
    receipt" reading of the acknowledgement moves golden[0], golden[1] and golden[6]."""
    pack = load_pack_text(
        edit(
            PIVOTAL_TEXT,
            'starts_from = "allocated"\nworking_days = 2',
            'starts_from = "received"\nworking_days = 2',
        )
    )
    failures = golden_failures(pack)
    assert [f.split(" ", 1)[0] for f in failures] == ["golden[0]", "golden[1]", "golden[6]"]
    assert failures[0].endswith(
        "acknowledgement_due should be Tue 2 Jan 2024 but the pack gives Thu 28 Dec 2023."
    )


def test_a_golden_timestamp_without_an_offset_is_reported():
    pack = load_pack_text(
        edit(
            PIVOTAL_TEXT,
            'received = "2024-04-04T23:30:00+00:00"',
            'received = "2024-04-04T23:30:00"',
        )
    )
    (failure,) = golden_failures(pack)
    assert "has no UTC offset" in failure


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "stage1_response_due = 2024-01-10",
            'stage1_response_due = "10 Jan 2024"',
            "golden[0].expect.stage1_response_due",
            'must be a date such as 2024-01-09, or "not started".',
        ),
        (
            "incident_date = 2023-06-22",
            'incident_date = "22 June 2023"',
            "golden[0].incident_date",
            "must be a date such as 2023-06-30.",
        ),
        (
            'category = "repairs"',
            'category = "plumbing"',
            "golden[1].category",
            "'plumbing' is not a category.",
        ),
        # Used to be silently ignored, so the example checked nothing.
        (
            'category = "safeguarding"\n[golden.expect]\nin_time = true',
            'category = "safeguarding"\n[golden.expect]\nin_time = "yes"',
            "golden[5].expect.in_time",
            "must be true or false, not the text 'yes'.",
        ),
    ],
)
def test_a_malformed_golden_case(old, new, field, message):
    problem = only(problems_after(old, new))
    assert (problem.field, problem.message) == (field, message)


def test_the_time_limits_refusal_reason_must_be_a_refusal_reason():
    # Pivotal §6.1 a: an out-of-time complaint is refused with reason 6.1a.
    assert load_shipped_pack("pivotal").time_limit.refusal_reason == "6.1a"
    problem = only(problems_after('refusal_reason = "6.1a"\n', 'refusal_reason = "6.1z"\n'))
    assert problem.field == "time_limit.refusal_reason"
    assert problem.message == "'6.1z' is not one of the refusal reasons."


def test_an_extension_says_whether_a_later_date_may_count_and_who_agrees_it():
    # Pivotal §9 stage 1 step 7: beyond 20 days "an alternative timeframe must be agreed with
    # the customer"; an older pack without the fields keeps a hard limit.
    ext = load_shipped_pack("pivotal").clocks["stage1_response_due"].extension
    assert (ext.beyond_limit.value, ext.agreed_by) == ("good_reason", "the customer")
    published = Path(__file__).parent / "published" / "pivotal-3.0-first-published.toml"
    old = load_pack_file(published).clocks["stage1_response_due"].extension
    assert (old.beyond_limit.value, old.agreed_by) == ("hard", "")


def test_an_unknown_beyond_limit_value_and_a_stray_agreed_by_are_named():
    problem = only(problems_after('beyond_limit = "good_reason"\n', 'beyond_limit = "sometimes"\n'))
    assert problem.field == "clocks.stage1_response_due.extension.beyond_limit"
    assert problem.message == "is 'sometimes'; use one of 'hard', 'good_reason'."
    problem = only(problems_after('beyond_limit = "good_reason"\n', ""))
    assert problem.field == "clocks.stage1_response_due.extension.agreed_by"
    assert problem.message == (
        'only means something with beyond_limit = "good_reason"; add that or remove it.'
    )


def test_remind_before_is_a_whole_number_of_days_on_a_deadline():
    allocation = 'App. 1"\nremind_before = 1\n\n[clocks.acknowledgement_due]'
    problem = only(problems_after(allocation, allocation.replace("= 1", "= -1")))
    assert problem.field == "clocks.allocation_due.remind_before"
    assert problem.message == "must be from 0 to 60; got -1."
    window = 'purpose = "window"\nstarts_from = "stage1_response_sent"\n'
    problem = only(problems_after(window, window + "remind_before = 2\n"))
    assert problem.field == "clocks.auto_close_due.remind_before"
    assert problem.message == "only a deadline is reminded; this clock is a window. Remove it."
