"""Cell values: text cleaned of invisible characters, masked personal values, dates, genders, grades and classes."""

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from openpyxl.utils.datetime import from_excel

from shuangjian.core.protect import mask
from shuangjian.core.roster.columns import (
    KINDERGARTEN_GRADES,
    MAX_GRADE,
    RESIDENT_ID,
    STUDENT_NUMBER,
    RosterRelation,
    _chinese_number,
)

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
