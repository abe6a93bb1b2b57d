"""A small after-school world: a primary school in 梁园区 with grade-4 and grade-2 classes and another in 民权县,
their leaders and a teacher, the bureaus of the city and both counties, and two families (王爸爸 with a
grade-4 and a grade-2 child, 李妈妈 with a grade-4 child; the child in 民权县 has no account). Time is frozen on Monday
2026-09-07 at 09:00 in Shanghai, inside the enrolment window the builders give a plan."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shuangjian.core.models import Relation, Role, School, SchoolClass, SchoolYear, Student, Term, User
from shuangjian.core.tests import factories as f

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 9, 7, 9, 0, tzinfo=SHANGHAI)
AFTER_WINDOW = datetime(2026, 9, 20, 9, 0, tzinfo=SHANGHAI)
TERM_START, TERM_END = date(2026, 9, 1), date(2027, 1, 22)


@dataclass
class AfterschoolWorld:
    school: School
    other_school: School
    class4: SchoolClass
    class2: SchoolClass
    other_class: SchoolClass
    leader: User
    teacher: User
    other_leader: User
    city_bureau: User
    county_bureau: User
    other_county_bureau: User
    parent: User
    other_parent: User
    child: Student
    classmate: Student
    younger: Student
    other_child: Student


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db: None, clock: time_machine.Traveller) -> AfterschoolWorld:
    year = SchoolYear.objects.create(start_year=2026)
    Term.objects.create(school_year=year, number=1, start_date=TERM_START, end_date=TERM_END)
    _province, city, liangyuan, minquan = f.regions()
    school = f.school(liangyuan, "梁园区前进小学")
    other_school = f.school(minquan, "民权县实验小学")
    class4, class2 = f.school_class(school, 4, 1), f.school_class(school, 2, 1)
    other_class = f.school_class(other_school, 4, 1)
    child, classmate = f.student(class4, "王小明"), f.student(class4, "李小红")
    younger, other_child = f.student(class2, "王小华"), f.student(other_class, "赵小刚")

    def account(name: str, role: Role, **scope: object) -> User:
        user = f.named_user(name)
        f.assign(user, role, **scope)
        return user

    parent, other_parent = f.named_user("王爸爸"), f.named_user("李妈妈")
    f.guardian_of(child, parent, phone="13800000001").links.create(student=younger, relation=Relation.FATHER)
    f.guardian_of(classmate, other_parent, phone="13800000003")
    return AfterschoolWorld(
        school=school,
        other_school=other_school,
        class4=class4,
        class2=class2,
        other_class=other_class,
        leader=account("前进小学校长", Role.SCHOOL_LEADER, school=school),
        teacher=account("前进小学老师", Role.TEACHER, school=school),
        other_leader=account("民权实验校长", Role.SCHOOL_LEADER, school=other_school),
        city_bureau=account("商丘市教育局", Role.BUREAU, region=city),
        county_bureau=account("梁园区教体局", Role.BUREAU, region=liangyuan),
        other_county_bureau=account("民权县教体局", Role.BUREAU, region=minquan),
        parent=parent,
        other_parent=other_parent,
        child=child,
        classmate=classmate,
        younger=younger,
        other_child=other_child,
    )
