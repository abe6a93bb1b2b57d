"""Reads for the home page: one card per role assignment, each built from core.access.visible.

Every count and list starts from `access.visible(actor, Model, roles=[the card's role])` and is then narrowed
to the card's own scope (its region, school, grade or class), so a card never shows more than that one
assignment reaches and never anything outside the actor's scope.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from shuangjian.core import access, protect
from shuangjian.core.models import (
    Region,
    RegionLevel,
    Role,
    RoleAssignment,
    School,
    SchoolClass,
    Staff,
    Student,
    StudentStatus,
    TeachingAssignment,
)
from shuangjian.core.subjects import Subject


class CardKind(StrEnum):
    REGION = "region"  # bureau, inspector
    SCHOOL = "school"  # school leader, counsellor
    CLASSES = "classes"  # teacher (the classes they teach), grade coordinator, head teacher
    CHILDREN = "children"  # guardian
    OWN_CLASS = "own_class"  # student
    INSTITUTION = "institution"  # training-institution operator


@dataclass(frozen=True, slots=True)
class ClassRow:
    name: str
    student_count: int
    subjects: tuple[str, ...] = ()  # what the actor teaches there (teacher cards only)
    class_id: int | None = None


@dataclass(frozen=True, slots=True)
class ChildRow:
    name: str
    school_name: str
    class_name: str
    student_number_masked: str


@dataclass(frozen=True, slots=True)
class HomeCard:
    kind: CardKind
    role: str
    role_label: str
    scope_label: str
    school_count: int | None = None
    class_count: int | None = None
    student_count: int | None = None
    staff_count: int | None = None
    school_code: str = ""
    classes: tuple[ClassRow, ...] = ()
    children: tuple[ChildRow, ...] = ()
    student: ChildRow | None = None
    credit_code: str = ""
    region_code: str = ""  # region cards: the assigned region
    class_id: int | None = None  # head-teacher cards: their class


def grade_label(grade: int) -> str:
    """小班/中班/大班 for kindergarten grades -2..0, otherwise "N年级"."""
    kindergarten = {-2: _("小班"), -1: _("中班"), 0: _("大班")}
    if grade in kindergarten:
        return kindergarten[grade]
    return _("%(grade)s年级") % {"grade": grade}


def _enrolled(qs: QuerySet[Student]) -> QuerySet[Student]:
    return qs.filter(status=StudentStatus.ENROLLED)


_SUBJECT_ORDER = {subject.value: index for index, subject in enumerate(Subject)}


def _class_rows(classes: QuerySet[SchoolClass], subjects: dict[int, list[str]] | None = None) -> tuple[ClassRow, ...]:
    annotated = classes.annotate(
        enrolled=Count("students", filter=Q(students__status=StudentStatus.ENROLLED))
    ).order_by("grade", "number")
    taught = subjects or {}
    return tuple(
        ClassRow(
            c.name,
            c.enrolled,
            tuple(sorted(taught.get(c.pk, ()), key=lambda s: (_SUBJECT_ORDER.get(s, len(_SUBJECT_ORDER)), s))),
            c.pk,
        )
        for c in annotated
    )


def _role_label(assignment: RoleAssignment) -> str:
    return str(assignment.get_role_display())


def _region_card(actor: Any, assignment: RoleAssignment, region: Region) -> HomeCard:
    roles = [Role(assignment.role)]
    column = f"{RegionLevel(region.level).value}_id"
    schools = School.objects.filter(access.visible(actor, School, roles)).filter(**{column: region.code})
    classes = SchoolClass.objects.filter(access.visible(actor, SchoolClass, roles)).filter(
        **{f"school__{column}": region.code}
    )
    students = Student.objects.filter(access.visible(actor, Student, roles)).filter(
        **{f"school__{column}": region.code}
    )
    return HomeCard(
        kind=CardKind.REGION,
        role=assignment.role,
        role_label=_role_label(assignment),
        scope_label=region.name,
        region_code=region.code,
        school_count=schools.count(),
        class_count=classes.count(),
        student_count=_enrolled(students).count(),
    )


def _school_card(actor: Any, assignment: RoleAssignment, school: School) -> HomeCard:
    roles = [Role(assignment.role)]
    classes = SchoolClass.objects.filter(access.visible(actor, SchoolClass, roles)).filter(school=school)
    students = Student.objects.filter(access.visible(actor, Student, roles)).filter(school=school)
    staff = Staff.objects.filter(access.visible(actor, Staff, roles)).filter(school=school)
    return HomeCard(
        kind=CardKind.SCHOOL,
        role=assignment.role,
        role_label=_role_label(assignment),
        scope_label=school.name,
        class_count=classes.count(),
        student_count=_enrolled(students).count(),
        staff_count=staff.count(),
        school_code=school.code,
    )


def _classes_card(actor: Any, assignment: RoleAssignment, school: School) -> HomeCard:
    role = Role(assignment.role)
    classes = SchoolClass.objects.filter(access.visible(actor, SchoolClass, [role])).filter(school=school)
    scope = school.name
    subjects: dict[int, list[str]] | None = None
    own_class_id: int | None = None
    if role == Role.TEACHER:
        # A teacher's own classes are those of their teaching assignments (任课) in this school.
        taught = (
            TeachingAssignment.objects.filter(access.visible(actor, TeachingAssignment, [role]))
            .filter(school=school, staff__user=actor)
            .values_list("school_class_id", "subject")
        )
        subjects = {}
        for class_id, subject in taught:
            subjects.setdefault(class_id, []).append(subject)
        classes = classes.filter(pk__in=list(subjects))
    elif role == Role.GRADE_COORDINATOR and assignment.grade is not None:
        classes = classes.filter(grade=assignment.grade)
        scope = _("%(school)s %(grade)s") % {"school": school.name, "grade": grade_label(assignment.grade)}
    elif role == Role.HEAD_TEACHER and assignment.school_class is not None:
        own_class = assignment.school_class
        classes = classes.filter(pk=own_class.pk)
        scope = _("%(school)s %(class)s") % {"school": school.name, "class": own_class.name}
        own_class_id = own_class.pk
    return HomeCard(
        kind=CardKind.CLASSES,
        role=assignment.role,
        role_label=_role_label(assignment),
        scope_label=scope,
        classes=_class_rows(classes, subjects),
        class_id=own_class_id,
    )


def _children_card(actor: Any, assignment: RoleAssignment) -> HomeCard:
    children = (
        Student.objects.filter(access.visible(actor, Student, [Role.GUARDIAN]))
        .select_related("school", "school_class")
        .order_by("birth_date", "pk")
    )
    return HomeCard(
        kind=CardKind.CHILDREN,
        role=assignment.role,
        role_label=_role_label(assignment),
        scope_label=_("我的孩子"),
        children=tuple(
            ChildRow(c.name, c.school.name, c.school_class.name, protect.mask_student_number(c.student_number))
            for c in children
        ),
    )


def _own_class_card(actor: Any, assignment: RoleAssignment, student: Student) -> HomeCard:
    me = (
        Student.objects.filter(access.visible(actor, Student, [Role.STUDENT]))
        .filter(pk=student.pk)
        .select_related("school", "school_class")
        .first()
    )
    if me is None:
        return HomeCard(
            kind=CardKind.OWN_CLASS, role=assignment.role, role_label=_role_label(assignment), scope_label=""
        )
    return HomeCard(
        kind=CardKind.OWN_CLASS,
        role=assignment.role,
        role_label=_role_label(assignment),
        scope_label=me.school.name,
        student=ChildRow(me.name, me.school.name, me.school_class.name, protect.mask_student_number(me.student_number)),
    )


def _institution_card(assignment: RoleAssignment) -> HomeCard:
    return HomeCard(
        kind=CardKind.INSTITUTION,
        role=assignment.role,
        role_label=_role_label(assignment),
        scope_label="",
        credit_code=assignment.institution_credit_code,
    )


def home_cards(*, actor: Any) -> list[HomeCard]:
    """One card per role assignment of the actor, in the order the roles were assigned.

    The role_assignment_scope_matches_role constraint guarantees each role its scope columns; an
    assignment without them (which the database refuses) would simply get no card.
    """
    cards = []
    for assignment in sorted(access.assignments(actor), key=lambda a: a.pk):
        role = Role(assignment.role)
        region, school = assignment.region, assignment.school
        if role in (Role.BUREAU, Role.INSPECTOR) and region is not None:
            cards.append(_region_card(actor, assignment, region))
        elif role in (Role.SCHOOL_LEADER, Role.COUNSELLOR) and school is not None:
            cards.append(_school_card(actor, assignment, school))
        elif role in (Role.TEACHER, Role.HEAD_TEACHER, Role.GRADE_COORDINATOR) and school is not None:
            cards.append(_classes_card(actor, assignment, school))
        elif role == Role.GUARDIAN:
            cards.append(_children_card(actor, assignment))
        elif role == Role.STUDENT and assignment.student is not None:
            cards.append(_own_class_card(actor, assignment, assignment.student))
        elif role == Role.INSTITUTION_OPERATOR:
            cards.append(_institution_card(assignment))
    return cards


def role_labels(*, actor: Any) -> list[str]:
    """The actor's distinct role names in the order they were assigned, for the top bar."""
    labels: list[str] = []
    for assignment in sorted(access.assignments(actor), key=lambda a: a.pk):
        label = _role_label(assignment)
        if label not in labels:
            labels.append(label)
    return labels
