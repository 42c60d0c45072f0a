"""Named predicates: the part of a rule that data cannot say.

A data file names a predicate and, where it needs one, a numeric parameter; the loader
binds them here once, so classify only calls plain closures. Triggers answer "does this
finding hold?"; conditions answer "is this level's condition met?". A predicate that needs
facts the caller did not give raises FactsError instead of guessing a level.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from operator import attrgetter
from typing import cast

from .enums import GRADE_RANK, CriterionGrade, Level, OrgForm
from .facts import DisciplineRecord, Facts, FactsError, TaskCounts
from .model import Predicate

Factory = Callable[[Fraction | None], Predicate]
_REGISTRY: dict[str, tuple[Factory, bool]] = {}


def _register(name: str, needs_param: bool = False) -> Callable[[Factory], Factory]:
    def wrap(factory: Factory) -> Factory:
        _REGISTRY[name] = (factory, needs_param)
        return factory

    return wrap


def bind(name: str, param: Fraction | None) -> Predicate:
    if name not in _REGISTRY:
        raise ValueError(f"unknown predicate {name!r}; known: {', '.join(sorted(_REGISTRY))}")
    factory, needs_param = _REGISTRY[name]
    if needs_param and param is None:
        raise ValueError(f"predicate {name!r} needs a 'param'")
    if not needs_param and param is not None:
        raise ValueError(f"predicate {name!r} takes no 'param'")
    return factory(param)


def known_predicates() -> frozenset[str]:
    return frozenset(_REGISTRY)


def _tasks(facts: Facts) -> TaskCounts:
    # Hot predicates inline the None test and call this only to raise; others call it plainly.
    tasks = facts.tasks
    if tasks is None:
        raise FactsError(
            f"task counts are required for a {facts.kind} under this regulation",
            "tasks_required",
            kind=str(facts.kind),
        )
    return tasks


def _led_tasks(facts: Facts) -> TaskCounts:
    led = facts.led_units
    if led is None or led.tasks is None:
        raise FactsError(
            "a leader's verdict needs the task results of the units led (led_units.tasks)",
            "led_tasks_required",
        )
    return led.tasks


def _ratio(p: Fraction | None) -> tuple[int, int]:
    assert p is not None
    return p.numerator, p.denominator


# Discipline ------------------------------------------------------------------------------


def _counted_in_period(record: DisciplineRecord, facts: Facts) -> bool:
    # R20: the decision date places the discipline in a period, whatever the violation date.
    return facts.period.start <= record.decision_date <= facts.period.end


def _attributed_here(record: DisciplineRecord, facts: Facts) -> bool:
    # R21/R22 and the R17 exception: an act at another unit counts against that unit.
    return record.unit is None or facts.unit is None or record.unit == facts.unit


@_register("duty_discipline")
def _duty_discipline(_: Fraction | None) -> Predicate:
    def check(facts: Facts) -> bool:
        for r in facts.discipline:
            if r.duty_related and _counted_in_period(r, facts):
                return True
        return False

    return check


@_register("any_discipline")
def _any_discipline(_: Fraction | None) -> Predicate:
    def check(facts: Facts) -> bool:
        for r in facts.discipline:
            if _counted_in_period(r, facts):
                return True
        return False

    return check


@_register("member_duty_discipline")
def _member_duty_discipline(_: Fraction | None) -> Predicate:
    def check(facts: Facts) -> bool:
        for r in facts.member_discipline:
            if r.duty_related and _counted_in_period(r, facts) and _attributed_here(r, facts):
                return True
        return False

    return check


@_register("no_subordinate_or_member_discipline")
def _no_sub_discipline(_: Fraction | None) -> Predicate:
    def check(facts: Facts) -> bool:
        if facts.subordinate_units_disciplined:
            return False
        for r in facts.member_discipline:
            if _counted_in_period(r, facts) and _attributed_here(r, facts):
                return False
        return True

    return check


# Findings --------------------------------------------------------------------------------


def _flag(attr: str) -> Factory:
    # attrgetter runs in C; these flags are plain bools on Facts, so no bool() is needed.
    getter = cast(Predicate, attrgetter(attr))
    return lambda _: getter


for _name in (
    "degradation_finding",
    "prohibited_conduct",
    "cadre_work_wrongdoing",
    "managed_corruption_disciplined",
):
    _REGISTRY[_name] = (_flag(_name), False)


@_register("basic_targets_missed")
def _basic_targets(_: Fraction | None) -> Predicate:
    return lambda facts: facts.basic_targets_missed > 0


@_register("low_confidence_over", needs_param=True)
def _low_confidence(p: Fraction | None) -> Predicate:
    limit = Decimal(p.numerator) / Decimal(p.denominator) if p is not None else Decimal(0)

    def check(facts: Facts) -> bool:
        share = facts.low_confidence_share
        if share is None:
            return False  # no confidence vote held that year
        if not Decimal(0) <= share <= Decimal(1):
            raise FactsError(
                "low_confidence_share is a fraction between 0 and 1", "confidence_share"
            )
        return share > limit

    return check


@_register("led_units_not_complete_over", needs_param=True)
def _led_units_kht(p: Fraction | None) -> Predicate:
    num, den = _ratio(p)

    def check(facts: Facts) -> bool:
        led = facts.led_units
        if led is None or led.units_total == 0:
            return False
        return led.units_not_complete * den > num * led.units_total

    return check


# Task shares: integer cross-multiplication keeps 29 % / 30 % and 20 % / 21 % exact. -------


@_register("tasks_not_completed_over", needs_param=True)
def _not_completed_over(p: Fraction | None) -> Predicate:
    num, den = _ratio(p)

    def check(facts: Facts) -> bool:
        t = facts.tasks or _tasks(facts)
        assessed = t.total - t.excused
        return (assessed - t.completed) * den > num * assessed

    return check


@_register("tasks_completed_below", needs_param=True)
def _completed_below(p: Fraction | None) -> Predicate:
    num, den = _ratio(p)

    def check(facts: Facts) -> bool:
        t = _tasks(facts)
        return t.completed * den < num * (t.total - t.excused)

    return check


@_register("led_tasks_completed_below", needs_param=True)
def _led_completed_below(p: Fraction | None) -> Predicate:
    num, den = _ratio(p)

    def check(facts: Facts) -> bool:
        t = _led_tasks(facts)
        return t.completed * den < num * (t.total - t.excused)

    return check


def _all_completed(t: TaskCounts) -> bool:
    return t.completed + t.excused >= t.total


def _all_on_time(t: TaskCounts) -> bool:
    return t.on_time + t.excused >= t.total


@_register("all_tasks_completed")
def _c_all_completed(_: Fraction | None) -> Predicate:
    def check(facts: Facts) -> bool:
        t = facts.tasks or _tasks(facts)
        return t.completed + t.excused >= t.total

    return check


@_register("all_tasks_on_time")
def _c_all_on_time(_: Fraction | None) -> Predicate:
    def check(facts: Facts) -> bool:
        t = facts.tasks or _tasks(facts)
        return t.on_time + t.excused >= t.total

    return check


@_register("tasks_exceeding_at_least", needs_param=True)
def _c_exceeding(p: Fraction | None) -> Predicate:
    num, den = _ratio(p)

    def check(facts: Facts) -> bool:
        t = facts.tasks or _tasks(facts)
        # With no assessed task nothing was exceeded, so the share cannot be met.
        return t.total > t.excused and t.exceeding * den >= num * (t.total - t.excused)

    return check


@_register("late_at_most", needs_param=True)
def _c_late(p: Fraction | None) -> Predicate:
    num, den = _ratio(p)

    def check(facts: Facts) -> bool:
        t = facts.tasks or _tasks(facts)
        return t.late * den <= num * (t.total - t.excused)

    return check


@_register("led_all_tasks_completed")
def _c_led_completed(_: Fraction | None) -> Predicate:
    return lambda facts: _all_completed(_led_tasks(facts))


@_register("led_all_tasks_on_time")
def _c_led_on_time(_: Fraction | None) -> Predicate:
    return lambda facts: _all_on_time(_led_tasks(facts))


@_register("led_tasks_exceeding_at_least", needs_param=True)
def _c_led_exceeding(p: Fraction | None) -> Predicate:
    num, den = _ratio(p)

    def check(facts: Facts) -> bool:
        t = _led_tasks(facts)
        return t.total > t.excused and t.exceeding * den >= num * (t.total - t.excused)

    return check


@_register("led_late_at_most", needs_param=True)
def _c_led_late(p: Fraction | None) -> Predicate:
    num, den = _ratio(p)

    def check(facts: Facts) -> bool:
        t = _led_tasks(facts)
        return t.late * den <= num * (t.total - t.excused)

    return check


@_register("shortcomings_all_fixed")
def _c_shortcomings(_: Fraction | None) -> Predicate:
    # Vacuously true when the previous review concluded no shortcoming (R13).
    return lambda facts: facts.shortcomings.fixed >= facts.shortcomings.total


@_register("state_rating_excellent_if_rated")
def _c_state_rating(_: Fraction | None) -> Predicate:
    return lambda facts: facts.state_rating is None or facts.state_rating is Level.EXCELLENT


@_register("criterion_grades_excellent")
def _c_grades(_: Fraction | None) -> Predicate:
    good = GRADE_RANK[CriterionGrade.GOOD]

    def check(facts: Facts) -> bool:
        if facts.political_task_grade is None or facts.other_criteria_grade is None:
            return False  # an unshown condition is an unmet one
        return (
            facts.political_task_grade is CriterionGrade.OUTSTANDING
            and GRADE_RANK[facts.other_criteria_grade] <= good
        )

    return check


# G27 Weak defects (R4) ---------------------------------------------------------------------


def _g27(attr: str) -> Factory:
    def factory(_: Fraction | None) -> Predicate:
        def check(facts: Facts) -> bool:
            return facts.g27 is not None and bool(getattr(facts.g27, attr))

        return check

    return factory


for _name in (
    "fails_many_tasks",
    "committee_disunity",
    "corruption_led_to_discipline",
    "government_rated_lowest",
):
    _REGISTRY["g27_" + _name] = (_g27(_name), False)


@_register("g27_mass_orgs_rated_lowest_at_least", needs_param=True)
def _g27_mass(p: Fraction | None) -> Predicate:
    assert p is not None
    return lambda facts: facts.g27 is not None and facts.g27.mass_orgs_rated_lowest >= p


def _g27_form(facts: Facts, counted: int) -> OrgForm | None:
    # R4: the one-third defect is a đảng bộ's, the one-half defect a chi bộ's. Counts given
    # without the form would otherwise be dropped silently and leave a Weak organization Good.
    if counted and facts.org_form is None:
        raise FactsError(
            "G27 findings count subordinate organizations or members; give org_form "
            "(party_unit or cell) so the right Weak defect applies",
            "org_form_required",
        )
    return facts.org_form


@_register("g27_subordinate_weak_over", needs_param=True)
def _g27_sub(p: Fraction | None) -> Predicate:
    """HD 27 (S-TVPL-YK, R4): a đảng bộ with more than 1/3 of its subordinates Weak."""
    num, den = _ratio(p)

    def check(facts: Facts) -> bool:
        g = facts.g27
        if g is None or _g27_form(facts, g.subordinate_orgs_weak) is not OrgForm.PARTY_UNIT:
            return False
        return g.subordinate_orgs_weak * den > num * g.subordinate_orgs_total

    return check


@_register("g27_members_not_complete_over", needs_param=True)
def _g27_members(p: Fraction | None) -> Predicate:
    """HD 27 (S-TVPL-YK, R4): a chi bộ with more than 1/2 of its members not complete."""
    num, den = _ratio(p)

    def check(facts: Facts) -> bool:
        g = facts.g27
        if g is None or _g27_form(facts, g.members_not_complete) is not OrgForm.CELL:
            return False
        return g.members_not_complete * den > num * g.members_total

    return check
