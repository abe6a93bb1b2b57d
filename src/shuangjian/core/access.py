"""The one place that decides who may see and do what.

- `visible(actor, Model)` returns a Q: the union over the actor's role assignments of the rows each
  (role, scope) reaches, through the model's declared `scope` path (core.scope.ScopePath).
- `can(actor, action, obj)` / `require(...)`: object-level checks for writes. An action is allowed
  only for the roles registered for it (deny by default) and only on objects inside their scope.

Every selector starts from `visible`; every service calls `require`. Views never filter by hand.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection, models
from django.db.models import Q, Subquery

from shuangjian.core.errors import AccessDenied
from shuangjian.core.models import (
    Guardian,
    GuardianLink,
    Region,
    RegionLevel,
    Role,
    RoleAssignment,
    Student,
    User,
)
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


@dataclass(frozen=True, slots=True)
class FamilyStudent:
    """A student a guardian or the student's own account may act for, with the columns writes need."""

    pk: int
    school_id: int
    school_class_id: int
    as_student: bool  # reached through the student's own account (else as one of their guardians)


def _family_student_sql() -> str:
    # Table names come from the models' Meta, never from input; every value is a bound parameter.
    student, link, guardian, role = (m._meta.db_table for m in (Student, GuardianLink, Guardian, RoleAssignment))
    own_account = f"SELECT 1 FROM {role} r WHERE r.user_id = %s AND r.role = %s AND r.student_id = s.id"  # noqa: S608
    return (
        f"SELECT s.id, s.school_id, s.school_class_id, EXISTS ({own_account}) FROM {student} s WHERE s.id = %s AND ("  # noqa: S608
        f"(%s AND EXISTS (SELECT 1 FROM {link} l JOIN {guardian} g ON g.id = l.guardian_id"
        f" WHERE l.student_id = s.id AND g.user_id = %s)"
        f" AND EXISTS (SELECT 1 FROM {role} r WHERE r.user_id = %s AND r.role = %s))"
        f" OR (%s AND EXISTS ({own_account})))"
    )


_FAMILY_STUDENT_SQL = _family_student_sql()
_FAMILY_ROLES = frozenset({Role.GUARDIAN, Role.STUDENT})


def family_student(actor: Any, action: str, student_id: int) -> FamilyStudent | None:
    """The student, if the actor may do `action` for them: the same answer as
    `Student.objects.filter(permitted(actor, action, Student), pk=student_id)` for an action registered for
    guardians and students only, in one indexed query that loads no role assignments (the homework evening peak:
    every family reports once an evening, so nothing is cached between its requests)."""
    roles = roles_for(action)
    if not roles or not roles <= _FAMILY_ROLES:
        raise ValueError(f"{action!r} is not a family action; use permitted()")
    if not getattr(actor, "is_authenticated", False) or not isinstance(actor, User):
        return None
    user_id, student_role, guardian_role = actor.pk, Role.STUDENT.value, Role.GUARDIAN.value
    params: list[int | str | bool] = [user_id, student_role, student_id]
    params += [Role.GUARDIAN in roles, user_id, user_id, guardian_role]
    params += [Role.STUDENT in roles, user_id, student_role]
    with connection.cursor() as cursor:
        cursor.execute(_FAMILY_STUDENT_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return FamilyStudent(pk=row[0], school_id=row[1], school_class_id=row[2], as_student=bool(row[3]))
