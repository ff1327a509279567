"""The access matrix: every colleague of the demo against every page, action URL and file of
cases they may and may not see, by direct URL and by the reference as typed; and no list or
count shows a case they may not see (docs/adr/ADR-006)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from fairhear.accounts.models import User
from fairhear.accounts.tests.factories import UserFactory
from fairhear.cases import services as s
from fairhear.cases.access import case_access_facts, colleague_facts
from fairhear.cases.actions import ACTIONS
from fairhear.cases.models import Case, CaseAttachment, CaseEvent
from fairhear.cases.selectors import case_list_visible_to, my_work_for
from fairhear.core.demo import create_demo
from fairhear.domain.access import Visibility, access_for
from fairhear.domain.lifecycle import CaseKind
from fairhear.domain.policy.schema import Capability

pytestmark = pytest.mark.django_db

# Of each verdict, this many cases per colleague are driven through every URL (each further
# case only repeats the same query with another reference).
PER_VERDICT = 1
# What a hostile post might carry, so a form that would accept it is not saved by emptiness.
POSTED = {"note": "x", "reason": "x", "text": "x", "summary": "x", "outcome": "x"}


def _demo():
    """The demo's nine colleagues, plus an allocator tied to one service area and an
    administrator with no casework capability; a case restricted to one reviewer and a
    complaint about the lead, so every verdict turns up."""
    demo = create_demo(policy="pivotal", cases=60)
    area = demo.org.service_areas.order_by("name").first()
    demo.users["area_allocator"] = UserFactory(
        organisation=demo.org,
        capabilities=[Capability.LOG.value, Capability.ALLOCATE.value],
        service_area=area,
    )
    demo.users["settings_only"] = UserFactory(
        organisation=demo.org, capabilities=[Capability.ADMINISTER.value]
    )
    lead = demo.users["lead"]
    first = Case.objects.filter(organisation=demo.org, restricted_access=False).first()
    s.case_restrict_access(
        case=first, actor=lead, reason="A fraud allegation.", named=[demo.users["reviewer2"]]
    )
    s.case_receive(
        organisation=demo.org,
        logged_by=demo.users["colleague"],
        kind=CaseKind.COMPLAINT,
        channel=Case.Channel.PHONE,
        summary="The lead officer did not return my calls.",
        received_at=first.received_at,
        complainant=s.PersonDetails(name="Ruth Hale"),
        categories=["communication"],
        about_colleagues=[lead],
    )
    _a_file_on_every_case(demo.org)
    return demo


def _a_file_on_every_case(org) -> None:
    """One file on each case's receipt, so that every case's download is driven too."""
    stored = default_storage.save(f"cases/{org.pk}/matrix", ContentFile(b"%PDF-1.7\n"))
    receipts = CaseEvent.objects.filter(case__organisation=org, sequence=1)
    CaseAttachment.objects.bulk_create(
        CaseAttachment(
            organisation=org,
            case_id=event.case_id,
            event=event,
            stored_as=stored,
            name="letter.pdf",
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
            source=CaseAttachment.Source.STAFF,
        )
        for event in receipts
    )


def _file_urls(case: Case) -> list[str]:
    return [
        reverse("cases:attachment", args=[case.reference, pk])
        for pk in CaseAttachment.objects.filter(case=case).values_list("pk", flat=True)
    ]


def _verdicts(cases: list[Case], user: User) -> dict[Visibility, list[Case]]:
    me = colleague_facts(user)
    out: dict[Visibility, list[Case]] = {v: [] for v in Visibility}
    for case in cases:
        out[access_for(me, case_access_facts(case)).visibility].append(case)
    return out


def _typed(reference: str) -> str:
    """The reference as someone might type it: lower case, with O for zero."""
    return reference.lower().replace("0", "o")


def _action_urls(reference: str) -> list[str]:
    return [reverse("cases:action", args=[reference, a.value]) for a in ACTIONS]


def _hidden_cases_are_not_found(client: Client, role: str, hidden: list[Case]) -> None:
    """Every page and action of each case, by reference as stored and as typed, is not found;
    the first case's actions are posted to as well."""
    for n, case in enumerate(hidden):
        for reference in (case.reference, _typed(case.reference)):
            page = client.get(reverse("cases:detail", args=[reference]))
            assert page.status_code == 404, (role, reference)
            assert case.reference not in page.content.decode(), (role, reference)
        for url in _action_urls(case.reference):
            got = client.get(url)
            assert got.status_code == 404, (role, url)
            assert case.reference not in got.content.decode(), (role, url)
            if n == 0:
                assert client.post(url, POSTED).status_code == 404, (role, url)
        files = _file_urls(case)
        assert files, case.reference
        for url in files:
            got = client.get(url)
            assert got.status_code == 404, (role, url)
            assert case.reference not in got.content.decode(), (role, url)


def _seen_cases_open_and_show_no_other(
    client: Client, role: str, seen: list[Case], unseen: set[str]
) -> None:
    for case in seen:
        for reference in (case.reference, _typed(case.reference)):
            page = client.get(reverse("cases:detail", args=[reference]))
            assert page.status_code == 200, (role, reference)
            assert not [r for r in unseen if r in page.content.decode()], (role, reference)
        for url in _action_urls(case.reference):
            got = client.get(url)
            # Offered (its form, or why not now), or never this colleague's (not found).
            assert got.status_code in {200, 404, 409}, (role, url)
            assert not [r for r in unseen if r in got.content.decode()], (role, url)
        for url in _file_urls(case):
            got = client.get(url)
            assert got.status_code == 200, (role, url)
            assert b"".join(got.streaming_content) == b"%PDF-1.7\n", (role, url)


def _lists_show_only_what_may_be_seen(
    client: Client, role: str, user: User, verdicts: dict[Visibility, list[Case]]
) -> None:
    unseen = {c.reference for c in verdicts[Visibility.NONE]}
    logged_only = {c.reference for c in verdicts[Visibility.LOGGED_ONLY]}
    visible = set(case_list_visible_to(user=user).values_list("reference", flat=True))
    assert visible == {c.reference for c in verdicts[Visibility.FULL]}, role
    assert set(my_work_for(user=user).values_list("reference", flat=True)) <= visible, role
    my_work = client.get(reverse("cases:my_work")).content.decode()
    logged = client.get(reverse("cases:logged")).content.decode()
    for body in (my_work, logged):
        assert not [r for r in unseen if r in body], role
    assert not [r for r in logged_only if r in my_work], role
    # Cases I logged names a logged-only case but never links to it.
    for reference in logged_only:
        assert reference in logged, role
        assert reverse("cases:detail", args=[reference]) not in logged, role
    # The lead's own pages answer not found to everyone else.
    for name in ("cases:access_log", "cases:log_check"):
        status = client.get(reverse(name)).status_code
        assert status == (200 if role == "lead" else 404), (role, name)


def test_every_colleague_against_every_page_and_action_of_cases_seen_and_unseen():
    demo = _demo()
    cases = list(Case.objects.filter(organisation=demo.org).order_by("pk"))
    events = CaseEvent.objects.count()
    met = dict.fromkeys(Visibility, 0)
    for role, user in demo.users.items():
        client = Client()
        client.force_login(user)
        verdicts = _verdicts(cases, user)
        for visibility, of in verdicts.items():
            met[visibility] += len(of)
        hidden = verdicts[Visibility.NONE][:PER_VERDICT] + verdicts[Visibility.LOGGED_ONLY][:1]
        _hidden_cases_are_not_found(client, role, hidden)
        unseen = {c.reference for c in verdicts[Visibility.NONE]}
        _seen_cases_open_and_show_no_other(
            client, role, verdicts[Visibility.FULL][:PER_VERDICT], unseen
        )
        _lists_show_only_what_may_be_seen(client, role, user, verdicts)
    # Nothing any of those requests sent was recorded, and every verdict was met.
    assert CaseEvent.objects.count() == events
    assert all(met.values()), met
