"""Cycles: the list, opening one, its progress and statistics per unit, moving it on."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from xeploai.accounts.access import (
    Action,
    cycles_for_user,
    get_cycle_for_user,
    get_cycle_unit_for_user,
    get_unit_for_user,
)
from xeploai.api.core import Coded, Invalid, PageQuery, coded, errors, page
from xeploai.api.inputs import as_form_value, checked
from xeploai.api.routes.org import UnitOut, unit_out
from xeploai.cycles.forms import CycleOpenForm, TransitionForm
from xeploai.cycles.models import CycleState, Level, PeriodKind, Step
from xeploai.cycles.selectors import progress, results
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.cycles.services.lifecycle import cycle_transition

router = Router(tags=["cycles"])


class CycleOut(Schema):
    id: int
    name: str
    unit: UnitOut
    period_kind: Coded
    period_start: datetime.date
    period_end: datetime.date
    state: Coded
    regulation: str


class CyclePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CycleOut]


def cycle_out(cycle) -> dict:
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "unit": unit_out(cycle.unit),
        "period_kind": coded(PeriodKind, cycle.period_kind),
        "period_start": cycle.period_start,
        "period_end": cycle.period_end,
        "state": coded(CycleState, cycle.state),
        "regulation": cycle.regulation,
    }


@router.get("/cycles", response=errors(200, CyclePage), summary="Cycles you see")
def cycles_list(request, query: Query[PageQuery]):
    found = page(cycles_for_user(request.user).select_related("unit"), query)
    found["items"] = [cycle_out(c) for c in found["items"]]
    return found


@router.get("/cycles/{int:cycle_id}", response=errors(200, CycleOut), summary="A cycle")
def cycle_read(request, cycle_id: int):
    return cycle_out(get_cycle_for_user(request.user, cycle_id))


class DeadlinesIn(Schema, extra="forbid"):
    self_submitted: str | None = Field(None, description="dd/mm/yyyy or yyyy-mm-dd")
    appraised: str | None = None
    decided: str | None = None


class CycleOpenIn(Schema, extra="forbid"):
    unit_id: int = Field(..., description="The unit whose subtree is reviewed")
    name: str
    period_kind: str = Field(..., description="year, quarter, month, term or ad_hoc")
    period_start: str = Field(..., description="dd/mm/yyyy or yyyy-mm-dd")
    period_end: str = Field(..., description="dd/mm/yyyy or yyyy-mm-dd")
    deadlines: DeadlinesIn | None = None


class OpenedOut(CycleOut):
    enrolled: int


@router.post("/cycles", response=errors(201, OpenedOut), summary="Open a cycle")
def cycles_open(request, payload: CycleOpenIn):
    unit = get_unit_for_user(request.user, payload.unit_id, Action.MANAGE_CYCLE)
    deadlines = payload.deadlines or DeadlinesIn()
    data = {
        "name": payload.name,
        "period_kind": payload.period_kind,
        "period_start": payload.period_start,
        "period_end": payload.period_end,
        **{f"deadline_{k}": as_form_value(v) for k, v in deadlines.dict().items()},
    }
    form = CycleOpenForm(data)
    names = {f"deadline_{k}": f"deadlines.{k}" for k in ("self_submitted", "appraised", "decided")}
    cleaned = checked(form, names)
    cycle = cycle_open(
        actor=request.user,
        unit=unit,
        name=cleaned["name"],
        period_kind=cleaned["period_kind"],
        period_start=cleaned["period_start"],
        period_end=cleaned["period_end"],
        deadlines=form.deadlines(),
    )
    enrolled = cycle.subjects.exclude(step=Step.EXCLUDED).count()
    return Status(201, {**cycle_out(cycle), "enrolled": enrolled})


class TransitionIn(Schema, extra="forbid"):
    to: str = Field(..., description="lock, close or reopen")
    reason: str = Field("", description="Required to reopen")


@router.post(
    "/cycles/{int:cycle_id}/transition",
    response=errors(200, CycleOut),
    summary="Lock, close, reopen",
)
def cycle_move(request, cycle_id: int, payload: TransitionIn):
    cycle = get_cycle_for_user(request.user, cycle_id, Action.MANAGE_CYCLE)
    if payload.to not in ("lock", "close", "reopen"):
        raise Invalid({"to": [_("choose one of the options.")]})
    cleaned = checked(TransitionForm({"reason": payload.reason}))
    cycle = cycle_transition(
        actor=request.user, cycle=cycle, to=payload.to, reason=cleaned["reason"]
    )
    return cycle_out(cycle)


class StepCount(Schema):
    step: Coded
    count: int


class ProgressOut(Schema):
    unit: UnitOut
    steps: list[StepCount]
    total: int
    late: int


@router.get(
    "/cycles/{int:cycle_id}/units/{int:unit_id}/progress",
    response=errors(200, list[ProgressOut]),
    summary="Subjects per step, for the unit and each unit directly under it",
)
def cycle_progress(request, cycle_id: int, unit_id: int):
    cycle, unit = get_cycle_unit_for_user(request.user, cycle_id, unit_id)
    return [
        {
            "unit": unit_out(p.unit),
            "steps": [
                {"step": coded(Step, s), "count": p.steps[s]} for s in Step.values if s in p.steps
            ],
            "total": p.total,
            "late": p.late,
        }
        for p in progress(cycle, unit, timezone.localdate())
    ]


class LevelCount(Schema):
    level: Coded
    count: int


class ResultsOut(Schema):
    unit: UnitOut
    members: list[LevelCount]
    organizations: list[LevelCount]


def _counts(counts: dict[str, int]) -> list[dict]:
    return [{"level": coded(Level, v), "count": counts[v]} for v in Level.values if v in counts]


class StatisticsQuery(Schema):
    detail: bool = Field(True, description="Also each unit directly under this one")


@router.get(
    "/cycles/{int:cycle_id}/units/{int:unit_id}/statistics",
    response=errors(200, list[ResultsOut]),
    summary="Decided levels of members and organizations",
)
def cycle_statistics(request, cycle_id: int, unit_id: int, query: Query[StatisticsQuery]):
    cycle, unit = get_cycle_unit_for_user(request.user, cycle_id, unit_id)
    rows = results(cycle, unit)
    if not query.detail:
        rows = [r for r in rows if r.unit.pk == unit.pk]
    return [
        {
            "unit": unit_out(r.unit),
            "members": _counts(r.members),
            "organizations": _counts(r.organizations),
        }
        for r in rows
    ]
