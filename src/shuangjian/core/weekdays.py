"""Weekdays as every module numbers them (ISO: 1 = Monday ... 7 = Sunday) and as a school names them (周一 ... 周日)."""

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WEEKDAY_LABELS: Final[dict[int, Promise]] = {
    1: _("周一"),
    2: _("周二"),
    3: _("周三"),
    4: _("周四"),
    5: _("周五"),
    6: _("周六"),
    7: _("周日"),
}
SCHOOL_WEEKDAYS: Final = (1, 2, 3, 4, 5)  # the days of the school week (a make-up workday follows one of them)


def weekday_label(number: int) -> str:
    """周一 for 1; the number itself when it is not a weekday."""
    label = WEEKDAY_LABELS.get(number)
    return str(label) if label is not None else str(number)
