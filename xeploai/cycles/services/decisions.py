"""Step 3: the competent level decides, in the order, under the caps, or is told why not.

A batch is all or nothing: if any subject in it is blocked, nothing is decided and every block
is listed, unless the caller asks to decide only the ready ones (`skip_blocked`).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xeploai import labels
from xeploai.accounts.access import may_decide, may_decide_at, require_that
from xeploai.audit.services import event_record
from xeploai.cycles.facts import verdict_json
from xeploai.cycles.locks import deciding_units_lock
from xeploai.cycles.models import (
    Appraisal,
    CapException,
    Case,
    Cycle,
    CycleState,
    Decision,
    Level,
    Opinion,
    OpinionSource,
    Step,
    Subject,
    SubjectLink,
)
from xeploai.cycles.pools import pool_outcome, pools_of
from xeploai.cycles.selectors import rerating_open
from xeploai.cycles.services.decision_writes import decisions_write
from xeploai.errors import AppError
from xeploai.org.bulk import id_in
from xeploai.org.models import MemberStatus, StatusKind, Unit
from xeploai.rules import Level as RuleLevel
from xeploai.rules import (
    Link,
    Relation,
    check_caps,
    decision_graph,
    load_regulation,
)
from xeploai.rules import Subject as RuleSubject
from xeploai.rules import SubjectKind as RuleKind
from xeploai.rules.enums import RANK


def above_verdict(level: str, verdict: dict) -> bool:
    """Is `level` better than the rule core's verdict allows (none when it left the case to
    the competent level's discretion)?"""
    bound = verdict.get("level")
    return (
        bool(bound)
        and not verdict.get("discretion")
        and RANK[RuleLevel(level)] < RANK[RuleLevel(bound)]
    )


@dataclass(frozen=True)
class Block:
    subject_id: int
    code: str  # order | cap | case | opinion | steps | rule | access | state
    message: str


@dataclass
class PaperRecord:
    """A decision taken on paper by a higher body (document number, date, signer)."""

    number: str
    date: datetime.date
    signer: str


@dataclass
class DecisionResult:
    decided: list[int] = field(default_factory=list)
    blocked: list[Block] = field(default_factory=list)


class DecisionBlocked(AppError):
    def __init__(self, blocks: list[Block]):
        super().__init__(
            _("Nothing was decided: %(n)s subject(s) cannot be decided yet.")
            % {"n": len({b.subject_id for b in blocks})}
        )
        self.blocks = blocks


def _label(level: str) -> str:
    return labels.level(level)


class _Batch:
    """Everything the checks need, read with a fixed number of queries."""

    def __init__(self, cycle: Cycle, choices: dict[int, str]):
        self.cycle = cycle
        self.regulation = load_regulation(cycle.regulation)
        self.choices = choices
        # Locked for the transaction, so two committees cannot decide the same subject at once.
        self.subjects = {
            s["id"]: s
            for s in Subject.objects.filter(cycle=cycle, pk__in=id_in(list(choices))).values(
                "id",
                "kind",
                "step",
                "deciding_unit_id",
                "pool",
                "unit_id",
                "member_id",
                "self_score",
                "unit__path",
            )
        }
        ids = list(self.subjects)
        # By source and by target, each on its own index (the cycle's links number millions).
        self.links = list(
            SubjectLink.objects.filter(source_id__in=id_in(ids))
            .values_list("source_id", "relation", "target_id")
            .union(
                SubjectLink.objects.filter(target_id__in=id_in(ids)).values_list(
                    "source_id", "relation", "target_id"
                ),
                all=True,
            )
        )
        linked = list({x for s, _r, t in self.links for x in (s, t)} - set(ids))
        self.neighbours, self.decided = {}, set()
        for pk, kind, step in Subject.objects.filter(pk__in=id_in(linked)).values_list(
            "id", "kind", "step"
        ):
            self.neighbours[pk] = kind
            if step == Step.DECIDED:
                self.decided.add(pk)
        self.verdicts = dict(
            Appraisal.objects.filter(subject_id__in=id_in(ids)).values_list("subject_id", "verdict")
        )
        self.open_cases = set(
            Case.objects.filter(subject_id__in=id_in(ids), closed_on__isnull=True).values_list(
                "subject_id", flat=True
            )
        )
        self.missing_opinion = self._missing_opinions()

    def _missing_opinions(self) -> set[int]:
        """A member in temporary activity elsewhere needs that cell's comment first (R32)."""
        end = self.cycle.period_end
        members = {s["member_id"]: pk for pk, s in self.subjects.items() if s["member_id"]}
        temporary = set(
            MemberStatus.objects.filter(
                member_id__in=id_in(list(members)),
                kind=StatusKind.TEMPORARY_ACTIVITY,
                valid_from__lte=end,
            )
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=end))
            .values_list("member_id", flat=True)
        )
        needing = {members[m] for m in temporary}
        have = set(
            Opinion.objects.filter(
                subject_id__in=id_in(list(needing)), source=OpinionSource.TEMPORARY_CELL
            ).values_list("subject_id", flat=True)
        )
        return needing - have

    def graph(self):
        subjects = [RuleSubject(str(pk), RuleKind(s["kind"])) for pk, s in self.subjects.items()]
        subjects += [RuleSubject(str(pk), RuleKind(k)) for pk, k in self.neighbours.items()]
        links = [Link(str(s), Relation(r), str(t)) for s, r, t in self.links]
        return decision_graph(subjects, links, self.regulation)

    def cap_blocks(self) -> list[Block]:
        """Cap check over every pool the batch touches, with the expected outcome of the
        subjects not in the batch (their decision, else their proposal)."""
        deciding = {s["deciding_unit_id"] for s in self.subjects.values()}
        rows = (
            Subject.objects.filter(cycle=self.cycle, deciding_unit_id__in=deciding)
            .exclude(step=Step.EXCLUDED)
            .values(
                "id",
                "kind",
                "pool",
                "deciding_unit_id",
                "unit__path",
                "decided_level",
                "proposed_level",
                "self_score",
            )
        )
        outcomes = []
        for row in rows:
            level = self.choices.get(row["id"]) or row["decided_level"] or row["proposed_level"]
            if not level:
                continue
            outcomes.append(pool_outcome(row, level))
        outstanding = set(
            CapException.objects.filter(cycle=self.cycle).values_list("pool", flat=True)
        )
        result = check_caps(outcomes, self.regulation, outstanding_pools=outstanding)
        blocks = []
        for check in result.violations:
            for pk, s in self.subjects.items():
                if self.choices[pk] != Level.EXCELLENT:
                    continue
                if (
                    pools_of(s["pool"], s["deciding_unit_id"], s["unit__path"]).get(check.pool_key)
                    == check.pool
                ):
                    blocks.append(
                        Block(
                            pk,
                            "cap",
                            _("Cap exceeded: %(arithmetic)s; %(n)s rated Excellent.")
                            % {
                                "arithmetic": check.arithmetic_vi
                                if _is_vi()
                                else check.arithmetic_en,
                                "n": check.counted,
                            },
                        )
                    )
        return blocks


def _is_vi() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "vi").startswith("vi")


def _check(batch: _Batch, actor, allowed_units: dict) -> tuple[list[int], list[Block]]:
    """Walk the batch in the decision graph's order; a subject is ready when nothing blocks
    it, and then counts as decided for the subjects after it."""
    blocks: list[Block] = []
    ready: list[int] = []
    graph = batch.graph()
    decided = {str(pk) for pk in batch.decided}
    cap_blocked: dict[int, list[Block]] = {}
    for block in batch.cap_blocks():
        cap_blocked.setdefault(block.subject_id, []).append(block)
    waits = []
    for layer in graph.batches:
        for sid in layer:
            pk = int(sid)
            if pk not in batch.subjects:
                continue
            found = _subject_blocks(
                batch, actor, allowed_units, pk, batch.subjects[pk], batch.choices[pk]
            )
            found.extend(cap_blocked.get(pk, ()))
            readiness = graph.can_decide(sid, decided)
            if not readiness.ready:
                waits.append((pk, readiness))
            if found or not readiness.ready:
                blocks.extend(found)
            else:
                ready.append(pk)
                decided.add(sid)
    blocks.extend(_order_blocks(waits))
    return ready, blocks


def _order_blocks(waits) -> list[Block]:
    """The order messages, naming up to three subjects to decide first: one query in all."""
    named = {int(x) for _pk, r in waits for x in r.waiting_for[:3]}
    names = (
        {
            s.pk: str(s)
            for s in Subject.objects.filter(pk__in=id_in(list(named))).select_related(
                "member", "unit"
            )
        }
        if named
        else {}
    )
    return [
        Block(
            pk,
            "order",
            _("Decide first: %(names)s%(more)s (%(source)s).")
            % {
                "names": ", ".join(names[int(x)] for x in r.waiting_for[:3]),
                "more": "…" if len(r.waiting_for) > 3 else "",
                "source": "; ".join(dict.fromkeys(labels.citation(c) for c in r.citations)),
            },
        )
        for pk, r in waits
    ]


def _subject_blocks(batch, actor, allowed_units, pk, s, level) -> list[Block]:
    found = []
    unit_id = s["deciding_unit_id"]
    if unit_id not in allowed_units:
        unit = Unit.objects.get(pk=unit_id) if unit_id is not None else None
        allowed_units[unit_id] = may_decide_at(actor, unit)
    if not allowed_units[unit_id]:
        found.append(Block(pk, "access", _("Your role does not decide this subject.")))
    if s["step"] == Step.DECIDED:
        found.append(Block(pk, "state", _("Already decided; use re-rating to change it.")))
    elif s["step"] != Step.APPRAISED:
        found.append(
            Block(
                pk,
                "steps",
                _("Self-assessment and appraisal come before the decision (QĐ 366 Điều 12.1)."),
            )
        )
    if pk in batch.open_cases:
        found.append(
            Block(
                pk,
                "case",
                _(
                    "A complaint or verification is open; the directly-higher"
                    " committee must conclude it first (QĐ 366 Điều 12.1)."
                ),
            )
        )
    if pk in batch.missing_opinion:
        found.append(
            Block(
                pk,
                "opinion",
                _("The comment of the cell of temporary activity is missing (HD 43 §7.6)."),
            )
        )
    verdict = batch.verdicts.get(pk) or {}
    bound = verdict.get("level")
    if verdict.get("missing"):
        found.append(
            Block(
                pk,
                "rule",
                _("The rules cannot classify yet: %(missing)s")
                % {"missing": labels.stored_problem(verdict)},
            )
        )
    elif above_verdict(level, verdict):
        found.append(
            Block(
                pk, "rule", _("The rules allow at most %(level)s here.") % {"level": _label(bound)}
            )
        )
    return found


@transaction.atomic
def decisions_take(
    *,
    actor,
    cycle: Cycle,
    choices: dict[int, str],
    skip_blocked: bool = False,
    paper: PaperRecord | None = None,
    reason: str = "",
) -> DecisionResult:
    """Decide `choices` (subject id → level) in the required order."""
    if cycle.state != CycleState.OPEN:
        raise AppError(
            _("The cycle is %(state)s; nothing can be decided in it.")
            % {"state": cycle.get_state_display().lower()}
        )
    for level in choices.values():
        if level not in Level.values:
            raise AppError(_("Choose one of the four levels."), field="level")
    # Before anything is counted: a second batch in the same pools waits for this one.
    deciding_units_lock(cycle, list(choices))
    batch = _Batch(cycle, choices)
    if len(batch.subjects) != len(choices):
        raise AppError(_("Some subjects are not in this cycle."))
    ready, blocks = _check(batch, actor, {})
    if blocks and not skip_blocked:
        raise DecisionBlocked(blocks)
    decisions_write(actor, cycle, batch, ready, paper, reason)
    return DecisionResult(decided=ready, blocked=blocks)


def decisions_check(*, actor, cycle: Cycle, choices: dict[int, str]) -> list[Block]:
    """What would block these decisions now, without deciding anything: the board shows it
    before anyone clicks."""
    choices = {pk: level for pk, level in choices.items() if level in Level.values}
    if not choices:
        return []
    batch = _Batch(cycle, choices)
    return _check(batch, actor, {})[1]


@transaction.atomic
def decision_rerate(
    *, actor, subject: Subject, level: str, reason: str, paper: PaperRecord | None = None
) -> Decision:
    """Re-rate a decided subject (Mẫu 03, R44): only with a reason, never above the rules."""
    require_that(may_decide(actor, subject))
    if level not in Level.values:
        raise AppError(_("Choose one of the four levels."), field="level")
    if not rerating_open(subject):
        raise AppError(_("Only a decided result can be re-rated."))
    if not reason.strip():
        raise AppError(_("A re-rating needs its reason."), field="reason")
    regulation = load_regulation(subject.cycle.regulation)
    verdict = verdict_json(subject, regulation, level)
    bound = verdict.get("level")
    if above_verdict(level, verdict):
        raise AppError(_("The rules allow at most %(level)s here.") % {"level": _label(bound)})
    # A re-rating counts in its pools like a decision (R24, R25): locked, then counted.
    deciding_units_lock(subject.cycle, [subject.pk])
    cap = _Batch(subject.cycle, {subject.pk: level}).cap_blocks()
    if cap:
        raise AppError(cap[0].message)
    previous = subject.decisions.filter(replaced_by__isnull=True).order_by("-decided_at").first()
    decision = Decision.objects.create(
        subject=subject,
        level=level,
        regulation=regulation.code,
        verdict=verdict,
        decided_by=actor,
        decided_at=timezone.now(),
        on_paper=paper is not None,
        document_number=paper.number if paper else "",
        document_date=paper.date if paper else None,
        signer=paper.signer if paper else "",
        replaces=previous,
        reason=reason,
    )
    before = subject.decided_level
    Subject.objects.filter(pk=subject.pk).update(decided_level=level, version=F("version") + 1)
    subject.refresh_from_db()
    event_record(
        actor=actor,
        action="decision.rerate",
        target_type="subject",
        target_id=subject.pk,
        before={"level": before},
        after={"level": level, "reason": reason},
    )
    return decision


# Kept importable from here: the competent level's other records live in exceptions.py.
from xeploai.cycles.services.exceptions import (  # noqa: E402
    cap_exception_record,
    case_close,
    case_open,
)

__all__ = ["cap_exception_record", "case_close", "case_open"]
