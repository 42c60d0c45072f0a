"""Codes in templates read as words: every filter hands over to xeploai.labels, the one place
that names a level, kind, step, pool, regulation or citation for people."""

from django import template
from django.utils.translation import get_language

from xeploai import labels

register = template.Library()

ABBREVIATIONS = labels.ABBREVIATIONS


@register.filter
def level_abbr(value: str) -> str:
    return labels.level_abbr(value)


@register.filter
def level_name(value: str) -> str:
    return labels.level(value)


@register.filter
def citation(value) -> str:
    return labels.citation(value)


@register.filter
def regulation_name(code: str) -> str:
    return labels.regulation(code)


@register.filter
def pool_name(key: str) -> str:
    return labels.pool(key)


@register.filter
def award_label(award) -> str:
    return award.label_vi if (get_language() or "vi").startswith("vi") else award.label_en


@register.filter
def count_of(counts: dict, key: str) -> int:
    """A count from a dict of counts, 0 when the key is absent: `{{ r.members|count_of:v }}`."""
    return counts.get(key, 0)
