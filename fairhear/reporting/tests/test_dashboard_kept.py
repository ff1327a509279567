"""The dashboard's figures are kept between views (reporting/kept.py, ADR-012): a small
organisation always sees its log as it is; where counting takes longer than the page waits,
the page shows the figures kept, says when they were counted, and the worker counts them again;
a number still leads to exactly the cases it counted; each morning the worker makes the
dashboard ready for the leads who open it, and forgets the counts nobody opens.

The figures are those of tests/data.py's story (April and May 2026), worked out by hand in
test_dashboard.py: 7 complaints received, 2 resolved, in the whole of April and May.
"""

from datetime import datetime

import pytest
import time_machine
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from fairhear.accounts.models import ServiceArea
from fairhear.cases.tests.factories import receive_complaint
from fairhear.notifications.dashboards import sweep_dashboards
from fairhear.notifications.worker import Worker
from fairhear.reporting.models import DashboardCount
from fairhear.reporting.tests.data import LONDON, london, pivotal_story
from fairhear.reporting.tests.test_dashboard import APRIL_MAY, _link, _page, _references, _table

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("worker_keeps_the_test_connection")]

COUNTED_AT = 'data-testid="dashboard-counted-at"'
COUNTING = 'data-testid="dashboard-counting"'
# Counting always takes longer than 0 ms: every count is "slow" and made in the background.
SLOW = override_settings(FAIRHEAR_DASHBOARD_WAIT_MS=0)


def _queued() -> int:
    return DBTaskResult.objects.filter(status="READY").count()


def test_a_small_organisation_always_sees_its_log_as_it_is(client):
    story = pivotal_story()
    client.force_login(story.team.lead)
    with time_machine.travel(london(2026, 6, 1, 9), tick=False):
        assert _table(_page(client), "volumes")[-1] == ["Whole period", "7", "2"]
        receive_complaint(story.team, london(2026, 5, 29))
        page = _page(client)
    # Counted again before the page was shown: nothing waits, nothing is queued.
    assert _table(page, "volumes")[-1] == ["Whole period", "8", "2"]
    assert COUNTED_AT not in page
    assert _queued() == 0


@SLOW
def test_where_counting_is_slow_the_figures_kept_are_shown_and_counted_again_in_the_background(
    client,
):
    story = pivotal_story()
    client.force_login(story.team.lead)
    with time_machine.travel(london(2026, 6, 1, 9), tick=False):
        # The organisation's first count is made while the page waits: nothing to show yet.
        assert _table(_page(client), "volumes")[-1] == ["Whole period", "7", "2"]
    with time_machine.travel(datetime(2026, 6, 1, 9, 5, tzinfo=LONDON), tick=False):
        late = receive_complaint(story.team, london(2026, 5, 29))
        soon = _page(client)
    # Five minutes after the count: the figures kept, saying when; not counted again so soon.
    assert _table(soon, "volumes")[-1] == ["Whole period", "7", "2"]
    assert COUNTED_AT in soon
    assert "These figures were counted at 09:00 on 1 June 2026" in soon
    assert _queued() == 0
    with time_machine.travel(datetime(2026, 6, 1, 9, 20, tzinfo=LONDON), tick=False):
        stale = _page(client)
        # A number still leads to exactly the cases it counted.
        link = _link(stale, "volumes", "a_received", "all")
        counted = _references(client, link)
        _page(client)  # opened again: asked for once
    assert _table(stale, "volumes")[-1] == ["Whole period", "7", "2"]
    assert counted == story.ref("C1", "C2", "C3", "C4", "C5", "C6", "C9")
    assert late.reference not in counted
    assert _queued() == 1

    with time_machine.travel(datetime(2026, 6, 1, 9, 21, tzinfo=LONDON), tick=False):
        Worker(worker_id="w").run_tasks()
        fresh = _page(client)
        now_counted = _references(client, _link(fresh, "volumes", "a_received", "all"))
    assert _table(fresh, "volumes")[-1] == ["Whole period", "8", "2"]
    assert COUNTED_AT not in fresh
    assert late.reference in now_counted


@SLOW
def test_a_new_choice_is_counted_in_the_background_and_the_page_says_so(client):
    story = pivotal_story()
    client.force_login(story.team.lead)
    with time_machine.travel(london(2026, 6, 1, 9), tick=False):
        _page(client)
        page = _page(client, "?start=2026-04-01&end=2026-04-30")
    assert COUNTING in page
    assert "The figures for 1 April 2026 to 30 April 2026 are being counted" in page
    assert 'data-testid="panel-' not in page
    assert _queued() == 1
    with time_machine.travel(datetime(2026, 6, 1, 9, 2, tzinfo=LONDON), tick=False):
        Worker(worker_id="w").run_tasks()
        page = _page(client, "?start=2026-04-01&end=2026-04-30")
    assert COUNTING not in page
    assert _table(page, "volumes") == [["Apr 2026", "5", "0"], ["Whole period", "5", "0"]]


@SLOW
def test_each_morning_the_worker_makes_ready_the_dashboard_as_it_first_opens(client):
    story = pivotal_story()
    lead = story.team.lead
    client.force_login(lead)
    with time_machine.travel(london(2026, 6, 1, 9), tick=False):
        _page(client, "")  # the last 12 months: 1 July 2025 to 1 June 2026
    # The next morning's sweep counts 1 July 2025 to 2 June 2026 before the lead arrives.
    sweep_dashboards(story.team.org, london(2026, 6, 2, 6))
    assert _queued() == 1
    with time_machine.travel(datetime(2026, 6, 2, 6, 1, tzinfo=LONDON), tick=False):
        Worker(worker_id="w").run_tasks()
    with time_machine.travel(london(2026, 6, 2, 9), tick=False):
        client.force_login(lead)  # a new day, a new sign-in
        page = _page(client, "")
    assert "1 July 2025 to 2 June 2026" in page
    assert COUNTING not in page
    assert COUNTED_AT not in page
    assert _table(page, "volumes")[-1] == ["Whole period", "7", "2"]

    # A dashboard nobody opens for 30 days is forgotten, and no longer made ready.
    assert DashboardCount.objects.filter(viewer=lead).count() == 2
    report = sweep_dashboards(story.team.org, london(2026, 7, 3, 6))
    assert report["forgotten"] == 2
    assert DashboardCount.objects.filter(viewer=lead).count() == 0
    assert _queued() == 0


@SLOW
def test_a_count_in_the_background_for_someone_no_longer_the_lead_is_forgotten(client):
    story = pivotal_story()
    client.force_login(story.team.lead)
    with time_machine.travel(london(2026, 6, 1, 9), tick=False):
        _page(client)
        _page(client, APRIL_MAY + "&service_area=Care")
    assert _queued() == 1
    story.team.lead.is_active = False
    story.team.lead.save()
    with time_machine.travel(datetime(2026, 6, 1, 9, 1, tzinfo=LONDON), tick=False):
        Worker(worker_id="w").run_tasks()
    assert not DashboardCount.objects.filter(service_area="Care").exists()


def test_renaming_a_service_area_or_a_category_is_shown_at_once(client):
    story = pivotal_story()
    client.force_login(story.team.lead)
    assert _table(_page(client), "service-areas") == [["Care", "2"], ["Housing", "5"]]
    ServiceArea.objects.filter(organisation=story.team.org, name="Care").update(
        name="Care and support"
    )
    assert _table(_page(client), "service-areas") == [["Care and support", "2"], ["Housing", "5"]]


@override_settings(FAIRHEAR_DASHBOARD_WAIT_CASES=7)
def test_a_large_organisation_s_first_count_is_made_in_the_background(client):
    # The story's organisation has 9 complaints and a compliment: more than 7 cases, so its
    # first dashboard would take longer than a page waits.
    story = pivotal_story()
    client.force_login(story.team.lead)
    with time_machine.travel(london(2026, 6, 1, 9), tick=False):
        page = _page(client)
    assert COUNTING in page
    assert _queued() == 1
    with time_machine.travel(datetime(2026, 6, 1, 9, 3, tzinfo=LONDON), tick=False):
        Worker(worker_id="w").run_tasks()
        page = _page(client)
    assert _table(page, "volumes")[-1] == ["Whole period", "7", "2"]
    # Its other organisation, with one complaint, is counted while its lead's page waits.
    client.force_login(story.other.lead)
    with time_machine.travel(datetime(2026, 6, 1, 9, 4, tzinfo=LONDON), tick=False):
        page = _page(client)
    assert COUNTING not in page
    assert _table(page, "volumes")[-1] == ["Whole period", "1", "0"]
