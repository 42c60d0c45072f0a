"""Several years of one subtree: Excellent runs and awards (R51), cadres' 3-year records (R50).

Set-based: a handful of queries whatever the subtree's size, never one per member. The years
are the decided results of annual cycles; the rule core says what they add up to.

Who is listed is decided by the cycle being looked at (the "anchor"): the members and
organizations it holds inside the unit's subtree. Their earlier years are read wherever they
were rated then, so a member transferred in keeps their run.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from xeploai.cycles.models import Cycle, PeriodKind, Step, Subject
from xeploai.org.models import Member, PositionKind, Unit
from xeploai.org.tree import subtree_q
from xeploai.rules import (
    CompletionRecord,
    Eligibility,
    Level,
    SubjectKind,
    awards_open,
    completion_record,
    load_regulation,
    run_length,
    year_level,
)

# Years read back for a run. Longer runs are shown as "at least" this many.
WINDOW = 10
# Years shown in the tables' columns.
SHOWN = 5


@dataclass
class Years:
    """One member or organization: its yearly ratings, the run ending with the anchor year,
    and the awards the rule core opens."""

    pk: int
    name: str
    where: str  # the cell (members) or the parent unit (organizations)
    kind: str
    years: dict[int, str]
    run: int
    awards: tuple[Eligibility, ...]

    def shown(self, columns: list[int]) -> list[tuple[int, str]]:
        """(year, level) for the given years; "" where not rated."""
        return [(y, self.years.get(y, "")) for y in columns]

    @property
    def run_is_floor(self) -> bool:
        return self.run >= WINDOW

    @property
    def longest_award(self) -> int:
        return max((e.award.years for e in self.awards), default=0)


@dataclass
class Cadre:
    pk: int
    name: str
    where: str
    posts: list[str]
    record: CompletionRecord


@dataclass
class YearsView:
    year: int
    regulation: str
    columns: list[int]
    members: list[Years] = field(default_factory=list)
    organizations: list[Years] = field(default_factory=list)
    cadres: list[Cadre] = field(default_factory=list)
    # How many there are before the lists are cut to the limit.
    totals: dict[str, int] = field(default_factory=dict)

    # The longest run of years an award for members asks for (5 under G366), and how many
    # members of the subtree have reached it.
    threshold: int = 0
    reaching: int = 0


def anchor_year(cycle: Cycle) -> int:
    return cycle.period_end.year


def _annual(first: int, last: int) -> Q:
    return Q(
        cycle__period_kind=PeriodKind.YEAR,
        step=Step.DECIDED,
        cycle__period_end__gte=datetime.date(first, 1, 1),
        cycle__period_end__lte=datetime.date(last, 12, 31),
    )


def _individual_years(member_ids, first: int, last: int):
    """(member, year) → personal ratings, and (member, year) → every rating (posts too)."""
    rows = (
        Subject.objects.filter(_annual(first, last), member_id__in=member_ids)
        .values_list("member_id", "position_id", "decided_level", "cycle__period_end")
        .order_by()
    )
    own: dict[int, dict[int, list[Level]]] = defaultdict(lambda: defaultdict(list))
    every: dict[int, dict[int, list[Level]]] = defaultdict(lambda: defaultdict(list))
    for member_id, position_id, level, end in rows.iterator():
        if position_id is None:
            own[member_id][end.year].append(Level(level))
        every[member_id][end.year].append(Level(level))
    return own, every


def years_view(cycle: Cycle, unit: Unit, *, limit: int = 500) -> YearsView:
    """Members and organizations of `unit`'s subtree in `cycle` rated Excellent this year with
    their runs and awards, and every cadre's record. Five queries."""
    year = anchor_year(cycle)
    regulation = load_regulation(cycle.regulation)
    first = year - WINDOW + 1
    view = YearsView(year, regulation.code, list(range(year - SHOWN + 1, year + 1)))
    inside = Subject.objects.filter(cycle=cycle).filter(subtree_q(unit.path, "unit__path"))
    # Only two kinds of people have anything to show: those rated Excellent in the anchor
    # year (a run can only end there) and those holding a post (the cadres' record).
    excellent_now = (
        Subject.objects.filter(_annual(year, year), decided_level=Level.EXCELLENT, position=None)
        .filter(subtree_q(unit.path, "unit__path"))
        .values("member_id")
    )
    shown = inside.filter(Q(position__isnull=False) | Q(member_id__in=excellent_now)).exclude(
        member=None
    )

    # People of the anchor cycle and their posts (one query), then their years (one query).
    people: dict[int, tuple[str, list[str]]] = {}
    for member_id, kind, position_kind, post_unit in shown.values_list(
        "member_id", "kind", "position__kind", "unit__name"
    ).order_by():
        own_kind, posts = people.get(member_id, (kind, []))
        if position_kind:
            posts.append(f"{PositionKind(position_kind).label}, {post_unit}")
        else:
            own_kind = kind
        people[member_id] = (own_kind, posts)
    own, every = _individual_years(shown.values("member_id"), first, year)

    chosen: list[tuple[int, str, dict[int, str], int, tuple[Eligibility, ...]]] = []
    for member_id, by_year in own.items():
        levels = {y: level for y, ls in by_year.items() if (level := year_level(ls))}
        run = run_length(levels, year)
        if run == 0 or member_id not in people:
            continue
        kind = people[member_id][0]
        awards = awards_open(levels, year, SubjectKind(kind), regulation)
        chosen.append((member_id, kind, {y: lv.value for y, lv in levels.items()}, run, awards))
    cadre_ids = [pk for pk, (_kind, posts) in people.items() if posts]
    names = {
        m["pk"]: m
        for m in Member.objects.filter(pk__in=[c[0] for c in chosen] + cadre_ids).values(
            "pk", "full_name", "sort_key", "cell__name"
        )
    }
    for member_id, kind, levels, run, awards in chosen:
        m = names[member_id]
        view.members.append(
            Years(member_id, m["full_name"], m["cell__name"], kind, levels, run, awards)
        )
    view.members.sort(key=lambda y: (-y.run, names[y.pk]["sort_key"], y.pk))
    view.totals["members"] = len(view.members)
    view.threshold = max(
        (a.years for a in regulation.awards if SubjectKind.MEMBER in a.kinds), default=0
    )
    if view.threshold:
        view.reaching = sum(1 for m in view.members if m.run >= view.threshold)
    del view.members[limit:]

    if regulation.appointment_record is not None:
        for member_id in cadre_ids:
            m = names[member_id]
            record = completion_record(every.get(member_id, {}), year, regulation)
            posts = sorted(set(people[member_id][1]))
            view.cadres.append(Cadre(member_id, m["full_name"], m["cell__name"], posts, record))
        view.cadres.sort(key=lambda c: (names[c.pk]["sort_key"], c.pk))
        view.totals["cadres"] = len(view.cadres)
        del view.cadres[limit:]

    # Organizations: their years by unit (one query), names (one query).
    org_rows = (
        Subject.objects.filter(_annual(first, year), kind=SubjectKind.PARTY_ORGANIZATION)
        .filter(subtree_q(unit.path, "unit__path"))
        .values_list("unit_id", "decided_level", "cycle__period_end")
        .order_by()
    )
    org_years: dict[int, dict[int, list[Level]]] = defaultdict(lambda: defaultdict(list))
    for unit_id, level, end in org_rows.iterator():
        org_years[unit_id][end.year].append(Level(level))
    found = []
    for unit_id, by_year in org_years.items():
        levels = {y: level for y, ls in by_year.items() if (level := year_level(ls))}
        run = run_length(levels, year)
        if run:
            awards = awards_open(levels, year, SubjectKind.PARTY_ORGANIZATION, regulation)
            found.append((unit_id, {y: lv.value for y, lv in levels.items()}, run, awards))
    units = {
        u["pk"]: u
        for u in Unit.objects.filter(pk__in=[f[0] for f in found]).values(
            "pk", "name", "path", "parent__name"
        )
    }
    for unit_id, levels, run, awards in found:
        u = units[unit_id]
        view.organizations.append(
            Years(
                unit_id,
                u["name"],
                u["parent__name"] or "",
                SubjectKind.PARTY_ORGANIZATION,
                levels,
                run,
                awards,
            )
        )
    view.organizations.sort(key=lambda y: (-y.run, units[y.pk]["path"]))
    view.totals["organizations"] = len(view.organizations)
    del view.organizations[limit:]
    return view


@dataclass
class MemberYears:
    years: list[tuple[int, str]]  # (year, level), newest first
    run: int
    awards: tuple[Eligibility, ...]
    record: CompletionRecord | None


def member_years(member: Member) -> MemberYears | None:
    """One member's own annual results, their run and awards as of the latest annual cycle
    that decided them, and their 3-year record when they held a post. One query."""
    rows = list(
        Subject.objects.filter(member=member, cycle__period_kind=PeriodKind.YEAR, step=Step.DECIDED)
        .values_list(
            "kind", "position_id", "decided_level", "cycle__period_end", "cycle__regulation"
        )
        .order_by("cycle__period_end")
    )
    if not rows:
        return None
    own: dict[int, list[Level]] = defaultdict(list)
    every: dict[int, list[Level]] = defaultdict(list)
    kind, held_post = SubjectKind.MEMBER, False
    for subject_kind, position_id, level, end, _reg in rows:
        every[end.year].append(Level(level))
        if position_id is None:
            own[end.year].append(Level(level))
            kind = SubjectKind(subject_kind)
        else:
            held_post = True
    year, regulation = rows[-1][3].year, load_regulation(rows[-1][4])
    levels = {y: level for y, ls in own.items() if (level := year_level(ls))}
    record = (
        completion_record(every, year, regulation)
        if held_post and regulation.appointment_record is not None
        else None
    )
    return MemberYears(
        sorted(((y, lv.value) for y, lv in levels.items()), reverse=True),
        run_length(levels, year),
        awards_open(levels, year, kind, regulation),
        record,
    )
