"""{{ fen|yuan }}: integer fen as yuan on a page, with thousands separators ("1,234.56"); "—" for no amount."""

from django import template

from shuangjian.core import money

register = template.Library()


@register.filter
def yuan(fen: object) -> str:
    if isinstance(fen, bool) or not isinstance(fen, int):
        return "—"
    return money.yuan(fen, grouped=True)
