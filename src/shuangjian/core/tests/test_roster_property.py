"""Property: whichever rows of a roster are made invalid, the import writes nothing and reports exactly them."""

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuangjian.core.models import Guardian, GuardianLink, Role, SchoolClass, Student
from shuangjian.core.services.roster import roster_import
from shuangjian.core.tests import factories as f
from shuangjian.core.tests.data.roster_files import Row, pupils, resident_id, xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = 12


def bad_checksum(index: int) -> Row:
    number = resident_id(index)
    return {"身份证号": number[:-1] + ("0" if number[-1] != "0" else "1")}


# Each way of spoiling a row: (what to change in row `index`, the column the error names).
SPOILERS: dict[str, tuple[Callable[[int], Row], str]] = {
    "bad resident ID": (bad_checksum, "身份证号"),
    "bad phone": (lambda index: {"监护人1电话": "12345"}, "监护人1电话"),
    "unknown relation": (lambda index: {"监护人2关系": "邻居"}, "监护人2关系"),
    "missing name": (lambda index: {"姓名": ""}, "姓名"),
    "unknown class": (lambda index: {"班级": "4年级9班"}, "班级"),
    "bad student number": (lambda index: {"学籍号": "G12345"}, "学籍号"),
    "birth date mismatch": (lambda index: {"出生日期": "2010-01-01"}, "出生日期"),
}


@pytest.fixture
def setting() -> dict[str, object]:
    _province, _city, liangyuan, _minquan = f.regions()
    school = f.school(liangyuan)
    f.school_class(school, 4, 1)
    f.school_class(school, 4, 2)
    leader = f.user()
    f.assign(leader, Role.SCHOOL_LEADER, school=school)
    return {"school": school, "leader": leader}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    spoiled=st.dictionaries(
        st.integers(min_value=0, max_value=ROWS - 1), st.sampled_from(sorted(SPOILERS)), min_size=1, max_size=ROWS
    )
)
def test_any_invalid_rows_block_the_whole_import_and_are_reported_exactly(
    setting: dict[str, object], spoiled: dict[int, str]
) -> None:
    # given: a valid roster with some rows spoiled in one way each
    rows = pupils(ROWS, ("4年级1班", "4年级2班"))
    for index, kind in spoiled.items():
        change, _column = SPOILERS[kind]
        rows[index] = rows[index] | change(index)
    before = (Student.objects.count(), Guardian.objects.count(), GuardianLink.objects.count())
    classes = SchoolClass.objects.count()
    # when
    result = roster_import(
        actor=setting["leader"],
        school_code=setting["school"].code,  # type: ignore[attr-defined]
        filename="名册.xlsx",
        content=xlsx_bytes(rows),
        today=date(2026, 3, 2),
    )
    # then: one error per spoiled row, at its spreadsheet row (header = row 1), in its column
    expected = sorted((index + 2, SPOILERS[kind][1]) for index, kind in spoiled.items())
    assert [(e.row, e.column) for e in result.errors] == expected
    assert (result.created, result.updated, result.guardians_created) == (0, 0, 0)
    assert (Student.objects.count(), Guardian.objects.count(), GuardianLink.objects.count()) == before == (0, 0, 0)
    assert SchoolClass.objects.count() == classes
