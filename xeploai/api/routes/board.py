"""The calibration board (its rows and the caps, with what-if moves) and the decisions:
checked without deciding, or taken; what blocks them is returned as data."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from xeploai.accounts.access import (
    get_board_unit_for_user,
    get_cycle_for_user,
    may_decide_at,
    may_view_subject,
)
from xeploai.api.core import Coded, ErrorOut, Invalid, coded, errors
from xeploai.api.inputs import as_form_value, checked
from xeploai.cycles.forms import PaperForm, paper_record
from xeploai.cycles.models import Level, Step, Subject, SubjectKind
from xeploai.cycles.selectors import board
from xeploai.cycles.services.decisions import DecisionBlocked, decisions_check, decisions_take
from xeploai.web.fields import MAX_ID

router = Router(tags=["board and decisions"])


def _vi(request) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "vi") or "vi").startswith("vi")


class RowOut(Schema):
    subject_id: int
    name: str
    unit: str
    kind: Coded
    step: Coded
    self_level: Coded | None
    self_score: Decimal | None
    proposed_level: Coded | None
    decided_level: Coded | None
    rules_level: Coded | None
    outcome: Coded | None = Field(description="Decided, else the what-if, proposed or self level")


class CapOut(Schema):
    counted: int
    base: int
    allowed: int
    violation: bool
    arithmetic: str
    citation: str


class MoveOut(Schema):
    subject_id: int
    from_level: Coded
    to_level: Coded
    note: str


class BoardOut(Schema):
    unit_id: int
    may_decide: bool
    rows: list[RowOut]
    caps: list[CapOut]
    moves: list[MoveOut] = Field(description="The smallest fit that keeps every cap")


def _citation(c) -> str:
    return ", ".join(part for part in (c.clause, c.article, c.document) if part)


def board_out(request, cycle, unit, what_if: dict[int, str]) -> dict:
    view = board(cycle, unit, what_if)
    vi = _vi(request)
    return {
        "unit_id": unit.pk,
        "may_decide": may_decide_at(request.user, unit) and cycle.state == "open",
        "rows": [
            {
                "subject_id": r["id"],
                "name": r["name"],
                "unit": r["unit__name"],
                "kind": coded(SubjectKind, r["kind"]),
                "step": coded(Step, r["step"]),
                "self_level": coded(Level, r["self_level"]),
                "self_score": r["self_score"],
                "proposed_level": coded(Level, r["proposed_level"]),
                "decided_level": coded(Level, r["decided_level"]),
                "rules_level": coded(Level, (r["appraisal__verdict"] or {}).get("level")),
                "outcome": coded(Level, r["outcome"]),
            }
            for r in view.rows
        ],
        "caps": [
            {
                "counted": c.counted,
                "base": c.base,
                "allowed": c.allowed,
                "violation": c.violation,
                "arithmetic": c.arithmetic_vi if vi else c.arithmetic_en,
                "citation": _citation(c.citation),
            }
            for c in view.caps.checks
        ],
        "moves": [
            {
                "subject_id": int(m.subject),
                "from_level": coded(Level, m.from_level.value),
                "to_level": coded(Level, m.to_level.value),
                "note": m.note_vi if vi else m.note_en,
            }
            for m in view.caps.moves
        ],
    }


@router.get(
    "/cycles/{int:cycle_id}/boards/{int:unit_id}",
    response=errors(200, BoardOut),
    summary="The calibration board of a deciding unit",
)
def board_read(request, cycle_id: int, unit_id: int):
    cycle = get_cycle_for_user(request.user, cycle_id)
    unit = get_board_unit_for_user(request.user, unit_id)
    return board_out(request, cycle, unit, {})


class LevelsIn(Schema, extra="forbid"):
    levels: dict[int, str] = Field(
        default_factory=dict, description="Subject id → excellent, good, complete or not_complete"
    )


def _levels(request, cycle, levels: dict[int, str], name: str) -> dict[int, str]:
    """The levels, each a level of a subject of the cycle the user may see; else 422."""
    fields: dict[str, list[str]] = {}
    for pk, level in levels.items():
        if level not in Level.values:
            fields[f"{name}.{pk}"] = [_("Choose one of the four levels.")]
    ids = [pk for pk in levels if 0 < pk <= MAX_ID]
    found = {
        s.pk: s
        for s in Subject.objects.filter(cycle=cycle, pk__in=ids).select_related(
            "unit", "deciding_unit"
        )
    }
    for pk in levels:
        subject = found.get(pk)
        if subject is None or not may_view_subject(request.user, subject):
            fields[f"{name}.{pk}"] = [_("no such subject in this cycle.")]
    if fields:
        raise Invalid(fields)
    return levels


@router.post(
    "/cycles/{int:cycle_id}/boards/{int:unit_id}/what-if",
    response=errors(200, BoardOut),
    summary="The board again, the caps counted with these levels",
)
def board_what_if(request, cycle_id: int, unit_id: int, payload: LevelsIn):
    cycle = get_cycle_for_user(request.user, cycle_id)
    unit = get_board_unit_for_user(request.user, unit_id)
    return board_out(request, cycle, unit, _levels(request, cycle, payload.levels, "levels"))


class BlockOut(Schema):
    subject_id: int
    code: str = Field(description="order, cap, case, opinion, steps, rule, access or state")
    message: str


class CheckOut(Schema):
    ready: bool
    blocks: list[BlockOut]


def _blocks(blocks) -> list[dict]:
    return [{"subject_id": b.subject_id, "code": b.code, "message": b.message} for b in blocks]


@router.post(
    "/cycles/{int:cycle_id}/decisions/check",
    response=errors(200, CheckOut),
    summary="What would block these decisions, deciding nothing",
)
def decisions_check_route(request, cycle_id: int, payload: LevelsIn):
    cycle = get_cycle_for_user(request.user, cycle_id)
    levels = _levels(request, cycle, payload.levels, "levels")
    blocks = decisions_check(actor=request.user, cycle=cycle, choices=levels)
    return {"ready": not blocks, "blocks": _blocks(blocks)}


class DecideIn(LevelsIn):
    paper_number: str = Field("", description="A paper decision's number, if any")
    paper_date: str = Field("", description="Its date, dd/mm/yyyy or yyyy-mm-dd")
    paper_signer: str = ""


class DecidedOut(Schema):
    decided: list[int]
    decided_on: datetime.date


class BlockedOut(ErrorOut):
    blocks: list[BlockOut]


@router.post(
    "/cycles/{int:cycle_id}/decisions",
    response={**errors(200, DecidedOut), 409: BlockedOut},
    summary="Decide: all of them, or nothing with what blocks them (409)",
)
def decisions_take_route(request, cycle_id: int, payload: DecideIn):
    cycle = get_cycle_for_user(request.user, cycle_id)
    paper = PaperForm(
        {
            k: as_form_value(getattr(payload, k))
            for k in ("paper_number", "paper_date", "paper_signer")
        }
    )
    checked(paper)
    levels = _levels(request, cycle, payload.levels, "levels")
    if not levels:
        raise Invalid({"levels": [_("Tick the subjects to decide.")]})
    try:
        result = decisions_take(
            actor=request.user, cycle=cycle, choices=levels, paper=paper_record(paper)
        )
    except DecisionBlocked as exc:
        return Status(
            409,
            {
                "code": "blocked",
                "message": exc.message,
                "fields": {},
                "blocks": _blocks(exc.blocks),
            },
        )
    return {"decided": result.decided, "decided_on": timezone.localdate()}
