"""The root API: /api/v1, with an OpenAPI schema at /api/v1/openapi.json and docs at /api/v1/docs."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from shuangjian.core.api import router as core_router
from shuangjian.core.api_auth import BearerToken, SessionAuth
from shuangjian.core.errors import CoreError, DomainError
from shuangjian.policy.api import router as policy_router

api = NinjaAPI(
    title="Shuangjian API",
    version="1",
    urls_namespace="api-v1",
    auth=[BearerToken(), SessionAuth()],
)


def _error(request: HttpRequest, status: int, code: str, message: str, details: object = None) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "details": details or {}}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, CoreError.UNAUTHENTICATED, _("请先登录，或提供有效的 API 令牌。"))


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, CoreError.INVALID_INPUT, _("提交的数据格式不正确。"), {"errors": exc.errors})


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = CoreError.NOT_FOUND if exc.status_code == 404 else CoreError.INVALID_INPUT
    return _error(request, exc.status_code, code, str(exc))


api.add_router("/core", core_router)
api.add_router("/policy", policy_router)
