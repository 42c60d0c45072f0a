from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    member = models.OneToOneField(
        "org.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        verbose_name=_("party member"),
    )


class Role(models.TextChoices):
    MEMBER = "member", _("Party member")
    CELL_SECRETARY = "cell_secretary", _("Cell secretary")
    ORGANIZATION_STAFF = "organization_staff", _("Organization staff")
    COMMITTEE = "committee", _("Party committee")
    ADMINISTRATOR = "administrator", _("Administrator")


class RoleGrant(models.Model):
    """A role over the subtree of `unit`, valid from `valid_from` to `valid_to` (inclusive)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(max_length=24, choices=Role.choices)
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="grants")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An acting grant: this user acts for `acting_for` (e.g. the deputy for the secretary)
    # for the grant's dates. Pages and the audit say so.
    acting_for = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["user", "valid_from"])]


class ActivationCode(models.Model):
    """A one-time code a member types, with their login name, to set their first password.

    Only a keyed hash is stored: the code itself exists on the printed sheet alone. A code is
    spent by one activation, void after `expires_at`, and after too many wrong tries."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_codes")
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    wrong_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"])]
