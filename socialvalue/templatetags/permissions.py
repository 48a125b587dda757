"""`{% can "app.permission" obj as name %}`: templates ask the one permission entry point too."""

from django import template

from socialvalue.core import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, permission: str, obj=None) -> bool:
    """Whether the signed-in person may (socialvalue.core.permissions.can)."""
    request = context.get("request")
    return request is not None and permissions.can(request.user, permission, obj)
