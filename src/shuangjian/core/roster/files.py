"""Reading a school's spreadsheet: an .xlsx or .csv file (UTF-8 with or without BOM, GB18030, UTF-16) into rows
of cells numbered as the spreadsheet numbers them."""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from shuangjian.core.errors import CoreError, DomainError

# --- reading files -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableRow:
    number: int  # the spreadsheet row number (1-based)
    cells: tuple[Any, ...]


class RosterFileError(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(CoreError.IMPORT_FILE_UNREADABLE, message)


def read_table(filename: str, content: bytes) -> list[TableRow]:
    """The rows of the first worksheet of an .xlsx file, or of a .csv file."""
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileError(_("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或 .csv 后再导入。"))
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise RosterFileError(_("无法读取该 Excel 文件，文件可能已损坏。"))
    return _read_csv(content)


def _read_xlsx(content: bytes) -> list[TableRow]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise RosterFileError(_("无法读取该 Excel 文件，文件可能已损坏。")) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some producers write a wrong used range; read every row
        return [TableRow(number, tuple(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        workbook.close()


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 as Chinese Excel writes it."""
    try:
        if content.startswith(codecs.BOM_UTF8):
            return content[len(codecs.BOM_UTF8) :].decode("utf-8")
        if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return content.decode("utf-16")
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            return content.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise RosterFileError(_("无法识别文件的文字编码，请另存为“CSV UTF-8”或 .xlsx 后再导入。")) from exc


def _read_csv(content: bytes) -> list[TableRow]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise RosterFileError(_("无法读取该 CSV 文件：%(reason)s") % {"reason": str(exc)}) from exc
    return [TableRow(number, tuple(cells)) for number, cells in enumerate(rows, 1)]
