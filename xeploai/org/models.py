"""Organization tree and roster.

The tree is stored twice on purpose: `Unit.parent` plus a materialized `Unit.path` (the ids of the
ancestors, "/1/24/305/") so that a subtree is one indexed range query, and `UnitLink` rows that
keep every parent a unit ever had, with dates, because cells move between committees.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Provincial party committee")
    PROVINCE_DIRECT_COMMITTEE = (
        "province_direct_committee",
        _("Committee directly under the province"),
    )
    DISTRICT_COMMITTEE = "district_committee", _("District party committee (former)")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell")
    PARTIAL_COMMITTEE = "partial_committee", _("Partial party committee")
    SUBORDINATE_CELL = "subordinate_cell", _("Subordinate party cell")


CELL_KINDS = (UnitKind.GRASSROOTS_CELL, UnitKind.SUBORDINATE_CELL)


class OrgType(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    STATE_AGENCY = "state_agency", _("State agency")
    PUBLIC_SERVICE = "public_service", _("Public-service unit")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    NON_STATE_ENTERPRISE = "non_state_enterprise", _("Non-state enterprise")
    ARMY = "army", _("Army")
    POLICE = "police", _("Police")
    ABROAD = "abroad", _("Abroad")
    OTHER = "other", _("Other")


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    org_type = models.CharField(
        _("organization type"), max_length=32, choices=OrgType.choices, default=OrgType.OTHER
    )
    has_cell_committee = models.BooleanField(_("has its own cell committee"), default=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True)
    depth = models.PositiveSmallIntegerField(default=0)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    class Meta:
        verbose_name = _("unit")
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None


class UnitLink(models.Model):
    """One period during which `unit` stood under `parent` (parent null: a root)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="links")
    parent = models.ForeignKey(
        Unit, null=True, on_delete=models.PROTECT, related_name="child_links"
    )
    valid_from = models.DateField(null=True)
    valid_to = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "valid_from"])]


class UnitEventKind(models.TextChoices):
    CREATED = "created", _("created")
    RENAMED = "renamed", _("renamed")
    MOVED = "moved", _("moved")
    MERGED = "merged", _("merged")
    DISSOLVED = "dissolved", _("dissolved")


class UnitEvent(models.Model):
    """What happened to a unit and when: the readable history of the tree."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=UnitEventKind.choices)
    on = models.DateField()
    old_value = models.CharField(max_length=255, blank=True)
    new_value = models.CharField(max_length=255, blank=True)
    other_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["on", "id"]


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Member(models.Model):
    full_name = models.CharField(_("full name"), max_length=128)
    name_folded = models.CharField(max_length=128, db_index=True)
    sort_key = models.CharField(max_length=255, db_index=True)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    card_number = models.CharField(
        _("party card number"), max_length=32, unique=True, null=True, blank=True
    )
    national_id = models.CharField(
        _("national ID"), max_length=16, unique=True, null=True, blank=True
    )
    admitted_on = models.DateField(_("admitted on"))
    official_on = models.DateField(_("official member since"), null=True, blank=True)
    # The cell of official membership today; the dated truth is in Membership.
    cell = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="members")
    left_on = models.DateField(_("left the party organization on"), null=True, blank=True)
    # Retirees, students, private-sector staff: reviewed on form 2C (QĐ 366 Phụ lục 5).
    outside_political_system = models.BooleanField(
        _("not working in the political system"), default=False
    )

    class Meta:
        verbose_name = _("party member")
        indexes = [models.Index(fields=["cell", "sort_key"])]

    def __str__(self) -> str:
        return self.full_name

    def is_probationary(self, on) -> bool:
        """Probationary until the official date (Party Charter, Art. 5)."""
        return self.official_on is None or self.official_on > on


class Membership(models.Model):
    """Official membership of a cell from `valid_from` to `valid_to` (open: today)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    cell = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "valid_from"])]


class StatusKind(models.TextChoices):
    EXEMPT = "exempt", _("Exempt from work and party activity")
    SUSPENDED = "suspended", _("Party activity suspended")
    TEMPORARY_ACTIVITY = "temporary_activity", _("Temporary activity at another cell")
    RESIDENCE_CELL = "residence_cell", _("Residence-area cell")


class MemberStatus(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="statuses")
    kind = models.CharField(max_length=24, choices=StatusKind.choices)
    # The other cell, for temporary activity and for the residence-area cell.
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "kind", "valid_from"])]


class PositionKind(models.TextChoices):
    CELL_SECRETARY = "cell_secretary", _("Cell secretary")
    CELL_DEPUTY_SECRETARY = "cell_deputy_secretary", _("Deputy cell secretary")
    COMMITTEE_MEMBER = "committee_member", _("Party committee member")
    STANDING_COMMITTEE_MEMBER = "standing_committee_member", _("Standing committee member")
    COMMITTEE_SECRETARY = "committee_secretary", _("Party committee secretary")
    COMMITTEE_DEPUTY_SECRETARY = "committee_deputy_secretary", _("Deputy party committee secretary")
    HEAD = "head", _("Head of an agency or collective")
    DEPUTY_HEAD = "deputy_head", _("Deputy head of an agency or collective")
    OTHER = "other", _("Other post")


class ManagingLevel(models.TextChoices):
    POLITBURO = "politburo", _("Politburo / Secretariat")
    PROVINCE = "province", _("Provincial standing committee")
    DIRECT_HIGHER = "direct_higher", _("Directly-higher committee of the grassroots")
    GRASSROOTS = "grassroots", _("Grassroots committee")
    NONE = "none", _("Not a managed cadre")


class Position(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions")
    kind = models.CharField(max_length=32, choices=PositionKind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    # The party unit, or the party unit whose agency/collective the post belongs to.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions")
    is_leadership = models.BooleanField(_("leadership or management post"), default=False)
    managing_level = models.CharField(
        max_length=16, choices=ManagingLevel.choices, default=ManagingLevel.NONE
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "kind"])]


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    REMOVAL = "removal", _("Removal from post")
    EXPULSION = "expulsion", _("Expulsion")


class Discipline(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="disciplines")
    form = models.CharField(max_length=16, choices=DisciplineForm.choices)
    violation_on = models.DateField(_("date of the violation"))
    decided_on = models.DateField(_("date of the decision"))
    # Where the act happened: it counts against that unit (QĐ 366 Art. 11, special cases 2-3).
    unit_of_act = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    duty_related = models.BooleanField(_("related to official duties"), default=True)
    note = models.TextField(blank=True)
