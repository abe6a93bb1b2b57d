"""What the after-school pages share: the clock, turning selector errors into 404/403, and a date parameter."""

from collections.abc import Callable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from shuangjian.core.errors import AccessDenied, NotFound


def now() -> datetime:
    return timezone.localtime()


def scoped[T](read: Callable[[], T]) -> T:
    """Run a selector: out of scope or missing is a 404, a refused action a 403 (existence never leaks)."""
    try:
        return read()
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except AccessDenied as exc:
        raise PermissionDenied(exc.message) from exc


def parse_day(raw: object, default: date) -> date:
    """A YYYY-MM-DD query parameter, or `default` when it is missing or malformed."""
    if not isinstance(raw, str):
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return default
