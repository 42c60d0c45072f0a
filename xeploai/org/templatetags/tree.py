from django import template

from xeploai.accounts.access import Action, may

register = template.Library()


@register.simple_tag(takes_context=True)
def may_manage_tree(context, unit) -> bool:
    """`{% may_manage_tree unit as ok %}`: the access module's answer, for a link."""
    return may(context["request"].user, Action.MANAGE_TREE, unit)
