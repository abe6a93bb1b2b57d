"""Training journeys in a real browser: a member of the public on a phone looks an institution up before paying
(no login), sees the sanction list, files a complaint and follows it by its reference number; an institution's
operator enters a course, is refused for a Saturday lesson with the rule, and succeeds on a Wednesday.

The clock starts on Monday 7 September 2026, 10:00 in Shanghai.
"""

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from shuangjian.core.models import Role, SchoolYear, Term
from shuangjian.core.tests import factories as f
from shuangjian.policy.datafiles import create_missing_national_versions
from shuangjian.policy.models import PolicyProfile
from shuangjian.training.models import Institution
from shuangjian.training.services import premises, registry
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
    year = SchoolYear.objects.create(start_year=2026)
    Term.objects.create(school_year=year, number=1, start_date=date(2026, 9, 1), end_date=date(2027, 1, 22))
    _province, _city, liangyuan, minquan = f.regions()
    bureau = f.named_user("梁园区教体局", "ly.bureau")
    f.assign(bureau, Role.BUREAU, region=liangyuan)
    qiming = builders.approved(bureau, builders.QIMING, liangyuan)
    builders.site(bureau, qiming, area=90)
    registry.supervision_record(
        actor=bureau, institution_id=qiming.pk, bank="中国银行商丘分行", opened_on=date(2026, 3, 1)
    )
    other_bureau = f.named_user("民权县教体局", "mq.bureau")
    f.assign(other_bureau, Role.BUREAU, region=minquan)
    boya = builders.approved(other_bureau, builders.BOYA, minquan)
    registry.sanction_add(
        actor=other_bureau,
        institution_id=boya.pk,
        draft=registry.SanctionDraft("ordered_stop", "超前超标培训", "民权县教育体育局", date(2026, 9, 1)),
    )
    operator = f.named_user("启明校长", "qiming")
    f.assign(operator, Role.INSTITUTION_OPERATOR, institution_credit_code=qiming.credit_code)
    premises.staff_add(
        actor=operator, institution_id=qiming.pk, name="李老师", teaches=True, qualification_number="20214114200001"
    )
    return qiming


def test_the_public_looks_up_an_institution_on_a_phone(
    institution: Institution, phone: Page, live_server: object
) -> None:
    base = str(live_server)
    # when: nobody signed in searches by a name fragment
    phone.goto(base + "/training/lookup/")
    phone.get_by_label("机构名称或统一社会信用代码").fill("启明")
    phone.get_by_role("button", name="查询").click()
    # then: the approved institution with its status, and its detail page
    results = phone.get_by_test_id("lookup-results")
    expect(results).to_contain_text("梁园区启明培训学校")
    expect(results).to_contain_text("资金已监管")
    results.get_by_role("link", name="梁园区启明培训学校").click()
    expect(phone.get_by_test_id("licence-status")).to_have_text("已审批")
    expect(phone.get_by_test_id("fees-supervised")).to_contain_text("中国银行商丘分行")
    expect(phone.locator("main")).not_to_contain_text("李老师")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "training-lookup-detail-phone")
    # and: the sanction list names the sanctioned institution
    phone.get_by_role("link", name="惩戒名单").first.click()
    expect(phone.get_by_test_id("sanction-list")).to_contain_text("民权县博雅培训学校")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "training-sanctions-phone")
    # and: a complaint filed without signing in, then followed by its reference number
    phone.get_by_role("link", name="投诉举报").click()
    form = phone.get_by_test_id("complaint-form")
    form.get_by_label("培训所在县（区）").select_option("411402")
    form.get_by_label("被投诉机构名称").fill("梁园区启明培训学校")
    form.get_by_label("投诉内容").fill("寒假期间开设初中数学班")
    form.get_by_label("需要办理人员回复我").check()
    form.get_by_label("手机号（需要回复时必填）").fill("13900001111")
    form.get_by_role("button", name="提交投诉").click()
    expect(phone.get_by_test_id("complaint-filed")).to_contain_text("已受理")
    reference = phone.get_by_test_id("complaint-reference").inner_text()
    phone.goto(base + "/training/complaints/follow/")
    phone.get_by_label("受理编号").fill(reference)
    phone.get_by_role("button", name="查询").click()
    expect(phone.get_by_test_id("complaint-status")).to_have_text("已受理")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "training-complaint-follow-phone")


def test_an_operator_is_refused_a_saturday_course_then_opens_it_on_wednesday(
    institution: Institution, desktop: Page, live_server: object
) -> None:
    base = str(live_server)
    log_in(desktop, base, "qiming")
    desktop.get_by_role("link", name="校外培训").click()
    desktop.get_by_role("link", name="开设课程").click()
    form = desktop.get_by_test_id("course-form")
    for label, value in (
        ("课程名称", "初中数学提高班"), ("学科/项目", "数学"), ("最低年级", "7"), ("最高年级", "9"),
        ("每课时分钟数", "90"), ("总课时数", "4"), ("班额", "30"), ("每课时收费（元/生）", "60"),
        ("单次收费课时数", "4"), ("单次收费月数", "1"), ("开课日期", "2026-09-09"), ("结课日期", "2026-09-30"),
    ):  # fmt: skip
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_label("培训场所").select_option(index=1)
    sitting = form.locator("fieldset").first
    sitting.get_by_label("每周").select_option("6")
    sitting.get_by_label("开始").fill("09:00")
    sitting.get_by_label("结束").fill("10:30")
    form.get_by_role("button", name="提交").click()
    # then: refused with the rule; 30 students also need 90 m² (3 m² each), which the site has
    expect(desktop.get_by_test_id("course-refusal")).to_contain_text("学科类培训不得在休息日开展（2026-09-12）")
    screenshot(desktop, "training-course-refused-desktop")
    # when: Wednesday evening instead
    form = desktop.get_by_test_id("course-form")
    form.locator("fieldset").first.get_by_label("每周").select_option("3")
    form.locator("fieldset").first.get_by_label("开始").fill("18:00")
    form.locator("fieldset").first.get_by_label("结束").fill("19:30")
    form.get_by_role("button", name="提交").click()
    # then
    expect(desktop.get_by_test_id("courses")).to_contain_text("初中数学提高班")
    expect(desktop.get_by_test_id("courses")).to_contain_text("周三 18:00–19:30")
    screenshot(desktop, "training-institution-desktop")


def test_the_public_files_a_complaint_an_inspector_resolves_it_and_the_public_reads_the_reply(
    institution: Institution, phone: Page, desktop: Page, live_server: object
) -> None:
    base = str(live_server)
    inspector = f.named_user("梁园区督查员", "ly.inspector")
    f.assign(inspector, Role.INSPECTOR, region=institution.county)
    # given: a parent finds the institution, then files a complaint about it without signing in
    phone.goto(base + "/training/lookup/")
    phone.get_by_label("机构名称或统一社会信用代码").fill("启明")
    phone.get_by_role("button", name="查询").click()
    phone.get_by_test_id("lookup-results").get_by_role("link", name="梁园区启明培训学校").click()
    credit_code = phone.get_by_text(institution.credit_code).first.inner_text()
    phone.get_by_role("link", name="投诉举报").click()
    form = phone.get_by_test_id("complaint-form")
    form.get_by_label("培训所在县（区）").select_option("411402")
    form.get_by_label("被投诉机构名称").fill("梁园区启明培训学校")
    form.get_by_label("统一社会信用代码（知道时填写）").fill(credit_code)
    form.get_by_label("投诉内容").fill("周六上午开设初中数学班")
    form.get_by_label("需要办理人员回复我").check()
    form.get_by_label("手机号（需要回复时必填）").fill("13900001111")
    form.get_by_role("button", name="提交投诉").click()
    reference = phone.get_by_test_id("complaint-reference").inner_text()
    # when: the inspector takes it from the desk's unassigned list and resolves it
    log_in(desktop, base, "ly.inspector")
    desktop.get_by_role("link", name="校外培训").first.click()
    desktop.get_by_role("link", name="投诉办理").click()
    desktop.get_by_test_id("tab-unassigned").click()
    desktop.get_by_test_id("complaints").get_by_role("link", name=reference).click()
    expect(desktop.locator("main")).to_contain_text("139****1111")
    expect(desktop.locator("main")).not_to_contain_text("13900001111")
    triage = desktop.get_by_test_id("action-triage")
    triage.get_by_label("类别").select_option("schedule")
    triage.get_by_role("button", name="分类受理").click()
    assign = desktop.get_by_test_id("action-assign")
    assign.get_by_label("承办督查员").select_option(label="梁园区督查员")
    assign.get_by_role("button", name="分派督查员").click()
    desktop.get_by_test_id("action-investigate").get_by_role("button", name="开始调查").click()
    note = desktop.get_by_test_id("action-note")
    note.get_by_label("调查记录").fill("现场检查：周六确有初中数学课")
    note.get_by_role("button", name="添加调查记录").click()
    resolve = desktop.get_by_test_id("action-resolve")
    resolve.get_by_label("办理结果").select_option("substantiated")
    resolve.get_by_label("答复投诉人").fill("经查属实，已责令停止周末学科类培训。")
    resolve.get_by_role("button", name="办结答复").click()
    # then: the page shows the resolution and the whole timeline
    expect(desktop.get_by_test_id("complaint-status")).to_contain_text("已办结")
    timeline = desktop.get_by_test_id("timeline")
    for step in ("受理", "分类", "分派", "开始调查", "调查记录", "办结"):
        expect(timeline).to_contain_text(step)
    screenshot(desktop, "training-complaint-resolved-desktop")
    # and: the parent reads the reply by the reference number, and nothing internal
    phone.goto(base + "/training/complaints/follow/")
    phone.get_by_label("受理编号").fill(reference)
    phone.get_by_role("button", name="查询").click()
    expect(phone.get_by_test_id("complaint-status")).to_have_text("已办结")
    expect(phone.get_by_test_id("complaint-reply")).to_have_text("经查属实，已责令停止周末学科类培训。")
    expect(phone.locator("main")).not_to_contain_text("现场检查")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "training-complaint-reply-phone")


def test_a_bureau_sets_a_guidance_price_on_a_phone_and_the_operator_sees_it(
    institution: Institution, phone: Page, desktop: Page, live_server: object
) -> None:
    base = str(live_server)
    log_in(phone, base, "ly.bureau")
    phone.goto(base + "/training/guidance-prices/")
    form = phone.get_by_test_id("guidance-set")
    form.get_by_label("学科").select_option("数学")
    form.get_by_label("培训形式").select_option("offline")
    form.get_by_label("基准价（元/生·标准课时）").fill("0")
    form.get_by_role("button", name="保存").click()
    expect(phone.get_by_test_id("guidance-set")).to_contain_text("指导价应大于零")
    phone.get_by_test_id("guidance-set").get_by_label("基准价（元/生·标准课时）").fill("45.50")
    phone.get_by_test_id("guidance-set").get_by_role("button", name="保存").click()
    row = phone.get_by_test_id("guidance-prices").get_by_role("row").filter(has_text="数学").filter(has_text="线下")
    expect(row).to_contain_text("45.50")
    expect(row).to_contain_text("本级")
    expect(phone.get_by_test_id("guidance-history")).to_contain_text("45.50")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "training-guidance-prices-phone")
    # and: the operator finds the price from the course form, with who set it, and cannot change it
    log_in(desktop, base, "qiming")
    desktop.goto(base + "/training/")
    desktop.get_by_role("link", name="开设课程").click()
    desktop.get_by_role("link", name="查看政府指导价").click()
    row = desktop.get_by_test_id("guidance-prices").get_by_role("row").filter(has_text="数学").filter(has_text="线下")
    expect(row).to_contain_text("45.50")
    expect(desktop.get_by_test_id("guidance-set")).to_have_count(0)
