"""What every homework page shares: today's date, the label of a kind of day, mapping domain errors to HTTP."""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.core.errors import AccessDenied, NotFound
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


def scoped[T](read: Callable[[], T]) -> T:
    """Run a selector: out of scope or missing is a 404, a refused action a 403 (existence never leaks)."""
    try:
        return read()
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except AccessDenied as exc:
        raise PermissionDenied(exc.message) from exc
