"""The event kinds an organisation's history holds beyond a case's own stages: agreed update
intervals, keeping a case open that would close by itself, warnings about behaviour and
restrictions on contact, restricted access. Each small history below is written by hand, its
clocks worked out by hand, and it exports back to the same file."""

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from fairhear.accounts.models import Organisation
from fairhear.cases.services import cases_auto_close_sweep
from fairhear.cases.services.verification import cases_verify_log
from fairhear.importing.history import import_history
from fairhear.importing.history_export import export_history
from fairhear.importing.models import ImportedCase

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "history.json"

pytestmark = pytest.mark.django_db

LEAD = "maria.lopez@riverside.example"
HEAD = "priya.shah@riverside.example"
TOM = "tom.evans@riverside.example"
SAM = "sam.taylor@riverside.example"


def history(pack: str, *cases: dict) -> dict:
    """The shipped example's organisation and colleagues, under `pack`, with `cases`."""
    out = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    out["organisation"]["policy_pack"] = pack
    out["organisation"]["categories"] = []
    out["cases"] = list(cases)
    return out


def event(kind: str, at: str, by: str = LEAD, **data: object) -> dict:
    out = {"kind": kind, "at": at, "by": by}
    return out | ({"data": data} if data else {})


def complaint(ref: str, *events: dict, received: str = "2026-05-22T10:15:00+01:00") -> dict:
    return {
        "source_reference": ref,
        "kind": "complaint",
        "channel": "phone",
        "summary": "The repairs team shouted at me on the phone.",
        "complainant": {"name": "Alice Brown", "email": "alice.brown@example.org"},
        "events": [event("received", received, SAM), *events],
    }


# Pivotal, as far as the shipped example's first case goes: received Fri 22 May 2026,
# acknowledged Wed 27 May, the response sent Fri 5 June 2026.
STAGE1 = [
    event("accepted", "2026-05-26T09:00:00+01:00", HEAD),
    event("allocated", "2026-05-26T09:05:00+01:00", HEAD, handler=TOM),
    event(
        "acknowledged",
        "2026-05-27T11:00:00+01:00",
        TOM,
        understanding="The repairs team was rude on the phone.",
    ),
]
RESPONDED = [
    *STAGE1,
    event("signed_off", "2026-06-04T14:00:00+01:00", HEAD, step="response"),
    event(
        "response_sent",
        "2026-06-05T10:00:00+01:00",
        TOM,
        outcome="upheld",
        reasons="The call was listened to; the officer was rude.",
    ),
]


def imported(ref: str):
    return ImportedCase.objects.get(source_reference=ref).case


def round_trip(file: dict) -> None:
    """The export of what was imported is the file itself, and its log verifies."""
    exported = export_history(Organisation.objects.get(slug="riverside-homes"))
    assert exported == file
    check = cases_verify_log()
    assert check.clean, check.problems


def problems(file: dict) -> list[str]:
    return [str(p) for p in import_history(file, dry_run=True).problems]


# --- Agreed update intervals (Pivotal §11.2 b and e; Code 5.9) -------------------------------


def updates_file() -> dict:
    return history(
        "pivotal",
        complaint(
            "OLD-0101",
            *STAGE1,
            event(
                "update_interval_agreed",
                "2026-05-28T15:00:00+01:00",
                TOM,
                every=5,
                note="Mrs Brown would like a call every week.",
            ),
        ),
    )


def test_an_agreed_update_interval_sets_when_the_next_update_is_due():
    file = updates_file()
    import_history(file, dry_run=False)
    case = imported("OLD-0101")
    # Agreed on Thu 28 May 2026, every 5 working days; the conversation counts as an update:
    # Fri 29 May (1), Mon 1 Jun (2), Tue 2 (3), Wed 3 (4), Thu 4 Jun (5).
    assert case.clocks.get(name="updates_due").due == date(2026, 6, 4)
    assert case.events.get(kind="update_interval_agreed").actor.email == TOM
    round_trip(file)


def test_an_update_interval_that_is_not_a_number_of_days_is_reported():
    file = updates_file()
    file["cases"][0]["events"][-1]["data"]["every"] = "weekly"
    assert problems(file) == [
        "Case 1 (OLD-0101), event 5 (update_interval_agreed), field 'data.every': It should "
        "be a whole number such as 10, not 'weekly'."
    ]
    file["cases"][0]["events"][-1]["data"]["every"] = 90
    assert problems(file) == [
        "Case 1 (OLD-0101), event 5 (update_interval_agreed): Enter how many working days "
        "apart the updates will be, from 1 to 60, for example 5 for about once a week."
    ]


# --- Keeping open a case that would close by itself (Pivotal §10.1 c) ------------------------


def held_file() -> dict:
    return history(
        "pivotal",
        complaint(
            "OLD-0102",
            *RESPONDED,
            event(
                "auto_close_held",
                "2026-06-09T12:00:00+01:00",
                TOM,
                reason="A visit to check the new boiler is booked for 23 June.",
            ),
        ),
    )


def test_a_case_kept_open_is_not_closed_by_the_sweep_when_its_window_passes():
    file = held_file()
    import_history(file, dry_run=False)
    case = imported("OLD-0102")
    # Without the hold, §10.1 c closes it 10 working days after the response of Fri 5 June:
    # Mon 8 (1) ... Fri 12 (5), Mon 15 (6) ... Fri 19 June (10); the sweep of Mon 22 June
    # passes it by.
    window = case.clocks.get(name="auto_close_due")
    assert window.due == date(2026, 6, 19)
    assert window.status != "running"
    assert cases_auto_close_sweep(today=date(2026, 6, 22)) == []
    case.refresh_from_db()
    assert case.state == "responded"
    round_trip(file)


def test_keeping_open_without_a_reason_or_before_the_response_is_reported():
    file = held_file()
    file["cases"][0]["events"][-1]["data"] = {"reason": 3}
    assert problems(file) == [
        "Case 1 (OLD-0102), event 7 (auto_close_held), field 'data.reason': It should be text "
        "in quotes, not 3."
    ]
    # Before the response there is nothing to keep open.
    early = held_file()
    events = early["cases"][0]["events"]
    events.insert(4, events.pop())
    assert problems(early) == [
        "Case 1 (OLD-0102), event 5 (auto_close_held): “Keep the case open” is not possible "
        "while the case is “Investigating”."
    ]


# --- Warnings about behaviour and restrictions on contact (MMBM §9) --------------------------


def restrictions_file() -> dict:
    return history(
        "mmbm",
        complaint(
            "OLD-0201",
            event(
                "behaviour_warned",
                "2026-01-27T10:00:00+00:00",
                behaviour="Shouting at the repairs team on four calls.",
                how="letter",
                notice_sent_on="2026-01-27",
            ),
            event(
                "restriction_applied",
                "2026-03-02T10:00:00+00:00",
                restrictions="Contact by e-mail only, to the complaints team.",
                reason="The shouting went on after the warning.",
                notice_sent_on="2026-03-02",
            ),
            event(
                "behaviour_reported",
                "2026-03-02T11:00:00+00:00",
                told="Priya Shah, Head of Services",
                how="email",
            ),
            event(
                "restriction_reviewed",
                "2026-09-01T10:00:00+01:00",
                decision="Kept: the e-mails are still abusive.",
                notice_sent_on="2026-09-02",
            ),
            received="2026-01-19T10:15:00+00:00",
        ),
    )


def test_restrictions_are_reviewed_every_six_months_from_the_last_review():
    file = restrictions_file()
    import_history(file, dry_run=False)
    case = imported("OLD-0201")
    clocks = {c.name: c for c in case.clocks.all()}
    # MMBM §9: warned Tue 27 January 2026, a month's chance to change (the pack's choice) to
    # Fri 27 February; restrictions applied after it, on Mon 2 March 2026, and "review our
    # decision at least every six months": due Wed 2 September; reviewed the day before, Tue
    # 1 September 2026, so the next review is due six months on, Mon 1 March 2027.
    assert clocks["behaviour_change_due"].due == date(2026, 2, 27)
    assert clocks["restriction_review_due"].due == date(2027, 3, 1)
    assert case.events.get(kind="restriction_applied").data["notice_sent_on"] == "2026-03-02"
    round_trip(file)


def test_restrictions_lifted_end_the_reviews():
    file = restrictions_file()
    file["cases"][0]["events"].append(
        event("restriction_lifted", "2026-10-01T10:00:00+01:00", reason="No contact since.")
    )
    import_history(file, dry_run=False)
    review = imported("OLD-0201").clocks.get(name="restriction_review_due")
    assert review.status != "running"
    round_trip(file)


def test_restrictions_before_the_chance_to_change_has_passed_are_refused():
    file = restrictions_file()
    # Applied on Mon 2 February, before the warning's month is up on Fri 27 February (MMBM §9).
    file["cases"][0]["events"][2]["at"] = "2026-02-02T10:00:00+00:00"
    assert problems(file) == [
        "Case 1 (OLD-0201), event 3 (restriction_applied): The warning gave the person until "
        "Fri 27 Feb 2026 to change (§9); restrictions can be applied from the day after, if "
        "the behaviour goes on."
    ]
    file = restrictions_file()
    file["cases"][0]["events"][1]["data"]["notice_sent_on"] = "27/01/2026"
    assert problems(file) == [
        "Case 1 (OLD-0201), event 2 (behaviour_warned), field 'data.notice_sent_on': It "
        "should be a date such as 2026-05-22, not '27/01/2026'."
    ]


# --- Restricted access (Pivotal App. 3 E; MMBM 7.6) ------------------------------------------


def access_file() -> dict:
    return history(
        "pivotal",
        complaint(
            "OLD-0301",
            *STAGE1,
            event(
                "access_restricted",
                "2026-05-27T12:00:00+01:00",
                reason="It names a colleague's family.",
                named=[HEAD],
            ),
            event(
                "access_names_changed",
                "2026-05-28T09:00:00+01:00",
                named=[HEAD, "ruth.oduya@riverside.example"],
                reason="Ruth reviews it.",
            ),
        ),
    )


def test_restricted_access_keeps_who_may_see_the_case():
    file = access_file()
    import_history(file, dry_run=False)
    case = imported("OLD-0301")
    assert case.restricted_access is True
    assert sorted(u.email for u in case.access_named.all()) == [
        HEAD,
        "ruth.oduya@riverside.example",
    ]
    round_trip(file)


def test_access_restored_opens_the_case_again():
    file = access_file()
    file["cases"][0]["events"].append(
        event("access_unrestricted", "2026-06-01T09:00:00+01:00", reason="The family agreed.")
    )
    import_history(file, dry_run=False)
    case = imported("OLD-0301")
    assert case.restricted_access is False
    assert not case.access_named.exists()
    round_trip(file)


def test_access_for_someone_not_in_the_file_is_reported():
    file = access_file()
    file["cases"][0]["events"][4]["data"]["named"] = ["nobody@riverside.example"]
    assert problems(file) == [
        "Case 1 (OLD-0301), event 5 (access_restricted), field 'data.named': "
        "nobody@riverside.example is not in the file's colleagues."
    ]
    file["cases"][0]["events"][4]["data"]["named"] = HEAD
    assert problems(file) == [
        "Case 1 (OLD-0301), event 5 (access_restricted), field 'data.named': It should be a "
        f"list of colleagues' e-mail addresses, not {HEAD!r}."
    ]


def test_a_second_restriction_of_access_is_refused_as_in_fairhear():
    file = access_file()
    again = copy.deepcopy(file["cases"][0]["events"][4])
    file["cases"][0]["events"].append(again | {"at": "2026-05-29T09:00:00+01:00"})
    assert problems(file) == [
        "Case 1 (OLD-0301), event 7 (access_restricted): Access to this case is already "
        "restricted; change who may see it instead."
    ]


# --- Corrections of details (docs/adr/ADR-002) -----------------------------------------------


def corrected_file(**data: object) -> dict:
    case = complaint(
        "OLD-0401",
        *STAGE1,
        event(
            "details_corrected",
            "2026-05-28T10:00:00+01:00",
            TOM,
            **(
                {
                    "changes": {"tenure": "lcho", "service_area": "North housing"},
                    "reason": "Logged as a rented home; it is shared ownership.",
                }
                | data
            ),
        ),
    )
    return history("pivotal", case | {"tenure": "lcra", "incident_date": "2026-05-01"})


def test_a_correction_changes_the_details_and_records_them_before_and_after():
    file = corrected_file()
    import_history(file, dry_run=False)
    case = imported("OLD-0401")
    assert (case.tenure, case.service_area.name) == ("lcho", "North housing")
    corrected = case.events.get(kind="details_corrected")
    assert [(c["field"], c["from"], c["to"]) for c in corrected.data["changes"]] == [
        ("service_area", "not recorded", "North housing"),
        ("tenure", "Low-cost rental", "Low-cost home ownership"),
    ]
    round_trip(file)


def test_a_correction_that_puts_the_complaint_out_of_time_needs_its_confirmation():
    # Pivotal §6.1 a: received Fri 22 May 2026; an incident corrected to 1 May 2025 is more
    # than six months before it, so the complaint becomes out of time.
    file = corrected_file(changes={"incident_date": "2025-05-01"})
    said = problems(file)
    assert len(said) == 1
    assert said[0].startswith(
        "Case 1 (OLD-0401), event 5 (details_corrected), field 'data.confirm_effects': This "
        "correction changes the case: The complaint becomes out of time"
    )
    assert said[0].endswith(
        'Give "confirm_effects": true in its data to keep it, as the colleague who made it '
        "confirmed it."
    )
    file = corrected_file(changes={"incident_date": "2025-05-01"}, confirm_effects=True)
    import_history(file, dry_run=False)
    case = imported("OLD-0401")
    assert case.incident_date == date(2025, 5, 1)
    assert (
        case.events.get(kind="details_corrected")
        .data["effects"][0]
        .startswith("The complaint becomes out of time")
    )
    round_trip(file)


def test_a_correction_with_a_detail_of_the_wrong_sort_is_reported():
    file = corrected_file(changes={"tenure": 5})
    assert problems(file) == [
        "Case 1 (OLD-0401), event 5 (details_corrected), field 'data.changes': tenure should "
        "be text in quotes, not 5."
    ]
    file = corrected_file(changes={"handler": TOM})
    assert problems(file) == [
        "Case 1 (OLD-0401), event 5 (details_corrected), field 'data.changes': handler cannot "
        "be corrected; give some of summary, desired_outcome, categories, service_area, "
        "about_colleagues, incident_date, tenure, safeguarding, health_and_safety, "
        "anti_social_behaviour."
    ]
    file = corrected_file(changes={"about_colleagues": ["nobody@riverside.example"]})
    assert problems(file) == [
        "Case 1 (OLD-0401), event 5 (details_corrected), field 'data.changes': "
        "nobody@riverside.example is not in the file's colleagues."
    ]


def test_a_correction_of_what_it_is_about_and_who_exports_the_case_as_it_was_logged():
    file = corrected_file(
        changes={"categories": ["communication"], "about_colleagues": [SAM, HEAD]},
        reason="It is about how the call was handled, by Sam and Priya.",
    )
    file["cases"][0]["categories"] = ["repairs"]
    file["organisation"]["categories"] = ["repairs", "communication"]  # in the pack's order
    import_history(file, dry_run=False)
    case = imported("OLD-0401")
    assert case.categories == ["communication"]
    assert sorted(u.email for u in case.about_colleagues.all()) == [HEAD, SAM]
    round_trip(file)


def _with(file: dict, number: int, **data: object) -> dict:
    """`file` with event `number` (counting from 1) of its case holding `data` instead."""
    file["cases"][0]["events"][number - 1]["data"] = data
    return file


def _lifted() -> dict:
    file = restrictions_file()
    file["cases"][0]["events"].append(
        event("restriction_lifted", "2026-10-01T10:00:00+01:00", reason="No contact since.")
    )
    return file


def _unrestricted() -> dict:
    file = access_file()
    file["cases"][0]["events"].append(
        event("access_unrestricted", "2026-06-01T09:00:00+01:00", reason="The family agreed.")
    )
    return file


@pytest.mark.parametrize(
    ("file", "said"),
    [
        (
            lambda: _with(restrictions_file(), 4, told="Priya Shah", how="fax"),
            "Case 1 (OLD-0201), event 4 (behaviour_reported): Choose how they were told: "
            "e-mail, phone, in person or Teams.",
        ),
        (
            lambda: _with(restrictions_file(), 5, decision=" "),
            "Case 1 (OLD-0201), event 5 (restriction_reviewed): Record what the review decided.",
        ),
        (
            lambda: _with(_lifted(), 6, reason=["No contact since."]),
            "Case 1 (OLD-0201), event 6 (restriction_lifted), field 'data.reason': It should "
            "be text in quotes, not ['No contact since.'].",
        ),
        (
            lambda: _with(access_file(), 6, named=[HEAD, "nobody@riverside.example"]),
            "Case 1 (OLD-0301), event 6 (access_names_changed), field 'data.named': "
            "nobody@riverside.example is not in the file's colleagues.",
        ),
        (
            lambda: _with(_unrestricted(), 7),
            "Case 1 (OLD-0301), event 7 (access_unrestricted), field 'data.reason': This is "
            "needed.",
        ),
    ],
)
def test_a_bad_value_of_the_other_kinds_is_reported(file, said):
    assert problems(file()) == [said]


def test_the_records_fairhear_makes_itself_are_refused_with_what_a_file_may_hold():
    # They are dated when the sweep runs and their services take no time (docs/import.md).
    for kind in ("deadline_missed", "window_closed", "auto_closed"):
        file = held_file()
        file["cases"][0]["events"].append(event(kind, "2026-06-22T02:00:00+01:00"))
        said = problems(file)
        assert len(said) == 1
        assert said[0].startswith(
            f"Case 1 (OLD-0102), event 8 ({kind}), field 'kind': Fairhear does not import "
            f"'{kind}' events; use one of received, accepted,"
        )


def test_restrictions_imported_with_one_case_run_on_the_persons_other_cases():
    file = restrictions_file()
    # Alice Brown complains again on Mon 4 May 2026, while the restrictions are in force.
    file["cases"].append(
        complaint("OLD-0202", received="2026-05-04T09:30:00+01:00")
        | {"summary": "Nobody answers my e-mails about the repair."}
    )
    import_history(file, dry_run=False)
    first, second = imported("OLD-0201"), imported("OLD-0202")
    assert first.complainant_id == second.complainant_id
    # MMBM §9: the person's review is due on every case of theirs, Mon 1 March 2027.
    assert second.clocks.get(name="restriction_review_due").due == date(2027, 3, 1)
    round_trip(file)


def notice_file() -> dict:
    """Restrictions applied from OLD-0201 (its event 3) and, on Alice Brown's later complaint,
    the written notice of them recorded afterwards (MMBM §9: "confirmed in writing")."""
    file = restrictions_file()
    file["cases"][0]["events"] = file["cases"][0]["events"][:3]
    del file["cases"][0]["events"][2]["data"]["notice_sent_on"]
    later = complaint(
        "OLD-0202",
        event(
            "restriction_notice_sent",
            "2026-05-05T09:00:00+01:00",
            for_reference="OLD-0201",
            for_sequence=3,
            sent_on="2026-03-04",
        ),
        received="2026-05-04T09:30:00+01:00",
    )
    file["cases"].append(later | {"summary": "Nobody answers my e-mails about the repair."})
    return file


def test_a_written_notice_recorded_afterwards_names_the_step_by_its_source_reference():
    file = notice_file()
    import_history(file, dry_run=False)
    first, second = imported("OLD-0201"), imported("OLD-0202")
    notice = second.events.get(kind="restriction_notice_sent")
    assert (notice.data["for_reference"], notice.data["for_sequence"]) == (first.reference, 3)
    assert (notice.data["notice"], notice.data["sent_on"]) == ("applied", "2026-03-04")
    round_trip(file)


def test_a_written_notice_for_a_case_not_imported_before_or_sent_before_its_step_is_reported():
    file = notice_file()
    file["cases"][1]["events"][1]["data"]["for_reference"] = "OLD-9999"
    assert problems(file) == [
        "Case 2 (OLD-0202), event 2 (restriction_notice_sent), field 'data.for_reference': "
        "'OLD-9999' is not a case imported before this one; give the source reference of the "
        "case the step was recorded on, earlier in the file."
    ]
    file = notice_file()
    file["cases"][1]["events"][1]["data"]["sent_on"] = "2026-03-01"
    assert problems(file) == [
        "Case 2 (OLD-0202), event 2 (restriction_notice_sent): The notice cannot have been "
        "sent before the restrictions it confirms (Mon 2 Mar 2026)."
    ]
