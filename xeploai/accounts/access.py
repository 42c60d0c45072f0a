"""The one place that answers "may this user see / change this?".

Every view, service and command asks here. A grant gives a role over the subtree of a unit for a
period; a role gives a fixed set of actions. A party member without any other grant sees only
their own record.
"""

import datetime
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xeploai.accounts.models import Role, RoleGrant
from xeploai.org.models import Member, Unit
from xeploai.org.tree import is_within, subtree_q


class Action(StrEnum):
    VIEW = "view"
    EDIT_ROSTER = "edit_roster"
    IMPORT_ROSTER = "import_roster"
    MANAGE_TREE = "manage_tree"
    MANAGE_USERS = "manage_users"
    # The review season.
    MANAGE_CYCLE = "manage_cycle"  # open, lock, close, reopen, deadlines, exceptions
    ENTER_ON_BEHALF = "enter_on_behalf"  # fill a member's self-assessment for them
    APPRAISE = "appraise"  # meeting result, opinions, proposal (step 2)
    DECIDE = "decide"  # the competent level's decision (step 3)


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.MEMBER: frozenset(),
    Role.CELL_SECRETARY: frozenset({Action.VIEW, Action.ENTER_ON_BEHALF, Action.APPRAISE}),
    Role.COMMITTEE: frozenset({Action.VIEW, Action.DECIDE}),
    Role.ORGANIZATION_STAFF: frozenset(
        {
            Action.VIEW,
            Action.EDIT_ROSTER,
            Action.IMPORT_ROSTER,
            Action.MANAGE_TREE,
            Action.MANAGE_CYCLE,
            Action.MANAGE_USERS,
            Action.ENTER_ON_BEHALF,
            Action.APPRAISE,
        }
    ),
    Role.ADMINISTRATOR: frozenset(Action),
}


def _today() -> datetime.date:
    return timezone.localdate()


def active_grants(user, on: datetime.date | None = None) -> list[tuple[str, str]]:
    """(role, unit path) of every grant valid on `on`; memoised on the user for one request."""
    on = on or _today()
    cache = getattr(user, "_xeploai_grants", None)
    if cache is not None and cache[0] == on:
        return cache[1]
    if not user.is_authenticated or not user.is_active:
        grants: list[tuple[str, str]] = []
    else:
        rows = RoleGrant.objects.filter(user=user, valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
        grants = list(rows.values_list("role", "unit__path"))
    user._xeploai_grants = (on, grants)
    return grants


def may(user, action: Action, unit: Unit, on: datetime.date | None = None) -> bool:
    """May `user` do `action` on `unit` (and so on anything inside it)?

    `user=None` is the system itself: a command run by someone with shell access to the server.
    """
    if user is None:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    for role, path in active_grants(user, on):
        if action in ROLE_ACTIONS[role] and is_within(unit.path, path):
            return True
    return False


def may_view_member(user, member: Member, on: datetime.date | None = None) -> bool:
    if user.is_authenticated and user.is_active and user.member_id == member.pk:
        return True
    return may(user, Action.VIEW, member.cell, on)


def may_change_member(user, member: Member, on: datetime.date | None = None) -> bool:
    return may(user, Action.EDIT_ROSTER, member.cell, on)


def _paths_for(user, action: Action, on: datetime.date | None) -> list[str]:
    return [path for role, path in active_grants(user, on) if action in ROLE_ACTIONS[role]]


def units_for_user(user, action: Action = Action.VIEW, on=None) -> QuerySet[Unit]:
    """The units `user` may act on: one query, an OR of subtree ranges."""
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    paths = _paths_for(user, action, on)
    if not paths:
        return Unit.objects.none()
    condition = Q()
    for path in paths:
        condition |= subtree_q(path)
    return Unit.objects.filter(condition)


def members_for_user(user, action: Action = Action.VIEW, on=None) -> QuerySet[Member]:
    if not user.is_authenticated or not user.is_active:
        return Member.objects.none()
    if user.is_superuser:
        return Member.objects.all()
    condition = Q(pk=user.member_id) if user.member_id and action == Action.VIEW else Q(pk__in=[])
    for path in _paths_for(user, action, on):
        condition |= subtree_q(path, "cell__path")
    return Member.objects.filter(condition)


def root_units_for_user(user, on=None) -> list[Unit]:
    """The top units of the user's grants that allow viewing, outermost first, no overlaps."""
    if user.is_superuser:
        return list(Unit.objects.filter(parent__isnull=True).order_by("name"))
    paths = sorted(set(_paths_for(user, Action.VIEW, on)), key=len)
    tops: list[str] = []
    for path in paths:
        if not any(is_within(path, top) for top in tops):
            tops.append(path)
    return sorted(Unit.objects.filter(path__in=tops), key=lambda u: u.name)


def get_unit_for_user(user, pk, action: Action = Action.VIEW) -> Unit:
    """The unit, or 404 when the user may not even see it, or 403 when they see but may not act."""
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not may(user, Action.VIEW, unit):
        raise Http404
    if not may(user, action, unit):
        raise PermissionDenied
    return unit


def get_member_for_user(user, pk, action: Action = Action.VIEW) -> Member:
    member = Member.objects.select_related("cell").filter(pk=pk).first()
    if member is None or not may_view_member(user, member):
        raise Http404
    if action == Action.VIEW:
        return member
    if not may(user, action, member.cell):
        raise PermissionDenied
    return member


def require(user, action: Action, unit: Unit) -> None:
    """For services: refuse the write unless the user may do it."""
    if not may(user, action, unit):
        raise PermissionDenied


# --- accounts and roles ------------------------------------------------------------------


def may_grant(user, role: str, unit: Unit, on: datetime.date | None = None) -> bool:
    """Grant `role` over `unit`: the granter manages users there and holds every power the role
    gives there, so nobody grants a role above their own or outside their subtree."""
    if not may(user, Action.MANAGE_USERS, unit, on):
        return False
    return all(may(user, action, unit, on) for action in ROLE_ACTIONS[role])


def manages_accounts(user) -> bool:
    """Whether to offer the accounts pages at all: a grant that manages users somewhere."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(_paths_for(user, Action.MANAGE_USERS, None))


def may_manage_user(user, target, on: datetime.date | None = None) -> bool:
    """Deactivate `target`, end their grants, reissue their code: the manager may grant every
    role `target` holds where they hold it, and `target`'s member record lies in the manager's
    subtree. A superuser is managed only by a superuser (or the system)."""
    if user is None:
        return True
    if target.is_superuser and not user.is_superuser:
        return False
    if target.pk == user.pk:
        return False
    grants = list(
        RoleGrant.objects.filter(user=target)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on or _today()))
        .select_related("unit")
    )
    member = Member.objects.select_related("cell").filter(pk=target.member_id).first()
    if member is None and not grants:
        return bool(user.is_superuser)
    if member is not None and not may(user, Action.MANAGE_USERS, member.cell, on):
        return False
    return all(may_grant(user, g.role, g.unit, on) for g in grants)


def get_user_for_user(user, pk):
    """An account the user may manage, else 404 (nobody learns which accounts exist)."""
    from xeploai.accounts.models import User

    target = User.objects.filter(pk=pk).first()
    if target is None or not may_manage_user(user, target):
        raise Http404
    return target


def get_grant_for_user(user, pk) -> RoleGrant:
    """A grant the user may end: 404 unless they could have granted it."""
    grant = RoleGrant.objects.select_related("unit", "user").filter(pk=pk).first()
    if grant is None or not may_grant(user, grant.role, grant.unit):
        raise Http404
    return grant


# --- the review season -----------------------------------------------------------------


def may_self_assess(user, subject) -> bool:
    """A member fills their own self-assessment; a secretary or staff may enter it for them."""
    if (
        user is not None
        and getattr(user, "member_id", None)
        and user.member_id == subject.member_id
    ):
        return True
    return may(user, Action.ENTER_ON_BEHALF, subject.unit)


def may_appraise(user, subject) -> bool:
    return may(user, Action.APPRAISE, subject.unit)


def may_record_findings(user, subject) -> bool:
    """Findings and a confidence vote's tally: the competent level, or whoever appraises."""
    return may_appraise(user, subject) or may_decide(user, subject)


def may_decide_at(user, unit: Unit | None, on: datetime.date | None = None) -> bool:
    """Only the competent level decides: a deciding grant on that very unit, not on a unit
    above it (the province does not rate a ward's members). Subjects decided above the tree
    (unit None) are recorded by the system or a superuser from the paper decision."""
    if user is None:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if unit is None:
        return False
    return any(
        Action.DECIDE in ROLE_ACTIONS[role] and path == unit.path
        for role, path in active_grants(user, on)
    )


def may_decide(user, subject) -> bool:
    return may_decide_at(user, subject.deciding_unit)


def may_view_subject(user, subject) -> bool:
    if (
        user is not None
        and getattr(user, "member_id", None)
        and user.member_id == subject.member_id
    ):
        return True
    return may(user, Action.VIEW, subject.unit) or may_decide(user, subject)


def require_that(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def get_subject_for_user(user, pk):
    """A subject of a cycle, or 404 when the user may not see it."""
    from xeploai.cycles.models import Subject

    subject = (
        Subject.objects.select_related("cycle", "cycle__unit", "unit", "member", "deciding_unit")
        .filter(pk=pk)
        .first()
    )
    if subject is None or not may_view_subject(user, subject):
        raise Http404
    return subject


def get_decision_for_user(user, pk):
    """A decision (or re-rating) whose subject the user may see, else 404."""
    from xeploai.cycles.models import Decision

    decision = (
        Decision.objects.select_related(
            "subject",
            "subject__cycle",
            "subject__unit",
            "subject__member",
            "subject__member__cell",
            "subject__position",
            "subject__deciding_unit",
            "replaces",
        )
        .filter(pk=pk)
        .first()
    )
    if decision is None or not may_view_subject(user, decision.subject):
        raise Http404
    return decision


def get_cycle_for_user(user, pk, action: Action = Action.VIEW):
    """A cycle the user may see: its unit is in their subtree, or they are one of its subjects."""
    from xeploai.cycles.models import Cycle

    cycle = Cycle.objects.select_related("unit").filter(pk=pk).first()
    if cycle is None:
        raise Http404
    own = bool(user.member_id) and cycle.subjects.filter(member_id=user.member_id).exists()
    visible = may(user, Action.VIEW, cycle.unit) or own or _sees_inside(user, cycle.unit)
    if not visible:
        raise Http404
    if action != Action.VIEW and not may(user, action, cycle.unit):
        raise PermissionDenied
    return cycle


def get_cycle_unit_for_user(user, pk, unit_pk):
    """A cycle and a unit it holds, for the unit's statistics: 404 when the user may not see
    the cycle, the unit is not in it, or the user may not view the unit. One answer for all
    three: a member who sees the province's cycle learns nothing of which units lie in it."""
    cycle = get_cycle_for_user(user, pk)
    unit = Unit.objects.filter(pk=unit_pk).first()
    if (
        unit is None
        or not is_within(unit.path, cycle.unit.path)
        or not may(user, Action.VIEW, unit)
    ):
        raise Http404
    return cycle, unit


def _sees_inside(user, unit: Unit) -> bool:
    """A ward's committee sees the province's cycle: it runs inside their subtree."""
    return any(is_within(path, unit.path) for _role, path in active_grants(user))


def get_board_unit_for_user(user, pk) -> Unit:
    """A deciding unit whose calibration board the user may open: its committee decides,
    its staff calibrate (they see the unit)."""
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not (may_decide_at(user, unit) or may(user, Action.VIEW, unit)):
        raise Http404
    return unit


def cycles_for_user(user):
    """Cycles run by a unit above, at or below any unit of the user's grants."""
    from xeploai.cycles.models import Cycle, CycleState
    from xeploai.org.tree import ancestor_ids

    live = Cycle.objects.exclude(state=CycleState.CANCELLED)  # a cancelled cycle is in no list
    if user.is_superuser:
        return live.order_by("-period_end", "name")
    condition = Q(pk__in=[])
    for _role, path in active_grants(user):
        condition |= Q(unit_id__in=ancestor_ids(path)) | subtree_q(path, "unit__path")
    return live.filter(condition).select_related("unit").order_by("-period_end", "name")
