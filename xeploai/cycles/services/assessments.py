"""Step 1 (self-assessment), opinions, and step 2 (appraisal and proposal)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xeploai import labels
from xeploai.accounts.access import may_appraise, may_self_assess, require_that
from xeploai.audit.services import event_record
from xeploai.cycles.facts import earlier_items, group_scores, verdict_json
from xeploai.cycles.models import (
    Appraisal,
    CycleState,
    Level,
    Opinion,
    RemediationStatus,
    RemediationUpdate,
    SelfAssessment,
    Step,
    Subject,
)
from xeploai.cycles.selectors import appraisal_open, convened, self_assessment_editable
from xeploai.cycles.tally import tally_problems, task_problems
from xeploai.errors import AppError
from xeploai.rules import CriterionGrade, FactsError, load_regulation

# Lazy: a module-level string is translated when shown, in the reader's language.
CONCURRENT = gettext_lazy(
    "Someone else saved this assessment after you opened it. Your changes were not "
    "saved; reload the page to see theirs, then enter yours again."
)


def _claim(subject: Subject, version: int) -> None:
    """Optimistic lock: the save goes through only if nobody saved since `version` was read."""
    updated = Subject.objects.filter(pk=subject.pk, version=version).update(
        version=F("version") + 1
    )
    if not updated:
        raise AppError(str(CONCURRENT))
    subject.version = version + 1


def _open_cycle(subject: Subject) -> None:
    if subject.cycle.state != CycleState.OPEN:
        raise AppError(
            _("The cycle is %(state)s; nothing can be changed in it.")
            % {"state": subject.cycle.get_state_display().lower()}
        )


def _level(value: str, field: str) -> str:
    if value not in Level.values:
        raise AppError(_("Choose one of the four levels."), field=field)
    return value


@transaction.atomic
def self_assessment_save(
    *,
    actor,
    subject: Subject,
    version: int,
    scores: dict[str, str],
    tasks: dict[str, int] | None = None,
    texts: dict[str, str] | None = None,
    proposed_level: str = "",
    remediation: dict[int, str] | None = None,
    submit: bool = False,
) -> SelfAssessment:
    """Save (and optionally submit) a self-assessment, scored on the subject's annex."""
    require_that(may_self_assess(actor, subject))
    _open_cycle(subject)
    if not self_assessment_editable(subject):
        raise AppError(
            _("This self-assessment can no longer be changed: it is %(step)s.")
            % {"step": subject.get_step_display().lower()}
        )
    regulation = load_regulation(subject.cycle.regulation)
    points: dict[str, Decimal] = {}
    for item, raw in scores.items():
        if str(raw).strip() == "":
            continue
        try:
            points[item] = Decimal(str(raw).replace(",", "."))
        except InvalidOperation:
            points[item] = Decimal("NaN")
        if not points[item].is_finite():
            raise AppError(
                _("“%(value)s” is not a number of points.") % {"value": str(raw)[:32]},
                field=f"score_{item}",
            )
    try:
        totals = group_scores(subject, regulation, points) if points else None
    except FactsError as exc:
        raise AppError(
            _("The scores do not fit the sheet: %(detail)s") % {"detail": labels.facts_error(exc)},
            field="scores",
        ) from None
    if proposed_level:
        _level(proposed_level, "proposed_level")
    if submit and not proposed_level:
        raise AppError(
            _("Choose the level you propose for yourself before submitting."),
            field="proposed_level",
        )
    tasks = tasks or {}
    if any((n or 0) < 0 for n in tasks.values()):
        raise AppError(_("Task counts cannot be negative."), field="tasks_total")
    for field, message in task_problems(tasks):
        raise AppError(message[:1].upper() + message[1:], field=field)
    items = {item.pk: item for item in earlier_items(subject)}
    for item_id, status in (remediation or {}).items():
        if item_id not in items or status not in RemediationStatus.values:
            raise AppError(_("Unknown earlier shortcoming or status."), field=f"item_{item_id}")
    if submit and set(items) - set(remediation or {}):
        raise AppError(
            _("Say for every earlier shortcoming whether it is fixed."), field="remediation"
        )

    _claim(subject, version)
    # The version claim above serializes writers of this subject, so a plain read then an
    # INSERT or UPDATE is safe (no savepoint round trips of get_or_create).
    assessment = SelfAssessment.objects.filter(subject=subject).first() or SelfAssessment(
        subject=subject
    )
    before = {"scores": assessment.scores, "level": assessment.proposed_level}
    assessment.scores = {k: str(v) for k, v in points.items()}
    for name in ("total", "completed", "on_time", "late", "exceeding"):
        setattr(assessment, f"tasks_{name}", int(tasks.get(name, 0)))
    for name, value in (texts or {}).items():
        if name in ("strengths", "shortcomings", "causes", "prompt_answers", "direction"):
            setattr(assessment, name, value)
    assessment.proposed_level = proposed_level
    assessment.entered_by = actor
    assessment.on_behalf = actor is None or actor.member_id != subject.member_id
    if submit:
        assessment.submitted_at = timezone.now()
    assessment.save()
    for item_id, status in (remediation or {}).items():
        RemediationUpdate.objects.update_or_create(
            item_id=item_id, subject=subject, defaults={"status": status}
        )
        items[item_id].status = status
        items[item_id].save(update_fields=["status"])
    subject.self_level = proposed_level
    subject.self_score = sum(totals.values()) if totals else None
    subject.step = Step.SELF_SUBMITTED if submit else Step.SELF_DRAFT
    subject.save(update_fields=["self_level", "self_score", "step"])
    event_record(
        actor=actor,
        action="assessment.submit" if submit else "assessment.save",
        target_type="subject",
        target_id=subject.pk,
        before=before,
        after={
            "scores": assessment.scores,
            "level": proposed_level,
            "on_behalf": assessment.on_behalf,
        },
    )
    return assessment


@transaction.atomic
def opinion_add(
    *, actor, subject: Subject, source: str, author: str, text: str, received_on
) -> Opinion:
    require_that(may_appraise(actor, subject))
    _open_cycle(subject)
    if not text.strip():
        raise AppError(_("Write the opinion's content."), field="text")
    opinion = Opinion.objects.create(
        subject=subject,
        source=source,
        author=author,
        text=text,
        received_on=received_on,
        entered_by=actor,
    )
    event_record(
        actor=actor,
        action="opinion.add",
        target_type="subject",
        target_id=subject.pk,
        after={"source": source, "author": author},
    )
    return opinion


@transaction.atomic
def appraisal_record(
    *,
    actor,
    subject: Subject,
    version: int,
    proposed_level: str,
    votes: dict[str, int] | None = None,
    attendees: int | None = None,
    reason: str = "",
    grades: dict[str, str] | None = None,
    state_rating: str = "",
) -> Appraisal:
    """Step 2: the meeting's tally and the advisory body's proposal, with the rule core's
    verdict kept beside it. A proposal that differs from the self-rating needs a reason."""
    require_that(may_appraise(actor, subject))
    _open_cycle(subject)
    _level(proposed_level, "proposed_level")
    if not appraisal_open(subject):
        raise AppError(_("The self-assessment must be submitted before the appraisal."))
    if subject.self_level and proposed_level != subject.self_level and not reason.strip():
        raise AppError(
            _("The proposal differs from the self-rating: write the reason."), field="reason"
        )
    votes = {k: int(v) for k, v in (votes or {}).items() if int(v)}
    if any(k not in Level.values for k in votes):
        raise AppError(_("Votes must be for one of the four levels."), field="votes")
    if any(n < 0 for n in votes.values()) or (attendees is not None and attendees < 0):
        raise AppError(_("Votes and members present cannot be negative."), field="votes")
    meeting = convened(subject, timezone.localdate())
    for field, message in tally_problems(
        votes=votes,
        attendees=attendees,
        convened=meeting.count,
        cell=meeting.cell,
        proposed_level=proposed_level,
        reason=reason,
    ):
        raise AppError(message[:1].upper() + message[1:], field=field)
    grades = grades or {}
    if any(v not in CriterionGrade._value2member_map_ for v in grades.values() if v):
        raise AppError(_("Unknown criterion grade."), field="grades")
    if state_rating:
        _level(state_rating, "state_rating")
    _claim(subject, version)
    regulation = load_regulation(subject.cycle.regulation)
    appraisal, _created = Appraisal.objects.update_or_create(
        subject=subject,
        defaults={
            "votes": votes,
            "attendees": attendees,
            "proposed_level": proposed_level,
            "reason": reason,
            "appraised_by": actor,
            "appraised_at": timezone.now(),
            "political_task_grade": grades.get("political_task", ""),
            "other_criteria_grade": grades.get("other_criteria", ""),
            "state_rating": state_rating,
        },
    )
    appraisal.verdict = verdict_json(subject, regulation, proposed_level)
    appraisal.save(update_fields=["verdict"])
    verdict = appraisal.verdict
    subject.proposed_level = proposed_level
    subject.step = Step.APPRAISED
    subject.save(update_fields=["proposed_level", "step"])
    event_record(
        actor=actor,
        action="appraisal.record",
        target_type="subject",
        target_id=subject.pk,
        after={
            "proposed": proposed_level,
            "votes": votes,
            "reason": reason,
            "verdict": verdict.get("level"),
        },
    )
    return appraisal
