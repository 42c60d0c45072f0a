"""Level and award labels in tables: the abbreviation users know, the award in their language."""

from django import template
from django.utils.translation import get_language

from xeploai.cycles.models import Level

register = template.Library()

ABBREVIATIONS = {"excellent": "HTXS", "good": "HTT", "complete": "HT", "not_complete": "KHT"}


@register.filter
def level_abbr(value: str) -> str:
    return ABBREVIATIONS.get(value, "—") if value else "—"


@register.filter
def level_name(value: str) -> str:
    return str(dict(Level.choices).get(value, "—")) if value else "—"


@register.filter
def award_label(award) -> str:
    return award.label_vi if (get_language() or "vi").startswith("vi") else award.label_en


@register.filter
def count_of(counts: dict, key: str) -> int:
    """A count from a dict of counts, 0 when the key is absent: `{{ r.members|count_of:v }}`."""
    return counts.get(key, 0)
