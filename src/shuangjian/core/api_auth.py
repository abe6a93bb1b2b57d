"""API authentication: a bearer token (core.APIToken) or the browser session (with CSRF on unsafe methods).

The root API tries the bearer token first, then the session. Neither answers for an anonymous caller, and
ninja then raises AuthenticationError, which the root API renders as 401 `core.unauthenticated`.

CSRF: ninja 1.7's APIKeyCookie checks CSRF inside `_get_key`, before it knows whether the caller is signed
in, so an anonymous POST would get a CSRF 403 instead of a 401. `SessionAuth` instead checks CSRF only once a
signed-in session is found, and then for every unsafe method (Django's CsrfViewMiddleware decides; ninja's
views are csrf_exempt at the middleware level, so this check is the only one). Bearer-token calls need no
CSRF token: a browser never attaches the Authorization header on its own.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
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


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; marks the token as used."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = selectors.api_token_find(raw=token)
        if found is None:
            return None
        accounts.api_token_mark_used(token=found)
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
