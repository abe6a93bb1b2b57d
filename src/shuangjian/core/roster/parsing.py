"""Parsing: find the header, read each row on its own, then check the rows against each other."""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from shuangjian.core.identity import (
    IdentifierError,
    ResidentId,
    parse_resident_id,
    validate_phone,
    validate_student_number,
)
from shuangjian.core.protect import keyed_hash
from shuangjian.core.roster.cells import (
    _GENDERS,
    _RELATIONS,
    _compact,
    _parse_date,
    _text,
    mask_value,
    parse_class,
    parse_grade,
)
from shuangjian.core.roster.columns import (
    _GUARDIAN_HEADER_RE,
    _GUARDIAN_PART,
    _HEADER_TO_COLUMN,
    BIRTH_DATE,
    ENTRY_YEAR,
    GENDER,
    GRADE,
    GUARDIAN_PARTS,
    HEADER_SEARCH_ROWS,
    NAME,
    NAME_MAX_LENGTH,
    PROGRESS_EVERY,
    REQUIRED_COLUMNS,
    RESIDENT_ID,
    SCHOOL_CLASS,
    STUDENT_NUMBER,
    ProgressCallback,
    RosterErrorCode,
    _chinese_number,
    column_label,
    guardian_column,
)
from shuangjian.core.roster.files import TableRow
from shuangjian.core.roster.results import GuardianEntry, ParsedRoster, RosterError, RowDraft

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
