"""The roster import page: upload, validate only, import, errors table, access."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from shuangjian.core.models import Guardian, Role, School, Student, User
from shuangjian.core.tests import factories as f
from shuangjian.core.tests.data.roster_files import csv_bytes, pupils, resident_id, xlsx_bytes

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


def url(school: School) -> str:
    return reverse("roster_import", kwargs={"code": school.code})


def upload(content: bytes, name: str = "名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_shows_the_form(client: Client, school: School, leader: User) -> None:
    client.force_login(leader)
    response = client.get(url(school))
    assert response.status_code == 200
    html = response.content.decode()
    assert "导入学生名册" in html and "梁园区前进小学" in html
    assert 'name="file"' in html and 'value="validate"' in html and 'value="import"' in html
    assert "core/roster_import.js" in html


def test_an_upload_imports_and_shows_the_counts(client: Client, school: School, leader: User) -> None:
    # given
    client.force_login(leader)
    # when
    response = client.post(url(school), {"file": upload(xlsx_bytes(pupils(4))), "action": "import"})
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "导入完成" in html
    assert '<dd data-count="created">4</dd>' in html
    assert '<dd data-count="guardians_created">8</dd>' in html
    assert (Student.objects.count(), Guardian.objects.count()) == (4, 8)


def test_errors_are_listed_in_a_table_and_nothing_is_written(client: Client, school: School, leader: User) -> None:
    # given: row 3 has a bad resident ID, row 4 an unknown relation
    rows = pupils(4)
    bad_id = resident_id(1)[:-1] + ("0" if resident_id(1)[-1] != "0" else "1")
    rows[1] = rows[1] | {"身份证号": bad_id}
    rows[2] = rows[2] | {"监护人1关系": "邻居"}
    client.force_login(leader)
    # when
    response = client.post(url(school), {"file": upload(csv_bytes(rows, encoding="gb18030"), "名册.csv")})
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert "发现 2 处问题，没有导入任何数据" in html
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    assert body is not None
    cells = [text_of(row).strip() for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)]
    assert cells == [
        "3 身份证号 "
        + bad_id[:4]
        + "*" * 10
        + bad_id[-4:]
        + " 身份证号不正确：请核对这 18 位号码，最后一位校验码可能是数字或 X。",
        "4 监护人1关系 邻居 无法识别的监护关系“邻居”。请填写父亲、母亲、祖父母/外祖父母或其他监护人。",
    ]
    assert bad_id not in html
    assert Student.objects.count() == 0


def test_validate_only_writes_nothing(client: Client, school: School, leader: User) -> None:
    client.force_login(leader)
    response = client.post(url(school), {"file": upload(xlsx_bytes(pupils(3))), "action": "validate"})
    assert response.status_code == 200
    assert "校验通过" in response.content.decode()
    assert '<dd data-count="created">3</dd>' in response.content.decode()
    assert Student.objects.count() == 0


def test_the_create_classes_box_creates_missing_classes(client: Client, school: School, leader: User) -> None:
    client.force_login(leader)
    content = xlsx_bytes(pupils(2, ("4年级5班",)))
    response = client.post(url(school), {"file": upload(content), "action": "import", "create_classes": "on"})
    assert response.status_code == 200
    assert "新建的班级：4年级5班" in response.content.decode()
    assert Student.objects.filter(school_class__name="4年级5班").count() == 2


def test_an_ajax_upload_gets_the_same_page(client: Client, school: School, leader: User) -> None:
    client.force_login(leader)
    response = client.post(
        url(school), {"file": upload(xlsx_bytes(pupils(1))), "action": "import"}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 200
    assert 'id="roster-import"' in response.content.decode()


@pytest.mark.parametrize(
    ("_case", "name", "content", "message"),
    [
        ("wrong extension", "名册.pdf", b"%PDF-1.4", "请上传 .xlsx 或 .csv 文件。"),
        ("broken workbook", "名册.xlsx", b"PK\x03\x04 broken", "无法读取该 Excel 文件，文件可能已损坏。"),
        ("old excel", "名册.xls.csv", b"\xd0\xcf\x11\xe0" + b"\0" * 64, "这是旧版 Excel（.xls）文件"),
    ],
)
def test_unusable_files_are_explained_on_the_form(
    client: Client, school: School, leader: User, _case: str, name: str, content: bytes, message: str
) -> None:
    client.force_login(leader)
    response = client.post(url(school), {"file": upload(content, name)})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Student.objects.count() == 0


def test_a_post_without_a_file_is_explained(client: Client, school: School, leader: User) -> None:
    client.force_login(leader)
    response = client.post(url(school), {"action": "import"})
    assert response.status_code == 422
    assert 'data-testid="file-errors"' in response.content.decode()


def test_a_teacher_is_refused(client: Client, school: School) -> None:
    teacher = f.user()
    f.assign(teacher, Role.TEACHER, school=school)
    client.force_login(teacher)
    assert client.get(url(school)).status_code == 403
    assert client.post(url(school), {"file": upload(xlsx_bytes(pupils(1)))}).status_code == 403
    assert Student.objects.count() == 0


def test_a_leader_of_another_school_gets_not_found(client: Client, school: School) -> None:
    _province, _city, _liangyuan, minquan = f.regions()
    other_leader = f.user()
    f.assign(other_leader, Role.SCHOOL_LEADER, school=f.school(minquan))
    client.force_login(other_leader)
    assert client.get(url(school)).status_code == 404
    assert client.post(url(school), {"file": upload(xlsx_bytes(pupils(1)))}).status_code == 404
    assert client.get(reverse("roster_import", kwargs={"code": "0000000000"})).status_code == 404
    assert Student.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client: Client, school: School) -> None:
    response = client.get(url(school))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
