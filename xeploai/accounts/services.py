import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from xeploai.accounts.access import Action, may_grant, may_manage_user, require
from xeploai.accounts.models import RoleGrant, User
from xeploai.audit.services import event_record
from xeploai.errors import AppError
from xeploai.org.models import Member, Unit


@transaction.atomic
def user_create(
    *, actor, username: str, password: str, member: Member | None = None, full_name: str = ""
) -> User:
    if member is not None:
        require(actor, Action.MANAGE_USERS, member.cell)
    if User.objects.filter(username=username).exists():
        raise AppError(
            _("The login name %(name)s is taken.") % {"name": username}, field="username"
        )
    user = User(username=username, member=member, first_name=full_name)
    try:
        # The same rules as createsuperuser and changepassword (AUTH_PASSWORD_VALIDATORS).
        validate_password(password, user)
    except ValidationError as error:
        raise AppError(" ".join(error.messages), field="password") from None
    user.set_password(password)
    user.save()
    event_record(
        actor=actor,
        action="user.create",
        target_type="user",
        target_id=user.pk,
        after={"username": username, "member": member.pk if member else None},
    )
    return user


def _grant_view(grant: RoleGrant) -> dict:
    return {
        "role": grant.role,
        "unit": grant.unit.code,
        "from": grant.valid_from,
        "to": grant.valid_to,
        "acting_for": grant.acting_for.username if grant.acting_for_id else None,
    }


@transaction.atomic
def role_grant(
    *,
    actor,
    user: User,
    role: str,
    unit: Unit,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    acting_for: User | None = None,
) -> RoleGrant:
    """Give `user` a role over `unit`'s subtree for the dates. An acting grant names the
    holder acted for ("the deputy acts for the secretary from … to …") and must end."""
    if not may_grant(actor, role, unit):
        raise PermissionDenied
    if valid_to is not None and valid_to < valid_from:
        raise AppError(_("The grant ends before it starts."), field="valid_to")
    if acting_for is not None:
        if valid_to is None:
            raise AppError(_("An acting grant needs an end date."), field="valid_to")
        if acting_for.pk == user.pk:
            raise AppError(_("Nobody acts for themselves."), field="acting_for")
        holds = RoleGrant.objects.filter(
            user=acting_for, role=role, unit=unit, valid_from__lte=valid_to
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        if not holds.exists():
            raise AppError(
                _("%(name)s does not hold this role in this unit during these dates.")
                % {"name": acting_for.username},
                field="acting_for",
            )
    grant = RoleGrant.objects.create(
        user=user,
        role=role,
        unit=unit,
        valid_from=valid_from,
        valid_to=valid_to,
        granted_by=actor,
        acting_for=acting_for,
    )
    event_record(
        actor=actor,
        action="role.grant_acting" if acting_for else "role.grant",
        target_type="user",
        target_id=user.pk,
        after=_grant_view(grant),
    )
    return grant


@transaction.atomic
def role_grant_end(*, actor, grant: RoleGrant, on: datetime.date) -> RoleGrant:
    """The grant holds until `on` (inclusive); it cannot end before it began."""
    if not may_grant(actor, grant.role, grant.unit):
        raise PermissionDenied
    if on < grant.valid_from:
        raise AppError(_("The grant cannot end before it starts."), field="on")
    if grant.valid_to is not None and on >= grant.valid_to:
        raise AppError(_("The grant already ends on or before that day."), field="on")
    before = _grant_view(grant)
    grant.valid_to = on
    grant.save(update_fields=["valid_to"])
    event_record(
        actor=actor,
        action="role.end",
        target_type="user",
        target_id=grant.user_id,
        before=before,
        after=_grant_view(grant),
    )
    return grant


@transaction.atomic
def staff_create(
    *,
    actor,
    username: str,
    password: str,
    full_name: str,
    email: str,
    role: str,
    unit: Unit,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> User:
    """A staff account and its first grant, together or not at all."""
    if not may_grant(actor, role, unit):
        raise PermissionDenied
    user = user_create(actor=actor, username=username, password=password, full_name=full_name)
    if email:
        user.email = email
        user.save(update_fields=["email"])
    role_grant(
        actor=actor, user=user, role=role, unit=unit, valid_from=valid_from, valid_to=valid_to
    )
    return user


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    """The account can no longer log in; its history (grants, audit) stays."""
    if not may_manage_user(actor, user):
        raise PermissionDenied
    if not user.is_active:
        raise AppError(_("This account is already deactivated."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    event_record(
        actor=actor,
        action="user.deactivate",
        target_type="user",
        target_id=user.pk,
        before={"active": True},
        after={"active": False},
    )
    return user
