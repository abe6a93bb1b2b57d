"""/api/v1: error bodies, authentication (session + CSRF, bearer tokens), scoped reads, masking, query counts,
pagination and OpenAPI. The role × endpoint × target sweep is test_matrix.py."""

import hashlib
import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shuangjian.core.models import APIToken, Role, Student
from shuangjian.core.services import accounts
from shuangjian.core.testing import matrix
from shuangjian.core.testing.matrix import World
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db

NOT_FOUND_MESSAGE = "没有找到该记录，或您无权查看。"
UNAUTHENTICATED = {
    "code": "core.unauthenticated",
    "message": "请先登录，或提供有效的 API 令牌。",
    "details": {},
}


@pytest.fixture
def world() -> World:
    return matrix.build_world()


def as_user(world: World, role: str) -> Client:
    client = Client()
    user = world.users[role]
    assert user is not None
    client.force_login(user)
    return client


def bearer(raw: str, **kwargs: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"}, **kwargs)


def post_json(client: Client, url: str, body: object) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


# --- error bodies -------------------------------------------------------------------------------------------


def test_anonymous_gets_401_body() -> None:
    response = Client().get("/api/v1/core/me")
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_missing_and_foreign_give_the_same_404_body(world: World) -> None:
    # given
    client = as_user(world, "teacher_a")
    foreign = world.anchors["b4_1"].student.pk
    # when
    missing = client.get("/api/v1/core/students/987654321")
    outside = client.get(f"/api/v1/core/students/{foreign}")
    # then
    assert missing.status_code == outside.status_code == 404
    assert missing.content == outside.content
    assert missing.json() == {"code": "core.not_found", "message": NOT_FOUND_MESSAGE, "details": {"what": "student"}}


@pytest.mark.parametrize(
    ("_case", "url"),
    [
        ("unknown path", "/api/v1/nothing/here"),
        ("unknown path under an app", "/api/v1/core/nothing"),
        ("trailing slash", "/api/v1/core/me/"),
        ("api root", "/api/v1/"),
    ],
)
def test_unknown_url_under_the_api_is_a_json_404(world: World, _case: str, url: str) -> None:
    response = as_user(world, "teacher_a").get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": "core.not_found", "message": NOT_FOUND_MESSAGE, "details": {}}


def test_unknown_url_is_a_json_404_for_anonymous_too() -> None:
    response = Client().post("/api/v1/core/nothing")
    assert response.status_code == 404
    assert response.json()["code"] == "core.not_found"


def test_wrong_method_is_a_json_405(world: World) -> None:
    response = as_user(world, "teacher_a").delete("/api/v1/core/me")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {
        "code": "core.method_not_allowed",
        "message": "此地址不支持该请求方法。",
        "details": {"allowed": ["GET"]},
    }


def test_a_fault_of_ours_is_a_json_500_and_is_logged(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given: a selector that fails
    def broken(**_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("shuangjian.core.api.selectors.me", broken)
    # when
    with caplog.at_level("ERROR", logger="django.request"):
        response = as_user(world, "teacher_a").get("/api/v1/core/me")
    # then: the API's error body, nothing of the fault shown; the traceback logged
    assert response.status_code == 500
    assert response.json() == {
        "code": "core.server_error",
        "message": "服务器出错了，请稍后再试；问题已记录。",
        "details": {},
    }
    assert "boom" not in response.text
    assert any(record.exc_info and "boom" in str(record.exc_info[1]) for record in caplog.records)


def test_validation_error_body_lists_the_fields(world: World) -> None:
    # given
    client = as_user(world, "teacher_a")
    before = APIToken.objects.count()
    # when
    response = post_json(client, "/api/v1/core/tokens", {"name": "", "unused": 1})
    # then
    assert response.status_code == 422
    assert response.json() == {
        "code": "core.invalid_input",
        "message": "提交的数据格式不正确。",
        "details": {
            "fields": [
                {
                    "location": "body",
                    "field": "name",
                    "code": "string_too_short",
                    "message": "String should have at least 1 character",
                }
            ]
        },
    }
    assert APIToken.objects.count() == before


def test_missing_body_field_and_bad_query_and_path_values_are_422(world: World) -> None:
    client = as_user(world, "teacher_a")
    missing = post_json(client, "/api/v1/core/tokens", {})
    too_many = client.get("/api/v1/core/schools?limit=201")
    not_a_number = client.get("/api/v1/core/students/abc")
    assert [missing.status_code, too_many.status_code, not_a_number.status_code] == [422, 422, 422]
    assert [(e["location"], e["field"], e["code"]) for e in missing.json()["details"]["fields"]] == [
        ("body", "name", "missing")
    ]
    assert [(e["location"], e["field"], e["code"]) for e in too_many.json()["details"]["fields"]] == [
        ("query", "limit", "less_than_equal")
    ]
    assert [(e["location"], e["field"], e["code"]) for e in not_a_number.json()["details"]["fields"]] == [
        ("path", "student_id", "int_parsing")
    ]


def test_unparsable_json_body_is_400(world: World) -> None:
    # given
    client = as_user(world, "teacher_a")
    before = APIToken.objects.count()
    # when
    response = client.post("/api/v1/core/tokens", "{not json", content_type="application/json")
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "core.invalid_input"
    assert response.json()["message"] == "提交的数据格式不正确。"
    assert APIToken.objects.count() == before


def test_domain_error_body(world: World) -> None:
    # given: a name that passes the schema (non-empty) but is blank once stripped
    client = as_user(world, "teacher_a")
    before = APIToken.objects.count()
    # when
    response = post_json(client, "/api/v1/core/tokens", {"name": "   "})
    # then
    assert response.status_code == 400
    assert response.json() == {
        "code": "core.invalid_input",
        "message": "令牌名称不能为空，且不超过 64 个字符。",
        "details": {"field": "name", "max_length": 64},
    }
    assert APIToken.objects.count() == before


def test_error_message_follows_the_request_language(world: World) -> None:
    response = as_user(world, "teacher_a").get("/api/v1/core/students/987654321", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.json()["code"] == "core.not_found"
    assert response.json()["message"] not in ("", NOT_FOUND_MESSAGE)  # the English catalog's text


# --- session authentication and CSRF ------------------------------------------------------------------------


def test_session_post_without_csrf_token_is_refused(world: World) -> None:
    # given
    user = world.users["teacher_a"]
    assert user is not None
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    before = APIToken.objects.count()
    # when
    response = post_json(client, "/api/v1/core/tokens", {"name": "脚本"})
    # then
    assert response.status_code == 403
    assert response.json() == {
        "code": "core.csrf_failed",
        "message": "CSRF 校验失败：请刷新页面后重试，或改用 API 令牌。",
        "details": {},
    }
    assert APIToken.objects.count() == before


def test_session_post_with_csrf_token_is_accepted(world: World) -> None:
    # given: the token a page would carry (the cookie plus the X-CSRFToken header)
    user = world.users["teacher_a"]
    assert user is not None
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/accounts/login/")  # any page that renders {% csrf_token %} sets the cookie
    csrf = client.cookies["csrftoken"].value
    # when
    response = client.post(
        "/api/v1/core/tokens",
        json.dumps({"name": "脚本"}),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    # then
    assert response.status_code == 201
    assert APIToken.objects.filter(user=user, name="脚本").count() == 1


def test_session_get_needs_no_csrf_token(world: World) -> None:
    user = world.users["teacher_a"]
    assert user is not None
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/core/me").status_code == 200


def test_anonymous_post_is_401_not_a_csrf_403() -> None:
    response = post_json(Client(enforce_csrf_checks=True), "/api/v1/core/tokens", {"name": "x"})
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


# --- bearer tokens ------------------------------------------------------------------------------------------


def test_token_authenticates_and_records_its_use(world: World) -> None:
    # given
    user = world.users["teacher_a"]
    assert user is not None
    token, raw = accounts.api_token_create(actor=user, name="集成")
    assert token.last_used_at is None
    # when
    response = bearer(raw).get("/api/v1/core/me")
    # then
    assert response.status_code == 200
    assert response.json()["username"] == "matrix_teacher_a"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_digest_of_a_token_is_stored(world: World) -> None:
    # given
    client = as_user(world, "teacher_a")
    # when
    response = post_json(client, "/api/v1/core/tokens", {"name": "  报表脚本  "})
    # then
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "created_at", "last_used_at", "token"}
    assert body["name"] == "报表脚本"
    assert len(body["token"]) == 43  # secrets.token_urlsafe(32)
    stored = APIToken.objects.get(pk=body["id"])
    assert stored.token_digest == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in json.dumps(list(APIToken.objects.values()), default=str)
    assert bearer(body["token"]).get("/api/v1/core/me").status_code == 200


def test_token_list_shows_own_tokens_without_secrets(world: World) -> None:
    # given
    teacher, other = world.users["teacher_a"], world.users["school_leader_a"]
    assert teacher is not None and other is not None
    mine, raw = accounts.api_token_create(actor=teacher, name="我的")
    accounts.api_token_create(actor=other, name="别人的")
    # when
    response = bearer(raw).get("/api/v1/core/tokens")
    # then
    assert response.status_code == 200
    payload = response.json()
    assert payload["count"] == 1
    assert [set(item) for item in payload["items"]] == [{"id", "name", "created_at", "last_used_at"}]
    assert [(item["id"], item["name"]) for item in payload["items"]] == [(mine.pk, "我的")]
    assert raw not in response.content.decode()
    assert mine.token_digest not in response.content.decode()


def test_revoked_token_is_refused(world: World) -> None:
    # given
    user = world.users["teacher_a"]
    assert user is not None
    token, raw = accounts.api_token_create(actor=user, name="临时")
    # when
    revoked = bearer(raw).delete(f"/api/v1/core/tokens/{token.pk}")
    # then
    assert revoked.status_code == 204
    assert revoked.content == b""
    assert not APIToken.objects.filter(pk=token.pk).exists()
    after = bearer(raw).get("/api/v1/core/me")
    assert after.status_code == 401
    assert after.json() == UNAUTHENTICATED


def test_revoking_another_users_token_is_not_found(world: World) -> None:
    # given
    teacher, leader = world.users["teacher_a"], world.users["school_leader_a"]
    assert teacher is not None and leader is not None
    theirs, _raw = accounts.api_token_create(actor=leader, name="校长的")
    client = as_user(world, "teacher_a")
    # when
    response = client.delete(f"/api/v1/core/tokens/{theirs.pk}")
    missing = client.delete("/api/v1/core/tokens/987654321")
    # then
    assert response.status_code == 404
    assert (
        response.json()
        == missing.json()
        == {
            "code": "core.not_found",
            "message": NOT_FOUND_MESSAGE,
            "details": {"what": "api_token"},
        }
    )
    assert APIToken.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("_case", "header"),
    [
        ("unknown token", "Bearer not-a-token"),
        ("empty token", "Bearer "),
        ("other scheme", "Token abc"),
    ],
)
def test_bad_authorization_header_is_401(_case: str, header: str) -> None:
    response = Client(headers={"Authorization": header}).get("/api/v1/core/me")
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_token_of_inactive_user_is_refused(world: World) -> None:
    # given
    user = world.users["teacher_a"]
    assert user is not None
    token, raw = accounts.api_token_create(actor=user, name="离职")
    user.is_active = False
    user.save(update_fields=["is_active"])
    # when
    response = bearer(raw).get("/api/v1/core/me")
    # then
    assert response.status_code == 401
    token.refresh_from_db()
    assert token.last_used_at is None


def test_bearer_post_needs_no_csrf_token(world: World) -> None:
    user = world.users["teacher_a"]
    assert user is not None
    _token, raw = accounts.api_token_create(actor=user, name="脚本")
    response = post_json(bearer(raw, enforce_csrf_checks=True), "/api/v1/core/tokens", {"name": "第二个"})
    assert response.status_code == 201
    assert APIToken.objects.filter(user=user).count() == 2


# --- scoped reads -------------------------------------------------------------------------------------------


def test_me_lists_roles_with_their_scope(world: World) -> None:
    response = as_user(world, "head_teacher_a4_1").get("/api/v1/core/me")
    assert response.status_code == 200
    assert response.json() == {
        "username": "matrix_head_teacher_a4_1",
        "display_name": "matrix_head_teacher_a4_1",
        "roles": [{"role": "head_teacher", "role_label": "班主任", "scope_label": "梁园区前进小学 4年级1班"}],
    }


def test_regions_are_those_the_scope_touches(world: World) -> None:
    codes = {
        role: [r["code"] for r in as_user(world, role).get("/api/v1/core/regions").json()["items"]]
        for role in ("bureau_city", "bureau_other_county", "teacher_a", "no_role")
    }
    assert codes == {
        "bureau_city": ["410000", "411400", "411402", "411421"],
        "bureau_other_county": ["410000", "411400", "411421"],
        "teacher_a": ["410000", "411400", "411402"],
        "no_role": [],
    }


def test_school_detail(world: World) -> None:
    school = world.schools["a"]
    response = as_user(world, "teacher_a").get(f"/api/v1/core/schools/{school.code}")
    assert response.status_code == 200
    assert response.json() == {
        "code": school.code,
        "name": "梁园区前进小学",
        "stage": "primary",
        "ownership": "public",
        "boarding": False,
        "county_code": "411402",
        "county_name": "梁园区",
        "school_group": None,
        "stage_label": "小学",
        "ownership_label": "公办",
        "city_code": "411400",
        "city_name": "商丘市",
        "province_code": "410000",
        "province_name": "河南省",
    }


def test_student_detail_masks_the_resident_id(world: World) -> None:
    # given
    student = world.anchors["a4_1"].student
    resident_id = student.student_number[1:]  # factories build G + resident ID
    # when
    response = as_user(world, "head_teacher_a4_1").get(f"/api/v1/core/students/{student.pk}")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["resident_id_masked"] == resident_id[:4] + "*" * 10 + resident_id[-4:]
    assert body["student_number"] == student.student_number
    assert body["birth_date"] == student.birth_date.isoformat()
    assert (body["name"], body["class_name"], body["school_name"]) == ("甲", "4年级1班", "梁园区前进小学")
    assert student.resident_id_cipher not in response.content.decode()
    assert str(student.resident_id_digest) not in response.content.decode()


@pytest.mark.parametrize(
    ("_case", "role", "full"),
    [
        ("bureau sees it", "bureau_city", True),
        ("school leader sees it", "school_leader_a", True),
        ("teacher sees it", "teacher_a", True),
        ("head teacher sees it", "head_teacher_a4_1", True),
        ("grade coordinator sees it", "grade_coordinator_a4", True),
        ("counsellor sees it", "counsellor_a", True),
        ("inspector sees it masked", "inspector", False),
        ("guardian sees it masked", "guardian_a4_1", False),
        ("student sees it masked", "student_a4_1", False),
    ],
)
def test_student_number_is_masked_outside_school_staff_and_bureau(
    world: World, _case: str, role: str, full: bool
) -> None:
    # given
    student = world.anchors["a4_1"].student
    number = student.student_number
    masked = number[:5] + "*" * 10 + number[-4:]
    client = as_user(world, role)
    # when
    detail = client.get(f"/api/v1/core/students/{student.pk}").json()
    listed = client.get(f"/api/v1/core/classes/{student.school_class_id}/students").json()["items"]
    # then
    expected = number if full else masked
    assert detail["student_number"] == expected
    assert [s["student_number"] for s in listed if s["id"] == student.pk] == [expected]


def test_student_number_is_masked_where_only_a_family_role_reaches_the_child(world: World) -> None:
    # given: a teacher of school B who is also the guardian of a child in school A
    child = world.anchors["a5_1"].student
    pupil = world.anchors["b4_1"].student
    user = f.user()
    f.assign(user, Role.TEACHER, school=world.schools["b"])
    f.guardian_of(child, user, phone="13900000009")
    client = Client()
    client.force_login(user)
    # when
    own_child = client.get(f"/api/v1/core/students/{child.pk}").json()["student_number"]
    own_pupil = client.get(f"/api/v1/core/students/{pupil.pk}").json()["student_number"]
    # then
    assert own_child == child.student_number[:5] + "*" * 10 + child.student_number[-4:]
    assert own_pupil == pupil.student_number


def test_guardian_phones_are_always_masked(world: World) -> None:
    # given
    anchor = world.anchors["a4_1"]
    # when
    response = as_user(world, "bureau_city").get(f"/api/v1/core/students/{anchor.student.pk}/guardians")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": anchor.guardian.pk,
                "name": "王大明",
                "relation": "father",
                "relation_label": "父亲",
                "is_primary": True,
                "phone_masked": "138****0001",
            }
        ],
        "count": 1,
    }
    assert "13800000001" not in response.content.decode()


def test_guardian_reads_only_their_own_children(world: World) -> None:
    client = as_user(world, "guardian_a4_1")
    schools = client.get("/api/v1/core/schools").json()["items"]
    classes = client.get(f"/api/v1/core/schools/{world.schools['a'].code}/classes").json()["items"]
    students = client.get(f"/api/v1/core/classes/{world.anchors['a4_1'].school_class.pk}/students").json()["items"]
    other_class = client.get(f"/api/v1/core/classes/{world.anchors['a4_2'].school_class.pk}/students")
    assert [s["code"] for s in schools] == [world.schools["a"].code]
    assert [c["name"] for c in classes] == ["4年级1班"]
    assert [s["name"] for s in students] == ["甲"]
    assert other_class.status_code == 404


# --- pagination ---------------------------------------------------------------------------------------------


def test_lists_page_with_limit_and_offset(world: World) -> None:
    client = as_user(world, "bureau_city")
    first = client.get("/api/v1/core/regions?limit=2").json()
    second = client.get("/api/v1/core/regions?limit=2&offset=2").json()
    assert (first["count"], [r["code"] for r in first["items"]]) == (4, ["410000", "411400"])
    assert (second["count"], [r["code"] for r in second["items"]]) == (4, ["411402", "411421"])


# --- query counts: list endpoints cost a fixed number of queries ---------------------------------------------


def _grow(world: World, times: int) -> None:
    """More rows under every anchor: classes, students and guardians."""
    numbers = itertools.count(10)
    for anchor in world.anchors.values():
        for i in range(times):
            f.student(f.school_class(anchor.school, anchor.school_class.grade, next(numbers)), "新生")
            f.student(anchor.school_class, "插班生")
            f.guardian_of(anchor.student, phone=f"1370000000{i}")


LIST_URLS: list[tuple[str, Callable[[World], str]]] = [
    ("regions", lambda w: "/api/v1/core/regions"),
    ("schools", lambda w: "/api/v1/core/schools"),
    ("classes of a school", lambda w: f"/api/v1/core/schools/{w.schools['a'].code}/classes"),
    ("students of a class", lambda w: f"/api/v1/core/classes/{w.anchors['a4_1'].school_class.pk}/students"),
    ("guardians of a student", lambda w: f"/api/v1/core/students/{w.anchors['a4_1'].student.pk}/guardians"),
    ("tokens", lambda w: "/api/v1/core/tokens"),
    ("me", lambda w: "/api/v1/core/me"),
]


@pytest.mark.parametrize(("_case", "url"), LIST_URLS, ids=[case for case, _url in LIST_URLS])
@pytest.mark.parametrize("role", ["bureau_city", "teacher_a", "guardian_a4_1"])
def test_list_query_count_does_not_grow_with_rows(
    world: World, _case: str, url: Callable[[World], str], role: str
) -> None:
    # given
    user = world.users[role]
    assert user is not None
    client = as_user(world, role)
    accounts.api_token_create(actor=user, name="一")
    path = url(world)
    with CaptureQueriesContext(connection) as small:
        small_response = client.get(path)
    _grow(world, 3)
    for n in range(3):
        accounts.api_token_create(actor=user, name=f"token {n}")
    # when
    with CaptureQueriesContext(connection) as large:
        large_response = client.get(path)
    # then
    assert small_response.status_code == large_response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries) <= 7


def test_students_list_grows_without_more_queries(world: World, django_assert_max_num_queries: Any) -> None:
    # given: 40 more students in the class
    school_class = world.anchors["a4_1"].school_class
    for _ in range(40):
        f.student(school_class, "新生")
    client = as_user(world, "teacher_a")
    # when
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/core/classes/{school_class.pk}/students")
    # then
    assert response.json()["count"] == Student.objects.filter(school_class=school_class).count() == 41


# --- OpenAPI ------------------------------------------------------------------------------------------------


CORE_PATHS = {
    "/api/v1/core/me": {"get"},
    "/api/v1/core/tokens": {"get", "post"},
    "/api/v1/core/tokens/events": {"get"},
    "/api/v1/core/tokens/{token_id}": {"delete"},
    "/api/v1/core/regions": {"get"},
    "/api/v1/core/schools": {"get"},
    "/api/v1/core/schools/{code}": {"get"},
    "/api/v1/core/schools/{code}/classes": {"get"},
    "/api/v1/core/classes/{class_id}/students": {"get"},
    "/api/v1/core/students/{student_id}": {"get"},
    "/api/v1/core/students/{student_id}/guardians": {"get"},
}


def test_openapi_lists_the_core_paths() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {p: set(ops) for p, ops in paths.items() if p.startswith("/api/v1/core/")} == CORE_PATHS


def test_every_operation_declares_the_error_body() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    assert set(schema["components"]["schemas"]["ErrorOut"]["required"]) == {"code", "message", "details"}
    undeclared = [
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if operation["responses"]["default"]["content"]["application/json"]["schema"] != error_ref
    ]
    assert undeclared == []
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/core/"):
            continue
        for method, operation in operations.items():
            declared = {code for code in operation["responses"] if code.startswith("4")}
            assert {"401", "422"} <= declared, (path, method)
            if "{" in path:
                assert "404" in declared, (path, method)
            for code in declared:
                assert operation["responses"][code]["content"]["application/json"]["schema"] == error_ref


def test_docs_page_renders() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
    assert b"/static/ninja/swagger-ui-bundle.js" in response.content  # bundled, no CDN
