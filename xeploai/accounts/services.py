import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xeploai.accounts.access import Action, require
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


@transaction.atomic
def role_grant(
    *,
    actor,
    user: User,
    role: str,
    unit: Unit,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> RoleGrant:
    require(actor, Action.MANAGE_USERS, unit)
    if valid_to is not None and valid_to < valid_from:
        raise AppError(_("The grant ends before it starts."), field="valid_to")
    grant = RoleGrant.objects.create(
        user=user, role=role, unit=unit, valid_from=valid_from, valid_to=valid_to, granted_by=actor
    )
    event_record(
        actor=actor,
        action="role.grant",
        target_type="user",
        target_id=user.pk,
        after={"role": role, "unit": unit.pk, "from": valid_from, "to": valid_to},
    )
    return grant
