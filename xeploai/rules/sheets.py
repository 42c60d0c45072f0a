"""Scoring a sheet (annex PL1–PL5) item by item into the group scores classify takes."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .facts import FactsError
from .model import SheetTemplate


def sheet_totals(sheet: SheetTemplate, points: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Group scores from item points. Items without a sub-weight (none is set centrally,
    §8.5) are only bounded by their group's maximum, checked on the group's sum."""
    known = {item.code for group in sheet.groups for item in group.items}
    unknown = sorted(set(points) - known)
    if unknown:
        raise FactsError(f"{sheet.code}: unknown item(s) {unknown}", "sheet_unknown_items")
    totals: dict[str, Decimal] = {}
    for group in sheet.groups:
        total = Decimal(0)
        for item in group.items:
            value = points.get(item.code, Decimal(0))
            if value < 0 or (item.weight is not None and value > item.weight):
                raise FactsError(
                    f"{sheet.code}/{item.code}: {value} is outside 0–{item.weight}",
                    "sheet_item_range",
                    item_vi=item.label_vi,
                    item_en=item.label_en,
                    value=value,
                    maximum=item.weight,
                )
            total += value
        if total > group.max_points:
            raise FactsError(
                f"{sheet.code}/{group.code}: {total} exceeds the group maximum {group.max_points}",
                "sheet_group_over",
                group_vi=group.label_vi,
                group_en=group.label_en,
                total=total,
                maximum=group.max_points,
            )
        totals[group.code] = total
    return totals
