"""Domain errors: a stable machine code, a translatable message with named placeholders, and details."""

from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Raised by services; the API turns it into {code, message, details} with a 4xx status."""

    status = 400

    def __init__(self, code: str, message: str | Promise, details: dict[str, Any] | None = None) -> None:
        self.code = code
        self.details = details or {}
        self.message = str(message) % self.details if self.details else str(message)
        super().__init__(f"{code}: {self.message}")


class NotFound(DomainError):
    """The same error for "does not exist" and "not in your scope": existence never leaks."""

    status = 404

    def __init__(self, what: str = "object") -> None:
        super().__init__(CoreError.NOT_FOUND, _("没有找到该记录，或您无权查看。"), {"what": what})


class AccessDenied(DomainError):
    status = 403

    def __init__(self, action: str) -> None:
        super().__init__(CoreError.FORBIDDEN, _("您没有权限执行此操作（%(action)s）。"), {"action": action})


class CoreError(StrEnum):
    NOT_FOUND = "core.not_found"
    FORBIDDEN = "core.forbidden"
    UNAUTHENTICATED = "core.unauthenticated"
    INVALID_INPUT = "core.invalid_input"
    METHOD_NOT_ALLOWED = "core.method_not_allowed"
    SERVER_ERROR = "core.server_error"
    CSRF_FAILED = "core.csrf_failed"
    INVALID_RESIDENT_ID = "core.invalid_resident_id"
    INVALID_CREDIT_CODE = "core.invalid_credit_code"
    INVALID_STUDENT_NUMBER = "core.invalid_student_number"
    INVALID_PHONE = "core.invalid_phone"
    IMPORT_INVALID = "core.import_invalid"
    IMPORT_FILE_UNREADABLE = "core.import_file_unreadable"
