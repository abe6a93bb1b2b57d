"""The root API: /api/v1, with an OpenAPI schema at /api/v1/openapi.json and docs at /api/v1/docs.

Every failure under /api/v1/ answers with the same JSON body, `{"code", "message", "details"}` (core.schemas.ErrorOut):

| status | code | when |
|---|---|---|
| 400 | the DomainError's code, or `core.invalid_input` | a service refused the input; an unparsable body |
| 401 | `core.unauthenticated` | no valid session or bearer token |
| 403 | the DomainError's code (`core.forbidden`), `core.csrf_failed` | refused action; session POST without CSRF |
| 404 | `core.not_found` | missing, out of the caller's scope (the same body), or no such URL under /api/v1/ |
| 405 | `core.method_not_allowed` | the path exists, the method does not (`details.allowed`) |
| 422 | `core.invalid_input` | the request does not match the schema (`details.fields`) |
| 500 | `core.server_error` | a fault of ours; logged (`django.request`) with the traceback, never shown to the caller |
"""

import inspect
import logging
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from shuangjian.afterschool.api import router as afterschool_router
from shuangjian.core.api import router as core_router
from shuangjian.core.api_auth import BearerToken, SessionAuth
from shuangjian.core.errors import CoreError, DomainError
from shuangjian.core.schemas import ErrorOut
from shuangjian.homework.api import router as homework_router
from shuangjian.inspection.api import router as inspection_router
from shuangjian.ledger.api import router as escrow_router
from shuangjian.policy.api import router as policy_router
from shuangjian.supervision.api import router as supervision_router
from shuangjian.training.api import router as training_router

_server_errors = logging.getLogger("django.request")
_HTTP_ERROR_CODES = {
    400: CoreError.INVALID_INPUT,
    401: CoreError.UNAUTHENTICATED,
    403: CoreError.FORBIDDEN,
    404: CoreError.NOT_FOUND,
    405: CoreError.METHOD_NOT_ALLOWED,
}
_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


def _messages() -> dict[str, str]:
    """The message for each generic code, translated in the request's language."""
    return {
        CoreError.INVALID_INPUT: _("提交的数据格式不正确。"),
        CoreError.UNAUTHENTICATED: _("请先登录，或提供有效的 API 令牌。"),
        CoreError.FORBIDDEN: _("您没有权限执行此操作。"),
        CoreError.NOT_FOUND: _("没有找到该记录，或您无权查看。"),
        CoreError.METHOD_NOT_ALLOWED: _("此地址不支持该请求方法。"),
        CoreError.SERVER_ERROR: _("服务器出错了，请稍后再试；问题已记录。"),
    }


def _field_errors(errors: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """ninja's pydantic errors as {location, field, code, message}; `loc` is (source, [param,] field...)."""
    fields = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc else ""
        rest = loc[1:]
        if location == "body" and len(rest) > 1:
            rest = rest[1:]  # drop the name of the body parameter (`payload`)
        fields.append(
            {
                "location": location,
                "field": ".".join(rest),
                "code": str(error.get("type", "")),
                "message": str(error.get("msg", "")),
            }
        )
    return fields


class ShuangjianAPI(NinjaAPI):
    """NinjaAPI whose every answer under its prefix is JSON, including 405s and unknown URLs, and whose
    OpenAPI operations all declare the error body as their `default` response."""

    def error_response(
        self, request: HttpRequest, status: int, code: str, message: str, details: dict[str, Any] | None = None
    ) -> HttpResponse:
        body = ErrorOut(code=code, message=message, details=details or {})
        return self.create_response(request, body.model_dump(), status=status)

    def not_found(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.error_response(request, 404, CoreError.NOT_FOUND, _messages()[CoreError.NOT_FOUND])

    def _json_405(self, view: Callable[..., Any]) -> Callable[..., Any]:
        """ninja answers a wrong method with a plain-text 405; turn it into the JSON error body."""

        def convert(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
            if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
                return response
            allow = response.get("Allow", "")
            allowed = sorted(method.strip() for method in allow.split(",") if method.strip())
            message = _messages()[CoreError.METHOD_NOT_ALLOWED]
            converted = self.error_response(request, 405, CoreError.METHOD_NOT_ALLOWED, message, {"allowed": allowed})
            converted["Allow"] = allow
            return converted

        if inspect.iscoroutinefunction(view):

            @wraps(view)
            async def async_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                return convert(request, await view(request, *args, **kwargs))

            return async_wrapper

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return convert(request, view(request, *args, **kwargs))

        return wrapper

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        # ninja 1.7 keeps URL building in this private method; it is pinned (<2) in pyproject.toml.
        patterns: list[URLResolver | URLPattern] = []
        for pattern in super()._get_urls():
            if isinstance(pattern, URLPattern) and pattern.name == "api-root":
                # ninja's root view raises Http404 outside its handlers (an HTML page); keep the name, answer JSON.
                patterns.append(path("", self.not_found, name="api-root"))
            elif isinstance(pattern, URLPattern):
                patterns.append(path(str(pattern.pattern), self._json_405(pattern.callback), name=pattern.name))
            else:
                patterns.append(pattern)
        patterns.append(path("<path:unmatched>", self.not_found, name="unmatched"))
        return patterns

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        if "ErrorOut" not in components:
            components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault(
                    "default",
                    {"description": "Error", "content": {"application/json": {"schema": _ERROR_REF}}},
                )
        return schema


api = ShuangjianAPI(
    title="Shuangjian API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api-v1",
    auth=[BearerToken(), SessionAuth()],
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.error_response(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.error_response(request, 401, CoreError.UNAUTHENTICATED, _messages()[CoreError.UNAUTHENTICATED])


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    message = _messages()[CoreError.INVALID_INPUT]
    return api.error_response(request, 422, CoreError.INVALID_INPUT, message, {"fields": _field_errors(exc.errors)})


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.not_found(request)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Any other exception: the same JSON body as every API error (not Django's HTML 500 page), logged as Django
    logs an unhandled one, with the request and the traceback."""
    _server_errors.error(
        "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
    )
    return api.error_response(request, 500, CoreError.SERVER_ERROR, _messages()[CoreError.SERVER_ERROR])


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = _HTTP_ERROR_CODES.get(exc.status_code, CoreError.INVALID_INPUT)
    message = _messages().get(code, _messages()[CoreError.INVALID_INPUT])
    return api.error_response(request, exc.status_code, code, message, {"reason": str(exc)})


api.add_router("/core", core_router)
api.add_router("/policy", policy_router)
api.add_router("/homework", homework_router)
api.add_router("/afterschool", afterschool_router)
api.add_router("/training/inspections", inspection_router)
api.add_router("/training", training_router)
api.add_router("/training/supervision", supervision_router)
api.add_router("/escrow", escrow_router)
