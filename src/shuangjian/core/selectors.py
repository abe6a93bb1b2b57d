"""Reads of the school system. Every one starts from core.access.visible."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import (
    APIToken,
    APITokenEvent,
    GuardianLink,
    Region,
    Role,
    RoleAssignment,
    School,
    SchoolClass,
    Student,
    User,
)

# Who sees a student's national student number in full (it embeds the resident ID for G numbers): the school's
# staff, who keep the student status, and the bureau, which supervises it. Inspectors, guardians, students and
# operators see it masked. Decided per row: the number is shown in full only where the student is reached
# through one of these roles, so a teacher who is also a guardian elsewhere sees that child's number masked.
STUDENT_NUMBER_ROLES = (
    Role.BUREAU,
    Role.SCHOOL_LEADER,
    Role.TEACHER,
    Role.HEAD_TEACHER,
    Role.GRADE_COORDINATOR,
    Role.COUNSELLOR,
)


def scope_label(assignment: RoleAssignment) -> str:
    if assignment.school_class is not None:
        return f"{assignment.school} {assignment.school_class}"
    if assignment.school is not None:
        if assignment.grade is None:
            return str(assignment.school)
        return _("%(school)s %(grade)s年级") % {"school": assignment.school, "grade": assignment.grade}
    if assignment.region is not None:
        return assignment.region.name
    if assignment.role == Role.INSTITUTION_OPERATOR:
        return assignment.institution_credit_code
    return ""


@dataclass(frozen=True, slots=True)
class RoleLine:
    role: str
    role_label: str
    scope_label: str


@dataclass(frozen=True, slots=True)
class Me:
    username: str
    display_name: str
    roles: list[RoleLine]


def me(*, actor: Any) -> Me:
    return Me(
        username=actor.username,
        display_name=str(actor),
        roles=[
            RoleLine(role=a.role, role_label=str(a.get_role_display()), scope_label=scope_label(a))
            for a in access.assignments(actor)
        ],
    )


def region_list(*, actor: Any) -> QuerySet[Region]:
    """The regions the actor's scope touches: the county, city and province of every school the actor sees,
    and for region roles (bureau, inspector) the assigned region with its ancestors and descendants."""
    schools = School.objects.filter(access.visible(actor, School))
    assigned = [a.region_id for a in access.assignments(actor) if a.region_id is not None]
    touched = (
        Q(code__in=schools.values("county_id"))
        | Q(code__in=schools.values("city_id"))
        | Q(code__in=schools.values("province_id"))
    )
    if assigned:
        own = Region.objects.filter(code__in=assigned)
        touched |= (
            Q(code__in=assigned)
            | Q(parent_id__in=assigned)
            | Q(parent__parent_id__in=assigned)
            | Q(code__in=own.values("parent_id"))
            | Q(code__in=own.values("parent__parent_id"))
        )
    return Region.objects.filter(touched).select_related("parent").order_by("code")


def school_list(*, actor: Any) -> QuerySet[School]:
    return (
        School.objects.filter(access.visible(actor, School))
        .select_related("county", "city", "province", "school_group")
        .order_by("code")
    )


def school_get(*, actor: Any, code: str) -> School:
    school = school_list(actor=actor).filter(code=code).first()
    if school is None:
        raise NotFound("school")
    return school


def class_list(*, actor: Any, school: School | None = None) -> QuerySet[SchoolClass]:
    qs = SchoolClass.objects.filter(access.visible(actor, SchoolClass)).select_related("school")
    if school is not None:
        qs = qs.filter(school=school)
    return qs.order_by("school__code", "grade", "number")


def class_get(*, actor: Any, class_id: int) -> SchoolClass:
    school_class = (
        SchoolClass.objects.filter(access.visible(actor, SchoolClass))
        .select_related("school", "school__county")
        .filter(pk=class_id)
        .first()
    )
    if school_class is None:
        raise NotFound("class")
    return school_class


def student_list(*, actor: Any, school_class: SchoolClass | None = None) -> QuerySet[Student]:
    """Visible students, each annotated with `student_number_visible` (see STUDENT_NUMBER_ROLES)."""
    qs = Student.objects.filter(access.visible(actor, Student))
    if school_class is not None:
        qs = qs.filter(school_class=school_class)
    full_number = When(access.visible(actor, Student, roles=STUDENT_NUMBER_ROLES), then=Value(True))
    return (
        qs.annotate(student_number_visible=Case(full_number, default=Value(False), output_field=BooleanField()))
        .select_related("school", "school_class")
        .order_by("school_id", "school_class_id", "student_number")
    )


def student_get(*, actor: Any, student_id: int) -> Student:
    student = student_list(actor=actor).filter(pk=student_id).first()
    if student is None:
        raise NotFound("student")
    return student


def class_list_of_school(*, actor: Any, code: str) -> QuerySet[SchoolClass]:
    """The visible classes of one visible school; NotFound when the school is missing or out of scope."""
    return class_list(actor=actor, school=school_get(actor=actor, code=code))


def student_list_of_class(*, actor: Any, class_id: int) -> QuerySet[Student]:
    """The visible students of one visible class; NotFound when the class is missing or out of scope."""
    return student_list(actor=actor, school_class=class_get(actor=actor, class_id=class_id))


def guardian_link_list(*, actor: Any, student_id: int) -> QuerySet[GuardianLink]:
    """The guardians of one visible student, as their links (relation, primary) with the guardian joined."""
    student = student_get(actor=actor, student_id=student_id)
    return (
        GuardianLink.objects.filter(access.visible(actor, GuardianLink))
        .filter(student=student)
        .select_related("guardian")
        .order_by("-is_primary", "pk")
    )


def user_get_by_username(*, username: str) -> User:
    """For commands run by the operator on the server (no actor): an active user by username."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound("user")
    return user


def api_token_digest(raw: str) -> str:
    """Tokens are 256-bit random values, so a plain SHA-256 digest is enough to store and look them up."""
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_list(*, actor: Any) -> QuerySet[APIToken]:
    """The actor's own tokens (a token is private to its user; no role widens this)."""
    if not getattr(actor, "is_authenticated", False):
        return APIToken.objects.none()
    return APIToken.objects.filter(user_id=actor.pk).order_by("-created_at", "-pk")


def api_token_event_list(*, actor: Any) -> QuerySet[APITokenEvent]:
    """The actor's own token history (created, revoked), newest first: tokens are personal, like the list."""
    if not getattr(actor, "is_authenticated", False):
        return APITokenEvent.objects.none()
    return APITokenEvent.objects.filter(user_id=actor.pk).order_by("-at", "-pk")


def api_token_get(*, actor: Any, token_id: int) -> APIToken:
    token = api_token_list(actor=actor).filter(pk=token_id).first()
    if token is None:
        raise NotFound("api_token")
    return token


@dataclass(frozen=True, slots=True)
class TokenUse:
    """An API token that authenticated a request, with its active user and what its "last used" time needs."""

    token_id: int
    user: User
    first_use: bool  # never used before: record the use at once
    stale: bool  # last recorded before `stale_before`: queue the use (core.api_auth)


def _token_user_sql() -> str:
    # Table and column names come from the models' Meta, never from input; the values are bound parameters.
    columns = ", ".join(f"u.{field.column}" for field in User._meta.concrete_fields)
    token, user = APIToken._meta.db_table, User._meta.db_table
    return (
        f"SELECT {columns}, t.id AS token_id, t.last_used_at IS NULL AS token_first_use,"  # noqa: S608
        f" t.last_used_at < %s AS token_stale FROM {token} t JOIN {user} u ON u.id = t.user_id"
        " WHERE t.token_digest = %s AND u.is_active"
    )


_TOKEN_USER_SQL = _token_user_sql()


def api_token_use(*, raw: str, stale_before: datetime) -> TokenUse | None:
    """The token whose digest matches `raw` and its user, if the user is active (authentication). One raw
    query: the ORM's query compilation cost more than the query itself on the homework evening peak's path."""
    params = [connection.ops.adapt_datetimefield_value(stale_before), api_token_digest(raw)]
    user = next(iter(User.objects.raw(_TOKEN_USER_SQL, params)), None)
    if user is None:
        return None
    extra = vars(user)
    return TokenUse(
        token_id=extra.pop("token_id"),
        user=user,
        first_use=bool(extra.pop("token_first_use")),
        stale=bool(extra.pop("token_stale")),
    )
