"""Roster import, part one: read a school's spreadsheet and validate every row (no ORM).

`read_table` turns an .xlsx or .csv file (UTF-8 with or without BOM, GB18030, UTF-16) into rows of
cells numbered as the spreadsheet numbers them. `parse_roster` maps the header (Chinese names, common
variants and English aliases) and checks each row on its own and against the other rows of the file.
`check_roster` then checks the rows against the database, given as plain data in a `RosterContext`.
Every problem becomes a `RosterError(row, column, code, value, message)`; values of personal columns
are masked. core.services.roster does the reading of the database and the write.
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from shuangjian.core.errors import CoreError, DomainError
from shuangjian.core.identity import (
    IdentifierError,
    ResidentId,
    parse_resident_id,
    validate_phone,
    validate_student_number,
)
from shuangjian.core.protect import keyed_hash, mask

# (stage, rows done, rows in all): "validate" while rows are checked, "write" while they are saved.
ProgressCallback = Callable[[str, int, int], None]
PROGRESS_EVERY = 250

NAME_MAX_LENGTH = 64  # Student.name and Guardian.name
HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common in school spreadsheets
# The school year starts in autumn; from August on, imports prepare the coming year.
SCHOOL_YEAR_FIRST_MONTH = 8
KINDERGARTEN_GRADES = {-2: "小", -1: "中", 0: "大"}
MIN_GRADE, MAX_GRADE = -2, 12


class RosterErrorCode(StrEnum):
    MISSING_COLUMN = "core.roster_missing_column"
    DUPLICATE_COLUMN = "core.roster_duplicate_column"
    NO_ROWS = "core.roster_no_rows"
    MISSING_VALUE = "core.roster_missing_value"
    VALUE_TOO_LONG = "core.roster_value_too_long"
    INVALID_RESIDENT_ID = CoreError.INVALID_RESIDENT_ID.value
    INVALID_STUDENT_NUMBER = CoreError.INVALID_STUDENT_NUMBER.value
    INVALID_PHONE = CoreError.INVALID_PHONE.value
    INVALID_GENDER = "core.roster_invalid_gender"
    INVALID_DATE = "core.roster_invalid_date"
    INVALID_GRADE = "core.roster_invalid_grade"
    INVALID_CLASS = "core.roster_invalid_class"
    INVALID_ENTRY_YEAR = "core.roster_invalid_entry_year"
    BIRTH_DATE_MISMATCH = "core.roster_birth_date_mismatch"
    GENDER_MISMATCH = "core.roster_gender_mismatch"
    UNKNOWN_RELATION = "core.roster_unknown_relation"
    DUPLICATE_STUDENT_NUMBER = "core.roster_duplicate_student_number"
    STUDENT_OF_OTHER_SCHOOL = "core.roster_student_of_other_school"
    DUPLICATE_RESIDENT_ID = "core.roster_duplicate_resident_id"
    UNKNOWN_CLASS = "core.roster_unknown_class"
    AMBIGUOUS_CLASS = "core.roster_ambiguous_class"
    CLASS_CONFLICT = "core.roster_class_conflict"
    GUARDIAN_PHONE_CONFLICT = "core.roster_guardian_phone_conflict"
    DUPLICATE_GUARDIAN = "core.roster_duplicate_guardian"


class RosterRelation(StrEnum):
    """The values of core.models.Relation (kept equal by a test)."""

    FATHER = "father"
    MOTHER = "mother"
    GRANDPARENT = "grandparent"
    OTHER = "other"


# --- columns and headers -----------------------------------------------------------------------------

STUDENT_NUMBER, NAME, GENDER, BIRTH_DATE = "student_number", "name", "gender", "birth_date"
RESIDENT_ID, GRADE, SCHOOL_CLASS, ENTRY_YEAR = "resident_id", "grade", "school_class", "entry_year"
REQUIRED_COLUMNS = (STUDENT_NUMBER, NAME, SCHOOL_CLASS)
GUARDIAN_PARTS = ("name", "relation", "phone")

_ALIASES: dict[str, str] = {
    STUDENT_NUMBER: "学籍号 全国学籍号 全国学籍号码 学籍号码 学生学籍号 国家学籍号 学籍编号 studentnumber studentno",
    NAME: "姓名 学生姓名 name studentname",
    GENDER: "性别 学生性别 gender sex",
    BIRTH_DATE: "出生日期 出生年月日 出生年月 生日 birthdate birthday dateofbirth dob",
    RESIDENT_ID: "身份证号 身份证号码 身份证 身份证件号 身份证件号码 公民身份号码 公民身份证号码 证件号 证件号码 "
    "学生身份证号 学生身份证号码 residentid idnumber idcard idcardnumber",
    GRADE: "年级 所在年级 grade",
    SCHOOL_CLASS: "班级 班级名称 班别 班 班号 所在班级 class classname schoolclass",
    ENTRY_YEAR: "入学年份 入学年度 入学年 entryyear enrollmentyear enrolmentyear",
}
_HEADER_TO_COLUMN = {alias: column for column, aliases in _ALIASES.items() for alias in aliases.split()}
_GUARDIAN_HEADER_RE = re.compile(
    r"^(?:监护人|家长|联系人|guardian)\(?(?P<slot>[1-9一二三四])?\)?的?"
    r"(?P<part>姓名|名字|关系|与学生关系|与学生的关系|与本人关系|电话|电话号码|手机|手机号|手机号码|联系电话|联系方式"
    r"|name|relation|relationship|phone|mobile)$"
)
_GUARDIAN_PART = {"姓名": "name", "名字": "name", "name": "name", "关系": "relation", "与学生关系": "relation"}
_GUARDIAN_PART |= {"与学生的关系": "relation", "与本人关系": "relation", "relation": "relation"}
_GUARDIAN_PART |= {"relationship": "relation"}


def guardian_column(slot: int, part: str) -> str:
    return f"guardian{slot}_{part}"


def column_label(column: str) -> str:
    """The standard Chinese name of a column, as the template spells it."""
    labels = {
        STUDENT_NUMBER: _("学籍号"),
        NAME: _("姓名"),
        GENDER: _("性别"),
        BIRTH_DATE: _("出生日期"),
        RESIDENT_ID: _("身份证号"),
        GRADE: _("年级"),
        SCHOOL_CLASS: _("班级"),
        ENTRY_YEAR: _("入学年份"),
    }
    if column in labels:
        return labels[column]
    match = re.fullmatch(r"guardian(\d)_(name|relation|phone)", column)
    if match is None:
        return column
    slot, part = match.group(1), match.group(2)
    if part == "name":
        return _("监护人%(slot)s姓名") % {"slot": slot}
    if part == "relation":
        return _("监护人%(slot)s关系") % {"slot": slot}
    return _("监护人%(slot)s电话") % {"slot": slot}


TEMPLATE_HEADERS: tuple[str, ...] = (
    "学籍号",
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "年级",
    "班级",
    "入学年份",
    "监护人1姓名",
)
TEMPLATE_HEADERS += ("监护人1关系", "监护人1电话", "监护人2姓名", "监护人2关系", "监护人2电话")

_CN_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))


def _chinese_number(text: str) -> int | None:
    """Arabic digits or a Chinese numeral up to 99 (一, 十二, 二十三)."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens_text, _sep, ones_text = text.partition("十")
    if len(tens_text) > 1 or len(ones_text) > 1:
        return None
    tens = _CN_DIGITS[tens_text] if tens_text else 1
    ones = _CN_DIGITS[ones_text] if ones_text else 0
    return tens * 10 + ones


def chinese_numeral(number: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (for kindergarten class names such as 小一班)."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def class_name(grade: int, number: int) -> str:
    """The name given to a class created by an import: 4年级2班, or 小一班 for kindergarten."""
    if grade in KINDERGARTEN_GRADES:
        return f"{KINDERGARTEN_GRADES[grade]}{chinese_numeral(number)}班"
    return f"{grade}年级{number}班"


def school_year_start(today: date) -> int:
    return today.year if today.month >= SCHOOL_YEAR_FIRST_MONTH else today.year - 1


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


# --- results -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RosterError:
    row: int  # spreadsheet row number; the header is row 1
    column: str  # the header as written in the file, or the column's standard name
    code: str
    value: str  # masked where personal
    message: str


@dataclass(frozen=True, slots=True)
class GuardianEntry:
    slot: int
    name: str
    relation: RosterRelation
    phone: str = field(repr=False)
    phone_digest: str = field(repr=False)


@dataclass(slots=True)
class RowDraft:
    """One data row as far as it could be read; a field is None where its cell is missing or invalid."""

    row: int
    student_number: str | None = field(default=None, repr=False)  # a G number carries the resident ID
    name: str | None = None
    gender: str | None = None
    birth_date: date | None = None
    resident_id: str | None = field(default=None, repr=False)
    resident_id_digest: str | None = field(default=None, repr=False)
    grade: int | None = None
    class_number: int | None = None
    entry_year: int | None = None
    class_text: str = ""
    class_readable: bool = False
    guardians: list[GuardianEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NewClass:
    grade: int
    number: int
    entry_year: int

    @property
    def name(self) -> str:
        return class_name(self.grade, self.number)


@dataclass(frozen=True, slots=True)
class RosterRow:
    """A valid row, ready to write. `class_id` names an existing class, else `new_class` one to create."""

    row: int
    student_number: str = field(repr=False)  # a G number carries the resident ID
    name: str
    gender: str
    birth_date: date
    resident_id: str | None = field(repr=False)
    resident_id_digest: str | None = field(repr=False)
    class_id: int | None
    new_class: NewClass | None
    guardians: tuple[GuardianEntry, ...]


@dataclass(slots=True)
class ParsedRoster:
    drafts: list[RowDraft]
    errors: list[RosterError]
    headers: dict[str, str]  # column key → the header text in the file

    def student_numbers(self) -> set[str]:
        return {d.student_number for d in self.drafts if d.student_number}

    def resident_id_digests(self) -> set[str]:
        return {d.resident_id_digest for d in self.drafts if d.resident_id_digest}

    def phone_digests(self) -> set[str]:
        return {g.phone_digest for d in self.drafts for g in d.guardians}


@dataclass(frozen=True, slots=True)
class ExistingClass:
    id: int
    grade: int
    number: int
    entry_year: int
    name: str


@dataclass(frozen=True, slots=True)
class RosterContext:
    """What the database says, as plain data, for the rows of one file."""

    classes: Sequence[ExistingClass]
    numbers_elsewhere: frozenset[str]  # student numbers of the file registered at another school
    resident_id_owners: Mapping[str, str]  # resident ID digest → student number holding it
    create_classes: bool
    school_year_start: int
    first_grade: int  # the school's first grade, for entry years of created classes


@dataclass(slots=True)
class RosterValidation:
    rows: list[RosterRow]
    errors: list[RosterError]
    new_classes: list[NewClass]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- cell values -----------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None)


def _text(value: Any) -> str:
    """A cell as stripped text: numbers without a trailing .0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).translate(_INVISIBLE).split())


def _compact(value: Any) -> str:
    """A cell for identifiers and codes: full-width folded to ASCII, no spaces."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", _text(value)))


def mask_value(column: str, text: str) -> str:
    if column == RESIDENT_ID:
        return mask(text, 4, 4)
    if column == STUDENT_NUMBER:
        return mask(text, 5, 4)
    if column.endswith("_phone"):
        return mask(text, 3, 4)
    return text


_GENDERS = {"男": "M", "男性": "M", "男生": "M", "m": "M", "male": "M", "1": "M"}
_GENDERS |= {"女": "F", "女性": "F", "女生": "F", "f": "F", "female": "F", "2": "F"}

_RELATIONS: dict[str, RosterRelation] = {}
for _relation, _words in {
    RosterRelation.FATHER: "父亲 父 爸爸 继父 养父 father dad",
    RosterRelation.MOTHER: "母亲 母 妈妈 继母 养母 mother mom mum",
    RosterRelation.GRANDPARENT: "祖父母/外祖父母 祖父母 外祖父母 祖父 祖母 外祖父 外祖母 爷爷 奶奶 外公 外婆 姥爷 姥姥"
    " grandparent grandfather grandmother grandpa grandma",
    RosterRelation.OTHER: "其他 其它 其他监护人 其他亲属 叔叔 伯父 伯母 婶婶 姑姑 姑父 舅舅 舅妈 姨妈 姨父 阿姨 "
    "哥哥 姐姐 兄 姐 other guardian",
}.items():
    for _word in _words.split():
        _RELATIONS[_word] = _relation


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 100000:
        converted = from_excel(value)  # a date typed into a cell not formatted as a date
        return converted.date() if isinstance(converted, datetime) else None
    text = _compact(value)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text
    )
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_grade(value: Any) -> int | None:
    """4, 四年级, 初一 (7), 高二 (11), 小班 (-2) ... or None."""
    text = _compact(value)
    stage_match = re.fullmatch(r"([初高])([一二三123])(?:年级)?", text)
    if stage_match:
        offset = 6 if stage_match.group(1) == "初" else 9
        step = _chinese_number(stage_match.group(2))
        return None if step is None else offset + step
    for kindergarten_grade, prefix in KINDERGARTEN_GRADES.items():
        if text in (prefix, prefix + "班"):
            return kindergarten_grade
    grade = _chinese_number(text.removesuffix("年级"))
    return grade if grade is not None and 1 <= grade <= MAX_GRADE else None


_NUM = r"[0-9零〇一二两三四五六七八九十]{1,3}"
_CLASS_NUMBER_RE = re.compile(rf"\(?(?P<number>{_NUM})\)?班?")
_CLASS_RES = (
    re.compile(
        rf"(?P<grade>[0-9一二三四五六七八九十]{{1,3}}年级|[初高][一二三123])(?:年级)?\(?(?P<number>{_NUM})\)?班?"
    ),
    re.compile(rf"(?P<grade>[小中大])班?\(?(?P<number>{_NUM})\)?班"),
    re.compile(r"(?P<grade>\d{1,2})[-.](?P<number>\d{1,2})"),
    re.compile(rf"(?P<entry_year>\d{{4}})级\(?(?P<number>{_NUM})\)?班?"),
)


def parse_class(value: Any) -> tuple[int | None, int | None, int] | None:
    """A class cell as (grade, entry year, class number); None where it cannot be read.

    "4年级2班", "四年级(2)班", "初一3班", "小一班", "4-2", "2022级3班", or a bare "2" / "2班" (grade elsewhere).
    """
    text = _compact(value)
    for pattern in _CLASS_RES:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        number = _chinese_number(match.group("number"))
        if number is None or number < 1:
            return None
        groups = match.groupdict()
        if groups.get("entry_year"):
            return None, int(groups["entry_year"]), number
        grade = parse_grade(groups["grade"])
        return (grade, None, number) if grade is not None else None
    match = _CLASS_NUMBER_RE.fullmatch(text)
    if match is not None:
        number = _chinese_number(match.group("number"))
        if number is not None and number >= 1:
            return None, None, number
    return None


# --- the header ------------------------------------------------------------------------------------------


def _normalize_header(value: Any) -> str:
    text = unicodedata.normalize("NFKC", _text(value)).lower()
    text = re.sub(r"\((?:必填|选填|可选|必须|必填项|选填项)\)", "", text)
    return re.sub(r"[\s_\-*:]", "", text)


def _header_key(value: Any) -> str | None:
    text = _normalize_header(value)
    if text in _HEADER_TO_COLUMN:
        return _HEADER_TO_COLUMN[text]
    match = _GUARDIAN_HEADER_RE.fullmatch(text)
    if match is None:
        return None
    slot = _chinese_number(match.group("slot")) if match.group("slot") else 1
    part = _GUARDIAN_PART.get(match.group("part"), "phone")
    return guardian_column(slot or 1, part)


@dataclass(slots=True)
class _Header:
    row: int
    index: dict[str, int]  # column key → position in the row
    text: dict[str, str]  # column key → header text as written
    slots: list[int]
    errors: list[RosterError]


def _find_header(table: Sequence[TableRow]) -> _Header | None:
    candidates = [r for r in table[:HEADER_SEARCH_ROWS] if any(_text(c) for c in r.cells)]
    if not candidates:
        return None
    best = candidates[0]
    for row in candidates:
        keys = {_header_key(c) for c in row.cells}
        if STUDENT_NUMBER in keys and NAME in keys:
            best = row
            break
    header = _Header(best.number, {}, {}, [], [])
    for position, cell in enumerate(best.cells):
        key = _header_key(cell)
        if key is None:
            continue
        if key in header.index:
            header.errors.append(
                RosterError(
                    best.number,
                    _text(cell),
                    RosterErrorCode.DUPLICATE_COLUMN,
                    "",
                    _("“%(column)s”列出现了不止一次，请删除多余的列。") % {"column": _text(cell)},
                )
            )
            continue
        header.index[key] = position
        header.text[key] = _text(cell)
    header.slots = sorted({int(k[len("guardian")]) for k in header.index if k.startswith("guardian")})
    missing = [c for c in REQUIRED_COLUMNS if c not in header.index]
    for slot in header.slots:
        missing += [guardian_column(slot, p) for p in GUARDIAN_PARTS if guardian_column(slot, p) not in header.index]
    for column in missing:
        header.errors.append(
            RosterError(
                best.number,
                column_label(column),
                RosterErrorCode.MISSING_COLUMN,
                "",
                _("表头中没有“%(column)s”列。请使用模板中的列名。") % {"column": column_label(column)},
            )
        )
    return header


# --- parsing rows ----------------------------------------------------------------------------------------


class _RowReader:
    """Reads the cells of one data row and records its errors."""

    def __init__(self, row: TableRow, header: _Header, errors: list[RosterError]) -> None:
        self.row = row
        self.header = header
        self.errors = errors
        self.draft = RowDraft(row.number)

    def raw(self, column: str) -> Any:
        position = self.header.index.get(column)
        if position is None or position >= len(self.row.cells):
            return None
        return self.row.cells[position]

    def error(self, column: str, code: str, value: str, message: str) -> None:
        label = self.header.text.get(column) or column_label(column)
        self.errors.append(RosterError(self.row.number, label, code, mask_value(column, value), message))

    def missing(self, column: str, message: str | None = None) -> None:
        text = message or _("“%(column)s”不能为空。") % {"column": column_label(column)}
        self.error(column, RosterErrorCode.MISSING_VALUE, "", text)

    def name(self, column: str) -> str | None:
        text = _text(self.raw(column))
        if not text:
            self.missing(column)
            return None
        if len(text) > NAME_MAX_LENGTH:
            message = _("内容太长（最多 %(max)s 个字）。") % {"max": NAME_MAX_LENGTH}
            self.error(column, RosterErrorCode.VALUE_TOO_LONG, text, message)
            return None
        return text


def _read_identity(reader: _RowReader, today: date) -> None:
    draft = reader.draft
    number_text = _compact(reader.raw(STUDENT_NUMBER))
    if not number_text:
        reader.missing(STUDENT_NUMBER)
    else:
        try:
            draft.student_number = validate_student_number(number_text)
        except IdentifierError:
            message = _("学籍号不正确：应为字母 G、J 或 L 后跟 18 位（G 开头时后面是学生的身份证号）。")
            reader.error(STUDENT_NUMBER, RosterErrorCode.INVALID_STUDENT_NUMBER, number_text, message)
    draft.name = reader.name(NAME)

    raw_id = reader.raw(RESIDENT_ID)
    id_text = _compact(raw_id).upper()
    resident_id: ResidentId | None = None
    if id_text:
        try:
            resident_id = parse_resident_id(id_text)
        except IdentifierError:
            if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
                message = _("身份证号被表格当成了数字，末几位已经丢失。请把该列设为“文本”格式后重新填写。")
            else:
                message = _("身份证号不正确：请核对这 18 位号码，最后一位校验码可能是数字或 X。")
            reader.error(RESIDENT_ID, RosterErrorCode.INVALID_RESIDENT_ID, id_text, message)
    if resident_id is not None:
        draft.resident_id = resident_id.number
        draft.resident_id_digest = keyed_hash(resident_id.number)

    gender_text = _text(reader.raw(GENDER))
    gender = _GENDERS.get(_compact(gender_text).lower()) if gender_text else None
    if gender_text and gender is None:
        reader.error(GENDER, RosterErrorCode.INVALID_GENDER, gender_text, _("性别只能填写“男”或“女”。"))
    birth_raw = reader.raw(BIRTH_DATE)
    birth_text = _text(birth_raw)
    birth = _parse_date(birth_raw) if birth_text else None
    if birth_text and birth is None:
        message = _("日期无法识别，请写成 2015-03-01 这样的格式。")
        reader.error(BIRTH_DATE, RosterErrorCode.INVALID_DATE, birth_text, message)
    elif birth is not None and birth > today:
        reader.error(BIRTH_DATE, RosterErrorCode.INVALID_DATE, birth_text, _("出生日期晚于今天，请核对。"))
        birth = None

    if resident_id is not None:
        if gender is not None and gender != resident_id.gender:
            expected = _("男") if resident_id.gender == "M" else _("女")
            message = _("性别与身份证号不一致（按身份证号应为“%(expected)s”）。") % {"expected": expected}
            reader.error(GENDER, RosterErrorCode.GENDER_MISMATCH, gender_text, message)
        if birth is not None and birth != resident_id.birth_date:
            message = _("出生日期与身份证号中的出生日期（%(expected)s）不一致。") % {
                "expected": resident_id.birth_date.isoformat()
            }
            reader.error(BIRTH_DATE, RosterErrorCode.BIRTH_DATE_MISMATCH, birth_text, message)
        draft.gender, draft.birth_date = resident_id.gender, resident_id.birth_date
    elif not id_text:
        draft.gender, draft.birth_date = gender, birth
        for column, text in ((GENDER, gender_text), (BIRTH_DATE, birth_text)):
            if not text:
                reader.missing(column, _("没有身份证号时，“%(column)s”不能为空。") % {"column": column_label(column)})


def _read_class(reader: _RowReader, today: date) -> None:
    draft = reader.draft
    grade_text = _text(reader.raw(GRADE))
    grade_column = parse_grade(reader.raw(GRADE)) if grade_text else None
    if grade_text and grade_column is None:
        message = _("年级无法识别，请填写如“4”“四年级”或“初一”。")
        reader.error(GRADE, RosterErrorCode.INVALID_GRADE, grade_text, message)
    year_text = _compact(reader.raw(ENTRY_YEAR)).removesuffix("年").removesuffix("级")
    entry_year_column = None
    if year_text:
        if re.fullmatch(r"\d{4}", year_text) and int(year_text) <= today.year + 1:
            entry_year_column = int(year_text)
        else:
            message = _("入学年份应为四位年份，如 2022。")
            reader.error(ENTRY_YEAR, RosterErrorCode.INVALID_ENTRY_YEAR, year_text, message)

    draft.class_text = _text(reader.raw(SCHOOL_CLASS))
    if not draft.class_text:
        reader.missing(SCHOOL_CLASS)
        return
    parsed = parse_class(reader.raw(SCHOOL_CLASS))
    if parsed is None:
        message = _("班级无法识别，请写成“4年级2班”，或在“年级”列填写年级、在本列填写班号。")
        reader.error(SCHOOL_CLASS, RosterErrorCode.INVALID_CLASS, draft.class_text, message)
        return
    grade, entry_year, number = parsed
    if grade is not None and grade_column is not None and grade != grade_column:
        message = _("班级中的年级与“年级”列不一致。")
        reader.error(SCHOOL_CLASS, RosterErrorCode.INVALID_CLASS, draft.class_text, message)
        return
    if entry_year is not None and entry_year_column is not None and entry_year != entry_year_column:
        message = _("班级中的入学年份与“入学年份”列不一致。")
        reader.error(SCHOOL_CLASS, RosterErrorCode.INVALID_CLASS, draft.class_text, message)
        return
    grade = grade if grade is not None else grade_column
    entry_year = entry_year if entry_year is not None else entry_year_column
    if grade is None and entry_year is None:
        if grade_text or year_text:
            return  # the grade or entry-year cell is wrong and already reported
        message = _("班级“%(text)s”没有年级：请写成“4年级2班”，或填写“年级”列。") % {"text": draft.class_text}
        reader.error(SCHOOL_CLASS, RosterErrorCode.INVALID_CLASS, draft.class_text, message)
        return
    draft.grade, draft.entry_year, draft.class_number = grade, entry_year, number
    draft.class_readable = True


def _read_guardians(reader: _RowReader) -> None:
    for slot in reader.header.slots:
        columns = {part: guardian_column(slot, part) for part in GUARDIAN_PARTS}
        texts = {part: _text(reader.raw(column)) for part, column in columns.items()}
        if not any(texts.values()):
            continue
        name = reader.name(columns["name"])
        relation_text = _compact(texts["relation"]).lower()
        relation = _RELATIONS.get(relation_text)
        if not relation_text:
            reader.missing(columns["relation"])
        elif relation is None:
            message = _("无法识别的监护关系“%(value)s”。请填写父亲、母亲、祖父母/外祖父母或其他监护人。") % {
                "value": texts["relation"]
            }
            reader.error(columns["relation"], RosterErrorCode.UNKNOWN_RELATION, texts["relation"], message)
        phone = None
        phone_text = _compact(texts["phone"])
        if not phone_text:
            reader.missing(columns["phone"])
        else:
            try:
                phone = validate_phone(phone_text)
            except IdentifierError:
                message = _("手机号不正确：请填写 11 位手机号码。")
                reader.error(columns["phone"], RosterErrorCode.INVALID_PHONE, phone_text, message)
        if name is not None and relation is not None and phone is not None:
            reader.draft.guardians.append(GuardianEntry(slot, name, relation, phone, keyed_hash(phone)))


def _is_blank(row: TableRow) -> bool:
    return not any(_text(c) for c in row.cells)


def parse_roster(table: Sequence[TableRow], *, today: date, progress: ProgressCallback | None = None) -> ParsedRoster:
    """Read every data row and check it on its own and against the other rows of the file."""
    header = _find_header(table)
    if header is None:
        error = RosterError(1, "", RosterErrorCode.NO_ROWS, "", _("文件是空的。"))
        return ParsedRoster([], [error], {})
    errors = list(header.errors)
    if errors:
        return ParsedRoster([], errors, header.text)
    data = [r for r in table if r.number > header.row and not _is_blank(r)]
    if not data:
        message = _("文件中没有学生数据（表头下面是空的）。")
        return ParsedRoster([], [RosterError(header.row, "", RosterErrorCode.NO_ROWS, "", message)], header.text)
    drafts = []
    for done, row in enumerate(data, 1):
        reader = _RowReader(row, header, errors)
        _read_identity(reader, today)
        _read_class(reader, today)
        _read_guardians(reader)
        drafts.append(reader.draft)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(data)):
            progress("validate", done, len(data))
    parsed = ParsedRoster(drafts, errors, header.text)
    _check_within_file(parsed)
    return parsed


def _add_error(parsed: ParsedRoster, draft: RowDraft, column: str, code: str, value: str, message: str) -> None:
    label = parsed.headers.get(column) or column_label(column)
    parsed.errors.append(RosterError(draft.row, label, code, mask_value(column, value), message))


def _check_within_file(parsed: ParsedRoster) -> None:
    first_number: dict[str, int] = {}
    first_id: dict[str, int] = {}
    phone_owner: dict[str, tuple[int, str]] = {}
    for draft in parsed.drafts:
        if draft.student_number is not None:
            other = first_number.setdefault(draft.student_number, draft.row)
            if other != draft.row:
                message = _("学籍号与第 %(other_row)s 行重复。") % {"other_row": other}
                code = RosterErrorCode.DUPLICATE_STUDENT_NUMBER
                _add_error(parsed, draft, STUDENT_NUMBER, code, draft.student_number, message)
        if draft.resident_id_digest is not None and draft.resident_id is not None:
            other = first_id.setdefault(draft.resident_id_digest, draft.row)
            if other != draft.row:
                message = _("身份证号与第 %(other_row)s 行重复。") % {"other_row": other}
                code = RosterErrorCode.DUPLICATE_RESIDENT_ID
                _add_error(parsed, draft, RESIDENT_ID, code, draft.resident_id, message)
        seen_here: set[str] = set()
        for guardian in draft.guardians:
            column = guardian_column(guardian.slot, "phone")
            if guardian.phone_digest in seen_here:
                message = _("同一学生的两位监护人电话相同，请核对。")
                _add_error(parsed, draft, column, RosterErrorCode.DUPLICATE_GUARDIAN, guardian.phone, message)
                continue
            seen_here.add(guardian.phone_digest)
            owner_row, owner_name = phone_owner.setdefault(guardian.phone_digest, (draft.row, guardian.name))
            if owner_name != guardian.name:
                message = _(
                    "该电话在第 %(other_row)s 行登记的监护人是“%(other_name)s”。同一电话只能对应一位监护人，请核对。"
                ) % {"other_row": owner_row, "other_name": owner_name}
                code = RosterErrorCode.GUARDIAN_PHONE_CONFLICT
                _add_error(parsed, draft, column, code, guardian.phone, message)


# --- checks against the database --------------------------------------------------------------------------


def _resolve_class(
    draft: RowDraft, context: RosterContext, planned: dict[tuple[int, int], NewClass], parsed: ParsedRoster
) -> tuple[int | None, NewClass | None]:
    """The existing class of the row, or the class to create; (None, None) after recording an error."""
    grade, entry_year, number = draft.grade, draft.entry_year, draft.class_number
    candidates = [
        c
        for c in context.classes
        if c.number == number
        and (grade is None or c.grade == grade)
        and (entry_year is None or c.entry_year == entry_year)
    ]
    if len(candidates) == 1:
        return candidates[0].id, None
    if len(candidates) > 1:
        message = _("本校有不止一个“%(class)s”（入学年份不同），请填写“入学年份”列。") % {"class": draft.class_text}
        _add_error(parsed, draft, SCHOOL_CLASS, RosterErrorCode.AMBIGUOUS_CLASS, draft.class_text, message)
        return None, None
    if not context.create_classes:
        message = _("本校没有班级“%(class)s”。请先建立该班级，或选择导入时自动创建班级。") % {"class": draft.class_text}
        _add_error(parsed, draft, SCHOOL_CLASS, RosterErrorCode.UNKNOWN_CLASS, draft.class_text, message)
        return None, None
    if entry_year is not None and grade is None:
        grade = context.first_grade + (context.school_year_start - entry_year)
    elif grade is not None and entry_year is None:
        entry_year = context.school_year_start - (grade - context.first_grade)
    if grade is None or entry_year is None or number is None:
        raise ValueError("a readable class has a number and a grade or an entry year")
    if not MIN_GRADE <= grade <= MAX_GRADE:
        message = _("按入学年份推算出的年级（%(grade)s）不合理，请核对入学年份或填写“年级”列。") % {"grade": grade}
        _add_error(parsed, draft, SCHOOL_CLASS, RosterErrorCode.INVALID_CLASS, draft.class_text, message)
        return None, None
    new_class = NewClass(grade, number, entry_year)
    clash = next((c for c in context.classes if (c.entry_year, c.number) == (entry_year, number)), None)
    other = planned.setdefault((entry_year, number), new_class)
    if clash is not None or other.grade != grade:
        existing = clash.name if clash is not None else other.name
        message = _(
            "入学年份 %(entry_year)s 的 %(number)s 班已是“%(existing)s”，与本行的年级不同。请核对年级或入学年份。"
        ) % {
            "entry_year": entry_year,
            "number": number,
            "existing": existing,
        }
        _add_error(parsed, draft, SCHOOL_CLASS, RosterErrorCode.CLASS_CONFLICT, draft.class_text, message)
        return None, None
    return None, other


def check_roster(parsed: ParsedRoster, context: RosterContext) -> RosterValidation:
    """Check the rows against the database and return the valid rows, or all the errors (`parsed` is unchanged)."""
    parsed = ParsedRoster(parsed.drafts, list(parsed.errors), parsed.headers)
    planned: dict[tuple[int, int], NewClass] = {}
    resolved: dict[int, tuple[int | None, NewClass | None]] = {}
    for draft in parsed.drafts:
        if draft.student_number is not None and draft.student_number in context.numbers_elsewhere:
            message = _("该学籍号已在其他学校登记。如学生转入本校，请先办理转学手续。")
            code = RosterErrorCode.STUDENT_OF_OTHER_SCHOOL
            _add_error(parsed, draft, STUDENT_NUMBER, code, draft.student_number, message)
        if draft.resident_id_digest is not None and draft.resident_id is not None:
            owner = context.resident_id_owners.get(draft.resident_id_digest)
            if owner is not None and owner != draft.student_number:
                message = _("该身份证号已登记在另一名学生（学籍号不同）名下。")
                code = RosterErrorCode.DUPLICATE_RESIDENT_ID
                _add_error(parsed, draft, RESIDENT_ID, code, draft.resident_id, message)
        if draft.class_readable:
            resolved[draft.row] = _resolve_class(draft, context, planned, parsed)
    errors = sorted(parsed.errors, key=lambda e: e.row)
    if errors:
        return RosterValidation([], errors, [])
    rows = [_finish(draft, *resolved[draft.row]) for draft in parsed.drafts]
    return RosterValidation(rows, [], list(planned.values()))


def _finish(draft: RowDraft, class_id: int | None, new_class: NewClass | None) -> RosterRow:
    if not (draft.student_number and draft.name and draft.gender and draft.birth_date):
        raise ValueError("a row without errors has a student number, name, gender and birth date")
    return RosterRow(
        row=draft.row,
        student_number=draft.student_number,
        name=draft.name,
        gender=draft.gender,
        birth_date=draft.birth_date,
        resident_id=draft.resident_id,
        resident_id_digest=draft.resident_id_digest,
        class_id=class_id,
        new_class=new_class,
        guardians=tuple(draft.guardians),
    )


def chunks[T](items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
