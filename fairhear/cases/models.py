"""People, cases, the append-only case event log, and each case's clocks.

Models hold fields, constraints and tiny derived values only; every write goes through
fairhear.cases.services, which keeps `Case.state` and the event log in step.
"""

from django.db import models
from django.utils import timezone

from fairhear.domain.access import Involvement
from fairhear.domain.lifecycle import OPEN_STATES, Action, CaseKind, CaseState


class Person(models.Model):
    """Someone outside the organisation: a complainant, representative or advocate."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="people"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    address = models.TextField(blank=True)
    communication_needs = models.TextField(blank=True)
    reasonable_adjustments = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the person is recognised by when they come back (fairhear.domain.people), kept in
    # step with the details above by the intake service.
    name_key = models.CharField(max_length=200, blank=True, default="")
    email_key = models.CharField(max_length=254, blank=True, default="")
    phone_key = models.CharField(max_length=50, blank=True, default="")
    postcode_key = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "email_key"], name="person_org_email"),
            models.Index(fields=["organisation", "phone_key"], name="person_org_phone"),
            models.Index(fields=["organisation", "name_key"], name="person_org_name"),
            # The case page's "other cases at this address" (cases/related.py).
            models.Index(fields=["organisation", "postcode_key"], name="person_org_postcode"),
        ]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """A complaint, compliment, suggestion or service request. `state` changes only in services."""

    class Kind(models.TextChoices):
        COMPLAINT = CaseKind.COMPLAINT.value, "Complaint"
        COMPLIMENT = CaseKind.COMPLIMENT.value, "Compliment"
        SUGGESTION = CaseKind.SUGGESTION.value, "Suggestion"
        SERVICE_REQUEST = CaseKind.SERVICE_REQUEST.value, "Service request"

    class State(models.TextChoices):
        RECEIVED = CaseState.RECEIVED.value, CaseState.RECEIVED.label
        LOCAL_RESOLUTION = CaseState.LOCAL_RESOLUTION.value, CaseState.LOCAL_RESOLUTION.label
        AWAITING_ALLOCATION = (
            CaseState.AWAITING_ALLOCATION.value,
            CaseState.AWAITING_ALLOCATION.label,
        )
        AWAITING_ACKNOWLEDGEMENT = (
            CaseState.AWAITING_ACKNOWLEDGEMENT.value,
            CaseState.AWAITING_ACKNOWLEDGEMENT.label,
        )
        INVESTIGATING = CaseState.INVESTIGATING.value, CaseState.INVESTIGATING.label
        RESPONDED = CaseState.RESPONDED.value, CaseState.RESPONDED.label
        ESCALATION_REQUESTED = (
            CaseState.ESCALATION_REQUESTED.value,
            CaseState.ESCALATION_REQUESTED.label,
        )
        REFUSED = CaseState.REFUSED.value, CaseState.REFUSED.label
        CLOSED = CaseState.CLOSED.value, CaseState.CLOSED.label

    class Channel(models.TextChoices):
        PHONE = "phone", "Phone"
        LETTER = "letter", "Letter"
        EMAIL = "email", "Email"
        IN_PERSON = "in_person", "In person"
        VISIT = "visit", "Home visit or key-working session"
        MEETING = "meeting", "House or tenants' meeting"
        WEB = "web", "Website form"
        SOCIAL_MEDIA = "social_media", "Social media"

    class Tenure(models.TextChoices):
        LCRA = "lcra", "Low-cost rental"
        LCHO = "lcho", "Low-cost home ownership"
        OTHER = "other", "Other or not a home"
        UNKNOWN = "unknown", "Not known"

    class RepresentativeRole(models.TextChoices):
        NONE = "", "None"
        REPRESENTATIVE = "representative", "Representative"
        ADVOCATE = "advocate", "Advocate"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    anonymous = models.BooleanField(default=False)
    complainant = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    representative = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="represented_cases"
    )
    representative_role = models.CharField(
        max_length=20, choices=RepresentativeRole.choices, blank=True, default=""
    )
    summary = models.TextField()
    desired_outcome = models.TextField(blank=True)
    service_area = models.ForeignKey(
        "accounts.ServiceArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    categories = models.JSONField(default=list, blank=True)
    about_colleagues = models.ManyToManyField(
        "accounts.User", blank=True, related_name="cases_about_me"
    )
    safeguarding = models.BooleanField(default=False)
    health_and_safety = models.BooleanField(default=False)
    anti_social_behaviour = models.BooleanField(default=False)
    tenure = models.CharField(max_length=10, choices=Tenure.choices, default=Tenure.UNKNOWN)
    incident_date = models.DateField(null=True, blank=True)
    exceptional_circumstances = models.TextField(blank=True)
    first_contact_at = models.DateTimeField()
    received_at = models.DateTimeField(
        help_text="When it was received as what it now is (a converted service request counts "
        "from its conversion)."
    )
    policy_version = models.ForeignKey(
        "policies.PolicyVersion", on_delete=models.PROTECT, related_name="cases"
    )
    state = models.CharField(max_length=30, choices=State.choices, default=State.RECEIVED)
    stage = models.PositiveSmallIntegerField(default=0)
    handler = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="handling"
    )
    closure_reason = models.CharField(max_length=50, blank=True)
    logged_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="logged"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    next_due = models.DateField(null=True, blank=True, db_index=True)
    next_due_label = models.CharField(max_length=200, blank=True)
    log_head = models.CharField(
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text="The hash of the last event Fairhear wrote to the case's log",
    )
    # Restricted access (domain/access.py): set by the pack's categories at receipt and by the
    # lead's events; only the colleagues named here, its handler and the lead may see it.
    restricted_access = models.BooleanField(default=False)
    access_named = models.ManyToManyField(
        "accounts.User", blank=True, related_name="cases_named_on"
    )

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "state"], name="case_org_state"),
            # A colleague's own open cases in every list's order, holding what the
            # need-to-know condition and the queues test: the counts and ids of My work and
            # the queues of someone who does not oversee (queues._counted) are read from it
            # alone. Before, (organisation, handler, next_due) over every case, open or not,
            # which the planner passed over for a scan of all the organisation's open cases.
            models.Index(
                fields=["organisation", "handler", "next_due", "received_at", "id"],
                include=["state", "stage", "kind", "channel", "restricted_access", "logged_by"],
                condition=models.Q(state__in=sorted(state.value for state in OPEN_STATES)),
                name="case_open_handler",
            ),
            # A service area's cases by when received (a report scoped to one area). Made for
            # the case page's related cases, which now read CaseCategory's own index.
            models.Index(
                fields=["organisation", "service_area", "received_at", "id"],
                name="case_org_area_received",
            ),
            # Every list's default order (soonest due first, then received, then id), so that
            # a search matching thousands can read its first page in order (cases/search.py).
            models.Index(
                fields=["organisation", "next_due", "received_at", "id"], name="case_org_due"
            ),
            # The open cases alone, in the same order, holding every column the need-to-know
            # condition, My work and the queues test: their counts and their pages' ids are
            # read from this index without visiting the cases' rows (at a million cases, 25,000
            # open ones of an organisation in 557 index pages against 15,820 of the table;
            # docs/performance.md, "Open cases counted from one index").
            models.Index(
                fields=["organisation", "next_due", "received_at", "id"],
                include=[
                    "state",
                    "stage",
                    "kind",
                    "channel",
                    "handler",
                    "restricted_access",
                    "logged_by",
                    "service_area",
                ],
                condition=models.Q(state__in=sorted(state.value for state in OPEN_STATES)),
                name="case_open_work",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseCategory(models.Model):
    """One of a case's categories, with the organisation, service area and time received it is
    looked up by: the case page's "other cases about this in the last 12 months" (related.py;
    Pivotal §9 stage 1 step 4, "consideration should be given to any previous reports") walks
    one category's cases newest first through this table's index and stops at the eleventh,
    where walking the cases themselves went through every case of the service area until it
    met eleven of the category (43 ms a page on average at a million cases, up to 155 ms;
    docs/performance.md, "The case page's related cases"). Kept by `services/categories.py`
    in the same transaction as every write of a case's categories, service area or time
    received."""

    # Found by case through the unique constraint's index (case, code), so no index of its own.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="category_rows", db_index=False
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    service_area = models.ForeignKey(
        "accounts.ServiceArea",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    code = models.CharField(max_length=64)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="unique_case_category")
        ]
        indexes = [
            models.Index(
                fields=["organisation", "service_area", "code", "-received_at", "-case"],
                name="case_category_recent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.code}"


class CaseInvolvement(models.Model):
    """A colleague's part in a case (allocated it, or made one of its decisions), kept from its
    events in the same transaction so that access outlives the part (domain/access.py)."""

    class Role(models.TextChoices):
        HANDLED = Involvement.HANDLED.value, "Handled"
        DECIDED = Involvement.DECIDED.value, "Decided"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user", "role"], name="unique_case_involvement")
        ]
        indexes = [models.Index(fields=["user", "case"], name="involvement_user_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id} {self.role}"


class CasesChanged(models.Model):
    """A token the database's own triggers change, in the same transaction, whenever one of an
    organisation's cases changes in a way a count of cases can see: a case added or removed, a
    column the queues or the need-to-know rule read (`fairhear.cases.changes.COUNTED_COLUMNS`),
    or who is involved in, named on or complained about in a case (migration 0028). The counts
    in the navigation are kept against it (fairhear.cases.changes), so a page counts again only
    after such a change. The token is random, not a counter, so that a change undone (a
    transaction rolled back, a database restored) never meets an old value again. A plain
    number, not a foreign key: a trigger writes it while cases are being deleted."""

    organisation_id = models.BigIntegerField(primary_key=True)
    token = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.token}"


class Submission(models.Model):
    """A form as it was sent: the idempotency key it carried, the case it made, and how often
    the same form came again (a double click, a refresh, the back button then Save).

    The unique key is what guarantees one case per form, even for two requests at once; the
    answers are the ones the case's own fields do not hold, exactly as the person gave them.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(max_length=64)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="submission")
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    repeats = models.PositiveIntegerField(
        default=0, help_text="How many times the same form came again and was not saved again"
    )
    last_repeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="unique_submission_key")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.key[:8]}"


class ReferenceCounter(models.Model):
    """An organisation's last case number in a year, and the secret key that turns each number
    into its reference (fairhear.domain.references); locked while a new reference is taken."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty only for the counter every organisation shared before references were "
        "counted per organisation; it is no longer used.",
    )
    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=64, blank=True, help_text="Hex; never shown")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "prefix", "year"], name="unique_reference_counter_org"
            ),
            models.UniqueConstraint(
                fields=["prefix", "year"],
                condition=models.Q(organisation__isnull=True),
                name="unique_shared_reference_counter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.prefix}-{self.year}: {self.last}"


class CaseEvent(models.Model):
    """One thing that happened to a case. Append-only: database triggers refuse UPDATE/DELETE;
    `chain_hash` chains it to the event before it (docs/adr/ADR-005)."""

    KIND_CHOICES = [(a.value, a.label) for a in Action]

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=40, choices=KIND_CHOICES)
    stage = models.PositiveSmallIntegerField(default=0)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, help_text="Who acted, as shown in the timeline")
    occurred_at = models.DateTimeField(help_text="When it happened")
    recorded_at = models.DateTimeField(
        default=timezone.now, help_text="When it reached the log (an import keeps the original)"
    )
    policy_version = models.ForeignKey(
        "policies.PolicyVersion", on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    chain_hash = models.CharField(
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text="sha256 of this event's content and the previous event's hash",
    )

    class Meta:
        ordering = ["case", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="unique_event_sequence")
        ]
        indexes = [models.Index(fields=["kind", "occurred_at"], name="event_kind_time")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.sequence} {self.kind}"


class CaseClock(models.Model):
    """A case's clock as last worked out from its events, so "what is due" is one query."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    name = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    purpose = models.CharField(max_length=10)
    status = models.CharField(max_length=12)
    started_by = models.CharField(max_length=60, blank=True)
    start = models.DateField(null=True, blank=True)
    original_due = models.DateField(null=True, blank=True)
    due = models.DateField(null=True, blank=True)
    met_on = models.DateField(null=True, blank=True)
    extended = models.BooleanField(default=False)
    told_before_original_due = models.BooleanField(default=False)
    explanation = models.TextField(blank=True)
    cites = models.CharField(max_length=300, blank=True)
    # A `deadline_missed` event is on the case for this clock and due date: the sweep has
    # recorded and told the miss, and reads the clock no more (cases/due.py).
    missed_recorded = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "name"], name="unique_case_clock")]
        indexes = [
            models.Index(fields=["status", "due"], name="clock_status_due"),
            # The sweep's read each minute: open deadlines not yet recorded as missed, by due
            # date, so a backlog of misses already told costs it nothing (cases/due.py).
            models.Index(
                fields=["due"],
                name="clock_sweep_due",
                condition=models.Q(
                    status__in=["running", "overdue"], purpose="deadline", missed_recorded=False
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.name} {self.due}"


class CaseAccessLog(models.Model):
    """One view of a restricted case: who, when, which page. Append-only: database triggers
    refuse UPDATE and DELETE (migration 0010); the lead officer reads it (docs/security.md)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="access_log")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    user_label = models.CharField(max_length=200, help_text="Who viewed it, as shown in the log")
    at = models.DateTimeField(default=timezone.now)
    page = models.CharField(max_length=300, help_text="The address of the page viewed")

    class Meta:
        indexes = [models.Index(fields=["organisation", "-at"], name="access_log_org_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id} {self.at:%Y-%m-%d %H:%M}"


class CaseAttachment(models.Model):
    """A file kept with a case: the note, communication or receipt it came with, where it is in
    storage (a random name), the name the sender gave (only ever shown), the type read from
    its content, and its size and sha256. Append-only: database triggers refuse UPDATE and
    DELETE (migration 0017); it is read only through the download view (docs/security.md)."""

    class Source(models.TextChoices):
        STAFF = "staff", "Added by a colleague"
        WEB = "web", "Sent with the website form"
        EMAIL = "email", "Attached to an e-mail"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
        help_text="The note, communication or receipt it came with",
    )
    stored_as = models.CharField(max_length=300, help_text="Its name in storage (random)")
    name = models.CharField(max_length=200, help_text="The name the sender gave, cleaned")
    content_type = models.CharField(max_length=100, help_text="Read from its content")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    source = models.CharField(max_length=10, choices=Source.choices)
    added_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["case", "event"], name="attachment_case_event")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.name}"


class LogCheck(models.Model):
    """One run of `manage.py verify_log`: when, whether the log was intact, what was wrong.

    `problems` is a list of {"organisation_id", "reference", "problem"}; the lead officer of
    each organisation sees their own on My work (docs/adr/ADR-005).
    """

    ran_at = models.DateTimeField(default=timezone.now, db_index=True)
    clean = models.BooleanField()
    cases_checked = models.PositiveIntegerField()
    events_checked = models.PositiveIntegerField()
    problems = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {'clean' if self.clean else 'problems'}"
