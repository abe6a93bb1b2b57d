"""After-school daily operation in a real browser on a phone: a head teacher takes a class's attendance for
today's homework-guidance block in one submit, with the child whose guardian reported an absence already marked
excused, then signs a child out at the gate; a guardian reports an absence beforehand, sees the child's recent
attendance and takes the absence back.

The clock is Monday 23 November 2026, 16:30 in Shanghai (a service day in the term the world defines).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from shuangjian.afterschool.models import AbsenceReport, AttendanceRecord
from shuangjian.afterschool.services import attendance, enrolment, plans
from shuangjian.core.models import Role, SchoolClass, SchoolYear, Student, Term, User
from shuangjian.core.tests import factories as f
from shuangjian.policy.datafiles import create_missing_national_versions
from shuangjian.policy.models import PolicyProfile
from tests.e2e.helpers import assert_no_horizontal_overflow, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 23)
NAMES = ("李小红", "张一", "张二", "张三", "张四", "张五", "张六", "张七")


@dataclass
class World:
    class4: SchoolClass
    child: Student
    classmates: list[Student]
    head: User
    parent: User


@pytest.fixture
def monday_afternoon() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 11, 23, 16, 30, tzinfo=SHANGHAI), tick=True):
        yield


@pytest.fixture
def world(monday_afternoon: None) -> World:
    # A transactional test starts from an emptied database: load the national policy profile again.
    create_missing_national_versions(PolicyProfile)
    year = SchoolYear.objects.create(start_year=2026)
    Term.objects.create(school_year=year, number=1, start_date=date(2026, 9, 1), end_date=date(2027, 1, 22))
    _province, _city, liangyuan, _minquan = f.regions()
    school = f.school(liangyuan, "商丘市第一实验小学")
    class4 = f.school_class(school, 4, 1)
    child = f.student(class4, "王小明")
    classmates = [f.student(class4, name) for name in NAMES]
    leader = f.named_user("校长", "xiaozhang")
    f.assign(leader, Role.SCHOOL_LEADER, school=school)
    now = datetime.now(SHANGHAI)
    draft = plans.PlanDraft(
        weekdays=(1, 2, 3, 4, 5),
        blocks=(
            plans.BlockDraft(1, "homework_guidance", time(16, 0), time(17, 0)),
            plans.BlockDraft(2, "activities", time(17, 10), time(18, 10)),
        ),
        enrolment_opens_at=now - timedelta(days=30),
        enrolment_closes_at=now - timedelta(days=20),
        max_preferences=3,
        courses_per_student=1,
        seed_source="2026-10-20 福彩3D开奖号码",
    )
    plan = plans.plan_create(actor=leader, school_code=school.code, start_year=2026, term_number=1, draft=draft)
    parent = f.named_user("王爸爸", "wang.baba")
    f.guardian_of(child, parent)
    for student in (child, *classmates):
        family = parent if student == child else f.named_user(f"{student.name}家长")
        if student != child:
            f.guardian_of(student, family, phone=f"139{student.pk:08d}")
        enrolment.enrolment_sign_up(actor=family, plan_id=plan.pk, student_id=student.pk, consent=True)
    head = f.named_user("班主任", "banzhuren")
    f.assign(head, Role.HEAD_TEACHER, school=school, school_class=class4)
    return World(class4, child, classmates, head, parent)


def test_teacher_on_a_phone_takes_the_class_roster_in_one_submit(world: World, live_server: Any, phone: Page) -> None:
    # given: 王爸爸 reported this afternoon's absence beforehand
    attendance.absence_report(actor=world.parent, student_id=world.child.pk, start=MONDAY, end=MONDAY, reason="看牙医")
    log_in(phone, live_server.url, "banzhuren")
    # when: the head teacher opens today's blocks and picks the class's homework guidance
    phone.goto(live_server.url + "/afterschool/attendance/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("课后服务点名")
    rosters = phone.get_by_test_id("rosters")
    expect(rosters).to_contain_text("未点名 · 9 人")
    rosters.get_by_role("link", name="4年级1班").click()
    # then: the roster, with the excused child marked
    expect(phone.get_by_role("heading", level=1)).to_have_text("4年级1班 点名")
    expect(phone.get_by_test_id("roster-when")).to_contain_text("第 1 时段 · 作业辅导 · 16:00–17:00")
    child_row = phone.get_by_test_id(f"roster-row-{world.child.pk}")
    expect(child_row.get_by_test_id("excused")).to_have_text("家长已请假：看牙医")
    expect(child_row.get_by_role("radio", name="请假")).to_be_checked()
    assert_no_horizontal_overflow(phone)
    # when: two taps, one submit
    phone.get_by_test_id(f"roster-row-{world.classmates[0].pk}").get_by_text("缺勤").click()
    phone.get_by_test_id(f"roster-row-{world.classmates[1].pk}").get_by_text("迟到").click()
    expect(
        phone.get_by_test_id(f"roster-row-{world.classmates[0].pk}").get_by_role("radio", name="缺勤")
    ).to_be_checked()
    screenshot(phone, "phone-afterschool-attendance-roster")
    phone.get_by_role("button", name="提交点名（9 人）").click()
    # then: saved, and the page shows the marks as taken
    expect(phone.locator(".message-success")).to_have_text("已保存 9 名学生的考勤：出勤 6，迟到 1，缺勤 1，请假 1。")
    expect(phone.get_by_test_id("roster-summary")).to_contain_text("已点名，可修改后重新提交")
    statuses = dict(AttendanceRecord.objects.values_list("student__name", "status"))
    assert statuses == {
        "王小明": "excused", "李小红": "absent", "张一": "late",
        **dict.fromkeys(NAMES[2:], "present"),
    }  # fmt: skip
    assert AttendanceRecord.objects.get(student=world.child).absence is not None
    screenshot(phone, "phone-afterschool-attendance-saved")
    # when: at the gate, the head teacher opens the class's sign-out sheet and taps the guardian who came
    phone.goto(live_server.url + "/afterschool/attendance/")
    phone.get_by_test_id("sign-out-links").get_by_role("link", name="4年级1班").click()
    expect(phone.get_by_test_id("sheet-summary")).to_contain_text("待签离 9 / 9 人")
    classmate = world.classmates[0]
    row = phone.get_by_test_id(f"sign-out-{classmate.pk}")
    row.get_by_role("button").first.click()
    # then
    expect(phone.locator(".message-success")).to_contain_text(f"已签离：{classmate.name}")
    expect(phone.get_by_test_id(f"sign-out-{classmate.pk}").get_by_test_id("signed-out")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone-afterschool-sign-out")


def test_guardian_on_a_phone_reports_an_absence(world: World, live_server: Any, phone: Page) -> None:
    log_in(phone, live_server.url, "wang.baba")
    # when: tomorrow, a dentist appointment
    phone.goto(live_server.url + "/afterschool/")
    phone.get_by_role("link", name="请假与出勤").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("课后服务请假与出勤")
    child = phone.get_by_test_id(f"child-{world.child.pk}")
    child.get_by_label("开始日期").fill("2026-11-24")
    child.get_by_label("结束日期").fill("2026-11-24")
    child.get_by_label("请假原因").fill("看牙医")
    child.get_by_role("button", name="提交请假").click()
    # then
    expect(phone.locator(".message-success")).to_have_text("已为王小明请假：2026-11-24。老师点名时会看到。")
    expect(phone.get_by_test_id(f"child-{world.child.pk}").get_by_test_id("absences")).to_contain_text("看牙医")
    assert list(AbsenceReport.objects.values_list("start_date", "end_date", "reason")) == [
        (date(2026, 11, 24), date(2026, 11, 24), "看牙医")
    ]
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone-afterschool-absence")
    # when: the appointment moves; the guardian takes the absence back
    phone.get_by_test_id(f"child-{world.child.pk}").get_by_role("button", name="取消请假").click()
    # then
    expect(phone.locator(".message-success")).to_have_text("已取消请假。")
    assert not AbsenceReport.objects.exists()
