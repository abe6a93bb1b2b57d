"""Roster parsing and validation (core.roster): pure functions, no database."""

from datetime import date, datetime

import pytest

from shuangjian.core import roster
from shuangjian.core.errors import CoreError
from shuangjian.core.identity import make_resident_id
from shuangjian.core.models import Relation
from shuangjian.core.protect import keyed_hash, mask
from shuangjian.core.roster import (
    TEMPLATE_HEADERS,
    ExistingClass,
    NewClass,
    RosterContext,
    RosterErrorCode,
    RosterFileError,
    TableRow,
)
from shuangjian.core.tests.data.roster_files import csv_bytes, phone, pupil, pupils, resident_id, xlsx_bytes

TODAY = date(2026, 3, 2)  # school year 2025-2026
CLASSES = (ExistingClass(1, 4, 1, 2022, "4年级1班"), ExistingClass(2, 4, 2, 2022, "4年级2班"))


def table(rows: list[dict[str, object]], headers: tuple[str, ...] = TEMPLATE_HEADERS) -> list[TableRow]:
    return [TableRow(1, headers)] + [
        TableRow(number, tuple(row.get(h, "") for h in headers)) for number, row in enumerate(rows, 2)
    ]


def context(**changes: object) -> RosterContext:
    values: dict[str, object] = {
        "classes": CLASSES,
        "numbers_elsewhere": frozenset(),
        "resident_id_owners": {},
        "create_classes": False,
        "school_year_start": 2025,
        "first_grade": 1,
    }
    values.update(changes)
    return RosterContext(**values)  # type: ignore[arg-type]


def validate(rows: list[dict[str, object]], **changes: object) -> roster.RosterValidation:
    parsed = roster.parse_roster(table(rows), today=TODAY)
    return roster.check_roster(parsed, context(**changes))


def codes(validation: roster.RosterValidation) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.code) for e in validation.errors]


def bad_checksum(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


# --- valid rows ---------------------------------------------------------------------------------------------


def test_valid_rows_become_roster_rows_with_their_class_and_guardians() -> None:
    # given
    rows = pupils(3, ("4年级1班", "4年级2班"))
    # when
    validation = validate(rows)
    # then
    assert validation.errors == []
    first = validation.rows[0]
    number = resident_id(0)
    assert (first.row, first.student_number, first.name) == (2, "G" + number, rows[0]["姓名"])
    assert (first.gender, first.birth_date, first.class_id, first.new_class) == ("F", date(2016, 1, 1), 1, None)
    assert first.resident_id == number
    assert first.resident_id_digest == keyed_hash(number)
    assert [(g.slot, g.relation, g.phone) for g in first.guardians] == [
        (1, "father", phone(0)),
        (2, "mother", phone(1)),
    ]
    assert [r.class_id for r in validation.rows] == [1, 2, 1]


def test_personal_values_stay_out_of_reprs() -> None:
    validation = validate(pupils(1))
    text = repr(validation.rows[0])
    assert resident_id(0) not in text
    assert phone(0) not in text


def test_relations_match_the_model_choices() -> None:
    assert {r.value for r in roster.RosterRelation} == set(Relation.values)


def test_gender_and_birth_date_come_from_the_resident_id_when_left_empty() -> None:
    row = pupil(1) | {"性别": "", "出生日期": ""}
    validation = validate([row])
    assert validation.errors == []
    assert (validation.rows[0].gender, validation.rows[0].birth_date) == ("M", date(2016, 1, 1))


def test_a_student_without_resident_id_needs_gender_and_birth_date() -> None:
    # given: a J number (no usable ID), gender and birth date given
    row = pupil(0) | {"学籍号": "J" + make_resident_id("411402", date(2016, 5, 6), 7), "身份证号": ""}
    row |= {"性别": "男", "出生日期": "2016/5/6"}
    # when
    validation = validate([row])
    # then
    assert validation.errors == []
    valid = validation.rows[0]
    assert (valid.resident_id, valid.resident_id_digest, valid.gender, valid.birth_date) == (
        None,
        None,
        "M",
        date(2016, 5, 6),
    )


def test_blank_rows_and_a_title_row_are_skipped_and_row_numbers_stay_spreadsheet_numbers() -> None:
    rows = [
        TableRow(1, ("梁园区前进小学 2025 级学生名册",)),
        TableRow(2, TEMPLATE_HEADERS),
        TableRow(3, tuple(pupil(0).get(h, "") for h in TEMPLATE_HEADERS)),
        TableRow(4, ("", None, "  ")),
        TableRow(5, tuple((pupil(1) | {"身份证号": "123"}).get(h, "") for h in TEMPLATE_HEADERS)),
    ]
    parsed = roster.parse_roster(rows, today=TODAY)
    assert [d.row for d in parsed.drafts] == [3, 5]
    assert [(e.row, e.column, e.code) for e in parsed.errors] == [(5, "身份证号", "core.invalid_resident_id")]


# --- one error per kind ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "changes", "column", "code"),
    [
        (
            "bad resident ID checksum",
            {"身份证号": bad_checksum(resident_id(0))},
            "身份证号",
            "core.invalid_resident_id",
        ),
        ("bad student number", {"学籍号": "X1234"}, "学籍号", "core.invalid_student_number"),
        (
            "G number with a bad ID",
            {"学籍号": "G" + bad_checksum(resident_id(0))},
            "学籍号",
            "core.invalid_student_number",
        ),
        ("bad phone", {"监护人1电话": "0370-1234567"}, "监护人1电话", "core.invalid_phone"),
        ("unknown relation", {"监护人2关系": "邻居"}, "监护人2关系", "core.roster_unknown_relation"),
        ("missing relation", {"监护人2关系": ""}, "监护人2关系", "core.roster_missing_value"),
        ("missing guardian phone", {"监护人1电话": ""}, "监护人1电话", "core.roster_missing_value"),
        ("missing guardian name", {"监护人1姓名": ""}, "监护人1姓名", "core.roster_missing_value"),
        ("missing name", {"姓名": " "}, "姓名", "core.roster_missing_value"),
        ("missing student number", {"学籍号": ""}, "学籍号", "core.roster_missing_value"),
        ("missing class", {"班级": ""}, "班级", "core.roster_missing_value"),
        ("name too long", {"姓名": "王" * 65}, "姓名", "core.roster_value_too_long"),
        ("birth date not matching the ID", {"出生日期": "2016-01-02"}, "出生日期", "core.roster_birth_date_mismatch"),
        ("gender not matching the ID", {"性别": "女"}, "性别", "core.roster_gender_mismatch"),
        ("gender unreadable", {"性别": "未知"}, "性别", "core.roster_invalid_gender"),
        ("date unreadable", {"出生日期": "2016年13月1日"}, "出生日期", "core.roster_invalid_date"),
        ("class unreadable", {"班级": "火箭班"}, "班级", "core.roster_invalid_class"),
        ("class number without a grade", {"班级": "2"}, "班级", "core.roster_invalid_class"),
        ("class grade against grade column", {"班级": "4年级1班", "年级": "5"}, "班级", "core.roster_invalid_class"),
        ("grade unreadable", {"班级": "1", "年级": "幼儿"}, "年级", "core.roster_invalid_grade"),
        ("entry year unreadable", {"入学年份": "22"}, "入学年份", "core.roster_invalid_entry_year"),
        ("unknown class", {"班级": "4年级9班"}, "班级", "core.roster_unknown_class"),
    ],
)
def test_each_kind_of_bad_cell_is_reported_with_its_code(
    _case: str, changes: dict[str, object], column: str, code: str
) -> None:
    # given: a valid first row, the second row with one bad cell
    rows = [pupil(0), pupil(1) | changes]
    # when
    validation = validate(rows)
    # then
    assert codes(validation) == [(3, column, code)]
    assert validation.rows == []
    assert validation.errors[0].message  # a sentence for the registrar


def test_a_missing_gender_without_resident_id_is_reported() -> None:
    row = pupil(0) | {"学籍号": "L" + "41140220160506" + "1234", "身份证号": "", "性别": "", "出生日期": ""}
    validation = validate([row])
    assert codes(validation) == [
        (2, "性别", "core.roster_missing_value"),
        (2, "出生日期", "core.roster_missing_value"),
    ]
    assert validation.errors[0].message == "没有身份证号时，“性别”不能为空。"


def test_a_birth_date_in_the_future_is_refused() -> None:
    row = pupil(0) | {"学籍号": "L411402201605061234", "身份证号": "", "性别": "女", "出生日期": "2027-01-01"}
    assert codes(validate([row])) == [(2, "出生日期", "core.roster_invalid_date")]


def test_error_values_of_personal_columns_are_masked() -> None:
    # given
    bad_id = bad_checksum(resident_id(1))
    rows = [pupil(0), pupil(1) | {"身份证号": bad_id, "监护人1电话": "1390000000"}]
    # when
    errors = validate(rows).errors
    # then
    assert [(e.column, e.value) for e in errors] == [
        ("身份证号", mask(bad_id, 4, 4)),
        ("监护人1电话", "139***0000"),
    ]
    assert errors[0].message == "身份证号不正确：请核对这 18 位号码，最后一位校验码可能是数字或 X。"


def test_a_resident_id_turned_into_a_number_by_excel_gets_its_own_advice() -> None:
    row = pupil(0) | {"身份证号": float(resident_id(0))}
    errors = validate([row]).errors
    assert [(e.code, e.message) for e in errors] == [
        ("core.invalid_resident_id", "身份证号被表格当成了数字，末几位已经丢失。请把该列设为“文本”格式后重新填写。")
    ]


def test_errors_are_listed_in_row_order_with_all_errors_of_a_row() -> None:
    rows = [pupil(0) | {"监护人1电话": "1"}, pupil(1), pupil(2) | {"姓名": "", "监护人2关系": "邻居"}]
    assert codes(validate(rows)) == [
        (2, "监护人1电话", "core.invalid_phone"),
        (4, "姓名", "core.roster_missing_value"),
        (4, "监护人2关系", "core.roster_unknown_relation"),
    ]


# --- duplicates within the file ---------------------------------------------------------------------------------


def test_duplicate_student_number_within_the_file_is_reported_on_the_later_row() -> None:
    rows = [pupil(0), pupil(1), pupil(2) | {"学籍号": pupil(0)["学籍号"]}]
    validation = validate(rows)
    assert codes(validation) == [(4, "学籍号", "core.roster_duplicate_student_number")]
    assert validation.errors[0].message == "学籍号与第 2 行重复。"
    assert validation.errors[0].value == mask(str(pupil(0)["学籍号"]), 5, 4)


def test_duplicate_resident_id_within_the_file_is_reported() -> None:
    rows = [pupil(0), pupil(1) | {"身份证号": resident_id(0), "性别": "", "出生日期": ""}]
    validation = validate(rows)
    assert codes(validation) == [(3, "身份证号", "core.roster_duplicate_resident_id")]
    assert validation.errors[0].message == "身份证号与第 2 行重复。"


def test_siblings_share_a_phone_but_one_phone_cannot_name_two_guardians() -> None:
    # given: pupil 1 is pupil 0's sibling (same guardians); pupil 2 reuses pupil 0's father's phone for someone else
    rows = [*pupils(2, siblings_every=10), pupil(2) | {"监护人1电话": phone(0)}]
    # when
    validation = validate(rows)
    # then
    assert codes(validation) == [(4, "监护人1电话", "core.roster_guardian_phone_conflict")]
    assert "第 2 行" in validation.errors[0].message


def test_two_guardians_of_one_student_with_the_same_phone_are_refused() -> None:
    row = pupil(0) | {"监护人2电话": phone(0), "监护人2姓名": pupil(0)["监护人1姓名"]}
    assert codes(validate([row])) == [(2, "监护人2电话", "core.roster_duplicate_guardian")]


# --- checks against the database (as plain data) --------------------------------------------------------------------


def test_a_student_number_of_another_school_is_refused() -> None:
    rows = pupils(3)
    validation = validate(rows, numbers_elsewhere=frozenset({rows[1]["学籍号"]}))
    assert codes(validation) == [(3, "学籍号", "core.roster_student_of_other_school")]


def test_a_resident_id_held_by_another_student_is_refused_but_not_by_the_same_student() -> None:
    rows = pupils(2)
    owners = {keyed_hash(resident_id(0)): rows[0]["学籍号"], keyed_hash(resident_id(1)): "G000"}
    validation = validate(rows, resident_id_owners=owners)
    assert codes(validation) == [(3, "身份证号", "core.roster_duplicate_resident_id")]


def test_classes_are_created_only_when_asked() -> None:
    # given
    rows = [pupil(0) | {"班级": "4年级3班"}, pupil(1) | {"班级": "2023级2班"}, pupil(2) | {"班级": "4年级3班"}]
    # when
    refused = validate(rows)
    created = validate(rows, create_classes=True)
    # then
    assert codes(refused) == [(r, "班级", "core.roster_unknown_class") for r in (2, 3, 4)]
    assert created.errors == []
    assert created.new_classes == [NewClass(4, 3, 2022), NewClass(3, 2, 2023)]
    assert [r.new_class for r in created.rows] == [NewClass(4, 3, 2022), NewClass(3, 2, 2023), NewClass(4, 3, 2022)]
    assert [c.name for c in created.new_classes] == ["4年级3班", "3年级2班"]


def test_a_created_class_may_not_take_the_entry_year_and_number_of_another_grade() -> None:
    rows = [pupil(0) | {"班级": "5年级1班", "入学年份": "2022"}]
    assert codes(validate(rows, create_classes=True)) == [(2, "班级", "core.roster_class_conflict")]


def test_two_classes_of_the_same_grade_and_number_need_the_entry_year() -> None:
    classes = (*CLASSES, ExistingClass(3, 4, 1, 2021, "4年级1班（2021级）"))
    ambiguous = validate([pupil(0)], classes=classes)
    chosen = validate([pupil(0) | {"入学年份": 2021}], classes=classes)
    assert codes(ambiguous) == [(2, "班级", "core.roster_ambiguous_class")]
    assert [r.class_id for r in chosen.rows] == [3]


def test_a_class_given_by_grade_column_and_number_finds_the_class() -> None:
    validation = validate([pupil(0) | {"年级": "四年级", "班级": "2"}, pupil(1) | {"年级": 4, "班级": "(1)班"}])
    assert [r.class_id for r in validation.rows] == [2, 1]


# --- headers ---------------------------------------------------------------------------------------------------------


def test_english_and_variant_headers_are_understood() -> None:
    # given
    headers: tuple[str, ...] = (
        "Student Number",
        "学生姓名",
        "sex",
        "date_of_birth",
        "身份证号码",
        "Class",
        "家长1姓名",
    )
    headers += ("监护人1与学生关系", "家长1手机号", "guardian_2_name", "Guardian2 Relation", "监护人（二）手机")
    row = pupil(0)
    values: tuple[object, ...] = (
        row["学籍号"],
        row["姓名"],
        row["性别"],
        row["出生日期"],
        row["身份证号"],
        row["班级"],
    )
    values += (
        row["监护人1姓名"],
        row["监护人1关系"],
        row["监护人1电话"],
        row["监护人2姓名"],
        "妈妈",
        row["监护人2电话"],
    )
    # when
    parsed = roster.parse_roster([TableRow(1, headers), TableRow(2, values)], today=TODAY)
    # then
    assert parsed.errors == []
    assert [(g.slot, g.relation) for g in parsed.drafts[0].guardians] == [(1, "father"), (2, "mother")]


def test_missing_required_columns_are_reported_on_the_header_row() -> None:
    headers = ("学籍号", "性别", "监护人1姓名", "监护人1电话")
    parsed = roster.parse_roster([TableRow(1, headers), TableRow(2, ("G1",))], today=TODAY)
    assert [(e.row, e.column, e.code) for e in parsed.errors] == [
        (1, "姓名", "core.roster_missing_column"),
        (1, "班级", "core.roster_missing_column"),
        (1, "监护人1关系", "core.roster_missing_column"),
    ]
    assert parsed.drafts == []


def test_a_repeated_column_is_reported() -> None:
    headers = (*TEMPLATE_HEADERS, "姓名")
    parsed = roster.parse_roster([TableRow(1, headers)], today=TODAY)
    assert [(e.row, e.column, e.code) for e in parsed.errors] == [(1, "姓名", "core.roster_duplicate_column")]


def test_a_file_without_data_rows_is_reported() -> None:
    parsed = roster.parse_roster([TableRow(1, TEMPLATE_HEADERS), TableRow(2, ())], today=TODAY)
    assert [(e.row, e.code) for e in parsed.errors] == [(1, "core.roster_no_rows")]
    assert [(e.row, e.code) for e in roster.parse_roster([], today=TODAY).errors] == [(1, "core.roster_no_rows")]


# --- cell formats --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "text", "expected"),
    [
        ("arabic", "4年级2班", (4, None, 2)),
        ("chinese with brackets", "四年级(2)班", (4, None, 2)),
        ("full-width brackets", "四年级（2）班", (4, None, 2)),
        ("chinese class number", "三年级二班", (3, None, 2)),
        ("junior", "初一3班", (7, None, 3)),
        ("senior", "高二(10)班", (11, None, 10)),
        ("kindergarten", "小一班", (-2, None, 1)),
        ("kindergarten long", "大班2班", (0, None, 2)),
        ("dash", "4-2", (4, None, 2)),
        ("entry year", "2022级3班", (None, 2022, 3)),
        ("number only", "2", (None, None, 2)),
        ("number with 班", "2班", (None, None, 2)),
        ("number cell", 2, (None, None, 2)),
        ("spaces", " 4 年级 2 班 ", (4, None, 2)),
        ("grade out of range", "十三年级1班", None),
        ("class zero", "4年级0班", None),
        ("nonsense", "火箭班", None),
    ],
)
def test_class_cells(_case: str, text: object, expected: tuple[int | None, int | None, int] | None) -> None:
    assert roster.parse_class(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[(4, 4), ("4", 4), ("四年级", 4), ("十二年级", 12), ("初一", 7), ("初三", 9), ("高一", 10), ("小班", -2)],
        *[("中班", -1), ("大班", 0), ("13", None), ("0", None), ("x", None)],
    ],
)
def test_grade_cells(text: object, expected: int | None) -> None:
    assert roster.parse_grade(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-01-01", date(2016, 1, 1)),
        ("2016/1/1", date(2016, 1, 1)),
        ("2016.01.01", date(2016, 1, 1)),
        ("2016年1月1日", date(2016, 1, 1)),
        ("20160101", date(2016, 1, 1)),
        (20160101, date(2016, 1, 1)),
        (datetime(2016, 1, 1), date(2016, 1, 1)),  # noqa: DTZ001  (an Excel date cell is naive)
        (42370, date(2016, 1, 1)),  # an Excel serial date in a cell not formatted as a date
    ],
)
def test_birth_date_cells(value: object, expected: date) -> None:
    row = pupil(0) | {"出生日期": value}
    validation = validate([row])
    assert validation.errors == []
    assert validation.rows[0].birth_date == expected


def test_kindergarten_class_names_use_chinese_numerals() -> None:
    assert [roster.class_name(g, n) for g, n in [(-2, 1), (-1, 12), (0, 20), (4, 2)]] == [
        "小一班",
        "中十二班",
        "大二十班",
        "4年级2班",
    ]


def test_school_year_starts_in_august() -> None:
    assert [roster.school_year_start(d) for d in (date(2026, 7, 31), date(2026, 8, 1))] == [2025, 2026]


# --- reading files ---------------------------------------------------------------------------------------------------


def cells_of(rows: list[TableRow]) -> list[tuple[int, tuple[object, ...]]]:
    return [(r.number, tuple(str(c) if c is not None else "" for c in r.cells)) for r in rows if any(r.cells)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_the_encodings_chinese_excel_writes(encoding: str) -> None:
    # given
    content = csv_bytes(pupils(2), encoding=encoding)
    # when
    rows = roster.read_table("名册.csv", content)
    # then
    assert rows[0].cells == TEMPLATE_HEADERS
    assert rows[1].cells[1] == pupil(0)["姓名"]
    assert [r.number for r in rows] == [1, 2, 3]


def test_tab_separated_text_is_read() -> None:
    content = "学籍号\t姓名\n" + "G1\t王小明\n"
    assert cells_of(roster.read_table("名册.txt", content.encode("utf-16"))) == [
        (1, ("学籍号", "姓名")),
        (2, ("G1", "王小明")),
    ]


def test_xlsx_rows_keep_their_spreadsheet_numbers() -> None:
    content = xlsx_bytes(pupils(2), title="学生名册")
    rows = roster.read_table("名册.xlsx", content)
    assert [r.number for r in rows] == [1, 2, 3, 4]
    assert rows[1].cells[:2] == ("学籍号", "姓名")
    assert rows[2].cells[0] == pupil(0)["学籍号"]


@pytest.mark.parametrize(
    ("_case", "filename", "content", "message"),
    [
        ("old excel", "a.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "这是旧版 Excel（.xls）文件"),
        ("broken xlsx", "a.xlsx", b"PK\x03\x04broken", "无法读取该 Excel 文件"),
        ("csv named xlsx", "a.xlsx", "学籍号,姓名\n".encode(), "无法读取该 Excel 文件"),
        ("neither UTF-8 nor GB18030", "a.csv", b"a,b\n\x80\xff\n", "无法识别文件的文字编码"),
    ],
)
def test_unreadable_files_raise_one_error(_case: str, filename: str, content: bytes, message: str) -> None:
    with pytest.raises(RosterFileError) as caught:
        roster.read_table(filename, content)
    assert caught.value.code == CoreError.IMPORT_FILE_UNREADABLE
    assert caught.value.message.startswith(message)


def test_error_code_enum_reuses_the_identity_codes() -> None:
    reused = [
        RosterErrorCode.INVALID_RESIDENT_ID,
        RosterErrorCode.INVALID_PHONE,
        RosterErrorCode.INVALID_STUDENT_NUMBER,
    ]
    assert [code.value for code in reused] == [
        CoreError.INVALID_RESIDENT_ID.value,
        CoreError.INVALID_PHONE.value,
        CoreError.INVALID_STUDENT_NUMBER.value,
    ]


def test_an_entry_year_that_gives_no_school_grade_is_refused_when_creating() -> None:
    # given: a class written as 2000级1班 would be grade 26 in 2025-2026
    parsed = roster.parse_roster(table([pupil(0) | {"班级": "2000级1班"}]), today=TODAY)
    # when
    validation = roster.check_roster(parsed, context(create_classes=True))
    # then
    assert codes(validation) == [(2, "班级", "core.roster_invalid_class")]
    assert parsed.errors == []  # check_roster leaves the parsed roster as it was
