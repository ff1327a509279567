"""`manage.py report`: the documented JSON keys, the other formats, and plain-words errors with
exit code 2."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from fairhear.cases.tests.factories import make_team
from fairhear.reporting.management.commands.report import Command

PIVOTAL_KEYS = [
    "a_received",
    "a_refused",
    "a_refused_by_reason",
    "b_resolved",
    "c_escalated_stage2",
    "d_resolved_stage2",
    "e_within_timeframes",
    "e_responses",
    "f_extended_informed",
    "g_good_reason",
    "h_satisfied",
    "i_ombudsman",
]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_json_keys_are_the_documented_ones():
    team = make_team("pivotal")
    slug = team.org.slug
    report = json.loads(
        run(
            "pivotal-kpis",
            "--organisation",
            slug,
            "--from",
            "2026-01-15",
            "--to",
            "2026-03-31",
            "--by",
            "quarter",
            "--format",
            "json",
        )
    )
    assert [p["period"] for p in report["periods"]] == ["2026-Q1"]
    assert report["periods"][0]["from"] == "2026-01-15"  # the quarter cut to the period
    assert list(report["total"]["figures"]) == PIVOTAL_KEYS
    assert report["total"]["figures"]["e_within_timeframes"] == {
        "value": 0,
        "references": [],
        "numerator": 0,
        "denominator": 0,
        "percent": None,
    }
    tsm = json.loads(run("tsm", "--organisation", slug, "--year", "2026", "--format", "json"))
    assert list(tsm["lcra"]) == ["homes", "ch01_1", "ch01_2", "ch02_1", "ch02_2"]
    assert tsm["lcho"]["ch01_1"]["value"] is None  # no homes recorded: nothing to divide by
    mmbm = json.loads(
        run("mmbm-quarterly", "--organisation", slug, "--year", "2026", "--format", "json")
    )
    assert [p["period"] for p in mmbm["periods"]] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert list(mmbm["total"]["figures"]) == [
        "received",
        "causes",
        "outcomes",
        "stage_reached",
        "on_time_by_stage",
        "compliments_by_service",
        "restrictions_in_force",
        "restriction_reviews",
    ]
    assert mmbm["previous_year"]["period"] == "2025"
    rows = list(
        csv.DictReader(
            io.StringIO(run("tsm", "--organisation", slug, "--year", "2026", "--format", "csv"))
        )
    )
    assert (rows[0]["period"], rows[0]["figure"]) == ("lcra", "ch01_1")
    text = run("pivotal-kpis", "--organisation", slug, "--from", "2026-01-01", "--to", "2026-01-31")
    assert "a_received" in text


@pytest.mark.django_db
def test_unknown_organisation_and_dates_the_wrong_way_round_are_told_in_words():
    team = make_team("pivotal")
    with pytest.raises(CommandError) as unknown:
        run("tsm", "--organisation", "nobody", "--year", "2026")
    assert unknown.value.returncode == 2
    assert str(unknown.value).startswith("No organisation has the slug 'nobody'.")
    with pytest.raises(CommandError) as backwards:
        run(
            "pivotal-kpis",
            "--organisation",
            team.org.slug,
            "--from",
            "2026-05-01",
            "--to",
            "2026-04-01",
        )
    assert backwards.value.returncode == 2
    assert str(backwards.value) == (
        "--from 2026-05-01 is after --to 2026-04-01; give the earlier date first."
    )
    with pytest.raises(CommandError) as area:
        run(
            "pivotal-kpis",
            "--organisation",
            team.org.slug,
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
            "--service-area",
            "Gardens",
        )
    assert "has no service area 'Gardens'" in str(area.value)


def test_a_bad_date_exits_with_code_2_saying_how_to_write_it(capsys):
    with pytest.raises(SystemExit) as stopped:
        Command().run_from_argv(
            [
                "manage.py",
                "report",
                "pivotal-kpis",
                "--organisation",
                "x",
                "--from",
                "2026-13-01",
                "--to",
                "2026-12-31",
            ]
        )
    assert stopped.value.code == 2
    assert "'2026-13-01' is not a date; write it as YYYY-MM-DD, like 2026-04-01" in (
        capsys.readouterr().err
    )


def test_a_date_out_of_range_exits_with_code_2(capsys):
    with pytest.raises(SystemExit) as stopped:
        Command().run_from_argv(
            [
                "manage.py",
                "report",
                "pivotal-kpis",
                "--organisation",
                "x",
                "--from",
                "2026-01-01",
                "--to",
                "9999-12-31",
            ]
        )
    assert stopped.value.code == 2
    assert "9999-12-31: choose a date from 1 January 2000 to 31 December 2099." in (
        capsys.readouterr().err
    )
