"""Who decides a subject's rating: the authority matrix of HD 43 §3 and QĐ 366 Điều 13 (R43).

The tree is given as the kinds of the units from the root down to the subject's own unit, using
the unit-kind names below (plain strings, so the rule core needs nothing of the application).
The answer is an index into that chain, or None when the deciding body is above the tree
(a provincial-level unit is decided by the Politburo or the Secretariat).
"""

from __future__ import annotations

from collections.abc import Sequence

from .enums import Confidence, SubjectKind
from .model import Citation

PROVINCIAL = "provincial_committee"
PROVINCE_DIRECT = "province_direct_committee"
DISTRICT = "district_committee"
GRASSROOTS_COMMITTEE = "grassroots_committee"
GRASSROOTS_CELL = "grassroots_cell"
PARTIAL = "partial_committee"
SUBORDINATE_CELL = "subordinate_cell"

# Units that act as the grassroots level for their members: a grassroots committee, a
# grassroots cell, and (since July 2025) a commune/ward committee directly under the
# province, which holds subordinate cells and grassroots powers itself.
_GRASSROOTS_LEVEL = frozenset({GRASSROOTS_COMMITTEE, GRASSROOTS_CELL})
_COMMITTEES = frozenset({PROVINCIAL, PROVINCE_DIRECT, DISTRICT, GRASSROOTS_COMMITTEE})

AUTHORITY_CITATION = Citation(
    document="HD43",
    article="mục 3",
    clause="thẩm quyền đánh giá, xếp loại; QĐ 366 Điều 13",
    confidence=Confidence.C1,
    rules=("R43",),
    source_keys=("S-43-M3", "S-366-M03"),
)


def _nearest(chain: Sequence[str], kinds: frozenset[str], below: int) -> int | None:
    for index in range(below - 1, -1, -1):
        if chain[index] in kinds:
            return index
    return None


def deciding_index(kind: SubjectKind, chain: Sequence[str]) -> int | None:
    """Index in ``chain`` (root first, the subject's unit last) of the unit that decides.

    - A party member is decided at the grassroots level above (or being) their cell: the
      grassroots cell itself, else the nearest grassroots or commune committee.
    - A subordinate cell and a partial committee are decided by the grassroots committee
      above them (the partial committee only proposes), else the nearest committee.
    - A grassroots cell or committee, a committee directly under the province and a former
      district committee are decided by the standing committee directly above.
    - A leadership collective is decided where its party unit is; a leader where the unit of
      their post is decided, since the level that manages and assigns the work rates (Điều 3).
    """
    if not chain:
        raise ValueError("a subject needs its unit's chain of kinds")
    own = len(chain) - 1
    if kind in (SubjectKind.MEMBER, SubjectKind.MEMBER_OUTSIDE_SYSTEM):
        if chain[own] in _GRASSROOTS_LEVEL:
            return own
        found = _nearest(chain, _GRASSROOTS_LEVEL, own)
        return found if found is not None else _nearest(chain, _COMMITTEES, own)
    if chain[own] in (SUBORDINATE_CELL, PARTIAL):
        found = _nearest(chain, frozenset({GRASSROOTS_COMMITTEE}), own)
        return found if found is not None else _nearest(chain, _COMMITTEES, own)
    if chain[own] == PROVINCIAL:
        return None
    return _nearest(chain, _COMMITTEES | {GRASSROOTS_CELL}, own)
