"""`shuangjian import_roster`: exit status and output (never an unmasked ID or phone)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shuangjian.core.models import Guardian, Role, School, Student, User
from shuangjian.core.tests import factories as f
from shuangjian.core.tests.data.roster_files import csv_bytes, phone, pupils, resident_id, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> School:
    _province, _city, liangyuan, _minquan = f.regions()
    school = f.school(liangyuan, "梁园区前进小学")
    f.school_class(school, 4, 1)
    return school


@pytest.fixture
def leader(school: School) -> User:
    user = f.user("registrar")
    f.assign(user, Role.SCHOOL_LEADER, school=school)
    return user


def command(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_valid_file_prints_the_counts(tmp_path: Path, school: School, leader: User) -> None:
    # given
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx_bytes(pupils(5)))
    # when
    out, err = command(str(path), "--school", school.code, "--actor", "registrar")
    # then
    assert out.strip() == (
        "梁园区前进小学：5 行，新增学生 5，更新 0，无变化 0，新增监护人 10，新增监护关系 10，新建班级 0。"
    )
    assert err == ""  # no progress bars when stderr is not a terminal
    assert Student.objects.count() == 5


def test_errors_print_one_masked_line_each_and_exit_with_status_1(tmp_path: Path, school: School, leader: User) -> None:
    # given: rows 3 and 6 are bad
    rows = pupils(6)
    bad_id = resident_id(1)[:-1] + ("0" if resident_id(1)[-1] != "0" else "1")
    rows[1] = rows[1] | {"身份证号": bad_id}
    rows[4] = rows[4] | {"监护人1电话": phone(8)[:10]}
    path = tmp_path / "名册.csv"
    path.write_bytes(csv_bytes(rows, encoding="gb18030"))
    out, err = StringIO(), StringIO()
    # when
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_roster", str(path), "--school", school.code, "--actor", "registrar", stdout=out, stderr=err
        )
    # then
    assert caught.value.returncode == 1
    assert str(caught.value) == "发现 2 处问题，没有导入任何数据。"
    lines = err.getvalue().splitlines()
    assert lines == [
        "第 3 行 身份证号 [core.invalid_resident_id] "
        + bad_id[:4]
        + "*" * 10
        + bad_id[-4:]
        + "：身份证号不正确：请核对这 18 位号码，最后一位校验码可能是数字或 X。",
        "第 6 行 监护人1电话 [core.invalid_phone] 139***0000：手机号不正确：请填写 11 位手机号码。",
    ]
    assert bad_id not in err.getvalue() + out.getvalue()
    assert (Student.objects.count(), Guardian.objects.count()) == (0, 0)


def test_dry_run_says_so_and_writes_nothing(tmp_path: Path, school: School, leader: User) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx_bytes(pupils(2)))
    out, _err = command(str(path), "--school", school.code, "--actor", "registrar", "--dry-run", "--quiet")
    assert out.startswith("试运行（未写入）：梁园区前进小学：2 行，新增学生 2")
    assert Student.objects.count() == 0


def test_output_never_shows_personal_numbers(tmp_path: Path, school: School, leader: User) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx_bytes(pupils(3)))
    out, err = command(str(path), "--school", school.code, "--actor", "registrar")
    for index in range(3):
        assert resident_id(index) not in out + err
        assert phone(2 * index) not in out + err


@pytest.mark.parametrize(
    ("_case", "school_code", "actor", "message"),
    [
        ("unknown actor", None, "nobody", "core.not_found: "),
        ("school out of scope", "4114210001", "registrar", "core.not_found: "),
    ],
)
def test_refusals_exit_with_status_1(
    tmp_path: Path, school: School, leader: User, _case: str, school_code: str | None, actor: str, message: str
) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx_bytes(pupils(1)))
    with pytest.raises(CommandError) as caught:
        command(str(path), "--school", school_code or school.code, "--actor", actor)
    assert caught.value.returncode == 1
    assert str(caught.value).startswith(message)
    assert Student.objects.count() == 0


def test_a_teacher_is_refused(tmp_path: Path, school: School) -> None:
    teacher = f.user("teacher")
    f.assign(teacher, Role.TEACHER, school=school)
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx_bytes(pupils(1)))
    with pytest.raises(CommandError) as caught:
        command(str(path), "--school", school.code, "--actor", "teacher")
    assert str(caught.value).startswith("core.forbidden: ")
    assert Student.objects.count() == 0


def test_the_actor_is_required(tmp_path: Path, school: School) -> None:
    with pytest.raises(CommandError) as caught:
        command(str(tmp_path / "x.xlsx"), "--school", school.code)
    assert "--actor" in str(caught.value)


def test_a_missing_file_is_reported(tmp_path: Path, school: School, leader: User) -> None:
    with pytest.raises(CommandError) as caught:
        command(str(tmp_path / "none.xlsx"), "--school", school.code, "--actor", "registrar")
    assert "无法读取文件" in str(caught.value)
