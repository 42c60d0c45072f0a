"""The demo province's people: members, their history, statuses, discipline and posts."""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from xeploai.org.demo.units import BATCH, UnitSpec, _cells_below
from xeploai.org.demo.words import FAMILY, GIVEN_FEMALE, GIVEN_MALE, MIDDLE_FEMALE, MIDDLE_MALE
from xeploai.org.models import (
    Discipline,
    DisciplineForm,
    ManagingLevel,
    Member,
    Membership,
    MemberStatus,
    OrgType,
    Position,
    PositionKind,
    Sex,
    StatusKind,
    UnitKind,
)
from xeploai.org.names import fold, sort_key

REFERENCE_DATE = datetime.date(2026, 11, 1)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    span = (end - start).days
    return start + datetime.timedelta(days=rng.randint(0, max(span, 0)))


@dataclass
class PersonSpec:
    full_name: str
    sex: str
    date_of_birth: datetime.date
    admitted_on: datetime.date
    official_on: datetime.date | None
    card_number: str | None
    national_id: str
    cell: UnitSpec
    previous_cell: UnitSpec | None = None
    transferred_on: datetime.date | None = None
    status: str | None = None
    status_unit: UnitSpec | None = None
    discipline: tuple[str, datetime.date, datetime.date, bool] | None = None
    outside_political_system: bool = False


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([t[0] for t in table], weights=[t[1] for t in table])[0]


def build_people(
    rng: random.Random,
    cells: list[UnitSpec],
    members: int,
    today: datetime.date = REFERENCE_DATE,
    first_serial: int = 1,
) -> list[PersonSpec]:
    total_weight = sum(c.weight for c in cells)
    people: list[PersonSpec] = []
    residential = [c for c in cells if c.residential] or cells
    for cell in cells:
        share = members * cell.weight / total_weight
        count = int(share) + (1 if rng.random() < share - int(share) else 0)
        for _ in range(max(count, 3)):
            people.append(_person(rng, cell, today, first_serial + len(people), cells, residential))
            if len(people) >= members:
                return people
    while len(people) < members:
        people.append(
            _person(rng, rng.choice(cells), today, first_serial + len(people), cells, residential)
        )
    return people


def _person(rng, cell, today, serial, cells, residential) -> PersonSpec:
    sex = Sex.MALE if rng.random() < (0.5 if cell.residential else 0.58) else Sex.FEMALE
    male = sex == Sex.MALE
    family = _weighted(rng, FAMILY)
    middle = rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE)
    given = rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
    name = f"{family} {middle} {given}"
    age = rng.randint(45, 92) if cell.residential and rng.random() < 0.7 else rng.randint(23, 60)
    birth = _date_between(rng, _add_years(today, -age - 1), _add_years(today, -age))
    roll = rng.random()
    if roll < 0.015:  # admitted under 6 months ago: not reviewed this year (QĐ 366 Art. 5)
        admitted = _date_between(
            rng, today - datetime.timedelta(days=170), today - datetime.timedelta(days=10)
        )
    elif roll < 0.035:  # probationary, 6-12 months
        admitted = _date_between(
            rng, today - datetime.timedelta(days=360), today - datetime.timedelta(days=185)
        )
    else:
        earliest = max(_add_years(birth, 18), datetime.date(1960, 1, 1))
        admitted = _date_between(rng, earliest, max(earliest, today - datetime.timedelta(days=400)))
    official = None
    if (today - admitted).days >= 366:
        official = admitted + datetime.timedelta(days=365)
    province_code = f"{rng.randint(1, 96):03d}"
    century = (0 if birth.year < 2000 else 2) + (0 if male else 1)
    national_id = f"{province_code}{century}{birth.year % 100:02d}{serial:06d}"[-12:]
    card = f"{serial:08d}" if official else None
    person = PersonSpec(name, sex, birth, admitted, official, card, national_id, cell)
    # Residential cells are mostly retirees and people outside the state apparatus.
    person.outside_political_system = cell.residential and (age >= 60 or rng.random() < 0.5)
    if rng.random() < 0.05 and len(cells) > 1:
        person.previous_cell = rng.choice(cells)
        if person.previous_cell is not cell:
            person.transferred_on = _date_between(
                rng,
                max(admitted, today - datetime.timedelta(days=1100)),
                today - datetime.timedelta(days=30),
            )
        else:
            person.previous_cell = None
    status_roll = rng.random()
    if cell.residential and age >= 75 and status_roll < 0.35:
        person.status = StatusKind.EXEMPT
    elif status_roll < 0.001:
        person.status = StatusKind.SUSPENDED
    elif status_roll < 0.011 and len(cells) > 1:
        person.status, person.status_unit = StatusKind.TEMPORARY_ACTIVITY, rng.choice(cells)
    elif not cell.residential and status_roll < 0.2:
        person.status, person.status_unit = StatusKind.RESIDENCE_CELL, rng.choice(residential)
    if rng.random() < 0.005:
        form = _weighted(
            rng,
            [
                (DisciplineForm.REPRIMAND, 70),
                (DisciplineForm.WARNING, 25),
                (DisciplineForm.REMOVAL, 5),
            ],
        )
        violation = _date_between(
            rng,
            max(admitted, today - datetime.timedelta(days=700)),
            today - datetime.timedelta(days=60),
        )
        decided = min(today, violation + datetime.timedelta(days=rng.randint(20, 120)))
        person.discipline = (form, violation, decided, rng.random() < 0.7)
    return person


def create_people(
    people: list[PersonSpec],
    today: datetime.date,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Member]:
    members: list[Member] = []
    total = len(people)
    for start in range(0, total, BATCH):
        chunk = [
            Member(
                full_name=p.full_name,
                name_folded=fold(p.full_name),
                sort_key=sort_key(p.full_name),
                date_of_birth=p.date_of_birth,
                sex=p.sex,
                card_number=p.card_number,
                national_id=p.national_id,
                admitted_on=p.admitted_on,
                official_on=p.official_on,
                cell_id=p.cell.id,
                outside_political_system=p.outside_political_system,
            )
            for p in people[start : start + BATCH]
        ]
        members.extend(Member.objects.bulk_create(chunk))
        if progress:
            progress("members", min(start + BATCH, total), total)
    memberships, statuses, disciplines = [], [], []
    for member, p in zip(members, people, strict=True):
        if p.previous_cell is not None and p.transferred_on:
            memberships.append(
                Membership(
                    member_id=member.pk,
                    cell_id=p.previous_cell.id,
                    valid_from=p.admitted_on,
                    valid_to=p.transferred_on - datetime.timedelta(days=1),
                )
            )
            memberships.append(
                Membership(member_id=member.pk, cell_id=p.cell.id, valid_from=p.transferred_on)
            )
        else:
            memberships.append(
                Membership(member_id=member.pk, cell_id=p.cell.id, valid_from=p.admitted_on)
            )
        if p.status:
            statuses.append(
                MemberStatus(
                    member_id=member.pk,
                    kind=p.status,
                    unit_id=p.status_unit.id if p.status_unit else None,
                    valid_from=max(p.admitted_on, today - datetime.timedelta(days=400)),
                )
            )
        if p.discipline:
            form, violation, decided, duty = p.discipline
            where = (
                p.previous_cell
                if p.previous_cell and p.transferred_on and violation < p.transferred_on
                else p.cell
            )
            disciplines.append(
                Discipline(
                    member_id=member.pk,
                    form=form,
                    violation_on=violation,
                    decided_on=decided,
                    unit_of_act_id=where.id,
                    duty_related=duty,
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    MemberStatus.objects.bulk_create(statuses, batch_size=BATCH)
    Discipline.objects.bulk_create(disciplines, batch_size=BATCH)
    return members


def create_positions(specs: list[UnitSpec], rng: random.Random, since: datetime.date) -> int:
    """A secretary and a deputy in every cell; a secretary, a deputy and a head for committees."""
    by_cell: dict[int, list[int]] = {}
    for member_id, cell_id in (
        Member.objects.filter(cell_id__in=[s.id for s in specs])
        .values_list("id", "cell_id")
        .order_by("id")
    ):
        by_cell.setdefault(cell_id, []).append(member_id)
    positions: list[Position] = []
    for spec in specs:
        if spec.kind in (UnitKind.SUBORDINATE_CELL, UnitKind.GRASSROOTS_CELL):
            ids = by_cell.get(spec.id, [])
            if len(ids) >= 2:
                positions.append(
                    Position(
                        member_id=ids[0],
                        kind=PositionKind.CELL_SECRETARY,
                        unit_id=spec.id,
                        is_leadership=True,
                        valid_from=since,
                        managing_level=ManagingLevel.GRASSROOTS,
                    )
                )
                positions.append(
                    Position(
                        member_id=ids[1],
                        kind=PositionKind.CELL_DEPUTY_SECRETARY,
                        unit_id=spec.id,
                        is_leadership=True,
                        valid_from=since,
                        managing_level=ManagingLevel.GRASSROOTS,
                    )
                )
        elif spec.parent is not None:
            # Committee posts go to members of the first cell below the committee.
            cell = next((c for c in _cells_below(spec) if len(by_cell.get(c.id, [])) >= 4), None)
            if cell is None:
                continue
            ids = by_cell[cell.id]
            level = (
                ManagingLevel.PROVINCE
                if spec.kind == UnitKind.PROVINCE_DIRECT_COMMITTEE
                else ManagingLevel.DIRECT_HIGHER
            )
            positions.append(
                Position(
                    member_id=ids[2],
                    kind=PositionKind.COMMITTEE_SECRETARY,
                    unit_id=spec.id,
                    is_leadership=True,
                    valid_from=since,
                    managing_level=level,
                )
            )
            positions.append(
                Position(
                    member_id=ids[3],
                    kind=PositionKind.COMMITTEE_DEPUTY_SECRETARY,
                    unit_id=spec.id,
                    is_leadership=True,
                    valid_from=since,
                    managing_level=level,
                )
            )
            if spec.org_type not in (OrgType.COMMUNE, OrgType.WARD):
                positions.append(
                    Position(
                        member_id=ids[2],
                        kind=PositionKind.HEAD,
                        title=f"Thủ trưởng {spec.name.removeprefix('Đảng bộ ')}",
                        unit_id=spec.id,
                        is_leadership=True,
                        valid_from=since,
                        managing_level=level,
                    )
                )
    Position.objects.bulk_create(positions, batch_size=BATCH)
    return len(positions)
