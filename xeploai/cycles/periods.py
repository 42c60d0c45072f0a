"""What a cycle's period and deadlines may be, and which cycle a new one would duplicate.

A quarter is three calendar months, a month one calendar month, a year a calendar year (or the
body's own twelve months where the regulation allows it: HD 43 §4.1), a term whole calendar
years. Deadlines fall inside the season (from the period's start to the regulation's grace
after its end, HD 43 §4.1) and in step order. Every refusal names the field it is about.
"""

import calendar
import datetime

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xeploai.cycles.models import Cycle, CycleState, PeriodKind, Step
from xeploai.errors import AppError
from xeploai.org.models import Unit
from xeploai.org.tree import ancestor_ids, subtree_q
from xeploai.rules import load_regulation

# The steps a deadline can be set for, in the order they happen, and their deadlines' names.
DEADLINE_STEPS = (Step.SELF_SUBMITTED, Step.APPRAISED, Step.DECIDED)
DEADLINE_NAMES = {
    Step.SELF_SUBMITTED: _lazy("the deadline for self-reviews"),
    Step.APPRAISED: _lazy("the deadline for appraisals"),
    Step.DECIDED: _lazy("the deadline for decisions"),
}
TERM_MAX_YEARS = 5  # a party committee's term (Điều lệ Đảng, Điều 12)
_DEFAULTS = {"own_year_calendar": False, "deadline_grace_days": 15}


def _setting(regulation_code: str, name: str):
    settings = load_regulation(regulation_code).settings
    return settings[name].value if name in settings else _DEFAULTS[name]


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _plus_months(day: datetime.date, months: int) -> datetime.date:
    """The last day of the month `months - 1` after `day`'s month: the end of a span of
    `months` calendar months starting on the first of `day`'s month."""
    index = day.month - 1 + months - 1
    return _month_end(day.year + index // 12, index % 12 + 1)


def _day(day: datetime.date) -> str:
    return date_format(day, "d/m/Y")


def period_check(*, kind: str, start: datetime.date, end: datetime.date, regulation: str) -> None:
    """Refuse a period that is not the shape its kind says (field `period_end` or
    `period_start`)."""
    if end < start:
        raise AppError(_("The period ends before it starts."), field="period_end")
    if kind == PeriodKind.AD_HOC:
        return
    if start.day != 1:
        raise AppError(
            _("A period starts on the first day of a month; %(day)s is not.")
            % {"day": _day(start)},
            field="period_start",
        )
    if kind == PeriodKind.MONTH:
        expected = _plus_months(start, 1)
        wrong = _("A month runs from %(start)s to %(end)s.")
    elif kind == PeriodKind.QUARTER:
        if start.month not in (1, 4, 7, 10):
            raise AppError(
                _("A quarter starts on 01/01, 01/04, 01/07 or 01/10; %(day)s is not one.")
                % {"day": _day(start)},
                field="period_start",
            )
        expected = _plus_months(start, 3)
        wrong = _("A quarter is three calendar months: from %(start)s to %(end)s.")
    elif kind == PeriodKind.YEAR:
        own = _setting(regulation, "own_year_calendar")
        if start.month != 1 and not own:
            raise AppError(
                _("A year starts on 01/01 under this regulation; %(day)s is not.")
                % {"day": _day(start)},
                field="period_start",
            )
        expected = _plus_months(start, 12)
        wrong = _("A year is twelve calendar months: from %(start)s to %(end)s.")
    else:  # a term: whole calendar years
        if start.month != 1:
            raise AppError(
                _("A term is made of whole years and starts on 01/01; %(day)s is not.")
                % {"day": _day(start)},
                field="period_start",
            )
        if end.month != 12 or end.day != 31 or not 1 <= end.year - start.year < TERM_MAX_YEARS:
            raise AppError(
                _("A term is whole calendar years, two to %(n)s: it ends on 31/12 of a later year.")
                % {"n": TERM_MAX_YEARS},
                field="period_end",
            )
        return
    if end != expected:
        raise AppError(wrong % {"start": _day(start), "end": _day(expected)}, field="period_end")


def deadlines_check(
    *, deadlines, start: datetime.date, end: datetime.date, regulation: str
) -> None:
    """Each deadline inside the season and the steps in order, for every kind of unit
    (a deadline for all units stands for a kind that has none of its own)."""
    grace = _setting(regulation, "deadline_grace_days")
    last = end + datetime.timedelta(days=grace)
    by_kind: dict[str, dict[str, datetime.date]] = {}
    for step, unit_kind, due in deadlines:
        field = f"deadline_{step}"
        if step not in DEADLINE_STEPS:
            raise AppError(_("A deadline is for one of the three steps."), field="deadline")
        if not start <= due <= last:
            raise AppError(
                _("%(step)s (%(day)s) is outside the season, from %(start)s to %(last)s.")
                % {
                    "step": capfirst(DEADLINE_NAMES[step]),
                    "day": _day(due),
                    "start": _day(start),
                    "last": _day(last),
                },
                field=field,
            )
        by_kind.setdefault(unit_kind, {})[step] = due
    general = by_kind.get("", {})
    for own in by_kind.values():
        merged = {**general, **own}
        previous = None
        for step in DEADLINE_STEPS:
            if step not in merged:
                continue
            if previous is not None and merged[step] < merged[previous]:
                raise AppError(
                    _("%(later)s (%(day)s) cannot come before %(earlier)s (%(before)s).")
                    % {
                        "later": capfirst(DEADLINE_NAMES[step]),
                        "day": _day(merged[step]),
                        "earlier": DEADLINE_NAMES[previous],
                        "before": _day(merged[previous]),
                    },
                    field=f"deadline_{step}",
                )
            previous = step


def overlapping(*, unit: Unit, kind: str, start: datetime.date, end: datetime.date):
    """Cycles not cancelled of the same kind whose period meets this one and whose subtree
    holds `unit` or lies under it: one of them would enrol the same people twice."""
    return (
        Cycle.objects.filter(period_kind=kind, period_start__lte=end, period_end__gte=start)
        .exclude(state=CycleState.CANCELLED)
        .filter(Q(unit_id__in=ancestor_ids(unit.path)) | subtree_q(unit.path, "unit__path"))
        .select_related("unit")
        .order_by("period_start", "pk")
    )


def overlap_check(*, unit: Unit, kind: str, start: datetime.date, end: datetime.date) -> None:
    existing = overlapping(unit=unit, kind=kind, start=start, end=end).first()
    if existing is not None:
        raise AppError(
            _(
                "The cycle “%(name)s” of %(unit)s (%(start)s – %(end)s) already covers this "
                "period for these units; cancel it first if it was opened by mistake."
            )
            % {
                "name": existing.name,
                "unit": existing.unit.name,
                "start": _day(existing.period_start),
                "end": _day(existing.period_end),
            },
            field="period_start",
        )
