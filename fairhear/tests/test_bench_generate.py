"""bench/generate.py on a test-sized run: about 200 cases, most of them copies written with COPY,
keep the need-to-know rule and a log that `verify_log` finds intact (PostgreSQL only: the copy
is PostgreSQL's COPY)."""

from __future__ import annotations

import importlib
import importlib.util
import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from fairhear.cases.models import Case, CaseEvent, CaseInvolvement
from fairhear.cases.selectors import case_list_visible_to

pytestmark = pytest.mark.postgres
BENCH = Path(__file__).resolve().parents[2] / "bench"


def _generate_module() -> object:
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # puts bench/ on the path for its helpers
    return module


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def generated(committed_db):
    generate = _generate_module()
    rng = random.Random(5)  # noqa: S311 - test data
    orgs = []
    for i, policy in enumerate(["pivotal", "mmbm"]):
        demo, roles, areas = generate.make_organisation(policy, rng, "!")
        generate.make_templates(demo, 6, 40 + i)
        orgs.append((demo.org, roles, areas))
    templates = Case.objects.count()
    connection.close()  # the copy runs in processes of its own
    importlib.import_module("replicate").replicate(
        orgs, url=_database_url(), copies=200 - templates, open_share=0.3, seed=9
    )
    return orgs


def test_generated_cases_keep_need_to_know_and_an_intact_log(generated):
    _org, roles, _areas = generated[0]
    assert Case.objects.count() == 200
    # The investigator with the most cases: every case they handle now, or handled and passed
    # on (their involvement row), except one about them, and nothing else of 200.
    investigator = max(
        roles["investigator"],
        key=lambda u: CaseInvolvement.objects.filter(user=u).count(),
    )
    theirs = set(Case.objects.filter(handler=investigator).values_list("pk", flat=True))
    theirs |= set(
        CaseInvolvement.objects.filter(user=investigator).values_list("case_id", flat=True)
    )
    theirs -= set(investigator.cases_about_me.values_list("pk", flat=True))
    shown = set(case_list_visible_to(user=investigator).values_list("pk", flat=True))
    assert shown == theirs
    assert 0 < len(shown) < 50
    assert len(shown) < Case.objects.filter(organisation=investigator.organisation).count()

    # verify_log finds every copied log intact.
    out = StringIO()
    call_command("verify_log", stdout=out)
    assert "Checked 200 cases" in out.getvalue()
    assert "the log is intact" in out.getvalue()
    # The copies have the templates' histories: more events than cases, a note among them.
    assert CaseEvent.objects.count() > 400
    assert CaseEvent.objects.filter(kind="note_added").exists()
