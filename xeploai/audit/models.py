"""Append-only audit trail. Each event carries a keyed hash (HMAC) of itself and of the event
before it, and the chain head holds the count and the last hash under its own seal: a removed,
edited or added row, or a cut-off tail, breaks the chain and `audit_verify` finds it.

The database refuses UPDATE and DELETE on events (triggers, migration 0003); the key lives in
the settings, outside the database, so someone who can write to the database still cannot
recompute a valid chain."""

from django.conf import settings
from django.db import models


class Event(models.Model):
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=32)
    target_id = models.BigIntegerField(null=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"])]
        ordering = ["id"]


class ChainHead(models.Model):
    """The one row every writer locks before it appends, so events chain in a single order
    however many write at once; `seal` is the keyed hash of (count, hash)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    count = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    seal = models.CharField(max_length=64)
