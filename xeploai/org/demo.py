"""A realistic synthetic province: the tree, the roster and its history, deterministic per seed.

The shape follows the 2025 structure: a provincial committee; commune and ward committees with
residential cells and a few grassroots cells (schools, clinics); bloc committees of provincial
agencies with grassroots committees, one with a partial committee; the army and the police.
Everything is drawn from one `random.Random(seed)` against a fixed reference date, so the same
flags always give the same province.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

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
    Unit,
    UnitEvent,
    UnitEventKind,
    UnitKind,
    UnitLink,
)
from xeploai.org.names import fold, sort_key

REFERENCE_DATE = datetime.date(2026, 11, 1)
BATCH = 5000

FAMILY = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 4),
    ("Huỳnh", 2),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Trịnh", 1),
    ("Mai", 1),
    ("Đoàn", 1),
]
MIDDLE_MALE = [
    "Văn",
    "Đức",
    "Minh",
    "Quốc",
    "Hữu",
    "Công",
    "Thanh",
    "Xuân",
    "Đình",
    "Ngọc",
    "Mạnh",
    "Quang",
    "Tiến",
    "Trọng",
]
MIDDLE_FEMALE = [
    "Thị",
    "Thị",
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Kim",
    "Minh",
    "Hồng",
    "Phương",
    "Thúy",
    "Bích",
    "Diệu",
]
GIVEN_MALE = [
    "An",
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Đông",
    "Đức",
    "Giang",
    "Hải",
    "Hùng",
    "Hưng",
    "Khánh",
    "Lâm",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Khoa",
]
GIVEN_FEMALE = [
    "An",
    "Anh",
    "Ánh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Thủy",
    "Trang",
    "Tuyết",
    "Uyên",
    "Vân",
    "Yến",
    "Ngân",
]
PLACES = [
    "Bình An",
    "Tân Phú",
    "Hòa Lạc",
    "Phú Mỹ",
    "Thạnh Lộc",
    "An Khánh",
    "Đông Hưng",
    "Yên Thế",
    "Quảng Phú",
    "Hưng Đạo",
    "Tiên Lãng",
    "Cẩm Bình",
    "Long Hải",
    "Thủy An",
    "Đức Thắng",
    "Vĩnh Lợi",
    "Sơn Tây",
    "Hải Châu",
    "Ngọc Lặc",
    "Thượng Lâm",
]
AGENCIES = [
    "Sở Tài chính",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Xây dựng",
    "Sở Nội vụ",
    "Sở Nông nghiệp và Môi trường",
    "Sở Công Thương",
    "Sở Tư pháp",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
    "Ban Tổ chức Tỉnh ủy",
    "Ban Tuyên giáo và Dân vận Tỉnh ủy",
    "Báo và Phát thanh, Truyền hình tỉnh",
    "Bệnh viện Đa khoa tỉnh",
    "Trường Chính trị tỉnh",
    "Kho bạc Nhà nước khu vực",
    "Công ty Điện lực tỉnh",
    "Công ty Cấp nước tỉnh",
]
DEPARTMENTS = [
    "Văn phòng",
    "Phòng Tổ chức",
    "Phòng Kế hoạch",
    "Phòng Nghiệp vụ 1",
    "Phòng Nghiệp vụ 2",
    "Phòng Tổng hợp",
    "Phòng Kiểm tra",
    "Phòng Hành chính",
]


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: str
    org_type: str
    parent: "UnitSpec | None"
    has_cell_committee: bool = False
    weight: float = 1.0  # share of members, for cells
    residential: bool = False
    id: int = 0
    path: str = ""
    children: list["UnitSpec"] = field(default_factory=list)


def _child(parent: UnitSpec, code: str, name: str, kind: str, org_type: str, **kw) -> UnitSpec:
    spec = UnitSpec(code, name, kind, org_type, parent, **kw)
    parent.children.append(spec)
    return spec


def build_tree(
    rng: random.Random, members: int, code_prefix: str = "BS", commune_size: int = 700
) -> list[UnitSpec]:
    """The units of a province sized for `members`, parents before children."""
    province = UnitSpec(
        code_prefix, "Đảng bộ tỉnh Bình Sơn", UnitKind.PROVINCIAL_COMMITTEE, OrgType.OTHER, None
    )
    communes = max(1, round(members * 0.6 / commune_size))
    for i in range(communes):
        ward = i % 3 == 0
        place = PLACES[i % len(PLACES)] + ("" if i < len(PLACES) else f" {i // len(PLACES) + 1}")
        commune = _child(
            province,
            f"{code_prefix}.X{i + 1:03d}",
            f"Đảng bộ {'phường' if ward else 'xã'} {place}",
            UnitKind.PROVINCE_DIRECT_COMMITTEE,
            OrgType.WARD if ward else OrgType.COMMUNE,
        )
        for j in range(rng.randint(14, 26)):
            word = "Tổ dân phố" if ward else "Thôn"
            _child(
                commune,
                f"{commune.code}.C{j + 1:02d}",
                f"Chi bộ {word} {j + 1}",
                UnitKind.SUBORDINATE_CELL,
                commune.org_type,
                residential=True,
                has_cell_committee=rng.random() < 0.4,
                weight=rng.uniform(0.8, 1.6),
            )
        for j, school in enumerate(("Trường Tiểu học", "Trường THCS", "Trạm Y tế")):
            _child(
                commune,
                f"{commune.code}.G{j + 1}",
                f"Chi bộ {school} {place}",
                UnitKind.GRASSROOTS_CELL,
                OrgType.PUBLIC_SERVICE,
                weight=0.5,
            )
    blocs = [
        ("CQD", "Đảng ủy các cơ quan Đảng tỉnh", OrgType.STATE_AGENCY, AGENCIES[11:15]),
        ("UB", "Đảng ủy Ủy ban nhân dân tỉnh", OrgType.STATE_AGENCY, AGENCIES[:11]),
        ("DN", "Đảng ủy Doanh nghiệp tỉnh", OrgType.STATE_ENTERPRISE, AGENCIES[18:]),
        (
            "QS",
            "Đảng ủy Quân sự tỉnh",
            OrgType.ARMY,
            ["Bộ Chỉ huy Quân sự", "Ban Chỉ huy Phòng thủ khu vực"],
        ),
        ("CA", "Đảng ủy Công an tỉnh", OrgType.POLICE, ["Phòng Cảnh sát", "Phòng An ninh"]),
    ]
    agency_units = max(1, round(members * 0.4 / 110))
    total_names = sum(len(b[3]) for b in blocs)
    n = 0
    for code, name, org_type, names in blocs:
        bloc = _child(
            province, f"{code_prefix}.{code}", name, UnitKind.PROVINCE_DIRECT_COMMITTEE, org_type
        )
        count = max(1, round(agency_units * len(names) / total_names))
        for k in range(count):
            n += 1
            label = names[k % len(names)] + (
                "" if k < len(names) else f" (khu vực {k // len(names) + 1})"
            )
            grassroots = _child(
                bloc,
                f"{bloc.code}.{k + 1:03d}",
                f"Đảng bộ {label}",
                UnitKind.GRASSROOTS_COMMITTEE,
                org_type,
            )
            holder = grassroots
            if k == 0:
                holder = _child(
                    grassroots,
                    f"{grassroots.code}.B1",
                    f"Đảng bộ bộ phận {label}",
                    UnitKind.PARTIAL_COMMITTEE,
                    org_type,
                )
            for j in range(rng.randint(3, 6)):
                parent = holder if j % 2 == 0 else grassroots
                _child(
                    parent,
                    f"{grassroots.code}.C{j + 1:02d}",
                    f"Chi bộ {DEPARTMENTS[j % len(DEPARTMENTS)]}",
                    UnitKind.SUBORDINATE_CELL,
                    org_type,
                    has_cell_committee=rng.random() < 0.5,
                    weight=rng.uniform(0.5, 1.0),
                )
    ordered: list[UnitSpec] = []
    stack = [province]
    while stack:
        spec = stack.pop(0)
        ordered.append(spec)
        stack.extend(spec.children)
    return ordered


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


def _assign_ids(specs: list[UnitSpec]) -> None:
    start = (Unit.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    for offset, spec in enumerate(specs):
        spec.id = start + offset
        spec.path = f"{spec.parent.path if spec.parent else '/'}{spec.id}/"


def _reset_sequences(*models) -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def create_units(specs: list[UnitSpec], established: datetime.date) -> None:
    _assign_ids(specs)
    units = [
        Unit(
            id=s.id,
            code=s.code,
            name=s.name,
            name_folded=fold(s.name),
            kind=s.kind,
            org_type=s.org_type,
            has_cell_committee=s.has_cell_committee,
            parent_id=s.parent.id if s.parent else None,
            path=s.path,
            depth=s.path.count("/") - 2,
            established_on=established,
        )
        for s in specs
    ]
    Unit.objects.bulk_create(units, batch_size=BATCH)
    _reset_sequences(Unit)
    UnitLink.objects.bulk_create(
        [
            UnitLink(
                unit_id=s.id, parent_id=s.parent.id if s.parent else None, valid_from=established
            )
            for s in specs
        ],
        batch_size=BATCH,
    )
    UnitEvent.objects.bulk_create(
        [
            UnitEvent(unit_id=s.id, kind=UnitEventKind.CREATED, on=established, new_value=s.name)
            for s in specs
        ],
        batch_size=BATCH,
    )


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


def _cells_below(spec: UnitSpec):
    for child in spec.children:
        if child.kind in (UnitKind.SUBORDINATE_CELL, UnitKind.GRASSROOTS_CELL):
            yield child
        else:
            yield from _cells_below(child)


def cells_of(specs: list[UnitSpec]) -> list[UnitSpec]:
    return [s for s in specs if s.kind in (UnitKind.SUBORDINATE_CELL, UnitKind.GRASSROOTS_CELL)]


@transaction.atomic
def load_demo(
    *,
    members: int = 10000,
    seed: int = 2026,
    code_prefix: str = "BS",
    today: datetime.date = REFERENCE_DATE,
    progress=None,
    commune_size: int = 700,
) -> Unit:
    """Write a whole demo province straight to the database and return its root."""
    rng = random.Random(seed)
    specs = build_tree(rng, members, code_prefix, commune_size)
    create_units(specs, datetime.date(2025, 7, 1))
    people = build_people(rng, cells_of(specs), members, today)
    create_people(people, today, progress)
    create_positions(specs, rng, datetime.date(2025, 10, 1))
    return Unit.objects.get(pk=specs[0].id)
