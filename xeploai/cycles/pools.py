"""Cap pools and deciding units, derived from the tree for the rule core.

The rule core names the pools a cap is counted in (similar_group, grassroots,
deciding_committee, district, cell); the application tells which pool each subject is in.
"""

from xeploai.org.tree import ancestor_ids
from xeploai.rules import Level, PoolOutcome, SubjectKind
from xeploai.rules.authority import deciding_index

MEMBER_KINDS = {SubjectKind.MEMBER, SubjectKind.LEADER, SubjectKind.MEMBER_OUTSIDE_SYSTEM}


def similar_group(kind: str, deciding_id: int | None, unit_kind: str, post: bool) -> str:
    """Subjects of similar position and function under one deciding unit (QĐ 366 Điều 11)."""
    where = deciding_id or 0
    if post:
        return f"{where}/leaders"
    if kind in MEMBER_KINDS:
        return f"{where}/members"
    return f"{where}/{kind}/{unit_kind}"


def deciding_unit_id(kind: str, path: str, kinds_by_id: dict[int, str]) -> int | None:
    ids = ancestor_ids(path)
    chain = [kinds_by_id[i] for i in ids]
    index = deciding_index(SubjectKind(kind), chain)
    return None if index is None else ids[index]


def pools_of(subject_pool: str, deciding_id: int | None, unit_path: str) -> dict[str, str]:
    ids = ancestor_ids(unit_path)
    district = ids[1] if len(ids) > 1 else ids[0]
    return {
        "similar_group": subject_pool,
        "grassroots": str(deciding_id or 0),
        "deciding_committee": str(deciding_id or 0),
        "district": str(district),
        "cell": str(ids[-1]),
    }


def pool_outcome(row: dict, level: str) -> PoolOutcome:
    """The rule core's view of one subject row (id, kind, pool, deciding_unit_id, unit__path,
    self_score) at `level`, for the cap check."""
    return PoolOutcome(
        str(row["id"]),
        Level(level),
        SubjectKind(row["kind"]),
        pools_of(row["pool"], row["deciding_unit_id"], row["unit__path"]),
        row["self_score"],
    )
