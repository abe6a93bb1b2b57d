"""The complaint API answers refusals as {code, message, details} with a 4xx status and saves nothing."""

import pytest
from django.test import Client

from shuangjian.training.models import Complaint, ComplaintEvent, Sanction
from shuangjian.training.tests.conftest import TrainingWorld

BASE = "/api/v1/training"


def _hotline(reference: str) -> dict[str, object]:
    return {
        "channel": "hotline_12315", "hotline_reference": reference, "received_at": "2026-09-07T08:00:00+08:00",
        "county_code": "411402", "institution_name": "无证托管班", "content": "无证培训", "wants_reply": True,
        "phone": "13900002222",
    }  # fmt: skip


@pytest.fixture
def api(world: TrainingWorld, client: Client) -> Client:
    client.force_login(world.inspector)
    return client


def test_a_hotline_complaint_through_the_api_shows_only_the_masked_phone(api: Client) -> None:
    response = api.post(f"{BASE}/complaints/hotline", _hotline("A-1"), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["channel"], body["hotline_reference"], body["phone_masked"]) == ("hotline_12315", "A-1", "139****2222")
    assert "13900002222" not in response.content.decode()


def test_a_repeated_work_order_is_refused_with_its_code(api: Client) -> None:
    api.post(f"{BASE}/complaints/hotline", _hotline("A-1"), content_type="application/json")
    before = (Complaint.objects.count(), ComplaintEvent.objects.count())
    response = api.post(f"{BASE}/complaints/hotline", _hotline("a-1"), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "training.duplicate_hotline_reference",
        "message": "12315 热线转办工单号 A-1 已登记，不能重复转办。",
        "details": {"channel_label": "12315 热线转办", "hotline_reference": "A-1"},
    }
    assert (Complaint.objects.count(), ComplaintEvent.objects.count()) == before


def test_a_move_not_allowed_now_answers_its_code(api: Client) -> None:
    created = api.post(f"{BASE}/complaints/hotline", _hotline("A-2"), content_type="application/json").json()
    response = api.post(
        f"{BASE}/complaints/{created['id']}/resolve",
        {"outcome": "mediated", "reply": "已调解"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "training.complaint_bad_transition"
    assert response.json()["details"]["status"] == "received"
    assert Complaint.objects.get(pk=created["id"]).status == "received"


def test_a_direct_joint_sanction_needs_partners(world: TrainingWorld, client: Client) -> None:
    client.force_login(world.county_bureau)
    url = f"{BASE}/institutions/{world.institution.pk}/sanctions"
    body: dict[str, object] = {"kind": "joint_sanction", "reason": "虚假宣传", "authority": "梁园区教育体育局"}
    body["starts_on"] = "2026-09-07"
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "training.partners_required"
    assert Sanction.objects.count() == 0
    body |= {"partners": ["market_regulation"], "measures": "纳入信用记录"}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201
    assert (created.json()["partner_labels"], created.json()["measures"]) == (["市场监管"], "纳入信用记录")
    listed = client.get(f"{BASE}/sanction-list").json()["items"]
    assert [(item["kind"], item["partner_labels"]) for item in listed] == [("joint_sanction", ["市场监管"])]
