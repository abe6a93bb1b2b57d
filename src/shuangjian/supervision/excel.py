"""A report as an Excel workbook (openpyxl) in the region's column layout: the title, the region and period, the
header row, the rows and the total. Opens in Excel, WPS and LibreOffice (scripts/report_to_pdf.sh)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from shuangjian.supervision.selectors.reports import ReportData

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def workbook_bytes(report: ReportData) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = str(report.layout.title)[:31]
    width = len(report.layout.columns)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1, str(report.layout.title)).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    caption = _("填报单位：%(region)s教育主管部门    统计期间：%(start)s 至 %(end)s    生成时间：%(at)s") % {
        "region": report.region.name,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.cell(2, 1, caption)
    for index, column in enumerate(report.layout.columns, start=1):
        cell = sheet.cell(3, index, str(column.header))
        cell.font = Font(bold=True)
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    rows = list(report.table)
    if report.total_row is not None:
        rows.append(report.total_row)
    for offset, values in enumerate(rows, start=4):
        for index, (column, value) in enumerate(zip(report.layout.columns, values, strict=True), start=1):
            cell = sheet.cell(offset, index, value)
            cell.border = _BOX
            if column.key.endswith("_yuan"):
                cell.number_format = "#,##0.00"
    sheet.freeze_panes = "A4"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToHeight = 0
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
