"""The API's answers beyond the matrix: the appeal path over HTTP and a refusal's error body."""

import json

from django.test import Client

from shuangjian.supervision.tests.builders import yellow_warning
from shuangjian.supervision.tests.conftest import TODAY
from shuangjian.training.tests.conftest import TrainingWorld

BASE = "/api/v1/training/supervision"


def _post(client: Client, url: str, body: dict[str, str]) -> tuple[int, dict[str, object]]:
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_appeal_and_decision_over_the_api(sv: TrainingWorld) -> None:
    warning = yellow_warning(sv, TODAY)
    operator, bureau = Client(), Client()
    operator.force_login(sv.operator)
    bureau.force_login(sv.county_bureau)
    status, body = _post(operator, f"{BASE}/warnings/{warning.pk}/appeal", {"text": "已整改"})
    assert (status, body["status"], body["appeal_text"]) == (200, "appealed", "已整改")
    status, body = _post(operator, f"{BASE}/warnings/{warning.pk}/appeal", {"text": "再次申诉"})
    assert status == 400
    assert body == {
        "code": "supervision.transition_not_allowed",
        "message": "该预警当前状态为“已申诉”，不能提交申诉。",
        "details": {"status_label": "已申诉", "action_label": "提交申诉"},
    }
    status, body = _post(bureau, f"{BASE}/warnings/{warning.pk}/decision", {"decision": "withdraw", "reason": "属实"})
    assert (status, body["status_label"]) == (200, "撤销预警")
    detail = bureau.get(f"{BASE}/warnings/{warning.pk}").json()
    assert [e["kind"] for e in detail["events"]] == ["issued", "appealed", "withdrawn"]


def test_report_as_rows(sv: TrainingWorld) -> None:
    yellow_warning(sv, TODAY)
    client = Client()
    client.force_login(sv.city_bureau)
    query = {"kind": "monthly_list", "region": "411400", "start": "2026-09-01", "end": "2026-09-30"}
    body = client.get(f"{BASE}/reports", query).json()
    assert body["headers"][:3] == ["序号", "机构名称", "统一社会信用代码"]
    assert [row[1] for row in body["rows"]] == ["梁园区启明培训学校", "民权县博雅培训学校"]
    bad = client.get(f"{BASE}/reports", {**query, "kind": "yearly"})
    assert (bad.status_code, bad.json()["code"]) == (400, "supervision.unknown_report")
