"""Findings about a subject and a leader's confidence vote: facts the rule core takes that no
score or task count carries (QĐ 366 Điều 11-12). Each write is audited and refreshes the
verdict stored with the appraisal, so the board always shows what the rules now say."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xeploai.accounts.access import may_record_findings, require_that
from xeploai.audit.services import event_record
from xeploai.cycles.facts import verdict_json
from xeploai.cycles.models import (
    COUNTED_FINDINGS,
    Appraisal,
    ConfidenceVote,
    CycleState,
    Finding,
    FindingKind,
    Step,
    Subject,
)
from xeploai.errors import AppError
from xeploai.rules import SubjectKind, load_regulation


def _writable(subject: Subject) -> None:
    if subject.cycle.state != CycleState.OPEN:
        raise AppError(
            _("The cycle is %(state)s; nothing can be changed in it.")
            % {"state": subject.cycle.get_state_display().lower()}
        )
    if subject.step in (Step.DECIDED, Step.EXCLUDED):
        raise AppError(
            _(
                "This subject is already %(step)s; a new fact after the decision is handled "
                "by re-rating it."
            )
            % {"step": subject.get_step_display().lower()}
        )


def _within_season(day: datetime.date, subject: Subject, field: str) -> None:
    cycle = subject.cycle
    # A finding or a vote may be concluded after the period ends, never in the future.
    if not (cycle.period_start <= day <= timezone.localdate()):
        raise AppError(
            _("The date must fall between %(start)s and today.")
            % {"start": cycle.period_start.strftime("%d/%m/%Y")},
            field=field,
        )


def verdict_refresh(subject: Subject) -> None:
    """Recompute the verdict kept with the appraisal (if the subject was appraised)."""
    appraisal = Appraisal.objects.filter(subject=subject).first()
    if appraisal is None:
        return
    appraisal.verdict = verdict_json(
        subject, load_regulation(subject.cycle.regulation), appraisal.proposed_level
    )
    appraisal.save(update_fields=["verdict"])


@transaction.atomic
def finding_record(
    *,
    actor,
    subject: Subject,
    kind: str,
    found_on: datetime.date,
    evidence: str,
    count: int = 1,
) -> Finding:
    """Record (or correct) one finding about a subject."""
    require_that(may_record_findings(actor, subject))
    _writable(subject)
    if kind not in FindingKind.values:
        raise AppError(_("Choose one of the findings listed."), field="kind")
    _within_season(found_on, subject, "found_on")
    if not evidence.strip():
        raise AppError(_("Name the document or evidence of the finding."), field="evidence")
    if kind in COUNTED_FINDINGS and count < 1:
        raise AppError(_("Write how many, at least 1."), field="count")
    if kind not in COUNTED_FINDINGS:
        count = 1
    finding, created = Finding.objects.select_for_update().get_or_create(
        subject=subject,
        kind=kind,
        defaults={
            "count": count,
            "found_on": found_on,
            "evidence": evidence,
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    before = None
    if not created:
        before = {
            "count": finding.count,
            "found_on": finding.found_on,
            "evidence": finding.evidence,
        }
        finding.count, finding.found_on, finding.evidence = count, found_on, evidence
        finding.recorded_by, finding.recorded_at = actor, timezone.now()
        finding.save()
    event_record(
        actor=actor,
        action="finding.record",
        target_type="subject",
        target_id=subject.pk,
        before=before,
        after={"kind": kind, "count": count, "found_on": found_on, "evidence": evidence},
    )
    verdict_refresh(subject)
    return finding


@transaction.atomic
def finding_remove(*, actor, finding: Finding) -> None:
    subject = finding.subject
    require_that(may_record_findings(actor, subject))
    _writable(subject)
    event_record(
        actor=actor,
        action="finding.remove",
        target_type="subject",
        target_id=subject.pk,
        before={"kind": finding.kind, "count": finding.count, "evidence": finding.evidence},
    )
    finding.delete()
    verdict_refresh(subject)


@transaction.atomic
def confidence_vote_record(
    *,
    actor,
    subject: Subject,
    held_on: datetime.date,
    ballots_issued: int,
    ballots_valid: int,
    high: int,
    medium: int,
    low: int,
) -> ConfidenceVote:
    """The tally of a leader's confidence vote; its low share reaches the rule core."""
    require_that(may_record_findings(actor, subject))
    _writable(subject)
    if subject.kind != SubjectKind.LEADER:
        raise AppError(_("A confidence vote is held for leaders only."))
    _within_season(held_on, subject, "held_on")
    if min(ballots_issued, ballots_valid, high, medium, low) < 0:
        raise AppError(_("Counts are whole numbers, 0 or more."), field="ballots_valid")
    if ballots_valid == 0:
        raise AppError(_("A vote without valid ballots cannot be recorded."), field="ballots_valid")
    if ballots_valid > ballots_issued:
        raise AppError(
            _("Valid ballots (%(valid)s) cannot exceed the ballots issued (%(issued)s).")
            % {"valid": ballots_valid, "issued": ballots_issued},
            field="ballots_valid",
        )
    if high + medium + low != ballots_valid:
        raise AppError(
            _(
                "High, medium and low confidence together (%(sum)s) must equal the valid "
                "ballots (%(valid)s)."
            )
            % {"sum": high + medium + low, "valid": ballots_valid},
            field="low",
        )
    values = {
        "held_on": held_on,
        "ballots_issued": ballots_issued,
        "ballots_valid": ballots_valid,
        "high": high,
        "medium": medium,
        "low": low,
        "recorded_by": actor,
        "recorded_at": timezone.now(),
    }
    earlier = ConfidenceVote.objects.select_for_update().filter(subject=subject).first()
    before = {"valid": earlier.ballots_valid, "low": earlier.low} if earlier is not None else None
    vote, _created = ConfidenceVote.objects.update_or_create(subject=subject, defaults=values)
    event_record(
        actor=actor,
        action="confidence.record",
        target_type="subject",
        target_id=subject.pk,
        before=before,
        after={k: v for k, v in values.items() if k not in ("recorded_by", "recorded_at")},
    )
    verdict_refresh(subject)
    return vote
