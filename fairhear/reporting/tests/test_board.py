"""The board reports as PDF: the monthly KPI sheet, the quarterly report and the annual report
carry the hand-worked figures of tests/data.py, each chart's table, and the narrative the lead
wrote (or say plainly that a section has not been written); the lead alone may write and
download them; every save of the narrative is in the change log; bad periods are told in words,
on the web and on the command line."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from fairhear.accounts.models import AdministrativeChange
from fairhear.cases.tests.factories import make_team
from fairhear.reporting.board import Kind, read_period
from fairhear.reporting.board_pdf import NOT_WRITTEN, board_pdf
from fairhear.reporting.events import Scope
from fairhear.reporting.models import NARRATIVE_LIMIT
from fairhear.reporting.narratives import narrative_for, narrative_save
from fairhear.reporting.tests.data import mmbm_story, pivotal_story

pytestmark = pytest.mark.django_db
LATER = date(2027, 6, 1)


def words(pdf: bytes) -> str:
    """The PDF's text as a reader meets it, every run of spaces and line breaks one space."""
    assert pdf.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def test_the_monthly_kpi_sheet_carries_may_and_the_year_to_date_with_the_narrative():
    story = pivotal_story()
    org = story.team.org
    may = read_period(Kind.MONTHLY, "2026-05", LATER)
    narrative_save(
        organisation=org,
        actor=story.team.lead,
        report=may,
        texts={"trends": "Repairs complaints fell in May.\n\nTimeliness recovered."},
    )
    text = words(board_pdf(Scope(org), may, narrative_for(organisation=org, report=may), LATER))

    assert "Monthly complaints KPI sheet May 2026" in text
    assert "Indicator May 2026 Year to date (from 1 April 2026)" in text
    # May: received C5 and C6; the year to date (1 April to 31 May) adds April's C1, C2, C3,
    # C4 and C9: 7. Refused: C4 in April, 1 of 7 = 14.3%, under 6.1b.
    assert "Complaints received Pivotal 21.3 (a) 2 7" in text
    assert "Of which refused Pivotal 21.3 (a); Pivotal 6.1 0 of 2 (0.0%) 1 of 7 (14.3%)" in text
    assert "6.1b: Not Pivotal's responsibility 0 1" in text
    # (e): May's two responses (C1 stage 2, C6) on time; the year to date adds April's four of
    # which C1 and C3 were on time: 4 of 6 = 66.7%. (h): C1 and C6, 2 of the 2 closed.
    assert (
        "Resolved within the stated timeframes Pivotal 21.3 (e) 2 of 2 (100.0%) 4 of 6 (66.7%)"
        in (text)
    )
    assert "Resolved to the complainant's satisfaction Pivotal 21.3 (h); Pivotal 21.2 " in text
    assert "Escalated to the Housing Ombudsman Pivotal 21.3 (i) 0 1" in text

    # Each chart is followed by its table: received 5 in April, 2 in May; resolved 0 and 2.
    assert (
        "Complaints received and resolved, by month: the numbers Month Received Resolved "
        "Apr 2026 5 0 May 2026 2 2 Whole period 7 2"
    ) in text
    # Stage 1 responses in April and May: C1, C3 and C6 on time by Pivotal's dates, C2 and C9
    # late: 3 of 5; by the Code C9 is on time too: 4 of 5. C1's stage 2 response: 1 of 1.
    assert "Stage 1 responses 3 of 5 (60.0%) 4 of 5 (80.0%)" in text
    assert "Stage 2 responses 1 of 1 (100.0%) 1 of 1 (100.0%)" in text

    # The narrative as written, paragraph by paragraph, and the sections not written said so.
    assert "Trends Repairs complaints fell in May. Timeliness recovered." in text
    assert f"Systemic issues and serious risks {NOT_WRITTEN}" in text
    assert f"Lessons learned and service improvements {NOT_WRITTEN}" in text


def test_an_mmbm_sheet_gives_mmbm_11_figures_for_the_month_and_says_why():
    team, _cases = mmbm_story()
    march = read_period(Kind.MONTHLY, "2026-03", LATER)
    text = words(board_pdf(Scope(team.org), march, {}, LATER))
    assert "MMBM's policy asks for no monthly figures" in text
    assert "Resolved within the stated timeframes" not in text  # not Pivotal's indicators
    # March: M1, M2 and M3 received; the financial year to date (from 1 April 2025) adds
    # M0 of 1 December 2025: 4. Housing and the home: M1 and M3 in March, and M0 (logged
    # under housing, the test factory's category for MMBM) in the year.
    assert "Complaints received MMBM 11 3 4" in text
    assert "Housing and the home 2 3" in text
    # Closed in March: M1 (resolved locally) and M3 (withdrawn), both at local resolution;
    # M2's stage 1 response was on time, 1 of 1.
    assert "Local resolution 2 2" in text
    assert "Stage 1 1 of 1 (100.0%) 1 of 1 (100.0%)" in text
    assert "Withdrawn (complaints) 1 1" in text


def test_the_quarterly_report_sets_the_quarter_beside_the_one_before_and_a_year_before():
    story = pivotal_story()
    q2 = read_period(Kind.QUARTERLY, "2026-Q2", LATER)
    text = words(board_pdf(Scope(story.team.org), q2, {}, LATER))
    assert "for the Board (Pivotal 22.4 and 22.5)" in text
    assert (
        "Figure 2026-Q2 (this quarter) 2026-Q1 (the quarter before) 2025-Q2 (a year before)"
    ) in text
    # Received in April to June 2026: C1, C2, C3, C4, C9 (April), C5, C6 (May); none before.
    assert "Complaints received MMBM 11 7 0 0" in text
    # Responses: stage 1 upheld C1, C3, C6; partly upheld C2; not upheld C9; stage 2 C1 not
    # upheld; C4 refused.
    assert (
        "Stage 1: upheld 3 0 0 Stage 1: partly upheld 1 0 0 Stage 1: not upheld 1 0 0 "
        "Stage 2: not upheld 1 0 0 Refused (complaints) 1 0 0"
    ) in text
    # Compliments: one for Housing on Wed 15 Apr.
    assert "Housing 1 0 0" in text
    assert f"The governing body's response {NOT_WRITTEN}" in text


def test_the_lead_writes_the_annual_report_and_downloads_it(client):
    story = pivotal_story()
    lead = story.team.lead
    client.force_login(lead)
    page = reverse("reporting:board_report", args=["annual"]) + "?period=2026"
    assert "No section has been written yet." in client.get(page).content.decode()

    saved = client.post(
        page,
        {
            "self_assessment": "We meet the Code\r\nexcept 5.6.",
            "governing_body_response": "The board accepts the report.",
        },
        follow=True,
    )
    assert "Narrative saved." in saved.content.decode()
    assert "Written so far: Self-assessment against the Code, The governing body" in (
        saved.content.decode()
    )
    change = AdministrativeChange.objects.get(organisation=story.team.org, what="report.narrative")
    assert change.actor == lead
    assert change.after == {
        "self_assessment": "We meet the Code\nexcept 5.6.",
        "governing_body_response": "The board accepts the report.",
    }
    assert change.before == {"self_assessment": "", "governing_body_response": ""}
    # Saving the same words again changes nothing and records nothing.
    again = client.post(
        page,
        {
            "self_assessment": "We meet the Code\nexcept 5.6.",
            "governing_body_response": "The board accepts the report.",
        },
        follow=True,
    )
    assert "Nothing had changed." in again.content.decode()
    assert AdministrativeChange.objects.filter(what="report.narrative").count() == 1

    response = client.get(reverse("reporting:board_pdf", args=["annual"]) + "?period=2026")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('-annual-2026.pdf"')
    text = words(response.content)
    assert "1 April 2026 to 31 March 2027" in text
    assert "Self-assessment against the Code We meet the Code except 5.6." in text
    assert "The governing body's response The board accepts the report." in text
    assert f"Systemic issues and serious risks {NOT_WRITTEN}" in text
    # CH01(1): C1, C2, C5, C6, C9 in 2,000 LCRA homes (2.5); C3 in 400 LCHO homes (2.5).
    # CH02(1): LCRA 3 of 4 by the Code (C2 late); LCHO C3 1 of 1.
    assert (
        "Stage 1 complaints per 1,000 homes TSM CH01 (1) 2.5 (5 in 2,000 homes) "
        "2.5 (1 in 400 homes)"
    ) in text
    assert "TSM CH02 (1); Code 6.2 to 6.5 3 of 4 (75.0%) 1 of 1 (100.0%)" in text
    # The types of complaint refused: C4 under 6.1b; one ombudsman referral (C4).
    assert (
        "Complaints refused, by reason Reason Complaints 6.1b: Not Pivotal's responsibility 1"
        in (text)
    )
    assert "Referrals to the Ombudsman recorded in the year: 1" in text
    # The four quarters side by side, the year and the year before.
    assert "Complaints received MMBM 11 7 0 0 0 7 0" in text


def test_a_section_too_long_is_refused_and_nothing_is_saved(client):
    team = make_team("pivotal")
    client.force_login(team.lead)
    page = reverse("reporting:board_report", args=["monthly"]) + "?period=2026-05"
    response = client.post(
        page, {"trends": "x" * (NARRATIVE_LIMIT + 1), "lessons_learned": "Kept?"}
    )
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Trends must be 5,000 characters or fewer" in body
    assert not AdministrativeChange.objects.filter(what="report.narrative").exists()
    # A line break counts once, however the browser sent it: 4,999 letters and one break fit.
    fits = "x" * 2500 + "\r\n" + "x" * 2499
    assert client.post(page, {"trends": fits}, follow=True).status_code == 200
    may = read_period(Kind.MONTHLY, "2026-05", LATER)
    assert len(narrative_for(organisation=team.org, report=may)["trends"]) == NARRATIVE_LIMIT


def test_only_the_lead_may_open_the_board_reports(client):
    team = make_team("pivotal")
    client.force_login(team.investigator)
    for url in (
        reverse("reporting:board"),
        reverse("reporting:board_report", args=["monthly"]) + "?period=2026-05",
        reverse("reporting:board_pdf", args=["monthly"]) + "?period=2026-05",
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(
            reverse("reporting:board_report", args=["monthly"]) + "?period=2026-05", {"trends": "x"}
        ).status_code
        == 403
    )
    client.force_login(team.lead)
    assert client.get(reverse("reporting:board_report", args=["weekly"])).status_code == 404
    chooser = client.get(reverse("reporting:board")).content.decode()
    assert 'action="/reports/board/quarterly/"' in chooser
    assert 'href="/reports/board/"' in client.get(reverse("reporting:reports")).content.decode()


def test_a_bad_period_is_named_in_the_error_summary(client):
    team = make_team("pivotal")
    client.force_login(team.lead)
    bad = client.get(reverse("reporting:board_pdf", args=["quarterly"]) + "?period=2026-Q5")
    body = bad.content.decode()
    assert bad["Content-Type"].startswith("text/html")
    assert "There is a problem" in body
    assert "Enter a quarter as year, Q and the quarter&#x27;s number" in body
    assert 'href="#quarterly-period"' in body
    future = client.get(reverse("reporting:board_report", args=["monthly"]) + "?period=2098-01")
    assert "2098-01 has not started yet; choose a period that has begun." in (
        future.content.decode()
    )


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_each_pdf_and_tells_what_is_wrong(tmp_path):
    story = pivotal_story()
    slug = story.team.org.slug
    sheet = tmp_path / "may.pdf"
    said = run(
        "pivotal-kpis", "--organisation", slug, "--from", "2026-05-01", "--to", "2026-05-31",
        "--format", "pdf", "--output", str(sheet),
    )  # fmt: skip
    assert said.startswith(f"Wrote {sheet} (")
    assert "Complaints received Pivotal 21.3 (a) 2 7" in words(sheet.read_bytes())

    def fails(*args: str) -> str:
        with pytest.raises(CommandError) as error:
            run(*args)
        assert error.value.returncode == 2
        return str(error.value)

    assert fails("kpi-sheet", "--organisation", slug, "--month", "2026-05") == (
        "A PDF needs a file to go to: add --output FILE, like --output report.pdf."
    )
    assert fails(
        "board-quarterly", "--organisation", slug, "--quarter", "2026-Q7", "--output", "q.pdf"
    ) == (
        "--quarter 2026-Q7: Enter a quarter as year, Q and the quarter's number (Q1 is "
        "January to March), for example 2026-Q2."
    )
    missing = tmp_path / "nowhere" / "a.pdf"
    assert fails(
        "annual-report", "--organisation", slug, "--year", "2026", "--output", str(missing)
    ) == (f"--output {missing}: the folder {missing.parent} does not exist; create it first.")
    assert "A KPI sheet is for one calendar month" in fails(
        "pivotal-kpis", "--organisation", slug, "--from", "2026-04-01", "--to", "2026-05-31",
        "--format", "pdf", "--output", str(sheet),
    )  # fmt: skip
    assert (
        fails("tsm", "--organisation", slug, "--year", "2026", "--output", str(sheet))
        == "--output is for --format pdf; the other formats print to the screen."
    )
