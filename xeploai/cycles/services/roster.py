"""Open cycles follow the roster: members who join a cell of the cycle are enrolled, those who
move or leave are reviewed where they now belong, and the staff get a notice either way.

A member is reviewed at the cell of official membership (HD 43 §7.6), as enrolment takes it at
the period's end; so a change on or before the period's end moves the review:
- joined a cell of the cycle: enrolled there (excluded if the regulation says so, R29–R30);
- moved to another cell of the cycle: the review, with what was written so far, goes with them;
- left the cycle's units: the review leaves this cycle (the receiving organization's cycle
  enrols them); a review already decided stays, and a violation at the old unit still counts
  against the old unit (R21).
Called by the roster's writers (org services, the roster import) inside their transaction.
"""

import datetime
from collections import defaultdict

from django.db.models import Q

from xeploai.audit.services import event_record
from xeploai.cycles.models import (
    Cycle,
    CycleState,
    Notice,
    NoticeKind,
    Step,
    Subject,
    SubjectLink,
)
from xeploai.cycles.pools import deciding_unit_id, similar_group
from xeploai.org.models import Member, MemberStatus, Position, StatusKind, Unit
from xeploai.org.tree import ancestor_ids, is_within
from xeploai.rules import MemberStatus as MemberFacts
from xeploai.rules import Relation, SubjectKind, is_excluded, load_regulation

CHUNK = 5000


def _active_on(day: datetime.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def roster_changed(*, actor, member_ids, on: datetime.date) -> dict[str, int]:
    """Bring every open cycle whose period has not ended by `on` in line with where
    `member_ids` now belong. A few queries per cycle, whatever the number of members."""
    cycles = list(
        Cycle.objects.filter(state=CycleState.OPEN, period_end__gte=on).select_related("unit")
    )
    ids = sorted(set(member_ids))
    totals = {kind.value: 0 for kind in NoticeKind}
    if not cycles or not ids:
        return totals
    members = {}
    for chunk in _chunks(ids):
        for row in Member.objects.filter(pk__in=chunk).values(
            "id", "cell_id", "cell__path", "admitted_on", "outside_political_system", "left_on"
        ):
            members[row["id"]] = row
    existing: dict[tuple[int, int], dict] = {}
    posts_of: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for chunk in _chunks(ids):
        for row in Subject.objects.filter(cycle__in=cycles, member_id__in=chunk).values(
            "id", "cycle_id", "member_id", "position_id", "unit_id", "step", "kind"
        ):
            key = (row["cycle_id"], row["member_id"])
            if row["position_id"] is None:
                existing[key] = row
            else:
                posts_of[key].append(row)
    paths = {m["cell__path"] for m in members.values()}
    kinds_by_id = dict(
        Unit.objects.filter(pk__in={i for p in paths for i in ancestor_ids(p)}).values_list(
            "id", "kind"
        )
    )
    for cycle in cycles:
        counts = _follow(actor, cycle, members, existing, posts_of, kinds_by_id, on)
        for kind, n in counts.items():
            totals[kind] += n
    return totals


def _follow(actor, cycle, members, existing, posts_of, kinds_by_id, on) -> dict[str, int]:
    joined, moved, left, kept = [], [], [], []
    for member_id, m in members.items():
        # One who left the party organization by the period's end is reviewed nowhere.
        inside = is_within(m["cell__path"], cycle.unit.path) and not (
            m["left_on"] and m["left_on"] <= cycle.period_end
        )
        subject = existing.get((cycle.pk, member_id))
        if subject is None:
            if inside:
                joined.append(m)
        elif subject["unit_id"] == m["cell_id"] and inside:
            continue
        elif subject["step"] == Step.DECIDED:
            kept.append((m, subject))
        elif inside:
            moved.append((m, subject))
        else:
            left.append((m, subject))
    if not (joined or moved or left or kept):
        return {}
    regulation = load_regulation(cycle.regulation)
    org = dict(
        Subject.objects.filter(
            cycle=cycle,
            kind=SubjectKind.PARTY_ORGANIZATION,
            unit_id__in={m["cell_id"] for m in members.values()},
        ).values_list("unit_id", "id")
    )
    notices = []

    def notice(kind, m, subject, step_before=""):
        notices.append(
            Notice(
                cycle=cycle,
                kind=kind,
                member_id=m["id"],
                from_unit_id=subject["unit_id"] if subject else None,
                to_unit_id=m["cell_id"],
                on=on,
                step_before=step_before,
            )
        )

    # Joined: enrolled as enrolment would have done at the period's end.
    if joined:
        end = cycle.period_end
        joined_ids = [m["id"] for m in joined]
        flags: dict[int, set[str]] = defaultdict(set)
        for member_id, kind in MemberStatus.objects.filter(
            _active_on(end),
            member_id__in=joined_ids,
            kind__in=(StatusKind.EXEMPT, StatusKind.SUSPENDED),
        ).values_list("member_id", "kind"):
            flags[member_id].add(kind)
        leaders = set(
            Position.objects.filter(
                _active_on(end), member_id__in=joined_ids, is_leadership=True
            ).values_list("member_id", flat=True)
        )
        new = []
        for m in joined:
            rule = is_excluded(
                MemberFacts(
                    review_date=end,
                    admitted_on=m["admitted_on"],
                    exempt=StatusKind.EXEMPT in flags[m["id"]],
                    party_activity_suspended=StatusKind.SUSPENDED in flags[m["id"]],
                ),
                regulation,
            )
            kind = (
                SubjectKind.LEADER
                if m["id"] in leaders
                else SubjectKind.MEMBER_OUTSIDE_SYSTEM
                if m["outside_political_system"]
                else SubjectKind.MEMBER
            )
            deciding = deciding_unit_id(kind, m["cell__path"], kinds_by_id)
            new.append(
                Subject(
                    cycle=cycle,
                    kind=kind,
                    member_id=m["id"],
                    unit_id=m["cell_id"],
                    deciding_unit_id=deciding,
                    pool=similar_group(kind, deciding, kinds_by_id[m["cell_id"]], False),
                    step=Step.EXCLUDED if rule else Step.ENROLLED,
                    excluded_reason=rule.reason if rule else "",
                )
            )
            notice(NoticeKind.JOINED, m, None)
        Subject.objects.bulk_create(new, batch_size=2000)
        created = dict(
            Subject.objects.filter(
                cycle=cycle, member_id__in=joined_ids, position=None
            ).values_list("member_id", "id")
        )
        SubjectLink.objects.bulk_create(
            [
                SubjectLink(
                    cycle=cycle,
                    source_id=created[s.member_id],
                    relation=Relation.MEMBER_OF.value,
                    target_id=org[s.unit_id],
                )
                for s in new
                if s.step != Step.EXCLUDED and s.unit_id in org
            ],
            batch_size=2000,
        )

    # Moved inside the cycle: the review goes with the member, to be decided where they are.
    for m, subject in moved:
        deciding = deciding_unit_id(subject["kind"], m["cell__path"], kinds_by_id)
        Subject.objects.filter(pk=subject["id"]).update(
            unit_id=m["cell_id"],
            deciding_unit_id=deciding,
            pool=similar_group(subject["kind"], deciding, kinds_by_id[m["cell_id"]], False),
        )
        if m["cell_id"] in org:
            SubjectLink.objects.filter(
                source_id=subject["id"], relation=Relation.MEMBER_OF.value
            ).update(target_id=org[m["cell_id"]])
        notice(NoticeKind.MOVED, m, subject, subject["step"])

    # Left: the review leaves this cycle, with the posts held in the old cell.
    gone = [subject["id"] for _m, subject in left]
    for m, subject in left:
        gone += [p["id"] for p in posts_of[(cycle.pk, m["id"])] if p["step"] != Step.DECIDED]
        notice(NoticeKind.LEFT, m, subject, subject["step"])
    for m, subject in moved:
        gone += [
            p["id"]
            for p in posts_of[(cycle.pk, m["id"])]
            if p["step"] != Step.DECIDED and p["unit_id"] == subject["unit_id"]
        ]
    if gone:
        SubjectLink.objects.filter(Q(source_id__in=gone) | Q(target_id__in=gone)).delete()
        Subject.objects.filter(pk__in=gone).delete()
    for m, subject in kept:
        notice(NoticeKind.KEPT, m, subject, subject["step"])
    Notice.objects.bulk_create(notices, batch_size=2000)
    counts = {
        NoticeKind.JOINED.value: len(joined),
        NoticeKind.MOVED.value: len(moved),
        NoticeKind.LEFT.value: len(left),
        NoticeKind.KEPT.value: len(kept),
    }
    event_record(
        actor=actor, action="cycle.roster", target_type="cycle", target_id=cycle.pk, after=counts
    )
    return counts
