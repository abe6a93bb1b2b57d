"""The matrix world's daily operation (used by api_matrix.py), on top of matrix_seeds.py, relative to today:
- `extras["service_day"]`: the last service day before today of the plan running now at the anchor's school (a4_1's
  plan in school A, b4_1's in school B), and `extras["session_day"]` the last one on which the anchor's course
  meets (block 2); `extras["current_offering"]`: the anchor's course in that plan;
- teacher_a teaches a4_1's class (任课), so they take its roster and no other class's;
- `extras["absence"]`: today's absence each anchor's guardian reported; `extras["attendance_record"]`: the anchor's
  mark in block 1 of the service day; `extras["late_sign_out"]`: the anchor signed out 20 minutes late that day.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from shuangjian.afterschool import selectors
from shuangjian.afterschool.models import ServicePlan
from shuangjian.afterschool.services import attendance, signout
from shuangjian.afterschool.tests.matrix_seeds import WEEKDAY, leader_of, seed_allocated, seed_enrolments
from shuangjian.core.models import Guardian, User
from shuangjian.core.testing.matrix import Anchor, World
from shuangjian.core.tests import factories as f


def current_plan(world: World, anchor: Anchor) -> ServicePlan:
    plan: ServicePlan = world.anchors["a4_1" if anchor.school == world.schools["a"] else "b4_1"].extras["plan"]
    return plan


def last_service_day(plan: ServicePlan, weekday: int | None = None) -> date:
    today = timezone.localdate()
    days = selectors.service_days_of(plan, today - timedelta(days=59), today - timedelta(days=1))
    return [d.day for d in days if weekday is None or d.timetable_weekday == weekday][-1]


def guardian_user(anchor: Anchor) -> User:
    user = Guardian.objects.get(pk=anchor.guardian.pk).user
    if user is None:
        raise ValueError(f"{anchor.name}'s guardian has no account: seed the enrolments first")
    return user


def seed_days(world: World) -> None:
    seed_enrolments(world)
    if "service_day" in world.anchors["a4_1"].extras:
        return
    a4_1 = world.anchors["a4_1"]
    f.teaches(f.staff_member(a4_1.school, "任课老师", world.users["teacher_a"]), a4_1.school_class, "数学")
    for anchor in world.anchors.values():
        anchor.extras["service_day"] = last_service_day(current_plan(world, anchor))


def seed_sessions(world: World) -> None:
    seed_allocated(world)
    seed_days(world)
    for name, anchor in world.anchors.items():
        plan = current_plan(world, anchor)
        anchor.extras["current_offering"] = plan.offerings.get(course=anchor.extras["course"])
        anchor.extras["session_day"] = last_service_day(plan, WEEKDAY[name])


def seed_absences(world: World) -> None:
    seed_days(world)
    today = timezone.localdate()
    for anchor in world.anchors.values():
        anchor.extras["absence"] = attendance.absence_report(
            actor=guardian_user(anchor), student_id=anchor.student.pk, start=today, end=today, reason="发烧"
        )


def seed_marks(world: World) -> None:
    seed_days(world)
    for anchor in world.anchors.values():
        taken = attendance.class_attendance_take(
            actor=leader_of(world, anchor), class_id=anchor.school_class.pk, day=anchor.extras["service_day"],
            block_number=1, marks=[attendance.Mark(anchor.student.pk, "late")],
        )  # fmt: skip
        anchor.extras["attendance_record"] = taken.records[0]


def sign_out_moment(day: date) -> datetime:
    """Twenty minutes after block 1 (16:00-17:00 in the seeded plans) ends."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=17, minutes=20)


def seed_late(world: World) -> None:
    seed_days(world)
    for anchor in world.anchors.values():
        day = anchor.extras["service_day"]
        anchor.extras["late_sign_out"] = signout.sign_out(
            actor=leader_of(world, anchor), student_id=anchor.student.pk, day=day, block_number=1,
            guardian_id=anchor.guardian.pk, leave_alone=False, at=sign_out_moment(day),
        )  # fmt: skip
