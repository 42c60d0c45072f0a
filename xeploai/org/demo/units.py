"""The demo province's tree: built as specs, then written with chosen ids and paths."""

import datetime
import random
from dataclasses import dataclass, field

from django.db import connection

from xeploai.org.demo.words import AGENCIES, DEPARTMENTS, PLACES
from xeploai.org.models import (
    OrgType,
    Unit,
    UnitEvent,
    UnitEventKind,
    UnitKind,
    UnitLink,
)
from xeploai.org.names import fold

BATCH = 5000


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


def _cells_below(spec: UnitSpec):
    for child in spec.children:
        if child.kind in (UnitKind.SUBORDINATE_CELL, UnitKind.GRASSROOTS_CELL):
            yield child
        else:
            yield from _cells_below(child)


def cells_of(specs: list[UnitSpec]) -> list[UnitSpec]:
    return [s for s in specs if s.kind in (UnitKind.SUBORDINATE_CELL, UnitKind.GRASSROOTS_CELL)]
