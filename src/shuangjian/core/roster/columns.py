"""The roster's vocabulary: error codes, relations, the columns with their header names, Chinese numerals and
class names, the school year."""

import re
from collections.abc import Callable
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext as _

from shuangjian.core.errors import CoreError

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
