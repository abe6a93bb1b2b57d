"""What every homework page shares: today's date, the label of a kind of day, mapping domain errors to HTTP."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.core.rules import DayKind


def today() -> date:
    return timezone.localdate()


def day_kind_label(kind: str) -> str:
    labels = {
        DayKind.SCHOOL_DAY: _("上课日"),
        DayKind.WEEKEND: _("周末"),
        DayKind.HOLIDAY: _("法定节假日"),
        DayKind.VACATION: _("假期"),
    }
    return labels.get(DayKind(kind), kind)


def parse_day(raw: object) -> date | None:
    """A YYYY-MM-DD string (an error's details["date"], a query parameter), or None."""
    if not isinstance(raw, str):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None
