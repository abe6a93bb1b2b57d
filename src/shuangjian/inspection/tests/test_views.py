"""The pages: the field form on a phone, orders for the inspector and the operator, campaigns, cases; who is turned
away."""

from datetime import date

import pytest
import time_machine
from django.test import Client

from shuangjian.core.tests import factories as f
from shuangjian.inspection.models import Campaign, Inspection, RectificationOrder, UnlicensedCase
from shuangjian.inspection.tests.builders import inspect, ordered
from shuangjian.inspection.tests.conftest import InspectionWorld

pytestmark = pytest.mark.django_db
BASE = "/training/inspections/"


def _as(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_field_form_records_an_inspection(inspection: InspectionWorld, client: Client) -> None:
    # given
    _as(client, inspection.base.inspector)
    url = f"{BASE}new/?institution={inspection.base.institution.pk}"
    page = client.get(url).content.decode()
    assert 'data-testid="item-T5"' in page and 'data-testid="item-LY1"' in page
    data = {
        "institution": inspection.base.institution.pk,
        "inspected_on": "2026-09-07",
        "address": "",
        "campaign": inspection.campaign.pk,
        "co_inspectors": [inspection.colleague.pk],
        "note": "周六检查",
    }
    for item in inspection.items:
        data[f"result_{item.pk}"] = "fail" if item == inspection.weekend else "pass"
    # when
    response = client.post(f"{BASE}new/", data)
    # then
    recorded = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}{recorded.pk}/"
    assert recorded.findings.filter(result="fail").get().item == inspection.weekend
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="order-form"' in detail


def test_an_incomplete_checklist_stays_on_the_form(inspection: InspectionWorld, client: Client) -> None:
    _as(client, inspection.base.inspector)
    data = {"institution": inspection.base.institution.pk, "inspected_on": "2026-09-07"}
    response = client.post(f"{BASE}new/", data)
    assert response.status_code == 422
    assert Inspection.objects.count() == 0


def test_issue_report_and_confirm_through_the_pages(inspection: InspectionWorld, client: Client) -> None:
    # given
    failed = inspect(inspection, inspection.weekend)
    inspector = _as(client, inspection.base.inspector)
    # when: the inspector orders, the operator reports, the inspector confirms
    issued = inspector.post(f"{BASE}{failed.pk}/order/", {"requirements": "停止周六课程", "deadline": "2026-09-14"})
    order = RectificationOrder.objects.get()
    assert issued["Location"] == f"{BASE}orders/{order.pk}/"
    operator = Client()
    _as(operator, inspection.base.operator)
    assert 'data-testid="report-form"' in operator.get(f"{BASE}orders/{order.pk}/").content.decode()
    operator.post(f"{BASE}orders/{order.pk}/report/", {"report": "已停课"})
    inspector.post(f"{BASE}orders/{order.pk}/follow-up/", {"confirmed": "yes", "note": "复查合格"})
    # then
    order.refresh_from_db()
    assert (order.status, order.report) == ("confirmed", "已停课")
    assert "整改合格" in operator.get(f"{BASE}orders/{order.pk}/").content.decode()


def test_a_refused_follow_up_shows_the_reason(inspection: InspectionWorld, client: Client) -> None:
    order = ordered(inspection)
    response = _as(client, inspection.base.inspector).post(
        f"{BASE}orders/{order.pk}/follow-up/", {"confirmed": "no", "note": "未整改"}
    )
    assert response.status_code == 422
    assert "移交处罚时请选择建议的处罚类型" in response.content.decode()
    assert RectificationOrder.objects.get().status == "issued"


def test_the_operator_lands_on_its_orders_and_cannot_inspect(inspection: InspectionWorld, client: Client) -> None:
    order = ordered(inspection)
    _as(client, inspection.base.operator)
    assert client.get(BASE)["Location"] == f"{BASE}orders/"
    assert str(order.pk) in client.get(f"{BASE}orders/").content.decode()
    assert client.get(f"{BASE}new/").status_code == 403
    other = Client()
    _as(other, inspection.base.other_operator)
    assert other.get(f"{BASE}orders/{order.pk}/").status_code == 404


def test_the_campaign_page_has_the_chart_data(inspection: InspectionWorld, client: Client) -> None:
    inspect(inspection, campaign_id=inspection.campaign.pk)
    page = _as(client, inspection.base.city_bureau).get(f"{BASE}campaigns/{inspection.campaign.pk}/").content.decode()
    assert 'id="ins-chart-data"' in page and "homework/vendor/echarts.min.js" in page
    assert 'data-testid="county-411402"' in page and "1 / 2（50%）" in page


@time_machine.travel("2026-09-07 10:00 +0800", tick=False)
def test_the_bureau_corrects_and_ends_its_campaign_on_its_page(inspection: InspectionWorld, client: Client) -> None:
    # given
    url = f"{BASE}campaigns/{inspection.campaign.pk}/"
    page = _as(client, inspection.base.city_bureau).get(url).content.decode()
    assert 'data-testid="campaign-edit"' in page and 'data-testid="campaign-close"' in page
    data = {"name": "秋季专项整治", "starts_on": "2026-09-01", "ends_on": "2026-10-10",
            "target_kinds": ["academic"], "target_inspections": 3}  # fmt: skip
    # when: a correction
    response = client.post(f"{url}edit/", data)
    # then
    assert response.status_code == 302
    assert Campaign.objects.values_list("ends_on", "target_inspections").get(pk=inspection.campaign.pk) == (
        date(2026, 10, 10), 3,
    )  # fmt: skip
    # when: a refused correction, then ending it today
    refused = client.post(f"{url}edit/", {**data, "starts_on": "2026-09-02"})
    closed = client.post(f"{url}close/")
    # then
    assert refused.status_code == 422 and "开始日期不能再修改" in refused.content.decode()
    assert closed.status_code == 302
    assert Campaign.objects.get(pk=inspection.campaign.pk).ends_on == date(2026, 9, 7)


@time_machine.travel("2026-09-07 10:00 +0800", tick=False)
def test_an_inspector_sees_a_campaign_without_its_edit_form(inspection: InspectionWorld, client: Client) -> None:
    url = f"{BASE}campaigns/{inspection.campaign.pk}/"
    page = _as(client, inspection.base.inspector).get(url).content.decode()
    assert 'data-testid="campaign-edit"' not in page
    assert client.post(f"{url}close/").status_code == 403
    assert Campaign.objects.get(pk=inspection.campaign.pk).ends_on == date(2026, 9, 30)


def test_cases_are_reported_and_advanced(inspection: InspectionWorld, client: Client) -> None:
    _as(client, inspection.base.inspector)
    data = {
        "county_code": inspection.base.liangyuan.code,
        "name": "阳光补习班",
        "address": "某小区 3 栋",
        "source": "tip",
    }
    assert client.post(f"{BASE}cases/", data).status_code == 302
    case = UnlicensedCase.objects.get()
    client.post(f"{BASE}cases/{case.pk}/advance/", {"action": "verify"})
    assert UnlicensedCase.objects.get().status == "verified"
    assert "核实为无证培训" in client.get(f"{BASE}cases/").content.decode()


def test_school_staff_are_turned_away(inspection: InspectionWorld, client: Client) -> None:
    teacher = f.named_user("某教师")
    _as(client, teacher)
    for path in ("", "new/", "orders/", "cases/", "checklist/"):
        assert client.get(BASE + path).status_code == 403, path
