"""Small display filters of the after-school pages: weekdays (ISO numbers), weekly slots, rates and fees."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import gettext as _

from shuangjian.afterschool import selectors_pages
from shuangjian.afterschool.models import OfferingSlot
from shuangjian.core import access, money
from shuangjian.core.weekdays import weekday_label

register = template.Library()


@register.filter
def weekday(number: int) -> str:
    return weekday_label(int(number))


@register.filter
def weekdays(numbers: Iterable[int]) -> str:
    return _("、").join(weekday(n) for n in sorted(numbers))


@register.filter
def slots(rows: Iterable[OfferingSlot]) -> str:
    """周三 第 2 时段、周五 第 2 时段"""
    return _("、").join(
        _("%(weekday)s第 %(block)s 时段") % {"weekday": weekday(s.weekday), "block": s.block_number} for s in rows
    )


@register.filter
def percent(rate: float | None) -> str:
    if rate is None:
        return _("人数过少")
    return f"{rate * 100:.0f}%"


@register.filter
def bar_width(rate: float | None) -> str:
    """A CSS width for a rate bar (0-100%)."""
    if rate is None:
        return "0%"
    return f"{min(max(rate, 0.0), 1.0) * 100:.1f}%"


@register.filter
def fee(fen: int) -> str:
    if not fen:
        return _("免费")
    return _("%(yuan)s 元/课时") % {"yuan": money.yuan(fen)}


@register.simple_tag
def afterschool_nav(user: Any) -> bool:
    """Does the user have a page on the after-school hub (the shell's nav)?"""
    return access.has_role(user, *selectors_pages.HUB_ROLES)
