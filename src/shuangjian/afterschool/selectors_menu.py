"""Reads of the course framework and the course menu (课程菜单).

A region's categories are public rules for everyone whose scope touches the region. The menu is for the people
who build and supervise it: school staff read their school's own courses and the menus of their county, city
and province; the bureau and its inspectors read the menus above their region and every course in it. Families
see courses only as the offerings of their child's school (selectors.offering_list).
"""

from typing import Any

from django.db.models import Q, QuerySet

from shuangjian.afterschool.models import CourseCategory, CourseStatus, MenuCourse
from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region, Role, School
from shuangjian.core.selectors import region_list

STAFF_ROLES = (Role.SCHOOL_LEADER, Role.TEACHER, Role.HEAD_TEACHER, Role.GRADE_COORDINATOR, Role.COUNSELLOR)
REGION_ROLES = (Role.BUREAU, Role.INSPECTOR)


def region_get(*, actor: Any, code: str) -> Region:
    """A region the actor's scope touches (core.selectors.region_list); NotFound otherwise."""
    region = region_list(actor=actor).filter(code=code).first()
    if region is None:
        raise NotFound("region")
    return region


def region_chain(region: Region) -> list[str]:
    """The region and its ancestors, nearest first (whose categories and menus apply there)."""
    return access.region_ancestry(region)


def school_region_chain(school: School) -> list[str]:
    return [school.county_id, school.city_id, school.province_id]


def categories_usable_in(chain: list[str]) -> QuerySet[CourseCategory]:
    return CourseCategory.objects.filter(region_id__in=chain).select_related("region").order_by("position", "pk")


def category_list(*, actor: Any, region_code: str) -> QuerySet[CourseCategory]:
    """The framework in force in a region: its own categories and those of the regions above it."""
    return categories_usable_in(region_chain(region_get(actor=actor, code=region_code)))


def category_usable(*, chain: list[str], category_id: int) -> CourseCategory:
    category = categories_usable_in(chain).filter(pk=category_id).first()
    if category is None:
        raise NotFound("category")
    return category


def _menu_q(actor: Any) -> Q:
    schools = School.objects.filter(access.visible(actor, School, roles=STAFF_ROLES))
    regional = Q(school__isnull=True)
    reach = Q(school__in=schools.values("pk")) | (
        regional
        & (
            Q(region__in=schools.values("county_id"))
            | Q(region__in=schools.values("city_id"))
            | Q(region__in=schools.values("province_id"))
        )
    )
    for assignment in access.assignments(actor):
        if assignment.role in REGION_ROLES and assignment.region is not None:
            code = assignment.region_id
            reach |= regional & Q(region_id__in=access.region_ancestry(assignment.region))
            reach |= Q(region_id=code) | Q(region__parent_id=code) | Q(region__parent__parent_id=code)
    return reach


def menu_course_list(*, actor: Any, school_code: str | None = None) -> QuerySet[MenuCourse]:
    """The menu courses the actor reads; with `school_code`, only those that school may order (active, its own
    or its regions' menus)."""
    qs = MenuCourse.objects.filter(_menu_q(actor))
    if school_code is not None:
        qs = qs.filter(orderable_by(_school_of(actor, school_code)))
    return qs.select_related("category", "region", "school").order_by("category__position", "title", "pk")


def _school_of(actor: Any, code: str) -> School:
    school = School.objects.filter(access.visible(actor, School)).filter(code=code).first()
    if school is None:
        raise NotFound("school")
    return school


def menu_course_get(*, actor: Any, course_id: int) -> MenuCourse:
    course = menu_course_list(actor=actor).filter(pk=course_id).first()
    if course is None:
        raise NotFound("course")
    return course


def orderable_by(school: School) -> Q:
    """Courses a school may order into its plan: active, its own or on its county's, city's or province's menu."""
    return Q(status=CourseStatus.ACTIVE) & (
        Q(school=school) | Q(school__isnull=True, region_id__in=school_region_chain(school))
    )


def course_for_school(*, school: School, course_id: int) -> MenuCourse:
    """A course `school` may order (for the ordering service, after it checked the actor); NotFound otherwise."""
    course = MenuCourse.objects.filter(pk=course_id).filter(orderable_by(school)).select_related("category").first()
    if course is None:
        raise NotFound("course")
    return course
