"""What every app's pages share."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404

from shuangjian.core.errors import AccessDenied, NotFound


def scoped[T](read: Callable[[], T]) -> T:
    """Run a selector: out of scope or missing is a 404, a refused action a 403 (existence never leaks)."""
    try:
        return read()
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except AccessDenied as exc:
        raise PermissionDenied(exc.message) from exc
