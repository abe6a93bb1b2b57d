"""{% training_desk user as show %}: does the user have a page on the training-supervision desk (the shell's nav)?"""

from typing import Any

from django import template

from shuangjian.core import access
from shuangjian.core.models import Role

register = template.Library()


@register.simple_tag
def training_desk(user: Any) -> bool:
    return access.has_role(user, Role.BUREAU, Role.INSPECTOR, Role.INSTITUTION_OPERATOR)
