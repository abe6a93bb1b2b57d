"""Template tags of the page shell (base.html): the signed-in user's role names for the top bar."""

from typing import Any

from django import template

from shuangjian.core import selectors_home

register = template.Library()


@register.simple_tag
def role_labels(user: Any) -> list[str]:
    """The user's distinct role names; empty for anonymous users (or when no user is in the context)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return selectors_home.role_labels(actor=user)
