"""Staffing: duties per block and weekday, refusals (nothing saved), each person's term and the fairness view."""

import pytest

from shuangjian.afterschool import selectors, selectors_participation, selectors_staffing
from shuangjian.afterschool.models_staffing import StaffDuty
from shuangjian.afterschool.services import staffing
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import AfterschoolWorld
from shuangjian.core.errors import AccessDenied, DomainError, NotFound
from shuangjian.core.models import Role
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db
LOCAL: dict[str, object] = {
    "afterschool.teacher_pay_min_fen_per_class_hour": 5000,
    "afterschool.flexible_start_minutes_per_service_day": 30,
}


def test_a_teacher_serves_and_their_term_is_computed_from_the_calendar(world: AfterschoolWorld) -> None:
    # given: the city pays 50 yuan per class hour and gives 30 minutes of later start per service day
    b.publish(world.school.city, LOCAL)
    plan = b.make_plan(world)
    # when: the teacher serves Monday's block 1 and block 2, a coach Tuesday's block 2
    for block in (1, 2):
        staffing.duty_assign(
            actor=world.leader, plan_id=plan.pk, weekday=1, block_number=block, staff_id=world.teacher.pk
        )
    staffing.duty_assign(
        actor=world.leader, plan_id=plan.pk, weekday=2, block_number=2, external_name="王教练",
        external_provider="商丘市青少年活动中心", external_qualification="国家二级足球教练",
    )  # fmt: skip
    # then: the term's Mondays (holidays removed) make the teacher's days, with two class hours each
    term_days = selectors.service_days_of(plan, plan.term.start_date, plan.term.end_date)
    mondays = [d for d in term_days if d.timetable_weekday == 1]
    view = selectors_staffing.staffing(actor=world.leader, plan_id=plan.pk)
    teacher = next(p for p in view.people if not p.external)
    assert (teacher.term.days, teacher.term.class_hours) == (len(mondays), 2 * len(mondays))
    assert teacher.term.minutes == 120 * len(mondays)
    assert teacher.term.flexible_minutes == 30 * len(mondays)
    assert teacher.term.subsidy_fen == 5000 * 2 * len(mondays)
    coach = next(p for p in view.people if p.external)
    assert (coach.name, coach.provider) == ("王教练", "商丘市青少年活动中心")
    assert (view.serving_staff, view.teaching_staff) == (1, 2)  # the teacher of the leader and the teacher


@pytest.mark.parametrize(
    ("_case", "fields", "code"),
    [
        ("the teacher twice in one block", {"staff_id": "teacher"}, "afterschool.double_booked"),
        ("the coach twice in one block", {"external_name": "王教练", "external_provider": "活动中心"},
         "afterschool.double_booked"),
        ("both a teacher and an outsider", {"staff_id": "teacher", "external_name": "王教练", "external_provider": "x"},
         "afterschool.duty_who"),
        ("an outsider without provider", {"external_name": "王教练"}, "afterschool.duty_who"),
        ("nobody", {}, "afterschool.duty_who"),
        ("another school's leader", {"staff_id": "other_leader"}, "afterschool.not_school_staff"),
        ("a Saturday", {"staff_id": "leader", "weekday": 6}, "afterschool.not_a_service_day"),
        ("a block the plan lacks", {"staff_id": "leader", "block_number": 3}, "afterschool.no_such_block"),
    ],
)  # fmt: skip
def test_a_bad_duty_is_refused_and_nothing_is_saved(
    world: AfterschoolWorld, _case: str, fields: dict[str, object], code: str
) -> None:
    # given: the teacher and the coach already serve Monday's block 1
    plan = b.make_plan(world)
    staffing.duty_assign(actor=world.leader, plan_id=plan.pk, weekday=1, block_number=1, staff_id=world.teacher.pk)
    staffing.duty_assign(
        actor=world.leader,
        plan_id=plan.pk,
        weekday=1,
        block_number=1,
        external_name="王教练",
        external_provider="活动中心",
    )
    given = {"weekday": 1, "block_number": 1, **fields}
    if isinstance(given.get("staff_id"), str):
        given["staff_id"] = getattr(world, str(given["staff_id"])).pk
    # when / then
    with pytest.raises(DomainError) as refused:
        staffing.duty_assign(actor=world.leader, plan_id=plan.pk, **given)  # type: ignore[arg-type]
    assert refused.value.code == code
    assert StaffDuty.objects.count() == 2


def test_who_may_assign_and_read(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    with pytest.raises(AccessDenied):
        staffing.duty_assign(actor=world.teacher, plan_id=plan.pk, weekday=1, block_number=1, staff_id=world.teacher.pk)
    with pytest.raises(NotFound):
        staffing.duty_assign(actor=world.other_leader, plan_id=plan.pk, weekday=1, block_number=1, staff_id=1)
    with pytest.raises(NotFound):
        selectors_staffing.staffing(actor=world.teacher, plan_id=plan.pk)
    assert selectors_staffing.staffing(actor=world.county_bureau, plan_id=plan.pk).people == []
    assert StaffDuty.objects.count() == 0


def test_the_fairness_view_flags_an_outlier(world: AfterschoolWorld) -> None:
    # given: five teachers serve one block a week each; one serves all ten blocks of the week
    plan = b.make_plan(world)
    teachers = [f.named_user(f"教师{n}") for n in range(6)]
    for n, teacher in enumerate(teachers):
        f.assign(teacher, Role.TEACHER, school=world.school)
        slots = [(d, k) for d in range(1, 6) for k in (1, 2)] if n == 0 else [(n, 1)]
        for weekday, block in slots:
            staffing.duty_assign(
                actor=world.leader, plan_id=plan.pk, weekday=weekday, block_number=block, staff_id=teacher.pk
            )
    # when
    view = selectors_staffing.staffing(actor=world.leader, plan_id=plan.pk)
    # then: only the teacher with ten blocks a week stands out
    assert [p.name for p in view.people if p.outlier] == [str(teachers[0])]
    assert view.serving_staff == 6
    # and the staff participation rate counts the school's teaching staff: the six, the leader and the teacher
    on = plan.term.start_date
    rate = selectors_participation.school_participation(actor=world.county_bureau, school_code=world.school.code, on=on)
    assert rate.staff == selectors_participation.Cell(whole=8, part=6, rate=0.75)
    region = selectors_participation.region_participation(actor=world.city_bureau, region_code="411400", on=on)
    assert region.total.staff == selectors_participation.Cell(whole=9, part=6, rate=6 / 9)  # and 民权县's leader


def test_removing_a_duty(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    duty = staffing.duty_assign(
        actor=world.leader, plan_id=plan.pk, weekday=1, block_number=1, staff_id=world.teacher.pk
    )
    with pytest.raises(AccessDenied):
        staffing.duty_remove(actor=world.teacher, duty_id=duty.pk)
    with pytest.raises(NotFound):
        staffing.duty_remove(actor=world.other_leader, duty_id=duty.pk)
    assert staffing.duty_remove(actor=world.leader, duty_id=duty.pk) is True
    assert StaffDuty.objects.count() == 0
