"""Scheduled generation of the periodic reports: on each day, the reports whose period ended the day before are
written as workbooks under the data directory (`<DATA_DIR>/reports/<region>/`) and recorded as ReportFile rows, once
per region, report and period. The command `supervision_reports --due` and the task call it for a region."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shuangjian.core.models import Region
from shuangjian.supervision import rules
from shuangjian.supervision.excel import workbook_bytes
from shuangjian.supervision.layouts import CADENCE
from shuangjian.supervision.models import ReportFile
from shuangjian.supervision.selectors.reports import check_period, report_build


@dataclass(frozen=True, slots=True)
class DueReport:
    kind: str
    start: date
    end: date
    file: ReportFile | None  # None on a dry run or when it had been generated already
    already: bool = False


def reports_root() -> Path:
    return Path(settings.DATA_DIR) / "reports"


def report_path(file: ReportFile) -> Path:
    return reports_root() / file.path


@transaction.atomic(durable=True)
def report_file_generate(*, region: Region, kind: str, start: date, end: date) -> ReportFile:
    """Write the report of `kind` for the period and record it (again: a regenerated period replaces its file)."""
    check_period(kind, start, end)
    report = report_build(kind, region, start, end)
    relative = Path(region.code) / f"{kind}-{start.isoformat()}-{end.isoformat()}.xlsx"
    target = reports_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(workbook_bytes(report))
    partial.replace(target)  # a reader never sees half a file; a rolled-back row leaves a file the next run replaces
    file, _created = ReportFile.objects.update_or_create(
        region=region,
        kind=kind,
        period_start=start,
        defaults={"period_end": end, "path": str(relative), "rows": len(report.rows), "generated_at": timezone.now()},
    )
    return file


def reports_generate_due(*, region: Region, today: date, dry_run: bool = False) -> list[DueReport]:
    """Generate every report whose period ended yesterday and that is not on file yet."""
    done: list[DueReport] = []
    for kind, cadence in CADENCE.items():
        for start, end in rules.due_periods(cadence, today):
            if ReportFile.objects.filter(region=region, kind=kind, period_start=start).exists():
                done.append(DueReport(kind, start, end, None, already=True))
            elif dry_run:
                done.append(DueReport(kind, start, end, None))
            else:
                done.append(
                    DueReport(kind, start, end, report_file_generate(region=region, kind=kind, start=start, end=end))
                )
    return done
