"""The API beyond the role matrix: error bodies, and list endpoints whose query count does not grow with the rows."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shuangjian.inspection.tests.builders import inspect, ordered
from shuangjian.inspection.tests.conftest import InspectionWorld

pytestmark = pytest.mark.django_db
BASE = "/api/v1/training/inspections"


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["", "/orders", "/checklist", "/campaigns", "/cases"])
def test_lists_take_the_same_queries_for_more_rows(inspection: InspectionWorld, client: Client, path: str) -> None:
    # given
    client.force_login(inspection.base.inspector)
    ordered(inspection)
    one = _queries(client, BASE + path)
    # when
    ordered(inspection)
    inspect(inspection)
    # then
    assert _queries(client, BASE + path) == one


def test_a_refusal_answers_code_message_details(inspection: InspectionWorld, client: Client) -> None:
    # given
    order = ordered(inspection)
    client.force_login(inspection.base.inspector)
    # when: confirming an order nobody reported on
    response = client.post(f"{BASE}/orders/{order.pk}/follow-up", {"confirmed": True}, content_type="application/json")
    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "inspection.transition_not_allowed"
    assert body["message"] == "当前状态为“待整改”，不能执行“复查合格”。"


def test_an_inspection_through_the_api(inspection: InspectionWorld, client: Client) -> None:
    client.force_login(inspection.base.inspector)
    body = {
        "inspected_on": "2026-09-07",
        "institution_id": inspection.base.institution.pk,
        "co_inspector_ids": [inspection.colleague.pk],
        "findings": [
            {"item_id": item.pk, "result": "fail" if item == inspection.weekend else "pass"}
            for item in inspection.items
        ],
    }
    created = client.post(BASE, body, content_type="application/json")
    assert created.status_code == 201
    assert (created.json()["inspector_count"], [f["result"] for f in created.json()["findings"]].count("fail")) == (
        2,
        1,
    )
    issued = client.post(
        f"{BASE}/{created.json()['id']}/order",
        {"requirements": "停止", "deadline": "2026-09-10"},
        content_type="application/json",
    )
    assert (issued.status_code, issued.json()["status"], issued.json()["deadline"]) == (201, "issued", "2026-09-10")
