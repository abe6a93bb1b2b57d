"""Builders of roster spreadsheets for the roster-import tests: valid rows, then .xlsx or .csv bytes."""

import csv
import io
from collections.abc import Sequence
from datetime import date, timedelta

from openpyxl import Workbook

from shuangjian.core.identity import make_resident_id
from shuangjian.core.roster import TEMPLATE_HEADERS

Row = dict[str, object]

SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ("小明", "思雨", "浩然", "子涵", "欣怡", "宇轩", "梓萱", "俊杰", "雨桐", "一诺")


def resident_id(index: int, region: str = "411402", first_birth: date = date(2016, 1, 1)) -> str:
    """A valid resident ID, different for each index (the birth date moves every 1,000 people)."""
    return make_resident_id(region, first_birth + timedelta(days=index // 1000), index % 1000)


def phone(index: int) -> str:
    return f"139{index:08d}"


def pupil(index: int, class_text: str = "4年级1班", *, siblings_every: int = 0, region: str = "411402") -> Row:
    """One valid roster row. With siblings_every=k, pupil k*j+1 shares pupil k*j's guardians (same phones)."""
    number = resident_id(index, region)
    family = index - 1 if siblings_every and index % siblings_every == 1 and index > 0 else index
    surname = SURNAMES[family % len(SURNAMES)]
    return {
        "学籍号": "G" + number,
        "姓名": surname + GIVEN[index % len(GIVEN)],
        "性别": "男" if int(number[16]) % 2 else "女",
        "出生日期": f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
        "身份证号": number,
        "年级": "",
        "班级": class_text,
        "入学年份": "",
        "监护人1姓名": surname + "父",
        "监护人1关系": "父亲",
        "监护人1电话": phone(2 * family),
        "监护人2姓名": "母" + surname,
        "监护人2关系": "母亲",
        "监护人2电话": phone(2 * family + 1),
    }


def pupils(count: int, classes: Sequence[str] = ("4年级1班",), *, siblings_every: int = 0, start: int = 0) -> list[Row]:
    return [pupil(i, classes[i % len(classes)], siblings_every=siblings_every) for i in range(start, start + count)]


def xlsx_bytes(rows: Sequence[Row], headers: Sequence[str] = TEMPLATE_HEADERS, title: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title is not None:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Row], headers: Sequence[str] = TEMPLATE_HEADERS, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)
