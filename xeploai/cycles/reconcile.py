"""Do the subjects' levels agree with the audit trail? A level changed in the database without
its service (and so without its event) shows up here, even when the chain itself is intact."""

from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.fields.json import KT

from xeploai.audit.models import Event
from xeploai.cycles.models import Subject

# The subject's field, the events that set it and the key of their `after` holding the level.
RECORDED = (
    ("decided_level", ("decision.take", "decision.rerate"), "level"),
    ("proposed_level", ("appraisal.record",), "proposed"),
)


@dataclass(frozen=True)
class Mismatch:
    subject_id: int
    field: str
    stored: str
    recorded: str | None  # None: no event set it


def subjects_reconcile() -> list[Mismatch]:
    """Every subject whose decided or proposed level is not the one its last event recorded,
    or that has a level no event recorded. One query per field, over the subjects' index."""
    found = []
    for field, actions, key in RECORDED:
        last = (
            Event.objects.filter(
                target_type="subject", target_id=OuterRef("pk"), action__in=actions
            )
            .order_by("-id")
            .annotate(level=KT(f"after__{key}"))
            .values("level")[:1]
        )
        rows = (
            Subject.objects.annotate(recorded=Subquery(last))
            .filter(
                (~Q(**{field: ""}) & Q(recorded__isnull=True))
                | (Q(recorded__isnull=False) & ~Q(recorded=F(field)))
            )
            .values_list("pk", field, "recorded")
        )
        found.extend(Mismatch(pk, field, stored, recorded) for pk, stored, recorded in rows)
    return [m for m in found if m.stored != (m.recorded or "")]
