"""A demo organisation with a colleague in every role and about 200 cases spread over every
state and stage, with dates relative to today. Every case is made through the services, so the
demo's history is as real as a live one."""

from __future__ import annotations

import contextlib
import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from fairhear.accounts.models import ClosureDay, Organisation, ServiceArea, User
from fairhear.accounts.selectors import organisation_calendar
from fairhear.cases import services as s
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_closure_reasons, case_refusal_reasons
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import CaseKind, CaseState, TransitionRejected
from fairhear.domain.policy.load import load_shipped_pack
from fairhear.domain.policy.schema import Capability, PolicyPack
from fairhear.domain.sign_off import SignOffStep, sign_off_for
from fairhear.policies.selectors import policy_pack_for
from fairhear.policies.services import policy_version_publish_shipped

DEMO_SLUG = "demo"

ROLES = [
    # username, first, last, job title, capabilities
    ("colleague", "Chris", "Colleague", "Support worker", [Capability.LOG]),
    ("allocator", "Alex", "Allocator", "Head of Services", [Capability.ALLOCATE]),
    ("investigator", "Sam", "Patel", "Service Manager", [Capability.INVESTIGATE]),
    ("investigator2", "Jo", "Okafor", "Service Manager", [Capability.INVESTIGATE]),
    ("reviewer", "Robin", "Reviewer", "Senior Leadership Team", [Capability.REVIEW]),
    ("reviewer2", "Morgan", "Hughes", "Senior Leadership Team", [Capability.REVIEW]),
    ("director", "Dana", "Director", "Director", [Capability.DIRECT, Capability.REVIEW]),
    ("lead", "Lee", "Lead", "Lead Officer for Complaints", [Capability.LEAD]),
    ("admin", "Ash", "Administrator", "Administrator", [Capability.ADMINISTER]),
]

SUMMARIES = [
    ("repairs", "The boiler has been broken for two weeks and the repair visit did not happen."),
    ("repairs", "Damp in the bedroom was reported in the spring and nothing has been done."),
    ("communication", "Nobody returned my calls about my rent statement."),
    ("care_and_support", "My son's support hours were cut without anyone telling us."),
    ("housing_management", "The communal garden has not been maintained since March."),
    ("staff_conduct", "A member of staff was rude to my mother during a visit."),
    ("health_and_safety", "The fire door on the landing does not close properly."),
    ("safeguarding", "I am worried about how a resident is being treated by a visitor."),
    ("communication", "The letter about the service charge was confusing and late."),
    ("care_and_support", "Medication was given late twice this week."),
]
# The demo's service areas (name, kind, CQC registered) per policy: Pivotal is a housing and
# care provider in the South West; MMBM runs supported living and tenancies (MMBM 1.1).
AREAS = {
    "pivotal": [
        ("Dorset", "housing", False),
        ("Cornwall", "supported_living", True),
        ("Gloucestershire", "care", True),
        ("Devon", "housing", False),
    ],
    "mmbm": [
        ("Supported living: Mitchell House", "supported_living", True),
        ("Supported living: Mae Court", "supported_living", True),
        ("Tenancies", "housing", False),
    ],
}
MMBM_CATEGORY = {
    "repairs": "housing",
    "communication": "support",
    "care_and_support": "support",
    "housing_management": "housing",
    "staff_conduct": "staff_conduct",
    "health_and_safety": "health_and_safety",
    "safeguarding": "safeguarding",
}
NAMES = [
    "Aisha Khan",
    "Tom Bradley",
    "Priya Shah",
    "Gareth Evans",
    "Mary O'Neill",
    "Olu Adeyemi",
    "Fiona Campbell",
    "Daniel Wright",
    "Grace Lee",
    "Patrick Murphy",
    "Hannah Morris",
    "Yusuf Ali",
    "Sophie Turner",
    "Callum Reid",
    "Irene Walsh",
    "Ben Foster",
]


@dataclass
class Demo:
    """The demo organisation and its colleagues by role."""

    org: Organisation
    users: dict[str, User]
    password: str


def demo_exists() -> bool:
    """True once the demo organisation has been created."""
    return Organisation.objects.filter(slug=DEMO_SLUG).exists()


def create_demo(*, policy: str, cases: int = 200, seed: int = 2026) -> Demo:
    """Create the demo organisation, its colleagues and `cases` cases on `policy`."""
    password = secrets.token_urlsafe(9)
    with transaction.atomic():
        org = Organisation.objects.create(
            name="Pivotal Homes (demo)" if policy == "pivotal" else "Demo Housing and Care",
            slug=DEMO_SLUG,
            nation="england-and-wales",
            homes_lcra=1850,
            homes_lcho=240,
        )
        # What each area provides chooses the ombudsman or regulator its cases are told about.
        for area, kind, cqc in AREAS.get(policy, AREAS["pivotal"]):
            ServiceArea.objects.create(organisation=org, name=area, kind=kind, cqc_registered=cqc)
        today = timezone.localdate()
        ClosureDay.objects.create(
            organisation=org, day=date(today.year, 12, 24), reason="Christmas Eve closure"
        )
        users: dict[str, User] = {}
        for username, first, last, title, caps in ROLES:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                job_title=_job_title(policy, title, caps),
                email=f"{username}@demo.fairhear.invalid",
                organisation=org,
                capabilities=[Capability.LOG.value, *(c.value for c in caps)],
            )
            user.set_password(password)
            user.save()
            users[username] = user
        for name in ["colleague", "investigator", "investigator2"]:
            users[name].line_manager = users["allocator"]
            users[name].save(update_fields=["line_manager"])
    policy_version_publish_shipped(organisation=org, name=policy, published_by=users["admin"])
    org.refresh_from_db()
    demo = Demo(org, users, password)
    add_demo_cases(demo, count=cases, seed=seed)
    s.cases_auto_close_sweep(today=timezone.localdate())
    return demo


def _job_title(policy: str, title: str, caps: list[Capability]) -> str:
    """The colleague's job title in the words of the demo's pack: its name for their main role
    (ROLES holds Pivotal's titles; MMBM calls its allocators "Local manager", §8.1)."""
    if policy == "pivotal":
        return title
    return load_shipped_pack(policy).role_title(caps[0])


def switch_demo_policy(*, policy: str, cases: int = 40, seed: int = 7) -> Demo:
    """Make `policy` the demo organisation's active pack and add cases under it. Existing cases
    keep the version they were opened under."""
    org = Organisation.objects.get(slug=DEMO_SLUG)
    users = {u.username: u for u in org.colleagues.all()}
    policy_version_publish_shipped(organisation=org, name=policy, published_by=users.get("admin"))
    org.refresh_from_db()
    demo = Demo(org, users, "")
    add_demo_cases(demo, count=cases, seed=seed)
    return demo


class _Story:
    """Takes one case forward step by step, each step a few working days after the last,
    stopping when the next step would be in the future."""

    def __init__(self, demo: Demo, pack: PolicyPack, rng: random.Random, start: datetime) -> None:
        self.demo, self.pack, self.rng = demo, pack, rng
        self.cal = organisation_calendar(demo.org)
        self.now = timezone.now()
        self.at = start

    def later(self, low: int, high: int) -> datetime | None:
        recent = self.now - self.at < timedelta(days=30)
        if self.rng.random() < (0.06 if recent else 0.01):
            return None  # nobody has done the next step yet: the case waits, maybe overdue
        day = self.cal.add_working_days(
            timezone.localtime(self.at).date(), self.rng.randint(low, high)
        )
        moment = datetime.combine(
            day, time(self.rng.randint(9, 16), self.rng.choice([0, 15, 30, 45])), tzinfo=LONDON
        )
        if moment > self.now:
            return None
        self.at = moment
        return moment

    def user(self, name: str) -> User:
        return self.demo.users[name]


def add_demo_cases(demo: Demo, *, count: int, seed: int) -> None:
    """Add `count` demo cases under the organisation's active pack."""
    rng = random.Random(seed)
    pack = policy_pack_for(demo.org.active_policy_version)
    areas = list(demo.org.service_areas.all())
    today = timezone.localdate()
    for i in range(count):
        days_ago = int(rng.triangular(0, 150, 10))
        received = datetime.combine(
            today - timedelta(days=days_ago),
            time(rng.randint(8, 17), rng.randint(0, 59)),
            tzinfo=LONDON,
        )
        received = min(received, timezone.now() - timedelta(minutes=5))
        kind = rng.choices(
            [
                CaseKind.COMPLAINT,
                CaseKind.COMPLIMENT,
                CaseKind.SUGGESTION,
                CaseKind.SERVICE_REQUEST,
            ],
            weights=[80, 10, 4, 6],
        )[0]
        category, summary = SUMMARIES[i % len(SUMMARIES)]
        if pack.name == "mmbm":
            category = MMBM_CATEGORY.get(category, "other")
        elif category not in {c.code for c in pack.categories}:
            category = "other"
        anonymous = rng.random() < 0.04
        about = (
            [demo.users["investigator2"]]
            if kind == CaseKind.COMPLIMENT or (category == "staff_conduct")
            else []
        )
        if kind == CaseKind.COMPLIMENT:
            summary = "Thank you to Jo for the help moving my mother into her new flat."
        elif kind == CaseKind.SUGGESTION:
            summary = "Could residents' meetings be held in the evening as well?"
        elif kind == CaseKind.SERVICE_REQUEST:
            summary = "The hallway light is out again; please can someone replace it."
        incident = received.date() - timedelta(
            days=rng.choices([2, 10, 30, 60, 120, 250, 420], weights=[20, 30, 25, 12, 7, 4, 2])[0]
        )
        case = s.case_receive(
            organisation=demo.org,
            logged_by=demo.users["colleague"],
            kind=kind,
            channel=rng.choice([c for c, _ in Case.Channel.choices]),
            summary=summary,
            received_at=received,
            complainant=None
            if anonymous
            else s.PersonDetails(
                name=NAMES[i % len(NAMES)],
                email=f"resident{i}@example.org",
                phone=f"01202 {300000 + i}",
                communication_needs="Large print letters, please." if i % 9 == 0 else "",
            ),
            anonymous=anonymous,
            categories=[category],
            service_area=rng.choice(areas),
            about_colleagues=about,
            safeguarding=category == "safeguarding",
            health_and_safety=category == "health_and_safety",
            tenure=rng.choice([Case.Tenure.LCRA] * 6 + [Case.Tenure.LCHO, Case.Tenure.OTHER]),
            incident_date=incident,
            logged_at=received + timedelta(minutes=rng.randint(5, 90)),
        )
        story = _Story(demo, pack, rng, received)
        try:
            _play(case, story, kind)
        except (TransitionRejected, s.CaseInputError):
            continue  # the story stops where the policy would stop a real case


def _play(case: Case, story: _Story, kind: CaseKind) -> None:
    rng, u = story.rng, story.user
    if kind == CaseKind.COMPLIMENT:
        if when := story.later(0, 3):
            s.case_forward_compliment(case=case, actor=u("colleague"), occurred_at=when)
        return
    if kind in {CaseKind.SUGGESTION, CaseKind.SERVICE_REQUEST}:
        if kind == CaseKind.SERVICE_REQUEST and rng.random() < 0.4:
            return
        if when := story.later(0, 2):
            s.case_close_contact(
                case=case,
                actor=u("colleague"),
                outcome="Passed to the team and done.",
                occurred_at=when,
            )
        return
    _play_complaint(case, story)


def _play_complaint(case: Case, story: _Story) -> None:
    rng, u, pack = story.rng, story.user, story.pack
    # Pivotal §9 stage 1 step 5: the colleague tells their line manager and the Head of
    # Services, usually the same day.
    told_clock = any("managers_told" in c.met_by for c in pack.clocks.values())
    if told_clock and rng.random() < 0.9 and (when := story.later(0, 1)):
        s.case_record_managers_told(
            case=case,
            actor=u("colleague"),
            told="Their line manager and the Head of Services",
            how="email",
            occurred_at=when,
        )
    if not _play_acceptance(case, story):
        return
    for stage in pack.stages:
        if not _play_stage(case, story, stage.number):
            return
        case.refresh_from_db()
        if case.state == CaseState.CLOSED:
            _after_closure(case, story)
            return
        # The complainant escalates, or the case closes.
        if stage.number < pack.last_stage and rng.random() < 0.35:
            if not (when := story.later(2, 8)):
                return
            s.case_request_escalation(
                case=case,
                actor=u("colleague"),
                requested_at=when,
                reasons="Still unhappy with the outcome.",
            )
            if not (when := story.later(0, 2)):
                return
            reviewer = u("director") if stage.number + 1 == 3 else u("reviewer")
            next_stage = pack.stage(stage.number + 1)
            codes = next_stage.request_refusal_reasons
            # The Code allows refusal only for a section 2 reason that fits (Code 5.11).
            fitting = case_refusal_reasons(case=case, codes=codes) if codes else []
            if rng.random() < 0.1 and (fitting or not codes):
                s.case_refuse_escalation(
                    case=case,
                    actor=reviewer,
                    reason="The response was final.",
                    refusal_code=fitting[0].code if fitting else "",
                    occurred_at=when,
                )
                return
            exceptional = (
                "The complaint is about a senior manager."
                if next_stage.request_needs_exceptional_circumstances
                else ""
            )
            try:
                s.case_accept_escalation(
                    case=case,
                    actor=reviewer,
                    occurred_at=when,
                    exceptional_circumstances=exceptional,
                )
            except TransitionRejected:  # a late request: accepted with a recorded decision
                s.case_accept_escalation(
                    case=case,
                    actor=reviewer,
                    occurred_at=when,
                    discretion="Accepted late: the resident was in hospital.",
                    exceptional_circumstances=exceptional,
                )
            continue
        _close_after_response(case, story)
        return


def _play_acceptance(case: Case, story: _Story) -> bool:
    """Local resolution, then acceptance or refusal; True when the case goes on to stage 1."""
    rng, u, pack = story.rng, story.user, story.pack
    when = story.later(0, 2)
    if when is None:
        return False
    if pack.local_resolution and rng.random() < 0.3:
        s.case_start_local_resolution(
            case=case, actor=u("allocator"), occurred_at=when, note="Spoke to them by phone."
        )
        if rng.random() < 0.6 and (when := story.later(1, 3)):
            s.case_resolve_locally(
                case=case,
                actor=u("allocator"),
                outcome="Agreed a new visit date.",
                occurred_at=when,
            )
            return False
    if pack.routes_out and rng.random() < 0.02:
        route = pack.routes_out[0]
        s.case_route_out(
            case=case,
            actor=u("allocator"),
            route_code=route.code,
            passed_to="The team that deals with it",
            reason="It is dealt with outside the complaints procedure.",
            occurred_at=when,
        )
        return False
    # Only a reason that fits the case's facts (Pivotal §6.1 a needs an old incident date).
    fitting = [
        r for r in case_refusal_reasons(case=case) if r.code != pack.time_limit.refusal_reason
    ]
    refusal = rng.choice(fitting).code if fitting and rng.random() < 0.04 else None
    if refusal is None:
        try:
            s.case_accept(case=case, actor=u("allocator"), occurred_at=when)
        except TransitionRejected:
            refusal = pack.time_limit.refusal_reason or pack.refusal_reasons[0].code
    if refusal is None:
        return True
    s.case_refuse(case=case, actor=u("allocator"), reason_code=refusal, occurred_at=when)
    if rng.random() < 0.3 and (when := story.later(5, 20)):
        s.case_record_ombudsman_referral(
            case=case, actor=u("lead"), body=pack.signposts[0].name, referred_on=when
        )
    return False


def _play_stage(case: Case, story: _Story, number: int) -> bool:
    rng, u, pack = story.rng, story.user, story.pack
    stage = pack.stage(number)
    handlers = {1: ["investigator", "investigator2"], 2: ["reviewer2"], 3: ["director"]}[
        min(number, 3)
    ]
    allocator = u("allocator") if number == 1 else u("director" if number == 3 else "reviewer")
    if not (when := story.later(0, 2)):
        return False
    s.case_allocate(case=case, actor=allocator, handler=u(rng.choice(handlers)), occurred_at=when)
    case.refresh_from_db()
    handler = case.handler
    if stage.acknowledgement_clock:
        if not (when := story.later(0, 3)):
            return False
        s.case_acknowledge(
            case=case,
            actor=handler,
            occurred_at=when,
            understanding="They want the repair done and an apology.",
        )
    if stage.response_clock and pack.clocks[stage.response_clock].extension and rng.random() < 0.2:
        if not (when := story.later(3, 6)):
            return False
        clock = case.clocks.get(name=stage.response_clock)
        new_due = story.cal.add_working_days(clock.due, rng.randint(2, 5))
        told = timezone.localtime(when).date()
        with contextlib.suppress(TransitionRejected):  # beyond the pack's limit: no extension
            _agree(case, story, SignOffStep.EXTENSION, when)
            s.case_extend(
                case=case,
                actor=handler,
                new_due=new_due,
                told_on=told,
                reason="Waiting for the contractor's report.",
                occurred_at=when,
            )
    if not (when := story.later(3, 12 if number == 1 else 18)):
        return False
    _agree(case, story, SignOffStep.RESPONSE, when)
    s.case_respond(
        case=case,
        actor=handler,
        occurred_at=when,
        outcome=rng.choice(["upheld", "partly_upheld", "not_upheld"]),
        reasons="We looked at the records and spoke to the staff involved.",
        policy_references="Repairs policy section 4",
        outstanding_actions=[
            {
                "action": "Replace the boiler",
                "due": (timezone.localtime(when).date() + timedelta(days=14)).isoformat(),
            }
        ],
    )
    if rng.random() < 0.5 and (when := story.later(1, 3)):
        s.case_record_response_receipt(case=case, actor=u("colleague"), received_on=when)
    return True


def _agree(case: Case, story: _Story, step: SignOffStep, when: datetime) -> None:
    """Where the pack names a sign-off (Pivotal §9 stage 1 step 7; §13), the allocator agrees."""
    case.refresh_from_db()
    if sign_off_for(story.pack, case.stage, step) is not None:
        s.case_sign_off(case=case, actor=story.user("allocator"), step=step, occurred_at=when)


def _close_after_response(case: Case, story: _Story) -> None:
    rng, u, pack = story.rng, story.user, story.pack
    when = story.later(2, 12)
    if when is None:
        return
    if pack.auto_close and rng.random() < 0.4:
        clock = case.clocks.filter(name=pack.auto_close.clock).first()
        if clock and clock.due and clock.due < timezone.localdate():
            s.case_auto_close(case=case, today=timezone.localdate())
            _after_closure(case, story)
        return
    # A reason that applies now (Pivotal §10.1), other than "nothing heard", left to the sweep.
    reasons = [r for r in case_closure_reasons(case=case) if not r.reopens_on_escalation]
    if not reasons:
        return
    reason = rng.choice(reasons[:3])
    s.case_close(
        case=case, actor=case.handler or u("allocator"), reason_code=reason.code, occurred_at=when
    )
    _after_closure(case, story)


def _after_closure(case: Case, story: _Story) -> None:
    rng, u = story.rng, story.user
    if rng.random() < 0.4 and (when := story.later(2, 10)):
        s.case_record_feedback(
            case=case,
            actor=u("lead"),
            occurred_at=when,
            satisfaction=rng.choice(["very_satisfied", "satisfied", "neither", "dissatisfied"]),
        )
    if rng.random() < 0.15 and (when := story.later(1, 5)):
        s.case_apply_restriction(
            case=case,
            actor=u("lead"),
            occurred_at=when,
            restrictions="Contact by email only, to the complaints team.",
            reason="Repeated abusive phone calls to staff.",
            notice_sent_on=timezone.localtime(when).date(),
        )
