"""The audit trail proves itself: one chain under concurrent writers, every kind of tampering
found (and all of it, not only the first break), and a database that refuses changes."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connection, transaction

from tests.cycles.helpers import appraise, self_rate, ward
from tests.cycles.helpers import open_year as open_cycle
from xeploai.audit import triggers
from xeploai.audit.models import ChainHead, Event
from xeploai.audit.services import _digest, audit_verify, event_payload, event_record
from xeploai.cycles.models import Decision, Step, Subject
from xeploai.cycles.reconcile import subjects_reconcile
from xeploai.cycles.selectors import board
from xeploai.cycles.services.decisions import decision_rerate, decisions_take
from xeploai.errors import AppError


def write(n: int, action="test.event") -> list[int]:
    ids = []
    for i in range(n):
        with transaction.atomic():
            ids.append(
                event_record(
                    actor=None, action=action, target_type="unit", target_id=i, after={"i": i}
                ).pk
            )
    return ids


def kinds(result) -> set[tuple]:
    return {(b.event_id, b.kind) for b in result.breaks}


def test_it_verifies_an_untouched_chain_and_says_so(db, capsys):
    write(5)
    result = audit_verify()
    assert result.intact and result.events == 5
    call_command("audit", "verify", "--lang", "en")
    assert "intact: 5 events" in capsys.readouterr().out
    call_command("audit", "verify")
    assert "Nhật ký nguyên vẹn: 5 sự kiện" in capsys.readouterr().out


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"]
)
def test_the_database_refuses_to_change_or_remove_an_event(db, statement):
    write(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    assert Event.objects.count() == 2


def tamper(sql: str, params=()) -> None:
    """What someone who owns the database could do: lift the triggers, change rows."""
    with triggers.lifted(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_it_reports_every_edited_event_not_only_the_first(db):
    ids = write(6)
    tamper("UPDATE audit_event SET after = %s WHERE id IN (%s, %s)", ['{"i": 99}', ids[1], ids[4]])
    assert kinds(audit_verify()) == {(ids[1], "content"), (ids[4], "content")}


def test_it_finds_an_edit_whose_hashes_were_recomputed_without_the_key(db):
    """The attacker rewrites an event and every hash after it, with a key of their own."""
    ids = write(4)
    tamper("UPDATE audit_event SET after = %s WHERE id = %s", ['{"i": 42}', ids[1]])
    prev = Event.objects.get(pk=ids[0]).hash
    for event in Event.objects.filter(pk__gte=ids[1]).order_by("id"):
        payload = event_payload(event)
        digest = _digest(b"a guessed key", prev, payload)
        tamper(
            "UPDATE audit_event SET prev_hash = %s, hash = %s WHERE id = %s",
            [prev, digest, event.pk],
        )
        prev = digest
    head = ChainHead.objects.get()
    ChainHead.objects.filter(pk=1).update(hash=prev)
    found = kinds(audit_verify())
    assert {(pk, "content") for pk in ids[1:]} <= found
    assert (None, "head") in found and head.hash != prev


def test_it_finds_the_newest_events_removed(db):
    ids = write(5)
    tamper("DELETE FROM audit_event WHERE id >= %s", [ids[3]])
    assert kinds(audit_verify()) == {(None, "head")}
    # Moving the head back by hand does not help: its seal needs the key.
    last = Event.objects.get(pk=ids[2])
    ChainHead.objects.filter(pk=1).update(count=3, hash=last.hash)
    assert kinds(audit_verify()) == {(None, "head")}


def test_it_finds_an_event_removed_from_the_middle(db):
    ids = write(5)
    tamper("DELETE FROM audit_event WHERE id = %s", [ids[2]])
    assert (ids[3], "link") in kinds(audit_verify())


def test_the_command_lists_the_breaks_and_fails(db, capsys):
    ids = write(3)
    tamper("UPDATE audit_event SET action = 'x' WHERE id = %s", [ids[0]])
    with pytest.raises(CommandError, match="does not verify"):
        call_command("audit", "verify", "--lang", "en")
    assert f"event {ids[0]} was changed" in capsys.readouterr().out


def decided_ward(members_c1=6):
    """A ward with every member appraised and then decided by its committee."""
    t = ward(members_c1=members_c1)
    cycle = open_cycle(t["P"])
    for s in Subject.objects.filter(cycle=cycle, kind="member").exclude(step=Step.EXCLUDED):
        # Scores that would allow Excellent; the cell proposes Good.
        self_rate(t["sam"], s, "excellent", "28", "67", (10, 10, 10, 0, 4))
        appraise(t["sam"], s, "good", reason="Cân đối với cả chi bộ")
    return t, cycle


def test_it_finds_a_level_changed_without_its_event(db):
    t, cycle = decided_ward()
    members = Subject.objects.filter(cycle=cycle, kind="member", step=Step.APPRAISED)
    decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good" for s in members})
    assert audit_verify().intact and subjects_reconcile() == []
    changed = members.model.objects.filter(cycle=cycle, step=Step.DECIDED).first()
    Subject.objects.filter(pk=changed.pk).update(decided_level="excellent")
    (mismatch,) = subjects_reconcile()
    assert (mismatch.subject_id, mismatch.stored, mismatch.recorded) == (
        changed.pk,
        "excellent",
        "good",
    )


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one write transaction at a time (transaction_mode IMMEDIATE)",
)


def in_threads(n: int, work) -> list:
    """Run `work(i)` in n threads released at once; each thread's result or exception."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        close_old_connections()
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_form_one_chain():
    def work(i):
        for j in range(20):
            with transaction.atomic():
                event_record(actor=None, action="test.event", target_type="unit", target_id=j)

    results = in_threads(8, work)
    assert [r for r in results if r is not None] == []
    result = audit_verify()
    assert result.events == 160 and result.intact, result.breaks[:5]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_committees_at_once_cannot_beat_the_cap():
    """Every member could be rated Excellent by their scores; each deciding thread takes one
    different member to Excellent. Alone, each batch is within the cap; together they must
    not pass it."""
    t, cycle = decided_ward(members_c1=14)
    members = list(
        Subject.objects.filter(cycle=cycle, kind="member", step=Step.APPRAISED).values_list(
            "pk", flat=True
        )
    )
    results = in_threads(
        len(members),
        lambda i: decisions_take(actor=t["wendy"], cycle=cycle, choices={members[i]: "excellent"}),
    )
    decided = [r for r in results if hasattr(r, "decided")]
    blocked = {b.code for r in results if hasattr(r, "blocks") for b in r.blocks}
    assert decided and blocked == {"cap"}
    # The pool as it now stands is within its cap (20 % of those rated Good, rounded down).
    view = board(cycle, t["W"])
    assert not [c for c in view.caps.violations if c.pool.endswith("/members")], [
        c.arithmetic_en for c in view.caps.violations
    ]
    assert audit_verify().intact and subjects_reconcile() == []


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_re_ratings_at_once_cannot_beat_the_cap():
    """Every member is decided Good, then re-rated to Excellent, each by its own thread at the
    same moment (re-ratings count in their pools): the pool must end within its cap, the others
    refused with the cap's message."""
    t, cycle = decided_ward(members_c1=14)
    members = list(Subject.objects.filter(cycle=cycle, kind="member", step=Step.APPRAISED))
    decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good" for s in members})
    fresh = list(Subject.objects.filter(pk__in=[s.pk for s in members]).order_by("pk"))

    def work(i):
        return decision_rerate(
            actor=t["wendy"], subject=fresh[i], level="excellent", reason="Thành tích nổi bật"
        )

    results = in_threads(len(fresh), work)
    rerated = [r for r in results if isinstance(r, Decision)]
    refused = [r for r in results if isinstance(r, AppError)]
    assert rerated and refused and len(rerated) + len(refused) == len(fresh), results
    view = board(cycle, t["W"])
    assert not [c for c in view.caps.violations if c.pool.endswith("/members")], [
        c.arithmetic_en for c in view.caps.violations
    ]
    assert audit_verify().intact and subjects_reconcile() == []
