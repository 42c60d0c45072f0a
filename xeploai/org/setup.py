"""First run: the top unit and the first administrator of an empty database, in one transaction."""

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from xeploai.accounts.models import Role, RoleGrant, User
from xeploai.audit.services import event_record
from xeploai.errors import AppError
from xeploai.org.models import OrgType, Unit, UnitKind
from xeploai.org.services import unit_create


def already_set_up() -> str | None:
    """Why this database is not empty enough for a first run, or None."""
    top = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if top is not None:
        return _("This database already has a top unit (%(code)s %(name)s).") % {
            "code": top.code,
            "name": top.name,
        }
    if RoleGrant.objects.filter(role=Role.ADMINISTRATOR).exists():
        return _("This database already has an administrator.")
    return None


@transaction.atomic
def first_run(
    *,
    unit_code: str,
    unit_name: str,
    unit_kind: str,
    org_type: str,
    username: str,
    email: str,
    password: str,
    on: datetime.date,
) -> tuple[Unit, User]:
    """Create the top unit and its administrator; refuse on a database that has either."""
    reason = already_set_up()
    if reason:
        raise AppError(reason)
    if unit_kind not in UnitKind.values:
        raise AppError(_("Unknown unit kind."), field="unit_kind")
    if org_type not in OrgType.values:
        raise AppError(_("Unknown organization type."), field="org_type")
    if not unit_code.strip():
        raise AppError(_("The unit code is required."), field="unit_code")
    if not unit_name.strip():
        raise AppError(_("The unit name is required."), field="unit_name")
    if not username.strip():
        raise AppError(_("The administrator's user name is required."), field="admin_username")
    if User.objects.filter(username=username).exists():
        raise AppError(_("The user name %(name)s is taken.") % {"name": username})
    try:
        validate_email(email)
    except ValidationError:
        raise AppError(_("Enter a valid e-mail address."), field="admin_email") from None
    user = User(username=username.strip(), email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AppError(" ".join(exc.messages), field="admin_password") from None
    unit = unit_create(
        actor=None,
        code=unit_code,
        name=unit_name,
        kind=unit_kind,
        parent=None,
        on=on,
        org_type=org_type,
    )
    user.set_password(password)
    user.save()
    RoleGrant.objects.create(user=user, role=Role.ADMINISTRATOR, unit=unit, valid_from=on)
    event_record(
        actor=None,
        action="setup.first_run",
        target_type="user",
        target_id=user.pk,
        after={"username": user.username, "role": Role.ADMINISTRATOR, "unit": unit.pk},
    )
    return unit, user
