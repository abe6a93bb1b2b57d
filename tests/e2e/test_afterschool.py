"""After-school journeys in a real browser: a guardian on a phone signs the child up and ranks activities, then sees
the seat and the weekly schedule after the draw; a bureau user sees participation rates with their charts.

The clock starts on Monday 7 September 2026, 10:00 in Shanghai, inside the plan's choice window.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from shuangjian.afterschool.models import AssignmentStatus, Enrolment, Offering, ServicePlan
from shuangjian.afterschool.services import allocation, enrolment, menu, plans
from shuangjian.core.models import Role, School, SchoolClass, SchoolYear, Student, Term, User
from shuangjian.core.tests import factories as f
from shuangjian.policy.datafiles import create_missing_national_versions
from shuangjian.policy.models import PolicyProfile
from tests.e2e.helpers import assert_no_horizontal_overflow, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 9, 7, 10, 0, tzinfo=SHANGHAI)


@dataclass
class World:
    school: School
    class4: SchoolClass
    child: Student
    classmates: list[Student]
    parent: User
    leader: User
    bureau: User
    plan: ServicePlan
    offerings: dict[str, Offering]


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY, tick=True) as traveller:
        yield traveller


def _course(leader: User, school: School, category_id: int, title: str, capacity: int) -> int:
    draft = menu.CourseDraft(
        category_id=category_id, title=title, provider_kind="school", provider_name="体育组", grade_min=3,
        grade_max=6, capacity=capacity, weekly_slots=1, venue="操场", staff="张老师",
    )  # fmt: skip
    return menu.menu_course_create_for_school(actor=leader, school_code=school.code, draft=draft).pk


@pytest.fixture
def world(clock: time_machine.Traveller) -> World:
    # A transactional test starts from an emptied database: load the national policy profile again.
    create_missing_national_versions(PolicyProfile)
    year = SchoolYear.objects.create(start_year=2026)
    Term.objects.create(school_year=year, number=1, start_date=date(2026, 9, 1), end_date=date(2027, 1, 22))
    _province, city, liangyuan, _minquan = f.regions()
    school = f.school(liangyuan, "商丘市第一实验小学")
    class4 = f.school_class(school, 4, 1)
    child = f.student(class4, "王小明")
    classmates = [f.student(class4, name) for name in ("李小红", "张一", "张二", "张三", "张四", "张五")]
    parent = f.named_user("王爸爸", "wang.baba")
    f.guardian_of(child, parent)
    leader = f.named_user("校长", "xiaozhang")
    f.assign(leader, Role.SCHOOL_LEADER, school=school)
    bureau = f.named_user("商丘市教育局", "sq.bureau")
    f.assign(bureau, Role.BUREAU, region=city)
    draft = plans.PlanDraft(
        weekdays=(1, 2, 3, 4, 5),
        blocks=(
            plans.BlockDraft(1, "homework_guidance", time(16, 0), time(17, 0)),
            plans.BlockDraft(2, "activities", time(17, 10), time(18, 10)),
        ),
        enrolment_opens_at=MONDAY - timedelta(days=1),
        enrolment_closes_at=MONDAY + timedelta(days=7),
        max_preferences=3,
        courses_per_student=2,
        seed_source="2026-09-15 福彩3D开奖号码",
    )
    plan = plans.plan_create(actor=leader, school_code=school.code, start_year=2026, term_number=1, draft=draft)
    sports = menu.category_create(
        actor=bureau, region_code=city.code, framework="1+3+N", code="sports", name="体育锻炼"
    )
    offerings = {
        title: plans.offering_create(
            actor=leader, plan_id=plan.pk, course_id=_course(leader, school, sports.pk, title, seats), slots=[slot]
        )
        for title, seats, slot in (("校园足球", 1, (1, 2)), ("国际象棋", 20, (3, 2)), ("合唱", 20, (5, 2)))
    }
    return World(school, class4, child, classmates, parent, leader, bureau, plan, offerings)


def test_guardian_on_a_phone_signs_up_and_chooses_activities(
    world: World, live_server: Any, phone: Page, clock: time_machine.Traveller
) -> None:
    # given
    log_in(phone, live_server.url, "wang.baba")
    # when: the guardian opens 课后服务 from the menu and then 报名与选课 (one child: straight to the child's page)
    phone.get_by_role("button", name="菜单").click()
    phone.get_by_role("link", name="课后服务").click()
    phone.get_by_role("link", name="报名与选课").click()
    # then: the school's plan, with its days and blocks
    expect(phone.get_by_role("heading", level=1)).to_have_text("王小明的课后服务")
    plan = phone.get_by_test_id("plan")
    expect(plan).to_contain_text("每周 周一、周二、周三、周四、周五，放学后：")
    expect(plan).to_contain_text("16:00–17:00 作业辅导")
    expect(plan).to_contain_text("17:10–18:10 素质拓展活动")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone-afterschool-child-sign-up")
    # when: signing up without consent, the service's message; with consent, the child is signed up
    phone.get_by_role("button", name="报名参加").click()
    expect(phone.get_by_test_id("error")).to_have_text("课后服务自愿参加：报名须由家长确认同意。")
    assert not Enrolment.objects.exists()
    phone.get_by_label("我已了解课后服务由家长自愿选择参加，同意孩子参加本学期课后服务。").check()
    phone.get_by_role("button", name="报名参加").click()
    expect(phone.locator(".message-success")).to_have_text("已为 王小明 报名本学期课后服务。")
    expect(phone.get_by_test_id("enrolled")).to_contain_text("已报名（王爸爸 于 2026-09-07")
    # when: choosing the same course twice, then chess first and football second
    choices = phone.get_by_test_id("choices-form")
    choices.get_by_label("第 1 志愿").select_option(label="校园足球 · 体育锻炼")
    choices.get_by_label("第 2 志愿").select_option(label="校园足球 · 体育锻炼")
    choices.get_by_role("button", name="保存志愿").click()
    expect(phone.get_by_test_id("error")).to_have_text("同一门课程不能重复填报。")
    choices = phone.get_by_test_id("choices-form")
    choices.get_by_label("第 1 志愿").select_option(label="国际象棋 · 体育锻炼")
    choices.get_by_label("第 2 志愿").select_option(label="校园足球 · 体育锻炼")
    choices.get_by_role("button", name="保存志愿").click()
    # then
    expect(phone.locator(".message-success")).to_contain_text("志愿已保存。")
    expect(phone.get_by_test_id("choices-form").get_by_label("第 1 志愿")).to_have_value(
        str(world.offerings["国际象棋"].pk)
    )
    chosen = Enrolment.objects.get().preferences.values_list("offering__course__title", flat=True)
    assert list(chosen) == ["国际象棋", "校园足球"]
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone-afterschool-child-chosen")
    # when: a classmate also wants football (one seat); after the window the school draws
    other = f.named_user("李妈妈", "li.mama")
    f.guardian_of(world.classmates[0], other, phone="13800000009")
    signed = enrolment.enrolment_sign_up(
        actor=other, plan_id=world.plan.pk, student_id=world.classmates[0].pk, consent=True
    )
    enrolment.preferences_set(actor=other, enrolment_id=signed.pk, offering_ids=[world.offerings["校园足球"].pk])
    clock.move_to(MONDAY + timedelta(days=8))
    allocation.allocation_run(actor=world.leader, plan_id=world.plan.pk, seed="20260915")
    phone.reload()
    # then: chess is his; football is his or he is first on its waitlist; the weekly schedule shows chess on Wednesday
    seats = phone.get_by_test_id("seats")
    expect(seats.get_by_test_id(f"seat-{world.offerings['国际象棋'].pk}")).to_contain_text("已录取")
    football = Enrolment.objects.get(student=world.child).assignments.get(offering=world.offerings["校园足球"])
    expected = "已录取" if football.status == AssignmentStatus.ASSIGNED else "候补第 1 位"
    expect(seats.get_by_test_id(f"seat-{world.offerings['校园足球'].pk}")).to_contain_text(expected)
    expect(seats).to_contain_text("名额按公开的随机种子“20260915”")
    schedule = phone.get_by_test_id("schedule")
    expect(schedule).to_contain_text("周三")
    expect(schedule).to_contain_text("国际象棋（操场）")
    expect(phone.get_by_test_id("choices-form")).to_have_count(0)
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone-afterschool-child-result")


def test_bureau_sees_participation_rates_with_charts(
    world: World, live_server: Any, desktop: Page, phone: Page
) -> None:
    # given: five of the seven grade-4 pupils are signed up and have chosen
    for index, student in enumerate([world.child, *world.classmates[:4]]):
        account = world.parent if student == world.child else f.named_user(f"家长{index}", f"jiazhang{index}")
        if account != world.parent:
            f.guardian_of(student, account, phone=f"1380000001{index}")
        signed = enrolment.enrolment_sign_up(actor=account, plan_id=world.plan.pk, student_id=student.pk, consent=True)
        enrolment.preferences_set(actor=account, enrolment_id=signed.pk, offering_ids=[world.offerings["合唱"].pk])
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        log_in(page, live_server.url, "sq.bureau")
        # when: from the hub to the city's participation
        page.goto(live_server.url + "/afterschool/")
        page.get_by_test_id("hub-region").get_by_role("link", name="参与情况").click()
        # then: 5 of 7 students, one school of one with a plan; the county and school rows; both charts drawn
        expect(page.get_by_role("heading", level=1)).to_have_text("商丘市 课后服务参与情况")
        expect(page.get_by_test_id("participation-rate")).to_contain_text("71%")
        expect(page.get_by_test_id("participation-counts")).to_have_text("5 / 7")
        expect(page.get_by_test_id("schools-with-plan")).to_have_text("1 / 1")
        expect(page.get_by_test_id(f"region-{world.school.county_id}")).to_contain_text("71%")
        expect(page.get_by_test_id(f"school-{world.school.code}")).to_contain_text("有")
        expect(page.get_by_test_id("chart-participation").locator("svg")).to_have_count(1)
        expect(page.get_by_test_id("chart-fill").locator("svg")).to_have_count(1)
        expect(page.get_by_test_id("chart-participation")).to_contain_text("梁园区")
        expect(page.get_by_test_id("courses-table")).to_contain_text("合唱")
        assert_no_horizontal_overflow(page)
        screenshot(page, f"{size}-afterschool-participation-city")
        # and the school's own page, by grade
        page.get_by_role("link", name="商丘市第一实验小学").click()
        expect(page.get_by_test_id("grade-4")).to_contain_text("71%")
        assert_no_horizontal_overflow(page)
        screenshot(page, f"{size}-afterschool-participation-school")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_school_and_menu_pages_fit_phone_and_desktop(world: World, live_server: Any, size: str, request: Any) -> None:
    page: Page = request.getfixturevalue(size)
    journeys = {
        "xiaozhang": [
            "/afterschool/",
            f"/afterschool/plans/{world.plan.pk}/",
            f"/afterschool/plans/{world.plan.pk}/edit/",
            f"/afterschool/schools/{world.school.code}/participation/",
        ],
        "sq.bureau": [f"/afterschool/regions/{world.school.city_id}/menu/"],
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
            name = path.replace(f"/{world.plan.pk}/", "/plan/").strip("/").replace("/", "-")
            screenshot(page, f"{size}-{name}-{username}")
