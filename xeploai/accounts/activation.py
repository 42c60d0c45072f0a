"""Accounts for members in bulk, and their one-time activation codes.

An account made here has no usable password: nothing is hashed per member (a password hash
costs a third of a second by design; 200,000 of them would take a day). The member sets the
first password on the activation page with their login name and a one-time code. The code is
stored as a keyed HMAC-SHA256 (fast to compute, useless without the server's secret), expires,
is spent by one use and dies after `MAX_WRONG_TRIES` wrong guesses.
"""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xeploai.accounts.access import Action, require
from xeploai.accounts.models import ActivationCode, User
from xeploai.audit.services import event_record
from xeploai.errors import AppError
from xeploai.org.bulk import insert_rows
from xeploai.org.models import Member, Unit
from xeploai.org.names import fold
from xeploai.org.tree import subtree_q

# No 0/O, 1/I/L: the code is read off paper and typed on a phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
VALID_DAYS = 30
MAX_WRONG_TRIES = 5


@dataclass(frozen=True)
class IssuedCode:
    cell: str  # the cell's name
    cell_code: str
    full_name: str
    username: str
    code: str


def code_hash(user_id: int, code: str) -> str:
    key = hashlib.sha256(("xeploai-activation:" + settings.SECRET_KEY).encode()).digest()
    message = f"{user_id}:{code.strip().upper().replace('-', '').replace(' ', '')}"
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def shown(code: str) -> str:
    """As printed: two groups of five, easier to copy."""
    return f"{code[:5]}-{code[5:]}"


def username_for(member_id: int, full_name: str) -> str:
    """`nguyenvanbinh.1234`: the name without accents and the record's number, so it is
    unique without revealing the card number."""
    letters = "".join(ch for ch in fold(full_name) if ch.isalnum() and ch.isascii())
    return f"{letters[:40] or 'dv'}.{member_id}"


@transaction.atomic
def accounts_create_for_unit(
    *, actor, unit: Unit, subtree: bool = True, now: datetime.datetime | None = None
) -> list[IssuedCode]:
    """An account for every current member of `unit` (its whole subtree, or its own cell) who
    has none, and a fresh code for every account not yet activated (older codes die). The
    codes are returned once, for the printed sheet; only their hashes are kept."""
    require(actor, Action.MANAGE_USERS, unit)
    now = now or timezone.now()
    scope = subtree_q(unit.path, "cell__path") if subtree else {"cell": unit}
    members = Member.objects.filter(left_on__isnull=True)
    members = members.filter(scope) if subtree else members.filter(**scope)
    rows = list(
        members.values_list("pk", "full_name", "cell__name", "cell__code", "user__pk").order_by(
            "cell__path", "sort_key", "pk"
        )
    )
    # COPY on PostgreSQL takes the datetime; SQLite's executemany the backend's text form.
    stamp = (
        now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
    )
    missing = [(pk, name) for pk, name, _c, _cc, user_pk in rows if user_pk is None]
    insert_rows(
        User,
        (
            "username",
            "password",
            "first_name",
            "last_name",
            "email",
            "is_superuser",
            "is_staff",
            "is_active",
            "date_joined",
            "member",
        ),
        (
            (
                username_for(pk, name),
                UNUSABLE_PASSWORD_PREFIX,
                name[:150],
                "",
                "",
                False,
                False,
                True,
                stamp,
                pk,
            )
            for pk, name in missing
        ),
    )
    # Read back through the same join as above (the unique index on the member), not by a
    # list of ids: on PostgreSQL the freshly copied rows have no statistics yet, and an
    # `IN (list)` against them is planned as a scan per id.
    waiting = members.filter(
        user__last_login__isnull=True,
        user__is_active=True,
        user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
    )
    accounts = {
        pk: (user_pk, name)
        for pk, user_pk, name in waiting.values_list("pk", "user__pk", "user__username")
    }
    ActivationCode.objects.filter(
        user__member__in=waiting.values("pk"), used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    expires = now + datetime.timedelta(days=VALID_DAYS)
    expires_stamp = (
        expires
        if connection.vendor == "postgresql"
        else connection.ops.adapt_datetimefield_value(expires)
    )
    issued: list[IssuedCode] = []
    hashes = []
    for pk, name, cell, cell_code, _user in rows:
        if pk not in accounts:
            continue
        user_id, username = accounts[pk]
        code = new_code()
        hashes.append((user_id, code_hash(user_id, code), expires_stamp, None, 0))
        issued.append(IssuedCode(cell, cell_code, name, username, shown(code)))
    insert_rows(
        ActivationCode, ("user", "code_hash", "expires_at", "used_at", "wrong_tries"), hashes
    )
    event_record(
        actor=actor,
        action="accounts.create_for_unit",
        target_type="unit",
        target_id=unit.pk,
        after={
            "unit": unit.code,
            "subtree": subtree,
            "accounts_created": len(missing),
            "codes_issued": len(issued),
            "codes_expire": expires,
        },
    )
    return issued


def account_activate(*, username: str, code: str, password: str, now=None) -> User:
    """Spend the code and set the first password. Every refusal reads the same, so a guesser
    learns nothing of which login names exist."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    now = now or timezone.now()
    refused = AppError(
        _(
            "This login name and code do not match a valid code. Check them, or ask your cell "
            "secretary for a new code."
        ),
        field="code",
    )
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username, is_active=True).first()
        if user is None:
            raise refused
        live = list(
            ActivationCode.objects.select_for_update().filter(
                user=user,
                used_at__isnull=True,
                expires_at__gt=now,
                wrong_tries__lt=MAX_WRONG_TRIES,
            )
        )
        digest = code_hash(user.pk, code)
        match = next((c for c in live if hmac.compare_digest(c.code_hash, digest)), None)
        if match is None:
            ActivationCode.objects.filter(pk__in=[c.pk for c in live]).update(
                wrong_tries=live[0].wrong_tries + 1 if live else 0
            )
    if match is None:
        raise refused
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise AppError(" ".join(error.messages), field="password1") from None
    with transaction.atomic():
        spent = ActivationCode.objects.filter(pk=match.pk, used_at__isnull=True).update(used_at=now)
        if not spent:
            raise refused
        ActivationCode.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
        user.set_password(password)
        user.save(update_fields=["password"])
        event_record(
            actor=user,
            action="user.activate",
            target_type="user",
            target_id=user.pk,
            after={"username": user.username},
        )
    return user
