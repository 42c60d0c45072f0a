"""The writes of a batch of decisions, once every check has passed: the decision rows, the
subjects moved to their decided step (refused if anyone decided one meanwhile), the
shortcomings carried forward as items to fix, and one audit event per subject."""

import json

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xeploai.audit.services import events_record_many
from xeploai.cycles.models import Decision, RemediationItem, SelfAssessment, Step, Subject
from xeploai.errors import AppError
from xeploai.org.bulk import id_in, insert_rows


def decisions_write(actor, cycle, batch, ready: list[int], paper, reason) -> None:
    now = timezone.now()
    insert_rows(
        Decision,
        (
            "subject",
            "level",
            "regulation",
            "verdict",
            "decided_by",
            "decided_at",
            "on_paper",
            "document_number",
            "document_date",
            "signer",
            "reason",
        ),
        (
            (
                pk,
                batch.choices[pk],
                cycle.regulation,
                _json(batch.verdicts.get(pk) or {}),
                actor.pk if actor else None,
                now,
                paper is not None,
                paper.number if paper else "",
                paper.date if paper else None,
                paper.signer if paper else "",
                reason,
            )
            for pk in ready
        ),
    )
    by_level: dict[str, list[int]] = {}
    for pk in ready:
        by_level.setdefault(batch.choices[pk], []).append(pk)
    for level, ids in by_level.items():
        # Only subjects still waiting for their decision: if someone decided one of them since
        # the checks read it, the count differs and the whole batch is rolled back.
        updated = Subject.objects.filter(pk__in=id_in(ids), step=Step.APPRAISED).update(
            decided_level=level, step=Step.DECIDED, version=F("version") + 1
        )
        if updated != len(ids):
            raise AppError(
                _(
                    "Someone else decided some of these subjects meanwhile; nothing was saved. "
                    "Reload to see their decisions."
                )
            )
    _remediation_items(ready, batch)
    events_record_many(
        actor=actor,
        action="decision.take",
        target_type="subject",
        items=(
            (pk, None, {"level": batch.choices[pk], "paper": paper.number if paper else None})
            for pk in ready
        ),
    )


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _remediation_items(ready: list[int], batch) -> None:
    """Every shortcoming of a decided self-assessment becomes an item to fix (Điều 8, R45)."""
    rows = []
    if ready:
        for subject_id, text in (
            SelfAssessment.objects.filter(subject_id__in=id_in(ready))
            .exclude(shortcomings="")
            .values_list("subject_id", "shortcomings")
        ):
            s = batch.subjects[subject_id]
            for line in text.splitlines():
                line = line.strip(" -•\t")
                if line:
                    rows.append(
                        (
                            subject_id,
                            s["member_id"],
                            None if s["member_id"] else s["unit_id"],
                            line,
                            "",
                            "",
                            "open",
                        )
                    )
    insert_rows(
        RemediationItem, ("origin", "member", "unit", "text", "owner", "measure", "status"), rows
    )
