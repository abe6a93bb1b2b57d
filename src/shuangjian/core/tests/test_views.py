"""The web shell: login and logout, the role-aware home page, the language switch and the error pages."""

from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path
from django.utils import translation
from django.views import defaults

from shuangjian.core.models import Role, StudentStatus, User
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456!"


@pytest.fixture
def world() -> dict[str, Any]:
    """Two schools in two counties of one city; every name differs so a leak shows up in the page."""
    _province, city, liangyuan, minquan = f.regions()
    school_a = f.school(liangyuan, "梁园区前进小学")
    school_b = f.school(minquan, "民权县实验小学")
    a4_1 = f.school_class(school_a, 4, 1)
    a4_2 = f.school_class(school_a, 4, 2)
    a5_1 = f.school_class(school_a, 5, 1)
    b6_3 = f.school_class(school_b, 6, 3)
    students = {
        "amy": f.student(a4_1, "张一"),
        "bob": f.student(a4_1, "张二"),
        "cat": f.student(a4_2, "李三"),
        "dan": f.student(a5_1, "王四"),
        "eve": f.student(b6_3, "赵五"),
        "fay": f.student(b6_3, "钱六"),
    }
    left = f.student(a5_1, "孙七")
    left.status = StudentStatus.TRANSFERRED_OUT
    left.save(update_fields=["status"])
    f.staff_member(school_a, "周老师")
    f.staff_member(school_a, "吴老师")
    f.staff_member(school_b, "郑老师")
    return {
        "city": city,
        "liangyuan": liangyuan,
        "a": school_a,
        "b": school_b,
        "a4_1": a4_1,
        "a4_2": a4_2,
        "a5_1": a5_1,
        "b6_3": b6_3,
        **students,
    }


def login(client: Client, account: User) -> None:
    assert client.login(username=account.username, password=PASSWORD)


def home_html(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


# ---- login, logout, anonymous ----


def test_anonymous_is_sent_to_login() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_login_page_renders_in_the_layout() -> None:
    response = Client().get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "双减平台" in html
    assert 'name="username"' in html and 'name="password"' in html
    assert "/static/shuangjian/site.css" in html
    assert "退出登录" not in html


def test_login_with_the_right_password_goes_home() -> None:
    # given
    account = f.named_user("李老师", "li")
    client = Client()
    # when
    response = client.post("/accounts/login/", {"username": "li", "password": PASSWORD})
    # then
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(account.pk)


def test_login_with_a_wrong_password_shows_an_error_and_signs_nobody_in() -> None:
    # given
    f.named_user("李老师", "li")
    client = Client()
    # when
    response = client.post("/accounts/login/", {"username": "li", "password": "wrong"})
    # then
    assert response.status_code == 200
    assert 'class="form-errors" role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_returns_to_login() -> None:
    # given
    client = Client()
    login(client, f.named_user("李老师"))
    # when
    response = client.post("/accounts/logout/")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_top_bar_shows_name_roles_language_switch_and_logout(world: dict[str, Any]) -> None:
    # given
    account = f.named_user("李老师")
    f.assign(account, Role.TEACHER, school=world["a"])
    f.assign(account, Role.HEAD_TEACHER, school=world["a"], school_class=world["a4_1"])
    client = Client()
    login(client, account)
    # when
    html = home_html(client)
    # then
    assert '<span class="bar-user" data-testid="bar-user">李老师</span>' in html
    assert '<span class="role">教师</span><span class="role">班主任</span>' in html
    assert 'action="/i18n/setlang/"' in html
    assert 'value="en" lang="en"' in html
    assert 'action="/accounts/logout/" method="post"' in html
    assert 'aria-current="page"' in html


# ---- the home page, role by role ----


def test_bureau_of_the_city_sees_city_counts(world: dict[str, Any]) -> None:
    # given
    account = f.named_user("局长")
    f.assign(account, Role.BUREAU, region=world["city"])
    client = Client()
    login(client, account)
    # when
    html = home_html(client)
    # then
    assert '<p class="card-scope">商丘市</p>' in html
    assert '<dd data-testid="count-schools">2</dd>' in html
    assert '<dd data-testid="count-classes">4</dd>' in html
    assert '<dd data-testid="count-students">6</dd>' in html


@pytest.mark.parametrize("role", [Role.BUREAU, Role.INSPECTOR])
def test_county_staff_see_only_their_county(world: dict[str, Any], role: Role) -> None:
    # given
    account = f.named_user("科员")
    f.assign(account, role, region=world["liangyuan"])
    client = Client()
    login(client, account)
    # when
    html = home_html(client)
    # then
    assert '<p class="card-scope">梁园区</p>' in html
    assert '<dd data-testid="count-schools">1</dd>' in html
    assert '<dd data-testid="count-classes">3</dd>' in html
    assert '<dd data-testid="count-students">4</dd>' in html
    assert "民权" not in html


def test_school_leader_sees_school_counts_and_nothing_of_another_school(world: dict[str, Any]) -> None:
    # given
    account = f.named_user("校长")
    f.assign(account, Role.SCHOOL_LEADER, school=world["a"])
    client = Client()
    login(client, account)
    # when
    html = home_html(client)
    # then
    assert '<h2 id="card-1">学校管理员</h2>' in html
    assert '<p class="card-scope">梁园区前进小学</p>' in html
    assert '<dd data-testid="count-classes">3</dd>' in html
    assert '<dd data-testid="count-students">4</dd>' in html
    assert '<dd data-testid="count-staff">2</dd>' in html
    assert "民权县实验小学" not in html


def _roster_import(request: HttpRequest, code: str) -> HttpResponse:
    return HttpResponse(code)


class UrlsWithRosterImport:
    """The project's URLs plus a roster_import route, as the roster helper will add it."""

    urlpatterns = [
        path("schools/<str:code>/roster/import/", _roster_import, name="roster_import"),
        path("", include("shuangjian.urls")),
    ]


def test_school_leader_gets_the_roster_import_link_when_the_route_exists(world: dict[str, Any]) -> None:
    # given
    account = f.named_user("校长")
    f.assign(account, Role.SCHOOL_LEADER, school=world["a"])
    client = Client()
    login(client, account)
    # when
    with override_settings(ROOT_URLCONF=UrlsWithRosterImport):
        html = home_html(client)
    # then
    code = world["a"].code
    assert f'href="/schools/{code}/roster/import/">导入学生名册</a>' in html


def test_counsellor_sees_school_counts_without_the_roster_link(world: dict[str, Any]) -> None:
    # given
    account = f.named_user("心理老师")
    f.assign(account, Role.COUNSELLOR, school=world["b"])
    client = Client()
    login(client, account)
    # when
    with override_settings(ROOT_URLCONF=UrlsWithRosterImport):
        html = home_html(client)
    # then
    assert '<p class="card-scope">民权县实验小学</p>' in html
    assert '<dd data-testid="count-classes">1</dd>' in html
    assert '<dd data-testid="count-students">2</dd>' in html
    assert '<dd data-testid="count-staff">1</dd>' in html
    assert "导入学生名册" not in html
    assert "梁园区前进小学" not in html


def class_rows(html: str) -> list[str]:
    """The class names in the order the class tables list them."""
    marker = '<tr><th scope="row">'
    return [chunk.split("</th>", 1)[0] for chunk in html.split(marker)[1:]]


def test_teacher_sees_the_classes_they_teach_with_subjects_and_student_counts(world: dict[str, Any]) -> None:
    # given: 李老师 teaches 4年级1班 (数学 and 语文) and 5年级1班 (数学); a colleague teaches 4年级2班
    account = f.named_user("李老师")
    f.assign(account, Role.TEACHER, school=world["a"])
    me = f.staff_member(world["a"], "李老师", account)
    f.teaches(me, world["a4_1"], "数学")
    f.teaches(me, world["a4_1"], "语文")
    f.teaches(me, world["a5_1"], "数学")
    f.teaches(f.staff_member(world["a"], "周老师"), world["a4_2"], "英语")
    client = Client()
    login(client, account)
    # when
    html = home_html(client)
    # then
    assert class_rows(html) == ["4年级1班", "5年级1班"]
    assert '<tr><th scope="row">4年级1班</th><td>语文、数学</td><td class="num">2</td></tr>' in html
    assert '<tr><th scope="row">5年级1班</th><td>数学</td><td class="num">1</td></tr>' in html
    assert "4年级2班" not in html
    assert "6年级3班" not in html
    assert "民权" not in html


def test_teacher_without_teaching_assignments_is_told_so(world: dict[str, Any]) -> None:
    account = f.named_user("新老师")
    f.assign(account, Role.TEACHER, school=world["a"])
    f.staff_member(world["a"], "新老师", account)
    client = Client()
    login(client, account)
    html = home_html(client)
    assert class_rows(html) == []
    assert "还没有您的任课安排" in html


def test_grade_coordinator_sees_only_their_grade(world: dict[str, Any]) -> None:
    account = f.named_user("年级组长")
    f.assign(account, Role.GRADE_COORDINATOR, school=world["a"], grade=4)
    client = Client()
    login(client, account)
    html = home_html(client)
    assert '<p class="card-scope">梁园区前进小学 4年级</p>' in html
    assert class_rows(html) == ["4年级1班", "4年级2班"]


def test_head_teacher_sees_only_their_class(world: dict[str, Any]) -> None:
    account = f.named_user("班主任")
    f.assign(account, Role.HEAD_TEACHER, school=world["b"], school_class=world["b6_3"])
    client = Client()
    login(client, account)
    html = home_html(client)
    assert '<p class="card-scope">民权县实验小学 6年级3班</p>' in html
    assert class_rows(html) == ["6年级3班"]
    assert '<td class="num">2</td>' in html


def test_guardian_sees_only_their_own_child_with_a_masked_student_number(world: dict[str, Any]) -> None:
    # given
    parent = f.named_user("张爸爸")
    f.guardian_of(world["amy"], parent)
    f.guardian_of(world["eve"], f.user(), phone="13900139000")
    client = Client()
    login(client, parent)
    # when
    html = home_html(client)
    # then
    number = world["amy"].student_number
    masked = number[:5] + "*" * 10 + number[-4:]
    assert '<p class="person-name">张一</p>' in html
    assert "梁园区前进小学 · 4年级1班" in html
    assert f'<span class="code">{masked}</span>' in html
    assert number not in html
    for other in ("张二", "李三", "王四", "赵五", "钱六"):
        assert other not in html


def test_student_sees_their_own_class(world: dict[str, Any]) -> None:
    account = f.named_user("赵五")
    f.assign(account, Role.STUDENT, school=world["b"], student=world["eve"])
    client = Client()
    login(client, account)
    html = home_html(client)
    assert "<dt>班级</dt><dd>6年级3班</dd>" in html
    assert "<dt>学校</dt><dd>民权县实验小学</dd>" in html
    assert world["eve"].student_number not in html
    assert "钱六" not in html


def test_institution_operator_sees_their_credit_code() -> None:
    account = f.named_user("机构负责人")
    f.assign(account, Role.INSTITUTION_OPERATOR, institution_credit_code="91411400MA44XXXX0X")
    client = Client()
    login(client, account)
    html = home_html(client)
    assert '<h2 id="card-1">培训机构</h2>' in html
    assert '<dd class="code">91411400MA44XXXX0X</dd>' in html


def test_user_without_roles_is_told_to_ask_an_administrator() -> None:
    client = Client()
    login(client, f.named_user("新用户"))
    html = home_html(client)
    assert "您的账号还没有分配角色" in html
    assert 'class="card' not in html


def test_one_card_per_assignment_in_assignment_order(world: dict[str, Any]) -> None:
    account = f.named_user("多角色")
    f.assign(account, Role.HEAD_TEACHER, school=world["a"], school_class=world["a4_1"])
    f.guardian_of(world["eve"], account)
    client = Client()
    login(client, account)
    html = home_html(client)
    assert html.index('data-testid="card-head_teacher"') < html.index('data-testid="card-guardian"')
    assert class_rows(html) == ["4年级1班"]
    assert '<p class="person-name">赵五</p>' in html


def test_home_page_query_count_does_not_grow_with_classes(
    world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    # given: a teacher and a city bureau account together
    account = f.named_user("多角色")
    f.assign(account, Role.TEACHER, school=world["a"])
    f.assign(account, Role.BUREAU, region=world["city"])
    me = f.staff_member(world["a"], "多角色", account)
    client = Client()
    login(client, account)
    home_html(client)  # warm the session
    for number in range(2, 8):
        f.teaches(me, f.school_class(world["a"], 6, number), "数学")
    # when / then: session, user, assignments, 3 bureau counts, teaching assignments, 1 class list
    with django_assert_num_queries(8):
        home_html(client)


# ---- language ----


def test_language_switch_sets_english_and_returns_to_the_page(world: dict[str, Any]) -> None:
    # given
    account = f.named_user("李老师")
    f.assign(account, Role.TEACHER, school=world["a"])
    client = Client()
    login(client, account)
    # when
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    # then
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "en"
    html = home_html(client)
    assert '<html lang="en">' in html
    assert "Hello, 李老师" in html
    assert "Log out" in html
    assert '<h2 id="card-1">Teacher</h2>' in html
    assert "No teaching assignments of yours yet" in html
    assert "退出登录" not in html


def test_language_switch_back_to_chinese(world: dict[str, Any]) -> None:
    client = Client()
    login(client, f.named_user("李老师"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    html = home_html(client)
    assert '<html lang="zh-hans">' in html
    assert "退出登录" in html


# ---- error pages and static files ----


def test_unknown_page_is_a_404_in_the_layout() -> None:
    response = Client().get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html
    assert "/static/shuangjian/site.css" in html


def test_403_page_is_in_the_layout() -> None:
    request = RequestFactory().get("/somewhere/")
    with translation.override("zh-hans"):
        response = defaults.permission_denied(request, PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in html
    assert "/static/shuangjian/site.css" in html


def test_500_page_renders_without_a_request_context() -> None:
    request = RequestFactory().get("/boom/")
    with translation.override("zh-hans"):
        response = defaults.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in html
    assert 'action="/i18n/setlang/"' not in html


def test_stylesheet_and_script_are_found_by_staticfiles() -> None:
    assert finders.find("shuangjian/site.css") is not None
    assert finders.find("shuangjian/site.js") is not None
