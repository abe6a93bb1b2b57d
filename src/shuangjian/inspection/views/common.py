"""What the inspection pages share: who may open them, and DomainErrors of reads turned into 404/403."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from shuangjian.core import access
from shuangjian.core.models import Role

SUPERVISOR_ROLES = (Role.BUREAU, Role.INSPECTOR)


def supervisor(request: HttpRequest) -> None:
    if not access.has_role(request.user, *SUPERVISOR_ROLES):
        raise PermissionDenied


def desk(request: HttpRequest) -> None:
    if not access.has_role(request.user, *SUPERVISOR_ROLES, Role.INSTITUTION_OPERATOR):
        raise PermissionDenied


def is_supervisor(user: Any) -> bool:
    return access.has_role(user, *SUPERVISOR_ROLES)
