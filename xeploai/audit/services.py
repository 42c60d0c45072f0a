import hashlib
import json

from django.db import transaction
from django.utils import timezone

from xeploai.audit.models import Event

GENESIS = "0" * 64


def _digest(prev_hash: str, payload: dict) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def event_record(*, actor, action: str, target_type: str, target_id=None, before=None, after=None):
    """Write one audit event. Must run inside the caller's transaction."""
    assert transaction.get_connection().in_atomic_block, "audit events belong to a transaction"
    # Stored as JSON, hashed as JSON: normalise dates and decimals to text first.
    before = json.loads(json.dumps(before, default=str)) if before is not None else None
    after = json.loads(json.dumps(after, default=str)) if after is not None else None
    last = Event.objects.select_for_update().order_by("-id").values_list("hash", flat=True).first()
    prev_hash = last or GENESIS
    at = timezone.now()
    payload = {
        "at": at.isoformat(),
        "actor": actor.pk if actor else None,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "before": before,
        "after": after,
    }
    return Event.objects.create(
        at=at,
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
        prev_hash=prev_hash,
        hash=_digest(prev_hash, payload),
    )


def events_record_many(*, actor, action: str, target_type: str, items) -> int:
    """One chained event per (target_id, before, after), written in one batch."""
    from xeploai.org.bulk import insert_rows

    assert transaction.get_connection().in_atomic_block, "audit events belong to a transaction"
    last = Event.objects.select_for_update().order_by("-id").values_list("hash", flat=True).first()
    prev_hash = last or GENESIS
    at = timezone.now()
    rows = []
    for target_id, before, after in items:
        # Callers pass JSON values (text, numbers, None), so no round trip is needed here.
        payload = {
            "at": at.isoformat(),
            "actor": actor.pk if actor else None,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "before": before,
            "after": after,
        }
        digest = _digest(prev_hash, payload)
        rows.append(
            (
                at,
                actor.pk if actor else None,
                action,
                target_type,
                target_id,
                json.dumps(before, ensure_ascii=False) if before is not None else None,
                json.dumps(after, ensure_ascii=False) if after is not None else None,
                prev_hash,
                digest,
            )
        )
        prev_hash = digest
    return insert_rows(
        Event,
        (
            "at",
            "actor",
            "action",
            "target_type",
            "target_id",
            "before",
            "after",
            "prev_hash",
            "hash",
        ),
        rows,
    )


def audit_verify() -> int | None:
    """Return the id of the first event whose chain is broken, or None when all is intact."""
    prev_hash = GENESIS
    for event in Event.objects.order_by("id").iterator():
        payload = {
            "at": event.at.isoformat(),
            "actor": event.actor_id,
            "action": event.action,
            "target_type": event.target_type,
            "target_id": event.target_id,
            "before": event.before,
            "after": event.after,
        }
        if event.prev_hash != prev_hash or event.hash != _digest(prev_hash, payload):
            return event.pk
        prev_hash = event.hash
    return None
