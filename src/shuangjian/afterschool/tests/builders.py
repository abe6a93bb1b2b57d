"""Builders for after-school tests: state is made through the services, as users would make it."""

from dataclasses import replace
from datetime import date, time, timedelta
from typing import Any

from shuangjian.afterschool.models import CourseCategory, Enrolment, MenuCourse, Offering, ServicePlan
from shuangjian.afterschool.services import enrolment, menu, plans
from shuangjian.afterschool.tests.conftest import NOW, AfterschoolWorld
from shuangjian.core.models import Region, Role, Student, User
from shuangjian.core.tests import factories as f
from shuangjian.policy.models import PolicyProfile
from shuangjian.policy.services import profile_publish

GUIDANCE = plans.BlockDraft(1, "homework_guidance", time(16, 0), time(17, 0))
ACTIVITIES = plans.BlockDraft(2, "activities", time(17, 10), time(18, 10))
SEED_SOURCE = "2026-09-14 福彩3D开奖号码"


def plan_draft(**changes: Any) -> plans.PlanDraft:
    """Mon-Fri, homework guidance 16:00-17:00 then activities 17:10-18:10 (two hours), choices open for a week."""
    draft = plans.PlanDraft(
        weekdays=(1, 2, 3, 4, 5),
        blocks=(GUIDANCE, ACTIVITIES),
        enrolment_opens_at=NOW - timedelta(days=1),
        enrolment_closes_at=NOW + timedelta(days=7),
        max_preferences=3,
        courses_per_student=1,
        seed_source=SEED_SOURCE,
    )
    return replace(draft, **changes)


def make_plan(world: AfterschoolWorld, **changes: Any) -> ServicePlan:
    return plans.plan_create(
        actor=world.leader, school_code=world.school.code, start_year=2026, term_number=1, draft=plan_draft(**changes)
    )


def category(world: AfterschoolWorld, code: str = "sports", name: str = "体育锻炼") -> CourseCategory:
    return menu.category_create(
        actor=world.city_bureau, region_code=world.school.city_id, framework="1+3+N", code=code, name=name
    )


def course_draft(category_id: int, **changes: Any) -> menu.CourseDraft:
    draft = menu.CourseDraft(
        category_id=category_id,
        title="校园足球",
        provider_kind="school",
        provider_name="体育组",
        grade_min=3,
        grade_max=6,
        capacity=30,
        weekly_slots=1,
        venue="操场",
        staff="张老师",
    )
    return replace(draft, **changes)


def school_course(world: AfterschoolWorld, category_id: int, **changes: Any) -> MenuCourse:
    return menu.menu_course_create_for_school(
        actor=world.leader, school_code=world.school.code, draft=course_draft(category_id, **changes)
    )


def offer(
    world: AfterschoolWorld, plan: ServicePlan, course: MenuCourse, slots: list[tuple[int, int]], capacity: int
) -> Offering:
    return plans.offering_create(
        actor=world.leader, plan_id=plan.pk, course_id=course.pk, slots=slots, capacity=capacity
    )


def sign_up(parent: User, student: Student, plan: ServicePlan) -> Enrolment:
    return enrolment.enrolment_sign_up(actor=parent, plan_id=plan.pk, student_id=student.pk, consent=True)


def choose(parent: User, enrolled: Enrolment, *offerings: Offering) -> Enrolment:
    return enrolment.preferences_set(actor=parent, enrolment_id=enrolled.pk, offering_ids=[o.pk for o in offerings])


def family(world: AfterschoolWorld, student: Student) -> User:
    """A guardian account for a student (a new family)."""
    account = f.named_user(f"{student.name}家长")
    f.guardian_of(student, account, phone=f"139{student.pk:08d}")
    return account


def bureau_of(region: Region) -> User:
    account = f.user()
    f.assign(account, Role.BUREAU, region=region)
    return account


def publish(region: Region, values: dict[str, object]) -> PolicyProfile:
    return profile_publish(
        actor=bureau_of(region),
        region=region,
        effective_from=date(2026, 8, 1),
        values=values,
        note="测试",
    )
