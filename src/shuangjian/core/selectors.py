"""Reads of the school system. Every one starts from core.access.visible."""

from typing import Any

from django.db.models import QuerySet

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role, RoleAssignment, School, SchoolClass, Student
from shuangjian.core.schemas import MeOut, RoleAssignmentOut


def scope_label(assignment: RoleAssignment) -> str:
    if assignment.school_class is not None:
        return f"{assignment.school} {assignment.school_class}"
    if assignment.school is not None:
        grade = f" {assignment.grade}年级" if assignment.grade is not None else ""
        return f"{assignment.school}{grade}"
    if assignment.region is not None:
        return assignment.region.name
    if assignment.role == Role.INSTITUTION_OPERATOR:
        return assignment.institution_credit_code
    return ""


def me(*, actor: Any) -> MeOut:
    return MeOut(
        username=actor.username,
        display_name=str(actor),
        roles=[
            RoleAssignmentOut(role=a.role, role_label=str(a.get_role_display()), scope_label=scope_label(a))
            for a in access.assignments(actor)
        ],
    )


def school_list(*, actor: Any) -> QuerySet[School]:
    return (
        School.objects.filter(access.visible(actor, School))
        .select_related("county", "city", "school_group")
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


def student_list(*, actor: Any) -> QuerySet[Student]:
    return (
        Student.objects.filter(access.visible(actor, Student))
        .select_related("school", "school_class")
        .order_by("school_id", "school_class_id", "student_number")
    )


def student_get(*, actor: Any, student_id: int) -> Student:
    student = student_list(actor=actor).filter(pk=student_id).first()
    if student is None:
        raise NotFound("student")
    return student
