"""The one place that decides who may see and do what.

- `visible(actor, Model)` returns a Q: the union over the actor's role assignments of the rows each
  (role, scope) reaches, through the model's declared `scope` path (core.scope.ScopePath).
- `can(actor, action, obj)` / `require(...)`: object-level checks for writes. An action is allowed
  only for the roles registered for it (deny by default) and only on objects inside their scope.

Every selector starts from `visible`; every service calls `require`. Views never filter by hand.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, cast

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Q, Subquery
from django.db.models.sql.compiler import SQLCompiler

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


# Hot-path reads: `permitted_row` answers what `Model.objects.filter(permitted(...), pk=pk).values_list(*fields)`
# answers, without building and compiling the query on every call. The SQL depends only on the *shape* of the
# actor's assignments for the action (role, region level, which scope columns are empty), not on their values: it
# is compiled once per shape with stand-in values, and each stand-in's position among the parameters is recorded,
# so a later call binds the actor's own values to the same SQL. The rules stay those of `_assignment_q`: it is
# called with the stand-ins, and if it reads anything the stand-ins do not cover (a rule added later), or a stand-in
# cannot be told from a constant, nothing is cached and the ORM answers, as `permitted` would.

_ROW_CACHE_MAX = 512
_ASSIGNMENT_INTS = ("school_id", "grade", "school_class_id", "user_id")
_STUDENT_INTS = ("pk", "school_class_id", "school_id")


@dataclass(frozen=True, slots=True)
class _CompiledRow:
    sql: str | None  # None: the actor reaches nothing through these assignments
    recipe: tuple[tuple[int, str] | tuple[None, Any], ...]  # per parameter: (assignment index, attribute) or constant
    compiler: SQLCompiler | None
    converters: Any


_ROW_SQL: dict[tuple[Any, ...], _CompiledRow] = {}


def _shape(assignment: RoleAssignment) -> tuple[Any, ...]:
    region = assignment.region if assignment.region_id is not None else None
    student = assignment.student if assignment.student_id is not None else None
    return (
        assignment.role,
        None if region is None else region.level,
        tuple(getattr(assignment, name) is None for name in _ASSIGNMENT_INTS),
        assignment.institution_credit_code == "",
        None if student is None else tuple(getattr(student, name) is None for name in _STUDENT_INTS),
    )


def _values(assignment: RoleAssignment) -> dict[str, Any]:
    values = {name: getattr(assignment, name) for name in _ASSIGNMENT_INTS}
    values["region_id"] = assignment.region_id
    values["institution_credit_code"] = assignment.institution_credit_code
    if assignment.student_id is not None and assignment.student is not None:
        values.update({f"student.{name}": getattr(assignment.student, name) for name in _STUDENT_INTS})
    return values


def _stand_in(index: int, original: RoleAssignment, offset: int) -> tuple[RoleAssignment, dict[Any, tuple[int, str]]]:
    """An unsaved copy of `original` with a distinct stand-in for every value (None stays None)."""
    marks: dict[Any, tuple[int, str]] = {}

    def mark(name: str, value: Any, number: int) -> Any:
        if value is None:
            return None
        stand_in: Any = (
            f"~sj{offset}.{index}.{name}~" if isinstance(value, str) else 20_000 + offset + 16 * index + number
        )
        marks[stand_in] = (index, name)
        return stand_in

    copy = RoleAssignment(role=original.role, user_id=mark("user_id", original.user_id, 0))
    copy.school_id = mark("school_id", original.school_id, 1)
    copy.grade = mark("grade", original.grade, 2)
    copy.school_class_id = mark("school_class_id", original.school_class_id, 3)
    if original.institution_credit_code:
        copy.institution_credit_code = mark("institution_credit_code", original.institution_credit_code, 4)
    if original.region_id is not None:
        copy.region = Region(code=mark("region_id", original.region_id, 5), level=original.region.level)  # type: ignore[union-attr]
    if original.student_id is not None and original.student is not None:
        student = original.student
        copy.student = Student(
            pk=mark("student.pk", student.pk, 6),
            school_id=mark("student.school_id", student.school_id, 7),
            school_class_id=mark("student.school_class_id", student.school_class_id, 8),
        )
    return copy, marks


_PK = "pk"
# What _assignment_q may read for its answer to be cached per shape (nested reads are "region.level" and so on).
_COVERED_READS = frozenset({
    "role", "region", "region_id", "region.level", "region.pk", "region.code", "school_id", "grade",
    "school_class_id", "user_id", "student", "student_id", "student.pk", "student.id", "student.school_id",
    "student.school_class_id", "institution_credit_code",
})  # fmt: skip


class _Reads:
    """A stand-in assignment that records the attributes read from it (and from its region and student)."""

    def __init__(self, target: Any, seen: set[str], prefix: str = "") -> None:
        self._target, self._seen, self._prefix = target, seen, prefix

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        self._seen.add(self._prefix + name)
        if name in ("region", "student") and value is not None:
            return _Reads(value, self._seen, f"{self._prefix}{name}.")
        return value


def _compile_row(
    model: type[models.Model], fields: tuple[str, ...], relevant: list[RoleAssignment], alias: str, offset: int
) -> tuple[_CompiledRow, list[tuple[int, str] | None]] | None:
    """The SQL for these assignments' shape with its parameter recipe; None when it cannot be cached."""
    path = _scope_path(model)
    marks: dict[Any, tuple[int, str]] = {}
    seen: set[str] = set()
    q = _NOTHING
    for index, assignment in enumerate(relevant):
        copy, copy_marks = _stand_in(index, assignment, offset)
        marks.update(copy_marks)
        q |= _assignment_q(cast(RoleAssignment, _Reads(copy, seen)), path)
    if not seen <= _COVERED_READS:
        return None
    pk_mark = 30_000 + offset
    marks[pk_mark] = (-1, _PK)
    compiled = _compiled(model._default_manager.using(alias).filter(q, pk=pk_mark).values_list(*fields), alias)
    if compiled is None:
        return _CompiledRow(None, (), None, None), []
    sql, params, compiler, converters = compiled
    recipe: list[tuple[int, str] | tuple[None, Any]] = []
    positions: list[tuple[int, str] | None] = []
    for param in params:
        found = marks.get(param) if isinstance(param, str | int) and not isinstance(param, bool) else None
        recipe.append(found if found is not None else (None, param))
        positions.append(found)
    return _CompiledRow(sql, tuple(recipe), compiler, converters), positions


def _compiled(rows: models.QuerySet[Any], alias: str) -> tuple[str, list[Any], SQLCompiler, Any] | None:
    """The SQL of the first of `rows`, its parameters, compiler and converters; None when it can match nothing."""
    compiler = rows[:1].query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
    return sql, list(params), compiler, converters


@dataclass(frozen=True, slots=True)
class RowQuery:
    """The SQL and parameters of one access-checked row read (`permitted_row_query`), and how to convert its row."""

    sql: str
    params: list[Any]
    compiled: _CompiledRow

    def converted(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        compiled = self.compiled
        if compiled.converters and compiled.compiler is not None:
            return tuple(next(iter(compiled.compiler.apply_converters([list(row)], compiled.converters))))
        return tuple(row)


def permitted_row_query(
    actor: Any, action: str, model: type[models.Model], pk: int, fields: tuple[str, ...]
) -> RowQuery | None:
    """The query `permitted_row` runs, for a caller that runs it inside a larger statement (the ledger's posting
    call); None when the actor reaches no row of `model` for `action`. Its SQL selects `fields` in order, at most
    one row."""
    roles = roles_for(action)
    relevant = [a for a in assignments(actor) if a.role in roles] if roles else []
    if not relevant:
        return None
    alias = DEFAULT_DB_ALIAS
    connection = connections[alias]
    key = (connection.vendor, alias, model, action, fields, tuple(_shape(a) for a in relevant))
    compiled = _ROW_SQL.get(key)
    if compiled is None:
        first, again = (_compile_row(model, fields, relevant, alias, offset) for offset in (0, 1_000))
        if first is None or again is None or first[1] != again[1] or first[0].sql != again[0].sql:
            return _uncached_row_query(actor, action, model, pk, fields, alias)
        compiled = first[0]
        if len(_ROW_SQL) >= _ROW_CACHE_MAX:
            _ROW_SQL.clear()
        _ROW_SQL[key] = compiled
    if compiled.sql is None:
        return None
    values = [_values(a) for a in relevant]
    params = [
        (pk if source == -1 else values[source][name]) if source is not None else name
        for source, name in compiled.recipe
    ]
    return RowQuery(compiled.sql, params, compiled)


def _uncached_row_query(
    actor: Any, action: str, model: type[models.Model], pk: int, fields: tuple[str, ...], alias: str
) -> RowQuery | None:
    """The ORM's query for a shape that cannot be cached: compiled for this call."""
    found = model._default_manager.using(alias).filter(permitted(actor, action, model), pk=pk).values_list(*fields)
    compiled = _compiled(found, alias)
    if compiled is None:
        return None
    sql, params, compiler, converters = compiled
    return RowQuery(sql, params, _CompiledRow(sql, (), compiler, converters))


def permitted_row(
    actor: Any, action: str, model: type[models.Model], pk: int, fields: tuple[str, ...]
) -> tuple[Any, ...] | None:
    """The `fields` (lookups as for `values_list`) of the row `pk` of `model` if the actor may do `action` on it,
    else None: the answer of `permitted(actor, action, model)` in one query, its SQL compiled once per shape of the
    actor's assignments (see above)."""
    query = permitted_row_query(actor, action, model, pk, fields)
    if query is None:
        return None
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(query.sql, query.params)
        row = cursor.fetchone()
    return None if row is None else query.converted(row)


@dataclass(frozen=True, slots=True)
class FamilyStudent:
    """A student a guardian or the student's own account may act for, with the columns writes need."""

    pk: int
    school_id: int
    school_class_id: int
    as_student: bool  # reached through the student's own account (else as one of their guardians)
    guardian_id: int | None = None  # the actor's guardian record linked to the student, if there is one


def _family_student_sql() -> str:
    # Table names come from the models' Meta, never from input; every value is a bound parameter.
    student, link, guardian, role = (m._meta.db_table for m in (Student, GuardianLink, Guardian, RoleAssignment))
    own_account = f"SELECT 1 FROM {role} r WHERE r.user_id = %s AND r.role = %s AND r.student_id = s.id"  # noqa: S608
    return (
        f"SELECT s.id, s.school_id, s.school_class_id, EXISTS ({own_account}),"  # noqa: S608
        f" (SELECT g.id FROM {link} l JOIN {guardian} g ON g.id = l.guardian_id"
        f" WHERE l.student_id = s.id AND g.user_id = %s ORDER BY g.id LIMIT 1)"
        f" FROM {student} s WHERE s.id = %s AND ("
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
    params: list[int | str | bool] = [user_id, student_role, user_id, student_id]
    params += [Role.GUARDIAN in roles, user_id, user_id, guardian_role]
    params += [Role.STUDENT in roles, user_id, student_role]
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_FAMILY_STUDENT_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return FamilyStudent(
        pk=row[0], school_id=row[1], school_class_id=row[2], as_student=bool(row[3]), guardian_id=row[4]
    )
