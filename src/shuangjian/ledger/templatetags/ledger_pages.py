"""Template helpers of the escrow pages: the shell's nav item (`{% escrow_nav user as nav %}`). Amounts: core's
`{% load money %}`."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

from shuangjian.core import access
from shuangjian.core.models import Role

register = template.Library()


@register.simple_tag
def escrow_nav(user: Any) -> str:
    """The label of the escrow item in the shell's nav for this user, or "" when they have no escrow page."""
    if access.has_role(user, Role.BUREAU, Role.INSPECTOR, Role.INSTITUTION_OPERATOR):
        return _("预付费监管")
    if access.has_role(user, Role.GUARDIAN):
        return _("我的课程费用")
    return ""
