"""A small homework world: one primary school with a grade-4 and a grade-2 class, teachers, a family."""

from dataclasses import dataclass
from datetime import date

import pytest

from shuangjian.core.models import Role, School, SchoolClass, SchoolYear, Student, Term, User
from shuangjian.core.tests import factories as f

MONDAY = date(2026, 11, 23)


@dataclass
class HomeworkWorld:
    school: School
    other_school: School
    class4: SchoolClass
    class2: SchoolClass
    other_class: SchoolClass
    chinese_teacher: User
    maths_teacher: User
    coordinator: User
    head_teacher: User
    parent: User
    child: Student
    classmate: Student
    other_child: Student


@pytest.fixture
def world(db: None) -> HomeworkWorld:
    year = SchoolYear.objects.create(start_year=2026)
    Term.objects.create(school_year=year, number=1, start_date=date(2026, 9, 1), end_date=date(2027, 1, 22))
    _province, _city, liangyuan, minquan = f.regions()
    school = f.school(liangyuan, "商丘市第一实验小学")
    other_school = f.school(minquan, "民权县实验小学")
    class4 = f.school_class(school, 4, 1)
    class2 = f.school_class(school, 2, 1)
    other_class = f.school_class(other_school, 4, 1)
    child, classmate = f.student(class4, "王小明"), f.student(class4, "李小红")
    other_child = f.student(other_class, "赵小刚")

    def teacher(name: str, subject: str, *classes: SchoolClass) -> User:
        account = f.named_user(name)
        staff = f.staff_member(school, name, account)
        f.assign(account, Role.TEACHER, school=school, subjects=[subject])
        for c in classes:
            f.teaches(staff, c, subject)
        return account

    chinese = teacher("语文老师", "语文", class4, class2)
    maths = teacher("数学老师", "数学", class4)
    coordinator = f.named_user("年级组长")
    f.assign(coordinator, Role.GRADE_COORDINATOR, school=school, grade=4)
    head = f.named_user("班主任")
    f.assign(head, Role.HEAD_TEACHER, school=school, school_class=class4)
    parent = f.named_user("王爸爸")
    f.guardian_of(child, parent)
    return HomeworkWorld(
        school, other_school, class4, class2, other_class, chinese, maths, coordinator, head, parent,
        child, classmate, other_child,
    )  # fmt: skip
