"""Participation in the after-school service (issue 3 item 7), per school and per region, for one day's terms.

- Student participation rate: students signed up for the service (an active enrolment in the plan of the term
  containing `on`) / students in compulsory grades (1-9, status 在读) of the compulsory-education schools.
- Fill rate of a course: seats taken / seats offered, over the offerings of those plans.
- Coverage: compulsory-education schools with a plan for that term, and without one.
- Staff participation rate: the school's teaching staff with a duty in the plan (StaffDuty) / its teaching staff
  (users with a teaching role there); external staff are not counted.

Small cells are suppressed as homework monitoring does (policy.rules.share): where the denominator is below the
region's minimum cell size (policy `privacy.min_cell_size`), the rate is None and so is the numerator, so the rate
cannot be worked back from the counts.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from shuangjian.afterschool.models import Enrolment, EnrolmentStatus, Offering, ServicePlan
from shuangjian.afterschool.models_staffing import StaffDuty
from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region, RegionLevel, Role, RoleAssignment, School, Stage, Student, StudentStatus
from shuangjian.policy import rules as policy_rules
from shuangjian.policy.selectors import effective_profile, effective_profile_for_school

COMPULSORY_GRADES = (1, 9)
# Schools that teach compulsory grades (a 完全中学 has its junior grades; a 特殊教育学校 takes compulsory ages).
COMPULSORY_STAGES = (Stage.PRIMARY, Stage.JUNIOR, Stage.NINE_YEAR, Stage.COMPLETE_SECONDARY, Stage.SPECIAL)
# Who reads a school's participation: its leaders, and the bureau and inspectors over it.
SCHOOL_READERS = (Role.SCHOOL_LEADER, Role.BUREAU, Role.INSPECTOR)
# A school's teaching staff (counsellors teach too): the denominator of the staff participation rate, and who may
# be put on a duty, so the rate never passes 100%. External staff are not counted.
TEACHING_ROLES = (Role.TEACHER, Role.HEAD_TEACHER, Role.GRADE_COORDINATOR, Role.SCHOOL_LEADER, Role.COUNSELLOR)
_CHILD_LEVEL = {RegionLevel.PROVINCE: "city_id", RegionLevel.CITY: "county_id"}


@dataclass(frozen=True, slots=True)
class Cell:
    """A part of a whole: `part` and `rate` are None when the whole is below the minimum cell size."""

    whole: int
    part: int | None
    rate: float | None


def cell(part: int, whole: int, min_cell: int) -> Cell:
    rate = policy_rules.share(part, whole, min_cell)
    return Cell(whole, None if rate is None else part, rate)


@dataclass(frozen=True, slots=True)
class SchoolRow:
    code: str
    name: str
    county_name: str
    plan_id: int | None
    students: Cell  # whole: students in compulsory grades; part: enrolled in the service
    staff: Cell  # whole: teaching staff; part: those with a duty in the plan

    @property
    def has_plan(self) -> bool:
        return self.plan_id is not None


@dataclass(frozen=True, slots=True)
class RegionRow:
    code: str
    name: str
    schools: int
    schools_with_plan: int
    students: Cell
    staff: Cell


@dataclass(frozen=True, slots=True)
class CourseRow:
    course_id: int
    title: str
    category: str
    provider: str
    offerings: int
    seats: Cell  # whole: seats offered; part: seats taken


@dataclass(frozen=True, slots=True)
class RegionParticipation:
    region: Region
    on: date
    min_cell: int
    total: RegionRow
    children: list[RegionRow]
    schools: list[SchoolRow]
    courses: list[CourseRow]


@dataclass(frozen=True, slots=True)
class GradeRow:
    grade: int
    students: Cell


@dataclass(frozen=True, slots=True)
class SchoolParticipation:
    school: School
    on: date
    min_cell: int
    plan_id: int | None
    students: Cell
    staff: Cell
    grades: list[GradeRow]
    courses: list[CourseRow]


def teaching_staff_counts(school_ids: list[int]) -> dict[int, int]:
    rows = (
        RoleAssignment.objects.filter(school_id__in=school_ids, role__in=TEACHING_ROLES)
        .values("school_id")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )
    return {row["school_id"]: row["n"] for row in rows}


def serving_staff_counts(plans: QuerySet[ServicePlan]) -> dict[int, int]:
    """School staff with at least one duty in the plans, per school (external staff are not counted)."""
    rows = (
        StaffDuty.objects.filter(plan__in=plans, staff__isnull=False)
        .values("school_id")
        .annotate(n=Count("staff_id", distinct=True))
        .order_by()
    )
    return {row["school_id"]: row["n"] for row in rows}


def _plans_on(schools: QuerySet[School], on: date) -> QuerySet[ServicePlan]:
    return ServicePlan.objects.filter(school__in=schools, term__start_date__lte=on, term__end_date__gte=on)


def _compulsory_students() -> Q:
    low, high = COMPULSORY_GRADES
    return Q(status=StudentStatus.ENROLLED, school_class__grade__gte=low, school_class__grade__lte=high)


def _enrolled(plans: QuerySet[ServicePlan]) -> QuerySet[Enrolment]:
    low, high = COMPULSORY_GRADES
    return Enrolment.objects.filter(
        plan__in=plans,
        status=EnrolmentStatus.ACTIVE,
        student__status=StudentStatus.ENROLLED,
        school_class__grade__gte=low,
        school_class__grade__lte=high,
    )


def _courses(plans: QuerySet[ServicePlan], min_cell: int) -> list[CourseRow]:
    rows = (
        Offering.objects.filter(plan__in=plans)
        .values("course_id", "course__title", "course__category__name", "course__provider_name")
        .annotate(offerings=Count("pk"), capacity=Sum("capacity"), taken=Sum("assigned_count"))
        .order_by("course__category__position", "course__title", "course_id")
    )
    return [
        CourseRow(
            course_id=r["course_id"],
            title=r["course__title"],
            category=r["course__category__name"],
            provider=r["course__provider_name"],
            offerings=r["offerings"],
            seats=cell(int(r["taken"] or 0), int(r["capacity"] or 0), min_cell),
        )
        for r in rows
    ]


def _per_school(qs: QuerySet[Any], field: str = "school_id") -> dict[Any, int]:
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk")).order_by()}


def _region_row(
    code: str, name: str, schools: list[SchoolRow], counts: dict[str, tuple[int, int]], min_cell: int
) -> RegionRow:
    """`counts`: per school code, the unsuppressed (enrolled students, serving staff)."""
    students = sum(s.students.whole for s in schools)
    enrolled = sum(counts.get(s.code, (0, 0))[0] for s in schools)
    serving = sum(counts.get(s.code, (0, 0))[1] for s in schools)
    return RegionRow(
        code=code,
        name=name,
        schools=len(schools),
        schools_with_plan=sum(1 for s in schools if s.has_plan),
        students=cell(enrolled, students, min_cell),
        staff=cell(serving, sum(s.staff.whole for s in schools), min_cell),
    )


def region_participation(*, actor: Any, region_code: str, on: date) -> RegionParticipation:
    """A bureau's (or inspector's) region: totals, one row per child region, per school, per course."""
    region = Region.objects.select_related("parent__parent").filter(code=region_code).first()
    if region is None or not access.covers_region(actor, region):
        raise NotFound("region")
    min_cell = policy_rules.min_cell_size(effective_profile(region, on))
    schools = School.objects.filter(**{f"{region.level}_id": region.code}, stage__in=COMPULSORY_STAGES)
    plans = _plans_on(schools, on)
    students = _per_school(Student.objects.filter(_compulsory_students(), school__in=schools))
    enrolled = _per_school(_enrolled(plans))
    teaching = teaching_staff_counts(list(schools.values_list("pk", flat=True)))
    serving = serving_staff_counts(plans)
    plan_of = dict(plans.values_list("school_id", "pk"))
    school_rows: list[SchoolRow] = []
    enrolled_by_code: dict[str, tuple[int, int]] = {}
    child_of: dict[str, list[SchoolRow]] = defaultdict(list)
    child_field = _CHILD_LEVEL.get(RegionLevel(region.level))
    for school in schools.select_related("county").order_by("county_id", "code"):
        row = SchoolRow(
            code=school.code,
            name=school.name,
            county_name=school.county.name,
            plan_id=plan_of.get(school.pk),
            students=cell(enrolled.get(school.pk, 0), students.get(school.pk, 0), min_cell),
            staff=cell(serving.get(school.pk, 0), teaching.get(school.pk, 0), min_cell),
        )
        school_rows.append(row)
        enrolled_by_code[school.code] = (enrolled.get(school.pk, 0), serving.get(school.pk, 0))
        if child_field is not None:
            child_of[getattr(school, child_field)].append(row)
    children = [
        _region_row(child.code, child.name, child_of.get(child.code, []), enrolled_by_code, min_cell)
        for child in Region.objects.filter(parent=region).order_by("code")
    ]
    return RegionParticipation(
        region=region,
        on=on,
        min_cell=min_cell,
        total=_region_row(region.code, region.name, school_rows, enrolled_by_code, min_cell),
        children=children,
        schools=school_rows,
        courses=_courses(plans, min_cell),
    )


def school_participation(*, actor: Any, school_code: str, on: date) -> SchoolParticipation:
    """A school's participation by grade and its courses' fill rates (its leaders, the bureau, inspectors)."""
    school = (
        School.objects.filter(access.visible(actor, School, roles=SCHOOL_READERS), code=school_code)
        .select_related("county")
        .first()
    )
    if school is None:
        raise NotFound("school")
    min_cell = policy_rules.min_cell_size(effective_profile_for_school(school, on))
    schools = School.objects.filter(pk=school.pk)
    plans = _plans_on(schools, on)
    grade = "school_class__grade"
    students = _per_school(Student.objects.filter(_compulsory_students(), school=school), grade)
    enrolled = _per_school(_enrolled(plans), grade)
    grades = [GradeRow(g, cell(enrolled.get(g, 0), students[g], min_cell)) for g in sorted(students) if students[g] > 0]
    return SchoolParticipation(
        school=school,
        on=on,
        min_cell=min_cell,
        plan_id=plans.values_list("pk", flat=True).first(),
        students=cell(sum(enrolled.values()), sum(students.values()), min_cell),
        staff=cell(
            serving_staff_counts(plans).get(school.pk, 0),
            teaching_staff_counts([school.pk]).get(school.pk, 0),
            min_cell,
        ),
        grades=grades,
        courses=_courses(plans, min_cell),
    )
