"""API authentication: a bearer token (core.APIToken) or the browser session (with CSRF on unsafe methods).

The root API tries the bearer token first, then the session. Neither answers for an anonymous caller, and
ninja then raises AuthenticationError, which the root API renders as 401 `core.unauthenticated`.

CSRF: ninja 1.7's APIKeyCookie checks CSRF inside `_get_key`, before it knows whether the caller is signed
in, so an anonymous POST would get a CSRF 403 instead of a 401. `SessionAuth` instead checks CSRF only once a
signed-in session is found, and then for every unsafe method (Django's CsrfViewMiddleware decides; ninja's
views are csrf_exempt at the middleware level, so this check is the only one). Bearer-token calls need no
CSRF token: a browser never attaches the Authorization header on its own.
"""

import atexit
import contextlib
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from shuangjian.core import selectors
from shuangjian.core.errors import CoreError, DomainError
from shuangjian.core.models import User
from shuangjian.core.services import accounts


class CsrfFailed(DomainError):
    status = 403

    def __init__(self) -> None:
        super().__init__(CoreError.CSRF_FAILED, _("CSRF 校验失败：请刷新页面后重试，或改用 API 令牌。"))


# `last_used_at` says when a token was last used, to within about this much. Writing it on every request would
# add a write and a commit to every API call (the homework evening peak, docs/PERFORMANCE.md): a token's first
# use is written at once; later uses, when the stored time is older than this, are collected per process and
# written together in one UPDATE once the oldest has waited this long (and when the process exits).
TOKEN_USE_RESOLUTION_SECONDS = 10
# ... or as soon as this many are waiting: at the evening peak ten seconds collect thousands of tokens, and one
# UPDATE of them all stalled the requests around it (the p99 of docs/PERFORMANCE.md); smaller batches spread it.
TOKEN_USE_BATCH = 200


class _TokenUses:
    """The uses of tokens not yet written, per process (granian runs several threads per worker)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._pending: set[int] = set()
        self._oldest: float | None = None

    def add(self, token_id: int) -> None:
        with self._lock:
            self._pending.add(token_id)
            now = self._clock()
            if self._oldest is None:
                self._oldest = now
            if len(self._pending) < TOKEN_USE_BATCH and now - self._oldest < TOKEN_USE_RESOLUTION_SECONDS:
                return
            due = self._take()
        accounts.api_tokens_mark_used(token_ids=due, at=timezone.now())

    def _take(self) -> set[int]:
        due, self._pending, self._oldest = self._pending, set(), None
        return due

    def flush(self) -> None:
        with self._lock:
            due = self._take()
        accounts.api_tokens_mark_used(token_ids=due, at=timezone.now())

    def flush_at_exit(self) -> None:
        # At exit the database may be gone or closed to us; what is lost is a few "last used" times, no more.
        with contextlib.suppress(Exception):
            self.flush()


token_uses = _TokenUses()
atexit.register(token_uses.flush_at_exit)


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; records the token's use (see TOKEN_USE_RESOLUTION_SECONDS)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        stale_before = timezone.now() - timedelta(seconds=TOKEN_USE_RESOLUTION_SECONDS)
        found = selectors.api_token_use(raw=token, stale_before=stale_before)
        if found is None:
            return None
        if found.first_use:
            accounts.api_token_mark_used(token_id=found.token_id)
        elif found.stale:
            token_uses.add(found.token_id)
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """Django's session cookie (the browser), with CSRF enforced on unsafe methods."""

    param_name = "sessionid"  # the OpenAPI name; the cookie actually read is settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(settings.SESSION_COOKIE_NAME)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise CsrfFailed
        return user


def actor(request: HttpRequest) -> User:
    """The authenticated user of an API request (set by BearerToken or SessionAuth)."""
    user: Any = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise TypeError("actor() called on an operation without authentication")
    return user
