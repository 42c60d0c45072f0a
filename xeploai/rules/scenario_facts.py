"""Turning the tables of a scenario file into rule-core inputs, refusing unknown keys so a
typo in a scenario fails loudly instead of silently testing something else."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .caps import PoolOutcome
from .enums import (
    CriterionGrade,
    DisciplineForm,
    Level,
    Mitigation,
    OrgForm,
    PeriodKind,
    SubjectKind,
)
from .facts import (
    DisciplineRecord,
    Facts,
    G27OrgFindings,
    LedUnits,
    MemberStatus,
    Period,
    Shortcomings,
    TaskCounts,
)


class ScenarioError(ValueError):
    pass


def _only(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ScenarioError(f"{where}: unknown key(s) {extra}; allowed: {sorted(allowed)}")


def dec(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ScenarioError(f'{where}: write decimals as quoted strings ("89.99"), got {value!r}')
    return Decimal(str(value))


def _date(value: Any, where: str) -> date:
    if not isinstance(value, date):
        raise ScenarioError(f"{where}: expected a TOML date, got {value!r}")
    return value


def _tasks(t: Mapping[str, Any], where: str) -> TaskCounts:
    _only(t, {"total", "completed", "on_time", "late", "exceeding", "excused"}, where)
    return TaskCounts(
        total=t["total"],
        completed=t["completed"],
        on_time=t["on_time"],
        late=t["late"],
        exceeding=t.get("exceeding", 0),
        excused=t.get("excused", 0),
    )


def _discipline(d: Mapping[str, Any], where: str) -> DisciplineRecord:
    _only(d, {"form", "violation_date", "decision_date", "unit", "duty_related"}, where)
    return DisciplineRecord(
        form=DisciplineForm(d["form"]),
        violation_date=_date(d["violation_date"], where),
        decision_date=_date(d["decision_date"], where),
        unit=d.get("unit"),
        duty_related=d.get("duty_related", True),
    )


_FLAGS = {
    "degradation_finding",
    "prohibited_conduct",
    "cadre_work_wrongdoing",
    "managed_corruption_disciplined",
    "long_leave",
}
_INTS = {"subordinate_units_disciplined", "basic_targets_missed"}
_LEVELS = {"assessed_level", "led_collective_level", "state_rating"}
_FACT_KEYS = (
    _FLAGS
    | _INTS
    | _LEVELS
    | {
        "kind",
        "period",
        "unit",
        "scores",
        "tasks",
        "discipline",
        "member_discipline",
        "low_confidence_share",
        "led_units",
        "shortcomings",
        "mitigation",
        "political_task_grade",
        "other_criteria_grade",
        "org_form",
        "g27",
    }
)
_G27_KEYS = set(G27OrgFindings.__slots__)


def facts_from(t: Mapping[str, Any], where: str) -> Facts:
    _only(t, _FACT_KEYS, where)
    p = t["period"]
    _only(p, {"start", "end", "kind"}, where + ".period")
    kw: dict[str, Any] = {
        "kind": SubjectKind(t["kind"]),
        "period": Period(
            _date(p["start"], where), _date(p["end"], where), PeriodKind(p.get("kind", "year"))
        ),
        "unit": t.get("unit"),
        "scores": {k: dec(v, f"{where}.scores.{k}") for k, v in t.get("scores", {}).items()},
        "discipline": tuple(_discipline(d, f"{where}.discipline") for d in t.get("discipline", [])),
        "member_discipline": tuple(
            _discipline(d, f"{where}.member_discipline") for d in t.get("member_discipline", [])
        ),
        "mitigation": frozenset(Mitigation(m) for m in t.get("mitigation", [])),
    }
    for key in _FLAGS | _INTS:
        if key in t:
            kw[key] = t[key]
    for key in _LEVELS:
        if key in t:
            kw[key] = Level(t[key])
    if "tasks" in t:
        kw["tasks"] = _tasks(t["tasks"], where + ".tasks")
    if "low_confidence_share" in t:
        kw["low_confidence_share"] = dec(t["low_confidence_share"], where + ".low_confidence_share")
    if "led_units" in t:
        led = t["led_units"]
        _only(led, {"tasks", "units_total", "units_not_complete"}, where + ".led_units")
        kw["led_units"] = LedUnits(
            tasks=_tasks(led["tasks"], where + ".led_units.tasks") if "tasks" in led else None,
            units_total=led.get("units_total", 0),
            units_not_complete=led.get("units_not_complete", 0),
        )
    if "shortcomings" in t:
        _only(t["shortcomings"], {"total", "fixed"}, where + ".shortcomings")
        kw["shortcomings"] = Shortcomings(**t["shortcomings"])
    for key in ("political_task_grade", "other_criteria_grade"):
        if key in t:
            kw[key] = CriterionGrade(t[key])
    if "org_form" in t:
        kw["org_form"] = OrgForm(t["org_form"])
    if "g27" in t:
        _only(t["g27"], _G27_KEYS, where + ".g27")
        kw["g27"] = G27OrgFindings(**t["g27"])
    return Facts(**kw)


def status_from(t: Mapping[str, Any], where: str) -> MemberStatus:
    _only(
        t,
        {
            "review_date",
            "admitted_on",
            "exempt",
            "party_activity_suspended",
            "committee_activity_suspended",
        },
        where,
    )
    return MemberStatus(
        review_date=_date(t["review_date"], where),
        admitted_on=_date(t["admitted_on"], where) if "admitted_on" in t else None,
        exempt=t.get("exempt", False),
        party_activity_suspended=t.get("party_activity_suspended", False),
        committee_activity_suspended=t.get("committee_activity_suspended", False),
    )


def outcomes_from(t: Mapping[str, Any], where: str) -> list[PoolOutcome]:
    """Subjects listed one by one, plus groups given only as counts per level (published
    statistics such as seeds 003 and 004), expanded to anonymous subjects without scores."""
    out = []
    for i, s in enumerate(t.get("subjects", [])):
        w = f"{where}.subjects[{i}]"
        _only(s, {"id", "level", "kind", "pools", "score", "distinguished"}, w)
        out.append(
            PoolOutcome(
                subject=s["id"],
                level=Level(s["level"]),
                kind=SubjectKind(s["kind"]),
                pools=s["pools"],
                score=dec(s["score"], w) if "score" in s else None,
                distinguished=s.get("distinguished", False),
            )
        )
    for i, g in enumerate(t.get("groups", [])):
        w = f"{where}.groups[{i}]"
        _only(g, {"prefix", "kind", "pools", "counts", "distinguished"}, w)
        distinguished = g.get("distinguished", 0)
        for level_name, count in g["counts"].items():
            level = Level(level_name)
            for n in range(count):
                out.append(
                    PoolOutcome(
                        subject=f"{g['prefix']}-{level.value}-{n + 1:05d}",
                        level=level,
                        kind=SubjectKind(g["kind"]),
                        pools=g["pools"],
                        distinguished=level is Level.EXCELLENT and n < distinguished,
                    )
                )
    return out
