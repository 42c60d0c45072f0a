"""What the cycle and home pages show of the statistics, read once for every page."""

from django.utils import timezone
from django.utils.translation import gettext as _

from xeploai import labels
from xeploai.accounts.access import (
    cycles_for_user,
)
from xeploai.cycles.models import Cycle, Step
from xeploai.org.models import Unit, UnitKind
from xeploai.org.tree import ancestor_ids
from xeploai.reports import charts
from xeploai.reports.compare import comparison, deadline_progress
from xeploai.reports.rollup import tallies


def latest_annual_cycle(user, unit: Unit) -> Cycle | None:
    """The newest annual cycle the user sees that was run at `unit` or above it."""
    return (
        cycles_for_user(user)
        .filter(period_kind="year", unit_id__in=ancestor_ids(unit.path))
        .order_by("-period_end")
        .first()
    )


def cycle_statistics(user, cycle: Cycle, unit: Unit) -> dict:
    """The cycle page's comparison with earlier cycles, self vs decided and the deadlines."""
    level_names = labels.level_names()
    own = tallies([cycle], unit).get(unit.pk)
    earlier = comparison(cycle, unit, cycles_for_user(user), current=own)
    today = timezone.localdate()
    steps = dict(Step.choices)
    kinds = dict(UnitKind.choices)
    progress = deadline_progress(cycle, unit, today)
    out = {"comparison": earlier if len(earlier) > 1 else []}
    if out["comparison"]:
        out["trend_chart"] = charts.trend(
            [(r.label, r.members) for r in earlier],
            level_names,
            _("Members by decided level, this cycle and the earlier ones"),
        )
    if own is not None and any(own.members("self").values()):
        out["self_chart"] = charts.self_vs_decided(
            own.members("self"),
            own.members("decided"),
            level_names,
            _("Members: self-rated and decided levels"),
            (_("Self-rated"), _("Decided")),
        )
    if progress:
        out["deadline_chart"] = charts.deadlines(
            [
                (
                    f"{steps[p.step]}"
                    + (f" ({kinds.get(p.unit_kind, p.unit_kind)})" if p.unit_kind else ""),
                    p.done,
                    p.total,
                    p.due_on,
                    p.late,
                )
                for p in progress
            ],
            today,
            _("Progress against the deadlines"),
            {"due": _("due"), "late": _("late"), "today": _("today")},
        )
    return out
