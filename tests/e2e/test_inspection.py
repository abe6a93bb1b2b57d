"""Inspection journey in a real browser: an inspector on a phone records an inspection of an institution with a
failed item (two inspectors, as the city requires) and orders it to rectify; the institution's operator reports the
rectification; the follow-up closes the order.

The clock starts on Monday 7 September 2026, 10:00 in Shanghai.
"""

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from shuangjian.core.models import Role, User
from shuangjian.core.tests import factories as f
from shuangjian.inspection.models import RectificationOrder
from shuangjian.inspection.services import planning
from shuangjian.policy.datafiles import create_missing_national_versions
from shuangjian.policy.models import PolicyProfile
from shuangjian.policy.services import profile_publish
from shuangjian.training.models import Institution
from shuangjian.training.tests import builders
from tests.e2e.helpers import assert_no_horizontal_overflow, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 9, 7, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY, tick=True) as traveller:
        yield traveller


@pytest.fixture
def institution(clock: time_machine.Traveller) -> Institution:
    # A transactional test starts from an emptied database: load the national policy profile again.
    create_missing_national_versions(PolicyProfile)
    _province, city, liangyuan, _minquan = f.regions()
    bureau = f.named_user("商丘市教育局", "city.bureau")
    f.assign(bureau, Role.BUREAU, region=city)
    profile_publish(actor=bureau, region=city, effective_from=date(2026, 9, 1),
                    values={"inspection.min_inspectors": 2, "inspection.rectify_max_days": 15})  # fmt: skip
    for code, text in (("T5", "休息日开展学科类培训"), ("T7", "线下培训晚于20:30结束")):
        planning.checklist_item_add(
            actor=bureau, draft=planning.ItemDraft(city.code, code, text, "双减意见第14条", "serious")
        )
    qiming = builders.approved(bureau, builders.QIMING, liangyuan)
    for name, username in (("李督查", "inspector"), ("王督查", "colleague")):
        f.assign(f.named_user(name, username), Role.INSPECTOR, region=liangyuan)
    f.assign(f.named_user("启明校长", "qiming"), Role.INSTITUTION_OPERATOR, institution_credit_code=qiming.credit_code)
    return qiming


def _log_out(page: Page) -> None:
    page.context.clear_cookies()


def test_inspect_order_report_and_close(institution: Institution, phone: Page, live_server: object) -> None:
    base = str(live_server)
    # given: the inspector on a phone opens the field form for the institution
    log_in(phone, base, "inspector")
    phone.goto(base + "/training/inspections/new/")
    phone.get_by_label("机构").select_option(label="梁园区启明培训学校（梁园区）")
    phone.get_by_test_id("choose-institution").get_by_role("button", name="开始检查").click()
    # when: alone first, with a failed item
    phone.get_by_test_id("item-T5").get_by_text("不符合").click()
    phone.get_by_test_id("item-T5").get_by_label("说明").fill("周六上午在上数学课")
    phone.get_by_test_id("item-T7").get_by_text("符合", exact=True).click()
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "inspection-field-form-phone")
    phone.get_by_role("button", name="保存检查记录").click()
    # then: refused, the city requires two inspectors; with the colleague it is saved
    expect(phone.get_by_test_id("form-errors")).to_contain_text("不少于 2 名检查人员")
    phone.get_by_text("王督查").click()
    phone.get_by_test_id("item-T5").get_by_text("不符合").click()
    phone.get_by_test_id("item-T7").get_by_text("符合", exact=True).click()
    phone.get_by_role("button", name="保存检查记录").click()
    expect(phone.get_by_test_id("findings")).to_contain_text("休息日开展学科类培训")
    # when: the order, with the region's 15 days
    phone.get_by_label("整改要求").fill("立即停止休息日学科类培训")
    phone.get_by_role("button", name="下达责令整改通知").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("待整改")
    expect(phone.locator("main")).to_contain_text("2026-09-22")
    screenshot(phone, "inspection-order-phone")
    order_url = phone.url
    # when: the operator reports the rectification
    _log_out(phone)
    log_in(phone, base, "qiming")
    phone.goto(base + "/training/inspections/")
    phone.get_by_test_id("orders").get_by_role("link", name="梁园区启明培训学校").click()
    phone.get_by_label("整改情况").fill("已停止周六课程，费用已退还")
    phone.get_by_role("button", name="提交整改报告").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("已报告整改")
    # when: the inspector follows up and confirms
    _log_out(phone)
    log_in(phone, base, "inspector")
    phone.goto(order_url)
    expect(phone.get_by_test_id("order-report")).to_contain_text("已停止周六课程")
    follow_up = phone.get_by_test_id("follow-up-form")
    follow_up.get_by_text("已整改到位，办结").click()
    follow_up.get_by_text("王督查").click()
    follow_up.get_by_role("button", name="记录复查结果").click()
    # then
    expect(phone.get_by_test_id("order-status")).to_have_text("整改合格")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "inspection-order-closed-phone")
    order = RectificationOrder.objects.get()
    assert (order.status, order.closed_on) == ("confirmed", date(2026, 9, 7))
    assert User.objects.filter(username="colleague").get() in order.follow_up.co_inspectors.all()  # type: ignore[union-attr]
