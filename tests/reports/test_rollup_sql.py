"""The SQL roll-up against a count done the slow, obvious way on random trees and subjects."""

import datetime
import random
from collections import Counter

import pytest

from xeploai.cycles.models import Cycle, Subject
from xeploai.org.models import Member, Position, Unit, UnitKind
from xeploai.org.services import unit_create
from xeploai.reports.rollup import LEVELS, REASONS, STEPS, rollup
from xeploai.reports.rollup import tallies as country_tallies

DAY = datetime.date(2025, 7, 1)
MEMBER_KINDS = ("member", "member_outside_system", "leader")


def random_country(rng: random.Random, provinces: int) -> list[Unit]:
    units = []
    for p in range(provinces):
        province = unit_create(
            actor=None,
            code=f"P{p}",
            name=f"Tỉnh {p}",
            kind=UnitKind.PROVINCIAL_COMMITTEE,
            parent=None,
            on=DAY,
        )
        units.append(province)
        for c in range(rng.randint(1, 3)):
            commune = unit_create(
                actor=None,
                code=f"P{p}.{c}",
                name=f"Xã {c}",
                kind=UnitKind.PROVINCE_DIRECT_COMMITTEE,
                parent=province,
                on=DAY,
                org_type=rng.choice(["commune", "ward"]),
            )
            units.append(commune)
            for k in range(rng.randint(0, 3)):
                units.append(
                    unit_create(
                        actor=None,
                        code=f"P{p}.{c}.{k}",
                        name=f"Chi bộ {k}",
                        kind=UnitKind.SUBORDINATE_CELL,
                        parent=commune,
                        on=DAY,
                        org_type=commune.org_type,
                    )
                )
    return units


def random_subjects(rng: random.Random, cycles: dict[int, Cycle], units: list[Unit]) -> None:
    rows = []
    for unit in units:
        cycle = cycles[int(unit.path.split("/")[1])]
        rows.append(Subject(cycle=cycle, kind="party_organization", unit=unit))
        if not unit.is_cell:
            rows.append(Subject(cycle=cycle, kind="leadership_collective", unit=unit))
        for i in range(rng.randint(0, 6) if unit.is_cell else rng.randint(0, 1)):
            member = Member.objects.create(
                full_name=f"Đảng viên {unit.code}.{i}",
                name_folded="dang vien",
                sort_key=str(i),
                date_of_birth=datetime.date(1970, 1, 1),
                sex="female",
                admitted_on=datetime.date(2000, 1, 1),
                cell=unit,
            )
            kind = rng.choice(MEMBER_KINDS)
            rows.append(Subject(cycle=cycle, kind=kind, member=member, unit=unit))
            if kind == "leader":
                post = Position.objects.create(
                    member=member, kind="head", unit=unit, valid_from=DAY
                )
                rows.append(
                    Subject(cycle=cycle, kind=kind, member=member, position=post, unit=unit)
                )
    for subject in rows:
        subject.step = rng.choice(STEPS)
        if subject.step == "excluded":
            subject.excluded_reason = rng.choice(REASONS)
        else:
            subject.self_level = rng.choice(("",) + LEVELS)
            subject.proposed_level = rng.choice(("",) + LEVELS)
            subject.decided_level = rng.choice(LEVELS) if subject.step == "decided" else ""
    Subject.objects.bulk_create(rows)


def brute_force(unit: Unit) -> Counter:
    """(group, what, value) counted over every subject whose unit lies in `unit`'s subtree."""
    out: Counter = Counter()
    for s in Subject.objects.filter(unit__path__startswith=unit.path).select_related("unit"):
        if s.kind == "party_organization":
            group = f"organization:{s.unit.kind}"
            if s.decided_level:
                out[("org_type", s.unit.org_type, s.decided_level)] += 1
        elif s.kind == "leadership_collective":
            group = "collective"
        else:
            group = "leader_post" if s.position_id else "member"
        out[(group, "total", "")] += 1
        out[(group, "step", s.excluded_reason if s.step == "excluded" else s.step)] += 1
        for stage in ("self", "proposed", "decided"):
            if level := getattr(s, f"{stage}_level"):
                out[(group, stage, level)] += 1
    return out


def counted(tally) -> Counter:
    out: Counter = Counter()
    for (group, stage, level), n in tally.levels.items():
        out[(group, stage, level)] += n
    for (group, step), n in tally.steps.items():
        out[(group, "step", step.removeprefix("excluded:"))] += n
    for group in {g for (g, _t) in tally.rows}:
        out[(group, "total", "")] += tally.total(group)
    for (org_type, level), n in tally.org_types.items():
        out[("org_type", org_type, level)] += n
    return +out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_unit_holds_exactly_its_subtrees_subjects(db, seed):
    rng = random.Random(seed)
    units = random_country(rng, provinces=3)
    cycles = {
        u.pk: Cycle.objects.create(
            unit=u,
            name="Năm 2026",
            period_kind="year",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            regulation="G366",
        )
        for u in units
        if u.parent_id is None
    }
    random_subjects(rng, cycles, units)

    # The whole country at once: every unit of every province.
    national = country_tallies(list(cycles.values()))
    assert set(national) == {u.pk for u in units}
    for unit in units:
        assert counted(national[unit.pk]) == brute_force(unit), unit.code

    # One province, and one commune, asked on their own give the same numbers.
    province = units[0]
    commune = next(u for u in units if u.parent_id == province.pk)
    for top in (province, commune):
        tallies = rollup(cycles[province.pk], top)
        for unit_id, tally in tallies.items():
            assert tally.unit.path.startswith(top.path)
            assert counted(tally) == counted(national[unit_id])
