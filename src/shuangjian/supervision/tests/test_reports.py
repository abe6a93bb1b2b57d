"""The periodic reports: contents from the world's data, the Excel file in the region's layout read back with
openpyxl, the due-report schedule with its files and records, and who may read them."""

from datetime import date, timedelta
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from shuangjian.core.errors import AccessDenied, DomainError
from shuangjian.supervision import layouts, tasks
from shuangjian.supervision.excel import workbook_bytes
from shuangjian.supervision.models import ReportFile
from shuangjian.supervision.selectors.reports import report_build, report_read
from shuangjian.supervision.services.reports import report_path, reports_generate_due
from shuangjian.supervision.services.scoring import risk_score_region
from shuangjian.supervision.tests.builders import complain, suspend
from shuangjian.supervision.tests.conftest import TODAY
from shuangjian.training.tests.conftest import TrainingWorld

WEEK = (TODAY, TODAY + timedelta(days=6))  # Monday 2026-09-07 to Sunday


@pytest.fixture
def reported(sv: TrainingWorld) -> TrainingWorld:
    """启明: two complaints (yellow, a notice); 博雅: suspended this week (red? no: 30 points, yellow)."""
    complain(sv.institution, 2)
    suspend(sv.other_county_bureau, sv.other_institution)
    risk_score_region(region=sv.city, on=TODAY)
    return sv


def test_monitoring_data_per_county_with_the_total(reported: TrainingWorld) -> None:
    report = report_build("monitoring", reported.city, *WEEK)
    by_county = {row["county"]: row for row in report.rows}
    assert set(by_county) == {"梁园区", "民权县"}
    liangyuan, minquan = by_county["梁园区"], by_county["民权县"]
    assert (liangyuan["approved"], liangyuan["academic"], liangyuan["complaints"], liangyuan["yellow"]) == (1, 1, 2, 1)
    assert (minquan["approved"], minquan["suspended"], minquan["yellow"]) == (0, 1, 1)
    assert report.total is not None
    assert (report.total["complaints"], report.total["yellow"], report.total["county"]) == (2, 2, "合计")


def test_half_monthly_counts_the_periods_events(reported: TrainingWorld) -> None:
    report = report_build("half_monthly", reported.city, date(2026, 9, 1), date(2026, 9, 15))
    total = report.total
    assert total is not None
    assert (total["registered"], total["suspended_in_period"], total["warnings_issued"]) == (2, 1, 2)
    assert total["complaints"] == 2


def test_monthly_list_names_every_institution(reported: TrainingWorld) -> None:
    report = report_build("monthly_list", reported.liangyuan, date(2026, 9, 1), date(2026, 9, 30))
    assert [(r["index"], r["name"], r["licence_status"], r["risk_level"]) for r in report.rows] == [
        (1, "梁园区启明培训学校", "已审批", "黄色预警")
    ]


def test_weekly_list_of_failed_and_closed(reported: TrainingWorld) -> None:
    report = report_build("weekly_closed", reported.city, *WEEK)
    assert [(r["name"], r["what"], r["date"], r["reason"]) for r in report.rows] == [
        ("民权县博雅培训学校", "暂停办学", "2026-09-07", "专项检查停业整顿")
    ]
    assert report_build("weekly_closed", reported.city, date(2026, 8, 31), date(2026, 9, 6)).rows == []


def test_excel_file_in_the_layout_reads_back(reported: TrainingWorld) -> None:
    # given
    report = report_build("monitoring", reported.city, *WEEK)
    # when
    sheet = load_workbook(BytesIO(workbook_bytes(report))).active
    # then
    assert sheet is not None
    assert sheet["A1"].value == "校外培训监测数据"
    assert "商丘市" in str(sheet["A2"].value) and "2026-09-07 至 2026-09-13" in str(sheet["A2"].value)
    headers = [cell.value for cell in sheet[3]]
    assert headers == [str(c.header) for c in layouts.DEFAULT_LAYOUTS["monitoring"].columns]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert [row[0] for row in rows] == ["梁园区", "民权县", "合计"]
    assert rows[0][headers.index("投诉件数")] == 2


def test_a_region_supplies_its_own_column_layout(
    reported: TrainingWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the city files the monthly list with three columns in its own order
    (tmp_path / "411400.json").write_text(
        '{"monthly_list": {"title": "商丘市培训机构名单", "columns": ['
        '{"key": "credit_code", "header": "信用代码", "width": 22}, {"key": "name", "header": "名称"},'
        '{"key": "licence_status", "header": "状态"}]}}',
        encoding="utf-8",
    )
    monkeypatch.setattr(layouts, "LAYOUTS_DIR", tmp_path)
    layouts._region_file.cache_clear()
    try:
        # when
        report = report_build("monthly_list", reported.liangyuan, date(2026, 9, 1), date(2026, 9, 30))
        sheet = load_workbook(BytesIO(workbook_bytes(report))).active
    finally:
        layouts._region_file.cache_clear()
    # then: the county inherits its city's layout
    assert sheet is not None
    assert sheet["A1"].value == "商丘市培训机构名单"
    assert [c.value for c in sheet[3]] == ["信用代码", "名称", "状态"]
    assert [c.value for c in sheet[4]] == [reported.institution.credit_code, "梁园区启明培训学校", "已审批"]


def test_due_reports_are_generated_once_into_files(reported: TrainingWorld, tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path):
        # when: Tuesday 2026-09-16 (nothing weekly), the first half of September is due
        first = reports_generate_due(region=reported.city, today=date(2026, 9, 16))
        again = reports_generate_due(region=reported.city, today=date(2026, 9, 16))
        # then
        assert [(d.kind, d.start, d.end, d.already) for d in first] == [
            ("half_monthly", date(2026, 9, 1), date(2026, 9, 15), False)
        ]
        assert [d.already for d in again] == [True]
        file = ReportFile.objects.get()
        assert (file.region_id, file.kind, file.rows) == ("411400", "half_monthly", 2)
        sheet = load_workbook(report_path(file)).active
        assert sheet is not None and sheet["A1"].value == "校外培训监管工作半月报"


def test_command_and_task_generate_what_is_due(reported: TrainingWorld, tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path):
        out = StringIO()
        call_command("supervision_reports", "--region", "411400", "--due", "--date", "2026-10-01", stdout=out)
        assert "校外培训机构月度名单 2026-09-01 ~ 2026-09-30" in out.getvalue()
        assert set(ReportFile.objects.values_list("kind", flat=True)) == {"half_monthly", "monthly_list"}
        result = tasks.reports_due.enqueue("411400", "2026-09-14")  # a Monday: the weekly ones
        assert sorted(r["kind"] for r in result.return_value) == ["monitoring", "weekly_closed"]
        assert ReportFile.objects.count() == 4


def test_reports_only_for_supervisors_of_the_region(reported: TrainingWorld) -> None:
    assert report_read(
        actor=reported.inspector, kind="monitoring", region=reported.liangyuan, start=WEEK[0], end=WEEK[1]
    )
    for who in (reported.operator, reported.other_county_bureau):
        with pytest.raises(AccessDenied):
            report_read(actor=who, kind="monitoring", region=reported.liangyuan, start=WEEK[0], end=WEEK[1])
    with pytest.raises(DomainError) as caught:
        report_read(actor=reported.city_bureau, kind="monitoring", region=reported.city, start=WEEK[1], end=WEEK[0])
    assert caught.value.code == "supervision.bad_period"
