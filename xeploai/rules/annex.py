"""Which score sheet (annex) a subject fills: QĐ 366 Điều 10 and Phụ lục 1–5."""

from __future__ import annotations

from .enums import SubjectKind
from .model import Regulation, SheetTemplate

# The forms of HD 43 that carry each annex's scoring (§8.13): 01 collective, 2A leader,
# 2B non-leader, 2C member outside the political system.
FORM_FOR_SHEET = {"PL1": "01", "PL2": "2A", "PL3": "2A", "PL4": "2B", "PL5": "2C"}


def sheet_for(
    regulation: Regulation, kind: SubjectKind, centrally_managed: bool = False
) -> SheetTemplate | None:
    """The sheet a subject of ``kind`` scores on, or None when the generation has no sheets.

    A leader managed by the Central Committee, the Politburo or the Secretariat uses
    Phụ lục 2; every other leader Phụ lục 3.
    """
    candidates = [s for s in regulation.sheets.values() if kind in s.kinds]
    if not candidates:
        return None
    if kind is SubjectKind.LEADER and len(candidates) > 1:
        wanted = "PL2" if centrally_managed else "PL3"
        for sheet in candidates:
            if sheet.code == wanted:
                return sheet
    return sorted(candidates, key=lambda s: s.code)[0]
