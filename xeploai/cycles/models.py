"""Review cycles: the subjects enrolled, the three steps, decisions, remediation.

Levels, subject kinds and exclusion reasons are stored with the rule core's enum values, so a
stored verdict reads back into `xeploai.rules` unchanged.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xeploai.org.models import Member, Position, Unit


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")
    TERM = "term", _("Term")
    AD_HOC = "ad_hoc", _("Ad hoc")


class CycleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    LOCKED = "locked", _("Locked")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Level(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (HTXS)")
    GOOD = "good", _("Good (HTT)")
    COMPLETE = "complete", _("Complete (HT)")
    NOT_COMPLETE = "not_complete", _("Not complete (KHT)")


class SubjectKind(models.TextChoices):
    MEMBER = "member", _("Party member")
    LEADER = "leader", _("Leader or manager")
    MEMBER_OUTSIDE_SYSTEM = "member_outside_system", _("Member outside the political system")
    LEADERSHIP_COLLECTIVE = "leadership_collective", _("Leadership collective")
    PARTY_ORGANIZATION = "party_organization", _("Party organization")


class Step(models.TextChoices):
    ENROLLED = "enrolled", _("Not started")
    SELF_DRAFT = "self_draft", _("Self-assessment in draft")
    SELF_SUBMITTED = "self_submitted", _("Self-assessment submitted")
    APPRAISED = "appraised", _("Appraised and proposed")
    DECIDED = "decided", _("Decided")
    EXCLUDED = "excluded", _("Not reviewed")


class ExcludedReason(models.TextChoices):
    """Why a member is enrolled but not reviewed or rated (R29, R30; the rule core's
    ExclusionReason)."""

    EXEMPT = "exempt", _("exempt from party activity")
    SUSPENDED = "suspended", _("suspended from party activity")
    ADMITTED_UNDER_6_MONTHS = "admitted_under_6_months", _("admitted less than 6 months ago")


class Cycle(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cycles")
    name = models.CharField(_("name"), max_length=255)
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    regulation = models.CharField(_("regulation"), max_length=16)
    state = models.CharField(max_length=16, choices=CycleState.choices, default=CycleState.DRAFT)
    # A cycle opened by mistake is cancelled before any decision; its subjects are removed.
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when an annual cycle takes its quarterly (or monthly) cycles as parts (R48).
    parts = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="wholes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "period_end"])]

    def __str__(self) -> str:
        return self.name


class CycleDocument(models.Model):
    """The plan and guidance the cycle runs under (number, date, file)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=255)
    number = models.CharField(max_length=64, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to="cycle-documents/", blank=True)


class Deadline(models.Model):
    """A step must be done by `due_on` for the subjects of units of `unit_kind` (blank: all)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="deadlines")
    step = models.CharField(max_length=16, choices=Step.choices)
    unit_kind = models.CharField(max_length=32, blank=True)
    due_on = models.DateField()


class Subject(models.Model):
    # The cycle and the deciding unit are set only by enrolment (ADR 0003).
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="subjects", db_constraint=False
    )
    kind = models.CharField(max_length=24, choices=SubjectKind.choices)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="subjects"
    )
    position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="subjects"
    )
    # The member's cell of official membership; the organization itself; the unit of the post.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="subjects")
    deciding_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_subjects",
        db_constraint=False,
    )
    pool = models.CharField(max_length=96, blank=True)
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.ENROLLED)
    excluded_reason = models.CharField(max_length=32, choices=ExcludedReason.choices, blank=True)
    self_level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    self_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    proposed_level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    decided_level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    # Optimistic concurrency: every save compares and increments it.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["cycle", "deciding_unit", "pool"]),
            models.Index(fields=["cycle", "unit"]),
            models.Index(fields=["cycle", "member"]),
        ]

    def __str__(self) -> str:
        if self.member_id:
            return self.member.full_name
        return self.unit.name


class SubjectLink(models.Model):
    """`source` stands in `relation` to `target` (rule core relations, R38).

    Derived rows, written only by enrolment and deleted with their subjects by the ORM: the
    database does not re-check their keys (ADR 0003), which at a province's size would double
    the time of opening a cycle on PostgreSQL.
    """

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    source = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="links_out", db_constraint=False
    )
    relation = models.CharField(max_length=16)
    target = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="links_in", db_constraint=False
    )


class SelfAssessment(models.Model):
    subject = models.OneToOneField(
        Subject, on_delete=models.CASCADE, related_name="self_assessment"
    )
    scores = models.JSONField(default=dict)  # item code -> points, as text
    tasks_total = models.PositiveIntegerField(default=0)
    tasks_completed = models.PositiveIntegerField(default=0)
    tasks_on_time = models.PositiveIntegerField(default=0)
    tasks_late = models.PositiveIntegerField(default=0)
    tasks_exceeding = models.PositiveIntegerField(default=0)
    strengths = models.TextField(blank=True)
    shortcomings = models.TextField(blank=True)
    causes = models.TextField(blank=True)
    prompt_answers = models.TextField(blank=True)
    direction = models.TextField(blank=True)
    proposed_level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)


class OpinionSource(models.TextChoices):
    RESIDENCE = "residence", _("Residence-area committee")
    TEMPORARY_CELL = "temporary_cell", _("Cell of temporary activity")
    MASS_ORGANIZATION = "mass_organization", _("Mass organization")
    WORKPLACE = "workplace", _("Workplace")


class Opinion(models.Model):
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="opinions")
    source = models.CharField(max_length=24, choices=OpinionSource.choices)
    author = models.CharField(max_length=255)
    text = models.TextField()
    received_on = models.DateField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )


class Appraisal(models.Model):
    """Step 2: the cell meeting's tally (members) and the advisory body's proposal."""

    subject = models.OneToOneField(Subject, on_delete=models.CASCADE, related_name="appraisal")
    votes = models.JSONField(default=dict)  # level -> votes at the meeting
    attendees = models.PositiveIntegerField(null=True, blank=True)
    proposed_level = models.CharField(max_length=16, choices=Level.choices)
    reason = models.TextField(blank=True)
    # Criterion grades of the meeting where the generation grades criteria (HD 21 §2.3), and
    # the member's civil-service rating, a basis of the party rating (R40).
    political_task_grade = models.CharField(max_length=16, blank=True)
    other_criteria_grade = models.CharField(max_length=16, blank=True)
    state_rating = models.CharField(max_length=16, choices=Level.choices, blank=True)
    verdict = models.JSONField(default=dict)  # the rule core's verdict at appraisal
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    appraised_at = models.DateTimeField()


class CapException(models.Model):
    """The competent level's recorded exception for a pool: outstanding unit (R25)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="cap_exceptions")
    pool = models.CharField(max_length=96)
    reason = models.TextField()
    document_number = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()


class Decision(models.Model):
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="decisions")
    level = models.CharField(max_length=16, choices=Level.choices)
    regulation = models.CharField(max_length=16)
    verdict = models.JSONField(default=dict)  # codes and citations the rule core gave
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    on_paper = models.BooleanField(default=False)
    document_number = models.CharField(max_length=64, blank=True)
    document_date = models.DateField(null=True, blank=True)
    signer = models.CharField(max_length=255, blank=True)
    # A re-rating (Mẫu 03) replaces the decision it names, with a reason (R44).
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["subject", "decided_at"])]


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")
    NEGATIVE_REPORT = "negative_report", _("Report of negative conduct")
    VIOLATION = "violation", _("Disciplinary violation")
    DISUNITY = "disunity", _("Sign of disunity")


class Case(models.Model):
    """An open matter that blocks the decision until verified (R42)."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="cases")
    kind = models.CharField(max_length=24, choices=CaseKind.choices)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    conclusion = models.TextField(blank=True)


class RemediationStatus(models.TextChoices):
    OPEN = "open", _("Not fixed")
    IN_PROGRESS = "in_progress", _("Being fixed")
    FIXED = "fixed", _("Fixed")


class RemediationItem(models.Model):
    """A shortcoming concluded at a review, carried into the subject's next reviews (R45)."""

    origin = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="remediation_items")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="remediation_items"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="remediation_items"
    )
    text = models.TextField()
    owner = models.CharField(max_length=255, blank=True)
    measure = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=RemediationStatus.choices, default=RemediationStatus.OPEN
    )


class RemediationUpdate(models.Model):
    """The status of an earlier item as reported in a later self-assessment."""

    item = models.ForeignKey(RemediationItem, on_delete=models.CASCADE, related_name="updates")
    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="remediation_updates"
    )
    status = models.CharField(max_length=16, choices=RemediationStatus.choices)
    note = models.TextField(blank=True)


class FindingKind(models.TextChoices):
    """What the competent level may conclude about a subject, besides scores and tasks: each
    is a fact the rule core takes (QĐ 366 Điều 11-12; QĐ 132 Điều 7-8; HD 27 §2)."""

    DEGRADATION = "degradation_finding", _(
        "Concluded degradation in political ideology, ethics or lifestyle"
    )
    PROHIBITED = "prohibited_conduct", _("Conduct the Party prohibits members to do")
    CADRE_WORK = "cadre_work_wrongdoing", _("Wrongdoing in cadre work")
    CORRUPTION = "managed_corruption_disciplined", _(
        "Corruption or waste in the area managed, dealt with by discipline"
    )
    BASIC_TARGETS = "basic_targets_missed", _("Basic targets of the period missed")
    SUBORDINATES_DISCIPLINED = "subordinate_units_disciplined", _(
        "Subordinate party organizations disciplined in the period"
    )
    LONG_LEAVE = "long_leave", _("Long sick or maternity leave in the period")
    FORCE_MAJEURE = "force_majeure", _("Mitigation: force majeure")
    SELF_DETECTED = "self_detected", _("Mitigation: detected by the subject itself")
    TIMELY_HANDLED = "timely_handled", _("Mitigation: handled in time")
    REMEDIATED = "remediated", _("Mitigation: consequences remedied")
    FAILS_MANY_TASKS = "fails_many_tasks", _("Failed to complete many tasks (HD 27)")
    COMMITTEE_DISUNITY = "committee_disunity", _("Disunity within the party committee (HD 27)")
    CORRUPTION_DISCIPLINE = "corruption_led_to_discipline", _(
        "Corruption led to discipline (HD 27)"
    )
    GOVERNMENT_LOWEST = "government_rated_lowest", _(
        "The government of the same level rated at the lowest level (HD 27)"
    )
    MASS_ORGS_LOWEST = "mass_orgs_rated_lowest", _(
        "Mass organizations of the same level rated at the lowest level (HD 27)"
    )


# Findings that carry a number (how many targets, units, organizations); the rest are yes/no.
COUNTED_FINDINGS = frozenset(
    {
        FindingKind.BASIC_TARGETS,
        FindingKind.SUBORDINATES_DISCIPLINED,
        FindingKind.MASS_ORGS_LOWEST,
    }
)


class Finding(models.Model):
    """One finding about a subject, with its date, its evidence and who recorded it."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=40, choices=FindingKind.choices)
    count = models.PositiveIntegerField(default=1)
    found_on = models.DateField(_("date of the finding"))
    evidence = models.TextField(_("document or evidence"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "kind"], name="one_finding_per_kind")
        ]


class ConfidenceVote(models.Model):
    """The tally of a leader's confidence vote — counts only, never a ballot (QĐ 96-QĐ/TW)."""

    subject = models.OneToOneField(Subject, on_delete=models.CASCADE, related_name="confidence")
    held_on = models.DateField(_("date of the vote"))
    ballots_issued = models.PositiveIntegerField(_("ballots issued"))
    ballots_valid = models.PositiveIntegerField(_("valid ballots"))
    high = models.PositiveIntegerField(_("high confidence"))
    medium = models.PositiveIntegerField(_("medium confidence"))
    low = models.PositiveIntegerField(_("low confidence"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
class NoticeKind(models.TextChoices):
    JOINED = "joined", _("Joined during the cycle: enrolled")
    MOVED = "moved", _("Moved to another cell of the cycle: reviewed there")
    LEFT = "left", _("Left during the cycle: reviewed where they now belong")
    KEPT = "kept", _("Left after being decided: the decision stands")


class Notice(models.Model):
    """What changed in a cycle's roster while it was open, for the staff who run it."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=8, choices=NoticeKind.choices)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    from_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField()
    # The step the member's review had reached when it left this cycle (blank otherwise).
    step_before = models.CharField(max_length=16, choices=Step.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["cycle", "created_at"])]
