"""Card numbers and national IDs are shown masked; the full number only on purpose."""

from django import template

register = template.Library()


@register.filter
def masked(number: str | None) -> str:
    """"07910001" → "••••0001": enough to tell two people apart on a list, not to use."""
    if not number:
        return "—"
    return "••••" + number[-4:] if len(number) > 4 else "••••"
