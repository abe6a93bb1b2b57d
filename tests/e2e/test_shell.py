"""Journeys through the page shell: login, the role-aware home page, the phone menu, logout, the language switch."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from shuangjian.core.models import Role
from shuangjian.core.tests import factories as f
from tests.e2e.helpers import assert_no_horizontal_overflow, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world() -> dict[str, Any]:
    _province, city, liangyuan, minquan = f.regions()
    school_a = f.school(liangyuan, "梁园区前进小学")
    school_b = f.school(minquan, "民权县实验小学")
    a4_1 = f.school_class(school_a, 4, 1)
    a4_2 = f.school_class(school_a, 4, 2)
    b6_3 = f.school_class(school_b, 6, 3)
    return {
        "city": city,
        "a": school_a,
        "b": school_b,
        "a4_1": a4_1,
        "a4_2": a4_2,
        "b6_3": b6_3,
        "amy": f.student(a4_1, "张一"),
        "bob": f.student(a4_1, "张二"),
        "cat": f.student(a4_2, "李三"),
        "eve": f.student(b6_3, "赵五"),
    }


def test_teacher_on_a_phone_sees_their_classes_and_logs_out(
    world: dict[str, Any], live_server: Any, phone: Page
) -> None:
    # given
    teacher = f.named_user("李老师", "li.laoshi")
    f.assign(teacher, Role.TEACHER, school=world["a"])
    f.assign(teacher, Role.HEAD_TEACHER, school=world["a"], school_class=world["a4_1"])
    me = f.staff_member(world["a"], "李老师", teacher)
    f.teaches(me, world["a4_1"], "语文")
    f.teaches(me, world["a4_2"], "语文")
    f.teaches(me, world["a4_2"], "道德与法治")
    # when
    phone.goto(live_server.url + "/")
    screenshot(phone, "phone-login")
    log_in(phone, live_server.url, "li.laoshi")
    # then: the home page, with the menu collapsed behind its button
    expect(phone.get_by_role("heading", level=1)).to_have_text("您好，李老师")
    expect(phone.get_by_test_id("bar-user")).to_have_text("李老师")
    teacher_card = phone.get_by_test_id("card-teacher")
    expect(teacher_card.get_by_role("rowheader")).to_have_text(["4年级1班", "4年级2班"])
    expect(teacher_card.get_by_role("row", name="4年级1班")).to_contain_text("2")
    expect(teacher_card.get_by_role("row", name="4年级2班")).to_contain_text("语文、道德与法治")
    head_card = phone.get_by_test_id("card-head_teacher")
    expect(head_card.get_by_role("rowheader")).to_have_text(["4年级1班"])
    expect(phone.get_by_text("6年级3班")).to_have_count(0)
    expect(phone.get_by_role("button", name="退出登录")).to_be_hidden()
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone-teacher-home")
    # when: the menu is opened and the teacher logs out
    menu = phone.get_by_role("button", name="菜单")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(phone.locator(".roles")).to_have_text("教师班主任")
    screenshot(phone, "phone-teacher-menu")
    phone.get_by_role("button", name="退出登录").click()
    # then
    expect(phone).to_have_url(live_server.url + "/accounts/login/")
    phone.goto(live_server.url + "/")
    expect(phone).to_have_url(live_server.url + "/accounts/login/?next=/")


def test_bureau_on_a_desktop_sees_region_counts(world: dict[str, Any], live_server: Any, desktop: Page) -> None:
    # given
    bureau = f.named_user("商丘市教育局", "sq.bureau")
    f.assign(bureau, Role.BUREAU, region=world["city"])
    # when
    log_in(desktop, live_server.url, "sq.bureau")
    # then
    card = desktop.get_by_test_id("card-bureau")
    expect(card.get_by_role("heading", level=2)).to_have_text("教育局")
    expect(card.locator(".card-scope")).to_have_text("商丘市")
    expect(card.get_by_test_id("count-schools")).to_have_text("2")
    expect(card.get_by_test_id("count-classes")).to_have_text("3")
    expect(card.get_by_test_id("count-students")).to_have_text("4")
    # the desktop shows the navigation, the name and the logout button without a menu button
    expect(desktop.get_by_role("button", name="菜单")).to_be_hidden()
    expect(desktop.get_by_role("navigation", name="主导航")).to_be_visible()
    expect(desktop.locator(".whoami .user-name")).to_have_text("商丘市教育局")
    expect(desktop.get_by_role("button", name="退出登录")).to_be_visible()
    assert_no_horizontal_overflow(desktop)
    screenshot(desktop, "desktop-bureau-home")


def test_guardian_on_a_phone_sees_only_their_own_child(world: dict[str, Any], live_server: Any, phone: Page) -> None:
    # given
    parent = f.named_user("张爸爸", "zhang.baba")
    f.guardian_of(world["amy"], parent)
    f.guardian_of(world["eve"], f.user(), phone="13900139000")
    number = world["amy"].student_number
    # when
    log_in(phone, live_server.url, "zhang.baba")
    # then
    card = phone.get_by_test_id("card-guardian")
    expect(card.locator(".person-name")).to_have_text(["张一"])
    expect(card).to_contain_text("梁园区前进小学 · 4年级1班")
    expect(card.locator(".code")).to_have_text(number[:5] + "*" * 10 + number[-4:])
    body = phone.locator("body").inner_text()
    assert number not in body
    for other in ("张二", "李三", "赵五", "民权县实验小学"):
        assert other not in body
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone-guardian-home")


def test_switching_to_english_shows_english_text(world: dict[str, Any], live_server: Any, phone: Page) -> None:
    # given
    teacher = f.named_user("李老师", "li.laoshi")
    f.assign(teacher, Role.GRADE_COORDINATOR, school=world["a"], grade=4)
    log_in(phone, live_server.url, "li.laoshi")
    # when
    phone.get_by_role("button", name="菜单").click()
    phone.get_by_role("button", name="English").click()
    # then
    expect(phone).to_have_url(live_server.url + "/")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hello, 李老师")
    card = phone.get_by_test_id("card-grade_coordinator")
    expect(card.get_by_role("heading", level=2)).to_have_text("Grade coordinator")
    expect(card.locator(".card-scope")).to_have_text("梁园区前进小学, Grade 4")
    expect(card.get_by_role("columnheader")).to_have_text(["Class", "Enrolled students"])
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone-home-english")
    menu = phone.get_by_role("button", name="Menu")
    menu.click()
    expect(phone.get_by_role("button", name="Log out")).to_be_visible()
    screenshot(phone, "phone-menu-english")
    # when: back to Chinese
    phone.get_by_role("button", name="简体中文").click()
    # then
    expect(phone.get_by_role("heading", level=1)).to_have_text("您好，李老师")


def test_login_page_in_english_on_a_desktop(live_server: Any, desktop: Page) -> None:
    # given
    desktop.goto(live_server.url + "/accounts/login/")
    # when
    desktop.get_by_role("button", name="English").click()
    # then
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(desktop.get_by_label("Username")).to_be_visible()
    expect(desktop).to_have_title("Log in · Shuangjian")
    screenshot(desktop, "desktop-login-english")


def test_unknown_page_shows_the_404_page_at_phone_size(live_server: Any, phone: Page) -> None:
    response = phone.goto(live_server.url + "/no-such-page/")
    assert response is not None and response.status == 404
    expect(phone.get_by_role("heading", level=1)).to_have_text("页面不存在")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone-404")


def test_school_leader_on_a_narrow_phone_with_a_long_name(world: dict[str, Any], live_server: Any, phone: Page) -> None:
    # given: the narrowest phone we support and a name longer than the bar
    phone.set_viewport_size({"width": 360, "height": 740})
    leader = f.named_user("梁园区前进小学教务处欧阳主任", "ouyang")
    f.assign(leader, Role.SCHOOL_LEADER, school=world["a"])
    f.assign(leader, Role.TEACHER, school=world["a"])
    # when
    log_in(phone, live_server.url, "ouyang")
    # then
    card = phone.get_by_test_id("card-school_leader")
    expect(card.get_by_test_id("count-classes")).to_have_text("2")
    expect(card.get_by_test_id("count-students")).to_have_text("3")
    expect(card.get_by_test_id("count-staff")).to_have_text("0")
    expect(phone.get_by_role("button", name="菜单")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone360-school-leader-home")
    # the card's action leads to the school's roster import (core.urls: roster_import)
    card.get_by_role("link", name="导入学生名册").click()
    expect(phone).to_have_url(live_server.url + "/schools/" + world["a"].code + "/roster/import/")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "phone360-roster-import")
