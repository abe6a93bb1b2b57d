"""Attendance per block on a service date, and absences reported beforehand by guardians.

The world (conftest.py) is frozen on Monday 2026-09-07 at 09:00; the plan runs Monday to Friday, block 1 homework
guidance 16:00-17:00, block 2 activities 17:10-18:10. 王小明 (child) and 李小红 (classmate) of 4年级1班 and 王小华
(younger) of 2年级1班 are signed up.
"""

from dataclasses import dataclass
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuangjian.afterschool import selectors_attendance
from shuangjian.afterschool.models import AbsenceReport, AttendanceRecord, Offering, ServicePlan
from shuangjian.afterschool.services import allocation, attendance, plans
from shuangjian.afterschool.services.attendance import Mark
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import SHANGHAI, AfterschoolWorld
from shuangjian.core.errors import AccessDenied, DomainError, NotFound
from shuangjian.core.models import Role, User
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 9, 7)


@dataclass
class Day:
    plan: ServicePlan
    head: User  # 4年级1班's head teacher


@pytest.fixture
def day(world: AfterschoolWorld) -> Day:
    plan = b.make_plan(world)
    for parent, student in ((world.parent, world.child), (world.other_parent, world.classmate)):
        b.sign_up(parent, student, plan)
    b.sign_up(world.parent, world.younger, plan)
    head = f.named_user("4年级1班班主任")
    f.assign(head, Role.HEAD_TEACHER, school=world.school, school_class=world.class4)
    return Day(plan, head)


def _take(actor: User, world: AfterschoolWorld, marks: list[Mark], on: date = MONDAY, block: int = 1) -> object:
    return attendance.class_attendance_take(
        actor=actor, class_id=world.class4.pk, day=on, block_number=block, marks=marks
    )


def _statuses() -> dict[str, str]:
    return dict(AttendanceRecord.objects.values_list("student__name", "status"))


def test_head_teacher_marks_the_whole_class_and_a_resubmission_updates(world: AfterschoolWorld, day: Day) -> None:
    # given
    first = [Mark(world.child.pk, "present"), Mark(world.classmate.pk, "late")]
    _take(day.head, world, first)
    # when: the teacher corrects one mark
    taken = attendance.class_attendance_take(
        actor=day.head,
        class_id=world.class4.pk,
        day=MONDAY,
        block_number=1,
        marks=[Mark(world.child.pk, "absent"), Mark(world.classmate.pk, "late")],
    )
    # then: one row per student and block, the latest marks
    assert _statuses() == {"王小明": "absent", "李小红": "late"}
    assert AttendanceRecord.objects.count() == 2
    assert (taken.count("absent"), taken.count("late"), len(taken.records)) == (1, 1, 2)
    assert set(AttendanceRecord.objects.values_list("marked_by", flat=True)) == {day.head.pk}


@pytest.mark.parametrize(
    ("_case", "marks", "code"),
    [
        ("another class's child", ["child", "classmate", "younger"], "afterschool.not_on_roster"),
        ("another school's child", ["child", "classmate", "other_child"], "afterschool.not_on_roster"),
        ("a child left out", ["child"], "afterschool.roster_incomplete"),
        ("a child twice", ["child", "classmate", "child"], "afterschool.duplicate_mark"),
    ],
)
def test_a_bad_roster_saves_nothing(world: AfterschoolWorld, day: Day, _case: str, marks: list[str], code: str) -> None:
    # given
    entries = [Mark(getattr(world, name).pk, "present") for name in marks]
    # when
    with pytest.raises(DomainError) as refused:
        _take(day.head, world, entries)
    # then
    assert refused.value.code == code
    assert AttendanceRecord.objects.count() == 0


def test_not_on_roster_names_the_students_number(world: AfterschoolWorld, day: Day) -> None:
    marks = [Mark(world.child.pk, "present"), Mark(world.classmate.pk, "present"), Mark(world.younger.pk, "late")]
    with pytest.raises(DomainError) as refused:
        _take(day.head, world, marks)
    assert refused.value.message == f"编号为 {world.younger.pk} 的学生不在本时段的名单上：本次点名全部没有保存。"


def test_an_unknown_status_is_refused(world: AfterschoolWorld, day: Day) -> None:
    with pytest.raises(DomainError) as refused:
        _take(day.head, world, [Mark(world.child.pk, "present"), Mark(world.classmate.pk, "sleeping")])
    assert refused.value.code == "afterschool.invalid_choice"
    assert AttendanceRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "on", "block", "code"),
    [
        ("National Day", date(2026, 10, 1), 1, "afterschool.no_service"),
        ("a Saturday", date(2026, 9, 12), 1, "afterschool.no_service"),
        ("before the term", date(2026, 8, 31), 1, "afterschool.no_plan_on_day"),
        ("tomorrow", date(2026, 9, 8), 1, "afterschool.attendance_in_future"),
        ("the activities block", MONDAY, 2, "afterschool.block_is_activities"),
        ("a block the plan lacks", MONDAY, 3, "afterschool.no_such_block"),
    ],
)
def test_no_attendance_without_service(
    world: AfterschoolWorld, day: Day, _case: str, on: date, block: int, code: str
) -> None:
    marks = [Mark(world.child.pk, "present"), Mark(world.classmate.pk, "present")]
    with pytest.raises(DomainError) as refused:
        _take(day.head, world, marks, on=on, block=block)
    assert refused.value.code == code
    assert AttendanceRecord.objects.count() == 0


def test_a_cancelled_date_is_refused_with_its_reason(world: AfterschoolWorld, day: Day) -> None:
    # given: the school cancelled Monday's service
    plans.plan_date_set(actor=world.leader, plan_id=day.plan.pk, day=MONDAY, follows_weekday=None, reason="运动会")
    # when
    with pytest.raises(DomainError) as refused:
        _take(day.head, world, [Mark(world.child.pk, "present"), Mark(world.classmate.pk, "present")])
    # then
    assert refused.value.code == "afterschool.service_cancelled"
    assert refused.value.message == "2026-09-07 的课后服务已取消（运动会）。"
    assert AttendanceRecord.objects.count() == 0


def test_who_may_take_a_class(world: AfterschoolWorld, day: Day) -> None:
    marks = [Mark(world.child.pk, "present"), Mark(world.classmate.pk, "present")]
    # a teacher of the school who does not teach the class: refused, the class is in their scope
    with pytest.raises(AccessDenied):
        _take(world.teacher, world, marks)
    # another school's leader, a guardian: the class is not theirs to know
    for outsider in (world.other_leader, world.parent):
        with pytest.raises((NotFound, AccessDenied)):
            _take(outsider, world, marks)
    assert AttendanceRecord.objects.count() == 0
    # the teacher once they teach the class (任课), and the school leader
    f.teaches(f.staff_member(world.school, "数学老师", world.teacher), world.class4, "数学")
    _take(world.teacher, world, marks)
    _take(world.leader, world, marks)
    assert AttendanceRecord.objects.count() == 2


def test_guardians_absence_shows_as_excused_on_the_roster(world: AfterschoolWorld, day: Day) -> None:
    # given: 王爸爸 reports Monday and Tuesday beforehand
    report = attendance.absence_report(
        actor=world.parent, student_id=world.child.pk, start=MONDAY, end=date(2026, 9, 8), reason="看牙医"
    )
    # when
    roster = selectors_attendance.class_roster(actor=day.head, class_id=world.class4.pk, day=MONDAY, block_number=1)
    # then
    assert [(line.student.name, line.status, line.absence) for line in roster.lines] == [
        ("李小红", "present", None),
        ("王小明", "excused", report),
    ]
    # and the marks keep the report
    _take(day.head, world, [Mark(world.child.pk, "excused"), Mark(world.classmate.pk, "present")])
    assert AttendanceRecord.objects.get(student=world.child).absence == report


@pytest.mark.parametrize(
    ("_case", "start", "end", "code"),
    [
        ("after the fact", date(2026, 9, 4), date(2026, 9, 8), "afterschool.absence_in_past"),
        ("backwards", date(2026, 9, 9), date(2026, 9, 8), "afterschool.absence_range"),
        ("over a month", date(2026, 9, 8), date(2026, 10, 20), "afterschool.absence_range"),
        ("after the term", date(2027, 1, 20), date(2027, 1, 25), "afterschool.outside_term"),
        ("in the vacation", date(2027, 2, 1), date(2027, 2, 3), "afterschool.not_signed_up"),
    ],
)
def test_a_bad_absence_report_is_refused(
    world: AfterschoolWorld, day: Day, _case: str, start: date, end: date, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        attendance.absence_report(actor=world.parent, student_id=world.child.pk, start=start, end=end, reason="病假")
    assert refused.value.code == code
    assert AbsenceReport.objects.count() == 0


def test_only_a_childs_own_family_reports_its_absence(world: AfterschoolWorld, day: Day) -> None:
    for stranger in (world.other_parent, day.head, world.leader):
        with pytest.raises(NotFound):
            attendance.absence_report(
                actor=stranger, student_id=world.child.pk, start=MONDAY, end=MONDAY, reason="病假"
            )
    assert AbsenceReport.objects.count() == 0


def test_a_child_not_signed_up_cannot_be_reported_absent(world: AfterschoolWorld) -> None:
    b.make_plan(world)
    with pytest.raises(DomainError) as refused:
        attendance.absence_report(actor=world.parent, student_id=world.child.pk, start=MONDAY, end=MONDAY, reason="x")
    assert refused.value.code == "afterschool.not_signed_up"
    assert AbsenceReport.objects.count() == 0


def test_taking_a_roster_costs_the_same_queries_for_any_class_size(world: AfterschoolWorld, day: Day) -> None:
    def queries_to_take() -> int:
        marks = [Mark(e.student_id, "present") for e in day.plan.enrolments.filter(school_class=world.class4)]
        teacher = User.objects.get(pk=day.head.pk)  # a new request's user: roles not loaded yet
        with CaptureQueriesContext(connection) as queries:
            _take(teacher, world, marks)
        return len(queries.captured_queries)

    # given: two children; then 40 more
    small = queries_to_take()
    for student in [f.student(world.class4, f"学生{i:02d}") for i in range(40)]:
        b.sign_up(b.family(world, student), student, day.plan)
    # when
    large = queries_to_take()
    # then: savepoint, roles, class, plan with its block and the day's change, 2 calendar, students with their
    # reported absences, upsert, release
    assert (small, large) == (9, 9)
    assert AttendanceRecord.objects.count() == 42


def test_an_offerings_seat_holders_are_its_roster(world: AfterschoolWorld, day: Day) -> None:
    # given: chess on Mondays in block 2, drawn after the window closed; the child got the seat
    chess = b.offer(world, day.plan, b.school_course(world, b.category(world).pk, title="国际象棋"), [(1, 2)], 1)
    b.choose(world.parent, day.plan.enrolments.get(student=world.child), chess)
    with time_machine.travel(datetime(2026, 9, 21, 18, 0, tzinfo=SHANGHAI), tick=False):
        allocation.allocation_run(actor=world.leader, plan_id=day.plan.pk, seed="seed")
        on = date(2026, 9, 21)
        roster = selectors_attendance.offering_roster(actor=world.teacher, offering_id=chess.pk, day=on, block_number=2)
        # when: a teacher of the school marks it; a classmate without a seat is refused
        with pytest.raises(DomainError) as refused:
            attendance.offering_attendance_take(
                actor=world.teacher, offering_id=chess.pk, day=on, block_number=2,
                marks=[Mark(world.child.pk, "present"), Mark(world.classmate.pk, "present")],
            )  # fmt: skip
        attendance.offering_attendance_take(
            actor=world.teacher, offering_id=chess.pk, day=on, block_number=2, marks=[Mark(world.child.pk, "late")]
        )
        # and Tuesday is not a chess day
        with pytest.raises(DomainError) as no_session:
            selectors_attendance.offering_roster(
                actor=world.teacher, offering_id=chess.pk, day=date(2026, 9, 15), block_number=2
            )
    # then
    assert [line.student for line in roster.lines] == [world.child]
    assert refused.value.code == "afterschool.not_on_roster"
    assert list(AttendanceRecord.objects.values_list("student", "offering", "status")) == [
        (world.child.pk, chess.pk, "late")
    ]
    assert no_session.value.code == "afterschool.no_session"
    assert Offering.objects.get(pk=chess.pk).assigned_count == 1
