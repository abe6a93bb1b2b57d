"""The pages: the operator's notices and appeal (a phone journey's server side), the bureau's decision, the reports
page with its Excel export and the generated files, and who may open them."""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

from django.test import Client, override_settings
from openpyxl import load_workbook

from shuangjian.supervision.services.reports import reports_generate_due
from shuangjian.supervision.tests.builders import yellow_warning
from shuangjian.supervision.tests.conftest import TODAY
from shuangjian.training.tests.conftest import TrainingWorld


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_operator_sees_and_appeals_its_notice(sv: TrainingWorld) -> None:
    # given
    warning = yellow_warning(sv, TODAY)
    client = _client(sv.operator)
    # when
    index = client.get("/training/supervision/")
    page = client.get(f"/training/supervision/warnings/{warning.pk}/")
    posted = client.post(f"/training/supervision/warnings/{warning.pk}/appeal/", {"text": "投诉已处理完毕。"})
    # then
    assert index.status_code == 200
    assert "梁园区启明培训学校" in index.content.decode()
    assert 'data-testid="appeal-form"' in page.content.decode()
    assert "统计期内投诉 2 件（达到 2 件计分），计 15 分" in page.content.decode()
    assert posted.status_code == 302
    after = client.get(f"/training/supervision/warnings/{warning.pk}/").content.decode()
    assert "已申诉" in after and 'data-testid="appeal-form"' not in after


def test_other_operator_gets_404_and_the_public_a_login(sv: TrainingWorld) -> None:
    warning = yellow_warning(sv, TODAY)
    assert _client(sv.other_operator).get(f"/training/supervision/warnings/{warning.pk}/").status_code == 404
    assert Client().get("/training/supervision/").status_code == 302


def test_a_late_appeal_is_refused_on_the_page(sv: TrainingWorld, clock: object) -> None:
    warning = yellow_warning(sv, TODAY)
    clock.shift(timedelta(days=11))  # type: ignore[attr-defined]
    response = _client(sv.operator).post(f"/training/supervision/warnings/{warning.pk}/appeal/", {"text": "逾期"})
    assert response.status_code == 422
    assert "申诉期限已于 2026-09-17 截止" in response.content.decode()


def test_bureau_decides_on_the_page(sv: TrainingWorld) -> None:
    warning = yellow_warning(sv, TODAY)
    _client(sv.operator).post(f"/training/supervision/warnings/{warning.pk}/appeal/", {"text": "申诉"})
    client = _client(sv.county_bureau)
    assert 'data-testid="decision-form"' in client.get(f"/training/supervision/warnings/{warning.pk}/").content.decode()
    response = client.post(
        f"/training/supervision/warnings/{warning.pk}/decision/", {"decision": "uphold", "reason": "投诉属实"}
    )
    assert response.status_code == 302
    assert "维持预警" in client.get(f"/training/supervision/warnings/{warning.pk}/").content.decode()


def test_reports_page_export_and_files(sv: TrainingWorld, tmp_path: Path) -> None:
    yellow_warning(sv, TODAY)
    client = _client(sv.city_bureau)
    query = "kind=monitoring&region=411400&day=2026-09-08"
    page = client.get(f"/training/supervision/reports/?{query}")
    assert page.status_code == 200
    assert "校外培训监测数据" in page.content.decode() and "2026-09-07" in page.content.decode()
    export = client.get(f"/training/supervision/reports/?{query}&format=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet is not None and sheet["A1"].value == "校外培训监测数据"
    with override_settings(DATA_DIR=tmp_path):
        due = reports_generate_due(region=sv.city, today=TODAY + timedelta(days=7))
        file = due[0].file
        assert file is not None
        listed = client.get(f"/training/supervision/reports/?{query}").content.decode()
        assert f"/training/supervision/reports/files/{file.pk}/" in listed
        download = client.get(f"/training/supervision/reports/files/{file.pk}/")
        assert download.status_code == 200
        assert load_workbook(BytesIO(b"".join(download.streaming_content))).active is not None  # type: ignore[attr-defined]
        assert _client(sv.other_county_bureau).get(f"/training/supervision/reports/files/{file.pk}/").status_code == 404
        assert _client(sv.operator).get(f"/training/supervision/reports/files/{file.pk}/").status_code == 403


def test_reports_page_refuses_a_region_outside_scope(sv: TrainingWorld) -> None:
    response = _client(sv.other_county_bureau).get(
        "/training/supervision/reports/?kind=monitoring&region=411402&day=2026-09-08"
    )
    assert response.status_code == 403
