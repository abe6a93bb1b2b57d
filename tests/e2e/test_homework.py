"""Homework journeys in a real browser: a teacher stopped at the cap (desktop), a guardian reporting time (phone),
and the monitoring charts.

The clock is Monday 23 November 2026, 19:30 in Shanghai (a school day in the term the world defines), so the
pages' "today" is fixed whatever day the suite runs on.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from shuangjian.core.models import Role, School, SchoolClass, SchoolYear, Student, Term, User
from shuangjian.core.tests import factories as f
from shuangjian.homework.models import HomeworkFeedback, HomeworkItem
from shuangjian.homework.services import feedback, items, rollups
from shuangjian.policy.datafiles import create_missing_national_versions
from shuangjian.policy.models import PolicyProfile
from tests.e2e.helpers import assert_no_horizontal_overflow, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY = date(2026, 11, 23)


@dataclass
class World:
    school: School
    class4: SchoolClass
    child: Student
    classmates: list[Student]
    chinese: User
    maths: User
    head: User
    parent: User
    leader: User


@pytest.fixture
def monday_evening() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 11, 23, 19, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture
def world(monday_evening: None) -> World:
    # A transactional test starts from an emptied database: load the national policy profile again.
    create_missing_national_versions(PolicyProfile)
    year = SchoolYear.objects.create(start_year=2026)
    Term.objects.create(school_year=year, number=1, start_date=date(2026, 9, 1), end_date=date(2027, 1, 22))
    _province, _city, liangyuan, _minquan = f.regions()
    school = f.school(liangyuan, "商丘市第一实验小学")
    class4 = f.school_class(school, 4, 1)
    child = f.student(class4, "王小明")
    classmates = [f.student(class4, name) for name in ("李小红", "张一", "张二", "张三", "张四", "张五")]

    def teacher(name: str, username: str, subject: str) -> User:
        account = f.named_user(name, username)
        f.assign(account, Role.TEACHER, school=school)
        f.teaches(f.staff_member(school, name, account), class4, subject)
        return account

    chinese = teacher("语文老师", "yuwen", "语文")
    maths = teacher("数学老师", "shuxue", "数学")
    head = f.named_user("班主任", "banzhuren")
    f.assign(head, Role.HEAD_TEACHER, school=school, school_class=class4)
    parent = f.named_user("王爸爸", "wang.baba")
    f.guardian_of(child, parent)
    leader = f.named_user("校长", "xiaozhang")
    f.assign(leader, Role.SCHOOL_LEADER, school=school)
    return World(school, class4, child, classmates, chinese, maths, head, parent, leader)


def publish(world: World, teacher: User, subject: str, title: str, minutes: int, day: date = MONDAY) -> HomeworkItem:
    draft = items.ItemDraft(
        subject=subject, kind="written", layer="basic", title=title, instructions="",
        estimated_minutes=minutes, start_date=day, due_date=day,
    )  # fmt: skip
    return items.homework_assign(actor=teacher, class_id=world.class4.pk, draft=draft, today=MONDAY)


def test_teacher_on_a_desktop_is_stopped_at_the_cap_and_sees_the_days_load(
    world: World, live_server: Any, desktop: Page
) -> None:
    # given: the Chinese teacher has already set 35 of Monday's 60 minutes
    publish(world, world.chinese, "语文", "练习册第12页", 35)
    log_in(desktop, live_server.url, "shuxue")
    # when: the maths teacher opens 布置作业 from the home page
    desktop.get_by_role("link", name="布置作业").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("布置作业")
    panel = desktop.get_by_test_id("load-panel")
    expect(panel).to_contain_text("4年级1班 · 11月23日 星期一 的作业量")
    expect(panel.get_by_test_id("by-subject")).to_have_text("语文 35 分钟")
    expect(panel.get_by_test_id("remaining")).to_have_text("距上限还有 25 分钟。")
    # and fills in 30 minutes: before submitting, the page says it would be over
    desktop.get_by_label("标题").fill("口算练习")
    desktop.get_by_label("预计用时（分钟）").fill("30")
    expect(desktop.locator("#load-projection")).to_have_text("加上这项作业：共 65 分钟，超过上限 5 分钟，将无法发布。")
    desktop.get_by_label("我确认").check()
    desktop.get_by_role("button", name="发布作业").click()
    # then: not published; the message and the day's load by subject are on the page
    refusal = desktop.get_by_test_id("refusal")
    expect(refusal).to_contain_text("作业未发布。")
    expect(refusal).to_contain_text("2026-11-23 的书面作业总时长将达到 65 分钟，超过本年级上限 60 分钟。")
    panel = desktop.get_by_test_id("load-panel")
    expect(panel.get_by_test_id("by-subject")).to_have_text("语文 35 分钟")
    expect(panel.get_by_test_id("load-minutes")).to_have_text("35")
    expect(panel.get_by_test_id("cap-minutes")).to_have_text("60")
    expect(desktop.get_by_label("预计用时（分钟）")).to_have_value("30")
    assert HomeworkItem.objects.count() == 1
    assert_no_horizontal_overflow(desktop)
    screenshot(desktop, "desktop-homework-assign-refused")
    # when: the teacher looks at Tuesday instead (the week strip), the panel follows
    panel.get_by_role("button", name="星期二").click()
    expect(desktop.get_by_test_id("load-panel")).to_contain_text("11月24日 星期二 的作业量")
    expect(desktop.get_by_label("完成日期")).to_have_value("2026-11-24")
    expect(desktop.locator("#load-projection")).to_have_text("加上这项作业：共 30 分钟，在上限内。")
    # and publishes there
    desktop.get_by_label("我确认").check()
    desktop.get_by_role("button", name="发布作业").click()
    expect(desktop.locator(".message-success")).to_have_text("已发布：4年级1班 数学“口算练习”，30 分钟。")
    expect(desktop.get_by_test_id("load-panel").get_by_test_id("by-subject")).to_have_text("数学 30 分钟")
    assert list(HomeworkItem.objects.order_by("pk").values_list("subject", "due_date")) == [
        ("语文", MONDAY),
        ("数学", MONDAY + timedelta(days=1)),
    ]
    screenshot(desktop, "desktop-homework-assign-published")


def test_teacher_assign_page_fits_a_phone(world: World, live_server: Any, phone: Page) -> None:
    publish(world, world.chinese, "语文", "练习册第12页", 35)
    log_in(phone, live_server.url, "shuxue")
    phone.goto(live_server.url + "/homework/assign/")
    expect(phone.get_by_test_id("load-panel")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone-homework-assign")


def test_guardian_on_a_phone_sees_the_board_and_reports_time(world: World, live_server: Any, phone: Page) -> None:
    # given
    publish(world, world.chinese, "语文", "练习册第12页", 35)
    publish(world, world.maths, "数学", "口算练习", 20)
    log_in(phone, live_server.url, "wang.baba")
    # when: the guardian opens today's homework from the home page
    phone.get_by_role("link", name="今天的作业").click()
    # then: the child's board, with the total against the cap
    expect(phone.get_by_role("heading", level=1)).to_have_text("今天的作业")
    child = phone.get_by_test_id(f"child-{world.child.pk}")
    expect(child.get_by_role("heading", level=2)).to_contain_text("王小明")
    expect(child.get_by_test_id("load-minutes")).to_have_text("55")
    expect(child.get_by_test_id("subject-语文")).to_contain_text("练习册第12页")
    expect(child.get_by_test_id("subject-数学")).to_contain_text("口算练习")
    expect(child).to_contain_text("到了就寝时间（21:20）还没写完，就让孩子按时睡觉——这样做是对的。")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone-homework-family-board")
    # when: the guardian reports 70 minutes, unfinished at bedtime
    child.get_by_label("今天实际用了多少分钟").fill("70")
    child.get_by_label("到就寝时间仍未完成").check()
    child.get_by_role("button", name="提交用时").click()
    # then
    expect(phone.locator(".message-success")).to_contain_text("已记录 王小明 2026-11-23 的作业用时：70 分钟。")
    child = phone.get_by_test_id(f"child-{world.child.pk}")
    expect(child.get_by_test_id("reported")).to_have_text(
        "已填报：70 分钟，到就寝时间仍未完成。再次提交会替换这次的记录。"
    )
    screenshot(phone, "phone-homework-family-reported")
    # when: they correct it; the latest report replaces the first
    child.get_by_label("今天实际用了多少分钟").fill("60")
    child.get_by_label("到就寝时间仍未完成").uncheck()
    child.get_by_role("button", name="更新用时").click()
    expect(phone.get_by_test_id(f"child-{world.child.pk}").get_by_test_id("reported")).to_have_text(
        "已填报：60 分钟。再次提交会替换这次的记录。"
    )
    report = HomeworkFeedback.objects.get()
    assert (report.reported_minutes, report.unfinished_at_bedtime) == (60, False)
    assert_no_horizontal_overflow(phone)


def test_school_leader_sees_the_monitoring_charts(world: World, live_server: Any, desktop: Page, phone: Page) -> None:
    # given: a week of reports from the seven students of the class
    publish(world, world.chinese, "语文", "练习册第12页", 40)
    students = [world.child, *world.classmates]
    for offset, extra in enumerate((0, 10, -5)):
        day = MONDAY - timedelta(days=7) + timedelta(days=offset)
        feedback.feedback_batch_submit(
            actor=world.head,
            class_id=world.class4.pk,
            day=day,
            entries=[
                feedback.FeedbackEntry(s.pk, 30 + 8 * i + extra, i == 6 and extra > 0) for i, s in enumerate(students)
            ],
            today=MONDAY,
        )
    rollups.rollups_refresh([MONDAY - timedelta(days=7 - i) for i in range(3)])
    url = f"{live_server.url}/homework/schools/{world.school.code}/monitoring/"
    for page, name in ((desktop, "desktop"), (phone, "phone")):
        log_in(page, live_server.url, "xiaozhang")
        # when
        page.goto(url)
        page.get_by_role("link", name="上周").click()
        # then: the summary and two drawn charts
        expect(page.get_by_test_id("within-share")).to_have_text("57%")
        expect(page.get_by_test_id("chart-share").locator("svg")).to_have_count(1)
        expect(page.get_by_test_id("chart-minutes").locator("svg")).to_have_count(1)
        expect(page.get_by_test_id("chart-share")).to_contain_text("在上限内完成")
        assert_no_horizontal_overflow(page)
        screenshot(page, f"{name}-homework-monitoring-school")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_homework_page_fits_phone_and_desktop(world: World, live_server: Any, size: str, request: Any) -> None:
    # given: a day with homework in both layers, a multi-day project, reports, and a bureau over the city
    publish(world, world.chinese, "语文", "练习册第12页", 35)
    draft = items.ItemDraft(
        subject="数学", kind="project", layer="advanced", title="测量校园里的树", instructions="分组测量并记录",
        estimated_minutes=60, start_date=MONDAY, due_date=MONDAY + timedelta(days=3),
    )  # fmt: skip
    items.homework_assign(actor=world.maths, class_id=world.class4.pk, draft=draft, today=MONDAY)
    feedback.feedback_batch_submit(
        actor=world.head,
        class_id=world.class4.pk,
        day=MONDAY,
        entries=[
            feedback.FeedbackEntry(s.pk, 40 + 9 * i, i == 6) for i, s in enumerate([world.child, *world.classmates])
        ],
        today=MONDAY,
    )
    rollups.rollups_refresh([MONDAY])
    coordinator = f.named_user("年级组长", "nianji")
    f.assign(coordinator, Role.GRADE_COORDINATOR, school=world.school, grade=4)
    bureau = f.named_user("商丘市教育局", "sq.bureau")
    f.assign(bureau, Role.BUREAU, region=world.school.city)
    page: Page = request.getfixturevalue(size)
    class_id = world.class4.pk
    journeys = {
        "yuwen": ["/homework/", "/homework/mine/"],
        "wang.baba": [f"/homework/classes/{class_id}/board/", f"/homework/classes/{class_id}/week/"],
        "banzhuren": [f"/homework/classes/{class_id}/feedback/", f"/homework/classes/{class_id}/monitoring/"],
        "nianji": ["/homework/grade/", f"/homework/classes/{class_id}/rebalance/"],
        "sq.bureau": [f"/homework/regions/{world.school.city_id}/monitoring/"],
    }
    for username, paths in journeys.items():
        page.context.clear_cookies()
        log_in(page, live_server.url, username)
        for path in paths:
            # when
            page.goto(live_server.url + path)
            # then
            expect(page.locator("h1")).to_be_visible()
            assert_no_horizontal_overflow(page)
            name = path.replace(f"/{class_id}/", "/class/").strip("/").replace("/", "-")
            screenshot(page, f"{size}-{name}-{username}")
            if path.endswith("/board/"):  # 作业公示 on paper: the board without the site's bar and buttons
                page.emulate_media(media="print")
                expect(page.locator(".topbar")).to_be_hidden()
                expect(page.get_by_test_id("board")).to_be_visible()
                screenshot(page, f"{size}-{name}-print")
                page.emulate_media(media="screen")
