"""The one place that decides who may see and do what.

- `visible(actor, Model)` returns a Q: the union over the actor's role assignments of the rows each
  (role, scope) reaches, through the model's declared `scope` path (core.scope.ScopePath).
- `can(actor, action, obj)` / `require(...)`: object-level checks for writes. An action is allowed
  only for the roles registered for it (deny by default) and only on objects inside their scope.

Every selector starts from `visible`; every service calls `require`. Views never filter by hand.
"""

from collections.abc import Iterable
from typing import Any, Protocol

from django.db import models
from django.db.models import Q, Subquery

from shuangjian.core.errors import AccessDenied
from shuangjian.core.models import GuardianLink, Region, RegionLevel, Role, RoleAssignment, User
from shuangjian.core.scope import ScopePath

_NOTHING = Q(pk__in=[])
_ASSIGNMENTS_CACHE = "_shuangjian_role_assignments"

_ACTIONS: dict[str, frozenset[Role]] = {}


class Actor(Protocol):
    @property
    def is_authenticated(self) -> bool: ...


def register_action(action: str, roles: Iterable[Role]) -> str:
    """Declare which roles may perform `action` (within their scope). Returns the action name."""
    _ACTIONS[action] = frozenset(roles)
    return action


def roles_for(action: str) -> frozenset[Role]:
    return _ACTIONS.get(action, frozenset())


def assignments(actor: Any) -> list[RoleAssignment]:
    """The actor's role assignments, loaded once per user object."""
    if not getattr(actor, "is_authenticated", False) or not isinstance(actor, User):
        return []
    cached: list[RoleAssignment] | None = getattr(actor, _ASSIGNMENTS_CACHE, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=actor).select_related("region", "school", "school_class", "student")
        )
        setattr(actor, _ASSIGNMENTS_CACHE, cached)
    return cached


def forget_assignments(actor: Any) -> None:
    if hasattr(actor, _ASSIGNMENTS_CACHE):
        delattr(actor, _ASSIGNMENTS_CACHE)


def _family_q(path: ScopePath, student_ids: Any, class_ids: Any, school_ids: Any) -> Q:
    if path.student:
        return Q(**{f"{path.student}__in": student_ids})
    if path.school_class:
        return Q(**{f"{path.school_class}__in": class_ids})
    if path.school == "pk":
        return Q(pk__in=school_ids)
    return _NOTHING


def _assignment_q(assignment: RoleAssignment, path: ScopePath) -> Q:
    role = assignment.role
    if role in (Role.BUREAU, Role.INSPECTOR):
        if path.region_prefix is None or assignment.region is None:
            return _NOTHING
        level = RegionLevel(assignment.region.level)
        return Q(**{f"{path.region_prefix}{level.value}_id": assignment.region_id})
    if role in (Role.SCHOOL_LEADER, Role.TEACHER, Role.COUNSELLOR):
        return Q(**{path.school: assignment.school_id}) if path.school else _NOTHING
    if role == Role.GRADE_COORDINATOR:
        if not path.school:
            return _NOTHING
        q = Q(**{path.school: assignment.school_id})
        return q & Q(**{path.grade: assignment.grade}) if path.grade else q
    if role == Role.HEAD_TEACHER:
        if path.school_class:
            return Q(**{path.school_class: assignment.school_class_id})
        return Q(**{path.school: assignment.school_id}) if path.school else _NOTHING
    if role == Role.GUARDIAN:
        links = GuardianLink.objects.filter(guardian__user_id=assignment.user_id)
        return _family_q(
            path,
            Subquery(links.values("student_id")),
            Subquery(links.values("student__school_class_id")),
            Subquery(links.values("student__school_id")),
        )
    if role == Role.STUDENT:
        student = assignment.student
        if student is None:
            return _NOTHING
        return _family_q(path, [student.pk], [student.school_class_id], [student.school_id])
    if role == Role.INSTITUTION_OPERATOR:
        return Q(**{path.institution: assignment.institution_credit_code}) if path.institution else _NOTHING
    return _NOTHING


def _scope_path(model: type[models.Model]) -> ScopePath:
    path = getattr(model, "scope", None)
    if not isinstance(path, ScopePath):
        raise TypeError(f"{model.__name__} declares no scope path; it cannot be reached through core.access")
    return path


def visible(actor: Any, model: type[models.Model], roles: Iterable[Role] | None = None) -> Q:
    """A filter for the rows of `model` the actor may read (optionally only through some roles)."""
    path = _scope_path(model)
    wanted = None if roles is None else frozenset(roles)
    q = _NOTHING
    for assignment in assignments(actor):
        if wanted is None or assignment.role in wanted:
            q |= _assignment_q(assignment, path)
    return q


def region_ancestry(region: Region) -> list[str]:
    """The region's code and its ancestors' codes, nearest first."""
    codes = []
    current: Region | None = region
    while current is not None:
        codes.append(current.code)
        current = current.parent
    return codes


def covers_region(actor: Any, region: Region, roles: Iterable[Role] = (Role.BUREAU, Role.INSPECTOR)) -> bool:
    """Does one of the actor's region-scoped assignments cover `region` (it or one of its ancestors)?"""
    wanted = frozenset(roles)
    ancestry = set(region_ancestry(region))
    return any(a.role in wanted and a.region_id in ancestry for a in assignments(actor))


def require_region(actor: Any, action: str, region: Region) -> None:
    """Region-level actions (publishing a profile, setting local school days): a role registered for the
    action must hold `region` or one of its ancestors."""
    if not covers_region(actor, region, roles_for(action)):
        raise AccessDenied(action)


def has_role(actor: Any, *roles: Role) -> bool:
    return any(a.role in roles for a in assignments(actor))


def permitted(actor: Any, action: str, model: type[models.Model]) -> Q:
    """A filter for the rows of `model` the actor may do `action` on: what the roles registered for the action
    reach. Deny by default: an unregistered action, or an actor without any of its roles, gets nothing.
    Lets a service check access and load the object in one query (`Model.objects.filter(permitted(...), pk=...)`)."""
    roles = roles_for(action)
    if not roles or not any(a.role in roles for a in assignments(actor)):
        return _NOTHING
    return visible(actor, model, roles)


def can(actor: Any, action: str, obj: models.Model) -> bool:
    """May the actor do `action` on `obj`? Deny by default: unregistered actions are refused."""
    q = permitted(actor, action, type(obj))
    if q == _NOTHING:
        return False
    return type(obj)._default_manager.filter(pk=obj.pk).filter(q).exists()


def require(actor: Any, action: str, obj: models.Model) -> None:
    if not can(actor, action, obj):
        raise AccessDenied(action)
