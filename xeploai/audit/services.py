"""Writing and verifying the audit chain.

Every writer locks the chain head (one row) before it appends, so under any number of
concurrent requests the events form one chain, in the order of their ids. The head's lock is
taken last in a service, just before its commit, so it is held only briefly.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xeploai.audit.models import ChainHead, Event

GENESIS = "0" * 64


def _key() -> bytes:
    if settings.AUDIT_KEY:
        return settings.AUDIT_KEY.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"xeploai audit chain", hashlib.sha256).digest()


def _digest(key: bytes, prev_hash: str, payload: dict) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hmac.new(key, (prev_hash + body).encode(), hashlib.sha256).hexdigest()


def _seal(key: bytes, count: int, last: str) -> str:
    return hmac.new(key, f"head:{count}:{last}".encode(), hashlib.sha256).hexdigest()


def _payload(at, actor_id, action, target_type, target_id, before, after) -> dict:
    return {
        "at": at.isoformat(),
        "actor": actor_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "before": before,
        "after": after,
    }


def event_payload(event: Event) -> dict:
    """What an event's hash covers, read back from its row."""
    return _payload(
        event.at,
        event.actor_id,
        event.action,
        event.target_type,
        event.target_id,
        event.before,
        event.after,
    )


def _append(actor, action: str, target_type: str, items: Iterable[tuple]) -> list[tuple]:
    """Lock the head, chain `items` (target_id, before, after) after it, move the head."""
    assert transaction.get_connection().in_atomic_block, "audit events belong to a transaction"
    key = _key()
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.bulk_create(
            [ChainHead(pk=1, count=0, hash=GENESIS, seal=_seal(key, 0, GENESIS))],
            ignore_conflicts=True,
        )
        head = ChainHead.objects.select_for_update().get(pk=1)
    prev_hash = head.hash
    at = timezone.now()
    actor_id = actor.pk if actor else None
    rows = []
    for target_id, before, after in items:
        digest = _digest(
            key, prev_hash, _payload(at, actor_id, action, target_type, target_id, before, after)
        )
        rows.append(
            (at, actor_id, action, target_type, target_id, before, after, prev_hash, digest)
        )
        prev_hash = digest
    if rows:
        count = head.count + len(rows)
        ChainHead.objects.filter(pk=1).update(
            count=count, hash=prev_hash, seal=_seal(key, count, prev_hash)
        )
    return rows


def event_record(*, actor, action: str, target_type: str, target_id=None, before=None, after=None):
    """Write one audit event. Must run inside the caller's transaction."""
    # Stored as JSON, hashed as JSON: normalise dates and decimals to text first.
    before = json.loads(json.dumps(before, default=str)) if before is not None else None
    after = json.loads(json.dumps(after, default=str)) if after is not None else None
    ((at, actor_id, action, target_type, target_id, before, after, prev, digest),) = _append(
        actor, action, target_type, [(target_id, before, after)]
    )
    return Event.objects.create(
        at=at,
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
        prev_hash=prev,
        hash=digest,
    )


def events_record_many(*, actor, action: str, target_type: str, items) -> int:
    """One chained event per (target_id, before, after), written in one batch. Callers pass
    JSON values (text, numbers, None), so no round trip is needed here."""
    from xeploai.org.bulk import insert_rows

    rows = _append(actor, action, target_type, items)

    def as_json(value):
        return json.dumps(value, ensure_ascii=False) if value is not None else None

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
        ((*r[:5], as_json(r[5]), as_json(r[6]), *r[7:]) for r in rows),
    )


@dataclass(frozen=True)
class Break:
    event_id: int | None  # None: the chain head
    kind: str  # link | content | head | record
    detail: str = ""


@dataclass
class Verification:
    events: int = 0
    breaks: list[Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks


def audit_verify() -> Verification:
    """Walk the whole chain and report every break, not only the first:
    - `link`: the event does not name the hash of the event before it (one removed or inserted);
    - `content`: its hash is not the keyed hash of its contents (edited, or forged without the
      key);
    - `head`: the head's count, last hash or seal disagree with the events (a cut-off tail)."""
    key = _key()
    result = Verification()
    prev_hash = GENESIS
    for event in Event.objects.order_by("id").iterator(chunk_size=5000):
        result.events += 1
        payload = event_payload(event)
        if event.prev_hash != prev_hash:
            result.breaks.append(Break(event.pk, "link"))
        if not hmac.compare_digest(event.hash, _digest(key, event.prev_hash, payload)):
            result.breaks.append(Break(event.pk, "content"))
        prev_hash = event.hash
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        if result.events:
            result.breaks.append(Break(None, "head", "missing"))
    else:
        if not hmac.compare_digest(head.seal, _seal(key, head.count, head.hash)):
            result.breaks.append(Break(None, "head", "seal"))
        if head.count != result.events or head.hash != prev_hash:
            result.breaks.append(
                Break(None, "head", f"count {head.count} / {result.events} events")
            )
    return result
