"""A refused field's message beside the field (web/forms.py)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def field_error(errors, name: str, suffix=""):
    """`{% field_error errors "author" %}`, or `"votes_" level` for a field named per row."""
    message = (errors or {}).get(f"{name}{suffix}")
    if not message:
        return ""
    return format_html('<span class="field-error" role="alert">{}</span>', message)
