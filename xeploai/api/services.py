"""Creating, revoking and checking API tokens. Create and revoke are audited."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xeploai.api.models import ApiToken
from xeploai.audit.services import event_record
from xeploai.errors import AppError
from xeploai.web.fields import clean_text

SCHEME = "xl"
# last_used_at is written at most this often: a token used a thousand times a minute does not
# write a thousand rows.
TOUCH_EVERY = timedelta(minutes=1)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the secret is returned once and never stored."""
    try:
        name = clean_text(name, max_length=ApiToken._meta.get_field("name").max_length)
    except ValidationError as exc:
        raise AppError(_("Name: %(e)s") % {"e": exc.messages[0]}, field="name") from None
    if not name:
        raise AppError(_("Name: fill this in."), field="name")
    if not user.is_active:
        raise AppError(_("This account is disabled."), field="user")
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # one in four billion
        prefix = secrets.token_hex(4)
    secret = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, digest=digest_of(secret))
    event_record(
        actor=actor,
        action="api_token.create",
        target_type="api_token",
        target_id=token.pk,
        after={"user": user.username, "name": name, "prefix": prefix},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    event_record(
        actor=actor,
        action="api_token.revoke",
        target_type="api_token",
        target_id=token.pk,
        before={"user": token.user.username, "name": token.name, "prefix": token.prefix},
    )
    return token


def token_user(secret: str):
    """The active user a live token belongs to, or None."""
    if not secret.startswith(f"{SCHEME}_") or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
