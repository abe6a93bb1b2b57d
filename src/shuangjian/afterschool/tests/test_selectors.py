"""Reads: who sees which plan and enrolment, and the seams later work calls (dated sessions, rosters)."""

from datetime import date

import pytest
import time_machine

from shuangjian.afterschool import selectors
from shuangjian.afterschool.services import allocation, plans
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import AFTER_WINDOW, AfterschoolWorld
from shuangjian.core.errors import DomainError, NotFound
from shuangjian.core.models import Role
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_plan_is_read_by_whoever_reaches_the_school(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    for who in ("leader", "teacher", "parent", "other_parent", "city_bureau", "county_bureau"):
        assert list(selectors.plan_list(actor=getattr(world, who))) == [plan], who
    for who in ("other_leader", "other_county_bureau"):
        assert list(selectors.plan_list(actor=getattr(world, who))) == [], who
        with pytest.raises(NotFound):
            selectors.plan_get(actor=getattr(world, who), plan_id=plan.pk)


def test_enrolments_are_a_childs(world: AfterschoolWorld) -> None:
    # given: both families of class 4 signed up
    plan = b.make_plan(world)
    mine = b.sign_up(world.parent, world.child, plan)
    theirs = b.sign_up(world.other_parent, world.classmate, plan)
    head = f.user()
    f.assign(head, Role.HEAD_TEACHER, school=world.school, school_class=world.class2)

    def seen(who: object) -> list[int]:
        return [e.pk for e in selectors.enrolment_list(actor=who, plan_id=plan.pk)]

    # then
    assert seen(world.parent) == [mine.pk]
    assert seen(world.other_parent) == [theirs.pk]
    assert sorted(seen(world.teacher)) == sorted([mine.pk, theirs.pk])
    assert seen(head) == []  # the head teacher of class 2 sees the plan, not class 4's children
    with pytest.raises(NotFound):
        selectors.enrolment_get(actor=world.parent, enrolment_id=theirs.pk)


def test_an_offerings_dated_sessions_follow_the_plan_and_the_calendar(world: AfterschoolWorld) -> None:
    # given: a Monday and Thursday course; Saturday 10 October runs Monday's timetable
    plan = b.make_plan(world)
    course = b.school_course(world, b.category(world).pk, weekly_slots=2)
    offering = b.offer(world, plan, course, [(1, 2), (4, 2)], 20)
    plans.plan_date_set(actor=world.leader, plan_id=plan.pk, day=date(2026, 10, 10), follows_weekday=1, reason="调休")
    # when
    sessions = selectors.offering_sessions(offering, date(2026, 9, 28), date(2026, 10, 12))
    # then: National Day (1-7 October) has none
    assert [(s.day.isoformat(), s.block_number) for s in sessions] == [
        ("2026-09-28", 2),
        ("2026-10-08", 2),
        ("2026-10-10", 2),
        ("2026-10-12", 2),
    ]


def test_service_days_outside_the_term_are_empty_and_a_bad_range_is_refused(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    assert selectors.service_days_of(plan, date(2026, 7, 1), date(2026, 8, 31)) == []
    with pytest.raises(DomainError) as refused:
        selectors.plan_service_days(actor=world.leader, plan_id=plan.pk, start=date(2026, 10, 2), end=date(2026, 10, 1))
    assert refused.value.code == "afterschool.bad_range"
    # the whole term: 88 weekdays in 2026 less six on holidays (25 Sept, 1, 2, 5, 6, 7 Oct), and 16 in January
    # 2027, a year the installed calendar does not cover (plain weekdays, core.calendar.uncovered_years)
    _plan, start, end, days = selectors.plan_service_days(actor=world.leader, plan_id=plan.pk)
    assert (start, end, len(days)) == (date(2026, 9, 1), date(2027, 1, 22), 82 + 16)


def test_an_offerings_roster_as_each_reader_sees_it(world: AfterschoolWorld, clock: time_machine.Traveller) -> None:
    # given: two class-4 children in football after the draw
    plan = b.make_plan(world)
    football = b.offer(world, plan, b.school_course(world, b.category(world).pk), [(2, 2)], 20)
    for parent, child in ((world.parent, world.child), (world.other_parent, world.classmate)):
        b.choose(parent, b.sign_up(parent, child, plan), football)
    clock.move_to(AFTER_WINDOW)
    allocation.allocation_run(actor=world.leader, plan_id=plan.pk, seed="seed")
    # then
    names = [a.enrolment.student.name for a in selectors.offering_roster(actor=world.teacher, offering_id=football.pk)]
    assert sorted(names) == ["李小红", "王小明"]
    mine = selectors.offering_roster(actor=world.parent, offering_id=football.pk)
    assert [a.enrolment.student.name for a in mine] == ["王小明"]
    with pytest.raises(NotFound):
        selectors.offering_roster(actor=world.other_leader, offering_id=football.pk)
