"""Who is reviewed and rated at all in a cycle (R29, R30)."""

from __future__ import annotations

import calendar
from datetime import date

from .enums import ExclusionReason
from .facts import MemberStatus
from .model import ExclusionRule, Regulation


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _applies(rule: ExclusionRule, status: MemberStatus) -> bool:
    if rule.reason is ExclusionReason.EXEMPT:
        return status.exempt
    if rule.reason is ExclusionReason.SUSPENDED:
        # Suspension from committee work alone never excludes (R30).
        return status.party_activity_suspended
    if rule.reason is ExclusionReason.ADMITTED_UNDER_6_MONTHS:
        # A member admitted exactly `months` before the review date has served the full term.
        return (
            status.admitted_on is not None
            and add_months(status.admitted_on, rule.months) > status.review_date
        )
    raise AssertionError(f"no test for exclusion {rule.reason}")


def is_excluded(status: MemberStatus, regulation: Regulation) -> ExclusionRule | None:
    """The first exclusion of ``regulation`` that applies (its ``reason``, messages and
    citation), or None when the member must be reviewed and rated."""
    for rule in regulation.exclusions:
        if _applies(rule, status):
            return rule
    return None
