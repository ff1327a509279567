"""The work queues: named views of the open cases a colleague may see, and their counts.

Every queue starts from `selectors.case_list_visible_to`, which decides need to know; a queue
only says which of those cases it holds. Who sees which queue follows what they do:

- everyone: their own cases (`handler` is them);
- those who allocate (Pivotal: Head of Services; MMBM: local manager) and the lead officer watch
  deadlines across the cases they may see; everyone else's deadline, acknowledgement and
  waiting queues hold the cases they handle;
- allocators see complaints to accept or to allocate at stage 1; reviewers and directors
  those to allocate at their stage, and the escalation requests to decide (Pivotal §9 stage 2
  point 5; MMBM §8.3.1);
- compliments to pass on (Pivotal §19.3; MMBM §4) go to anyone who may allocate;
- restricted cases: the lead officer (docs/architecture.md "Queues").

All the counts in the navigation are one aggregate query (`queue_counts`), run again only after
the organisation's cases change (`changes.counts_kept`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet

from fairhear.accounts.models import User
from fairhear.cases.access import access_memo_key
from fairhear.cases.case_list import case_list_sorted
from fairhear.cases.changes import counts_kept
from fairhear.cases.clock_presenters import due_soon_until
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_list_visible_to, my_work_for, my_work_q
from fairhear.domain.calendar import WorkingDayCalendar
from fairhear.domain.lifecycle import OPEN_STATES, CaseKind, CaseState
from fairhear.domain.policy.schema import Capability
from fairhear.sql_memo import memo_aggregate, memo_ids

OPEN = [s.value for s in OPEN_STATES]


@dataclass(frozen=True, slots=True)
class QueueContext:
    """What deciding a queue's cases needs: who asks, today and their working-day calendar."""

    user: User
    today: date
    cal: WorkingDayCalendar

    @property
    def oversees(self) -> bool:
        """Allocators and the lead watch every case they may see; others their own cases."""
        return self.user.can(Capability.ALLOCATE)

    def own(self) -> Q:
        return Q() if self.oversees else Q(handler=self.user)


@dataclass(frozen=True, slots=True)
class Queue:
    """One queue: its address, its name in the navigation, a line saying what it holds."""

    slug: str
    title: str
    description: str
    empty: str
    shown_to: Callable[[User], bool]
    holds: Callable[[QueueContext], Q]
    # A queue with a page of its own (triage) names that page's URL; the others are lists.
    page: str = ""


def _to_allocate(ctx: QueueContext) -> Q:
    complaint = Q(kind=CaseKind.COMPLAINT)
    stage_one = Q(state__in=[CaseState.RECEIVED, CaseState.AWAITING_ALLOCATION], stage__lte=1)
    later = Q(state=CaseState.AWAITING_ALLOCATION, stage__gte=2)
    user = ctx.user
    holds = Q(pk__in=[])
    if user.can(Capability.ALLOCATE):
        holds |= stage_one
    if user.can(Capability.REVIEW) or user.can(Capability.DIRECT):
        holds |= later
    return complaint & holds


def _due_soon(ctx: QueueContext) -> Q:
    last = due_soon_until(ctx.today, ctx.cal)
    return ctx.own() & Q(next_due__gte=ctx.today, next_due__lte=last)


def _decides(user: User) -> bool:
    return user.can(Capability.REVIEW) or user.can(Capability.DIRECT)


# Where a submission that no colleague took down comes from: the public form, and e-mail.
UNTRIAGED_CHANNELS = (Case.Channel.WEB, Case.Channel.EMAIL)


def untriaged() -> Q:
    """What came in by the public form or e-mail and waits for a colleague to decide what it is
    and whether it is accepted (Pivotal §4.0, §5.2)."""
    return Q(state=CaseState.RECEIVED, channel__in=UNTRIAGED_CHANNELS)


QUEUES: tuple[Queue, ...] = (
    Queue(
        slug="mine",
        title="My cases",
        description="Open cases you handle.",
        empty="You handle no open cases.",
        shown_to=lambda user: True,
        holds=lambda ctx: Q(handler=ctx.user),
    ),
    Queue(
        slug="to-triage",
        title="To triage",
        description="What came in by the website form or by e-mail, waiting for a colleague to "
        "decide what it is and whether it is accepted.",
        empty="Nothing from the website form or e-mail is waiting.",
        shown_to=lambda user: user.can(Capability.ALLOCATE),
        holds=lambda ctx: untriaged(),
        page="intake:triage",
    ),
    Queue(
        slug="to-allocate",
        title="To accept or allocate",
        description="Complaints waiting to be accepted or given to someone to handle.",
        empty="No complaint is waiting to be accepted or allocated.",
        shown_to=lambda user: user.can(Capability.ALLOCATE) or _decides(user),
        holds=_to_allocate,
    ),
    Queue(
        slug="to-acknowledge",
        title="To acknowledge",
        description="Complaints allocated but not yet acknowledged to the complainant.",
        empty="No complaint is waiting to be acknowledged.",
        shown_to=lambda user: True,
        holds=lambda ctx: ctx.own() & Q(state=CaseState.AWAITING_ACKNOWLEDGEMENT),
    ),
    Queue(
        slug="due-soon",
        title="Due in the next 2 working days",
        description="Cases whose next deadline is today or within the next 2 working days.",
        empty="Nothing is due in the next 2 working days.",
        shown_to=lambda user: True,
        holds=_due_soon,
    ),
    Queue(
        slug="overdue",
        title="Overdue",
        description="Cases whose next deadline has passed.",
        empty="Nothing is overdue.",
        shown_to=lambda user: True,
        holds=lambda ctx: ctx.own() & Q(next_due__lt=ctx.today),
    ),
    Queue(
        slug="waiting",
        title="Waiting on the customer",
        description="A response has been sent: waiting to hear whether the complainant asks "
        "for the next stage.",
        empty="No case is waiting on the customer.",
        shown_to=lambda user: True,
        holds=lambda ctx: ctx.own() & Q(state=CaseState.RESPONDED),
    ),
    Queue(
        slug="escalations",
        title="Escalation requests to decide",
        description="Requests for the next stage, waiting for a decision to accept or refuse.",
        empty="No escalation request is waiting for a decision.",
        shown_to=_decides,
        holds=lambda ctx: Q(state=CaseState.ESCALATION_REQUESTED),
    ),
    Queue(
        slug="compliments",
        title="Compliments to pass on",
        description="Compliments not yet passed on to the colleague's line manager.",
        empty="No compliment is waiting to be passed on.",
        shown_to=lambda user: user.can(Capability.ALLOCATE),
        holds=lambda ctx: Q(kind=CaseKind.COMPLIMENT, state=CaseState.RECEIVED),
    ),
    Queue(
        slug="restricted",
        title="Restricted cases",
        description="Cases only the people named on them and the lead officer may see.",
        empty="No open case is restricted.",
        shown_to=lambda user: Capability.LEAD.value in (user.capabilities or []),
        holds=lambda ctx: Q(restricted_access=True),
    ),
)
_BY_SLUG = {q.slug: q for q in QUEUES}


def queues_for(*, user: User) -> list[Queue]:
    """The queues this colleague sees, in the navigation's order."""
    if not user.organisation_id:
        return []
    return [q for q in QUEUES if q.shown_to(user)]


def queue_by_slug(slug: str) -> Queue:
    """A queue by its address, whoever asks (KeyError if there is none)."""
    return _BY_SLUG[slug]


def queue_get(*, user: User, slug: str) -> Queue:
    """A queue by its address, if this colleague sees it; KeyError otherwise."""
    queue = queue_by_slug(slug)
    if queue not in queues_for(user=user):
        raise KeyError(slug)
    return queue


def queue_cases(*, queue: Queue, ctx: QueueContext) -> QuerySet[Case]:
    """The open cases in the queue, from those the colleague may see. A queue whose condition
    names only open states in every branch (to triage, to allocate, waiting, ...) holds open
    cases only, so "and open" is not added again: said twice, PostgreSQL took the two lists
    of states as independent and expected 6 of the 1,282 cases to allocate at a million
    cases, and chose to read them all and sort them (4 ms) over reading the first 25 in order
    (0.2 ms)."""
    holds = queue.holds(ctx)
    visible = case_list_visible_to(user=ctx.user)
    return (
        visible.filter(holds)
        if names_open_states_only(holds)
        else visible.filter(holds, state__in=OPEN)
    )


def names_open_states_only(condition: Q) -> bool:
    """Whether every case `condition` holds is in an open state by the condition's own terms:
    each branch of an OR, and some part of each AND, is `state` or `state__in` with open
    states only (or `pk__in=[]`, which holds nothing). Anything else (a negation, a condition
    on other fields alone) is not taken as saying so."""
    if condition.negated:
        return False
    checks = [_names_open_states_only(child) for child in condition.children]
    if not checks:
        return False
    return any(checks) if condition.connector == Q.AND else all(checks)


def _names_open_states_only(child: object) -> bool:
    if isinstance(child, Q):
        return names_open_states_only(child)
    lookup, value = child  # a (lookup, value) pair, as Q keeps them
    if lookup == "state":
        return value in OPEN
    if lookup == "state__in":
        return all(v in OPEN for v in value)
    return lookup == "pk__in" and not list(value)


def queue_counts(*, ctx: QueueContext) -> dict[str, int]:
    """How many open cases each of the colleague's queues holds: one aggregate query."""
    queues = queues_for(user=ctx.user)
    if not queues:
        return {}

    def build() -> tuple[QuerySet[Case], dict[str, Count]]:
        visible = case_list_visible_to(user=ctx.user).filter(state__in=OPEN)
        return _counted(visible, ctx, {_name(q): Count("pk", filter=q.holds(ctx)) for q in queues})

    counts = _kept(("queue_counts", *_memo_key(ctx)), ctx, build)
    return {q.slug: counts[_name(q)] for q in queues}


def _memo_key(ctx: QueueContext) -> tuple:
    """Every input the need-to-know condition and the queues' conditions are built from: who
    is asking, as the access rule sees them, and the day with its due-soon horizon."""
    return (*access_memo_key(ctx.user), ctx.today, due_soon_until(ctx.today, ctx.cal))


def my_work_and_queue_counts(*, ctx: QueueContext) -> tuple[dict[str, int], dict[str, int]]:
    """How many cases the colleague's My work holds (`total`), how many are overdue and how
    many due soon (today or within the next settings.FAIRHEAR_DUE_SOON_WORKING_DAYS working
    days); and each of their queues' count, as `queue_counts`. One aggregate query over the
    open cases they may see, its SQL built once a day per colleague (sql_memo): My work's page
    needs both, and at a million cases each count read the organisation's 25,000 open cases
    again (6 and 11 ms)."""
    queues = queues_for(user=ctx.user)

    def build() -> tuple[QuerySet[Case], dict[str, Count]]:
        last = due_soon_until(ctx.today, ctx.cal)
        mine = my_work_q(user=ctx.user)
        visible = case_list_visible_to(user=ctx.user).filter(state__in=OPEN)
        return _counted(
            visible,
            ctx,
            {
                "work_total": Count("pk", filter=mine),
                "work_overdue": Count("pk", filter=mine & Q(next_due__lt=ctx.today)),
                "work_soon": Count(
                    "pk", filter=mine & Q(next_due__gte=ctx.today, next_due__lte=last)
                ),
                **{f"queue_{_name(q)}": Count("pk", filter=q.holds(ctx)) for q in queues},
            },
        )

    counts = _kept(("work_and_queues", *_memo_key(ctx)), ctx, build)
    summary = {name: counts[f"work_{name}"] for name in ("total", "overdue", "soon")}
    return summary, {q.slug: counts[f"queue_{_name(q)}"] for q in queues}


def _kept(
    key: tuple, ctx: QueueContext, build: Callable[[], tuple[QuerySet[Case], dict[str, Count]]]
) -> dict[str, int]:
    """The counts `build()` describes, by SQL built once for `key` (sql_memo), and counted
    once per `key` until the organisation's cases next change (changes.counts_kept)."""
    return counts_kept(key, ctx.user.organisation_id, lambda: memo_aggregate(key, build))


def _counted(
    visible: QuerySet[Case], ctx: QueueContext, counts: dict[str, Count]
) -> tuple[QuerySet[Case], dict[str, Count]]:
    """The cases to count and the counts. For a colleague who does not oversee, every count
    holds only cases some count's condition holds (mostly their own: `handler` is them), so
    those conditions, joined by OR, go into the query's WHERE as well: no count changes (a
    case no condition holds is counted by none), and the query reads the colleague's open
    cases from the index by handler (case_open_handler) instead of testing every open case of
    the organisation (25,000 at a million cases, 6 ms of an investigator's My work). Those who
    oversee count across every case they may see, where the extra test would cost, not save."""
    if ctx.oversees:
        return visible, counts
    return visible.filter(reduce(or_, (count.filter for count in counts.values()))), counts


def _name(queue: Queue) -> str:
    """The queue's slug as the name of a column in SQL."""
    return queue.slug.replace("-", "_")


def my_work_ids(*, ctx: QueueContext, order: str) -> Callable[[int, int], list[int]]:
    """The ids of My work's cases from `bottom` to `top` in `order` (case_list.SORTS), by
    SQL built once per colleague, day and order (sql_memo)."""
    return _ids_in_order(("my_work_ids",), ctx, order, lambda: my_work_for(user=ctx.user))


def queue_ids(*, queue: Queue, ctx: QueueContext, order: str) -> Callable[[int, int], list[int]]:
    """The ids of a queue's cases from `bottom` to `top` in `order`, by SQL built once per
    queue, colleague, day and order (sql_memo)."""
    return _ids_in_order(
        ("queue_ids", queue.slug), ctx, order, lambda: queue_cases(queue=queue, ctx=ctx)
    )


def _ids_in_order(
    what: tuple, ctx: QueueContext, order: str, cases: Callable[[], QuerySet[Case]]
) -> Callable[[int, int], list[int]]:
    key = (*what, *_memo_key(ctx), order)
    return lambda bottom, top: memo_ids(key, lambda: case_list_sorted(cases(), order), bottom, top)
