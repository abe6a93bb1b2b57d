"""Early-warning journey in a real browser: the nightly scoring warns an institution after two complaints; its
operator reads the notice and appeals on a phone; the bureau withdraws the warning at a desk and exports the weekly
monitoring report to Excel.

The clock starts on Monday 7 September 2026, 10:00 in Shanghai.
"""

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from shuangjian.core.models import Role
from shuangjian.core.tests import factories as f
from shuangjian.policy.datafiles import create_missing_national_versions
from shuangjian.policy.models import PolicyProfile
from shuangjian.policy.services import profile_publish
from shuangjian.supervision.services.scoring import risk_score_region
from shuangjian.supervision.tests.builders import complain
from shuangjian.supervision.tests.conftest import TIGHT
from shuangjian.training.tests import builders
from tests.e2e.helpers import assert_no_horizontal_overflow, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 9, 7, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def warned(clock: time_machine.Traveller) -> None:
    # A transactional test starts from an emptied database: load the national policy profile again.
    create_missing_national_versions(PolicyProfile)
    _province, city, liangyuan, _minquan = f.regions()
    bureau = f.named_user("商丘市教育局", "city.bureau")
    f.assign(bureau, Role.BUREAU, region=city)
    profile_publish(actor=bureau, region=city, effective_from=date(2026, 9, 1), values=TIGHT)
    qiming = builders.approved(bureau, builders.QIMING, liangyuan)
    f.assign(f.named_user("启明校长", "qiming"), Role.INSTITUTION_OPERATOR, institution_credit_code=qiming.credit_code)
    complain(qiming, 2)
    risk_score_region(region=city, on=MONDAY.date())


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY, tick=True) as traveller:
        yield traveller


def test_operator_appeals_on_a_phone_and_the_bureau_withdraws(
    warned: None, live_server: object, phone: Page, desktop: Page
) -> None:
    base = str(live_server)
    # the operator, on a phone
    log_in(phone, base, "qiming")
    phone.goto(base + "/training/supervision/")
    phone.get_by_role("link", name="梁园区启明培训学校").click()
    expect(phone.get_by_test_id("notice")).to_contain_text("黄色预警")
    expect(phone.get_by_test_id("notice")).to_contain_text("统计期内投诉 2 件")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "supervision-warning-phone")
    phone.get_by_label("申诉理由").fill("两件投诉为同一家长重复反映，已全额退费。")
    phone.get_by_role("button", name="提交申诉").click()
    expect(phone.get_by_test_id("status")).to_have_text("已申诉")
    expect(phone.get_by_test_id("appeal-form")).to_have_count(0)
    # the bureau, at a desk
    log_in(desktop, base, "city.bureau")
    desktop.goto(base + "/training/supervision/")
    desktop.get_by_test_id("warnings").get_by_role("link", name="梁园区启明培训学校").click()
    desktop.get_by_label("撤销预警").check()
    desktop.get_by_label("处理意见").fill("经核实投诉已办结，撤销预警。")
    desktop.get_by_role("button", name="提交处理结果").click()
    expect(desktop.get_by_test_id("status")).to_have_text("撤销预警")
    expect(desktop.get_by_test_id("events")).to_contain_text("机构申诉")
    screenshot(desktop, "supervision-warning-desktop")
    # the weekly monitoring report and its Excel export
    desktop.goto(base + "/training/supervision/reports/?kind=monitoring&region=411400&day=2026-09-07")
    expect(desktop.get_by_test_id("report")).to_contain_text("梁园区")
    screenshot(desktop, "supervision-report-desktop")
    with desktop.expect_download() as download:
        desktop.get_by_test_id("xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with download.value.path().open("rb") as workbook:  # the saved download has no file name extension
        sheet = load_workbook(workbook).active
    assert sheet is not None and sheet["A1"].value == "校外培训监测数据"
