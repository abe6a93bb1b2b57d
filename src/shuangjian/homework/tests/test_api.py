"""/api/v1/homework: success bodies, error codes and bodies, bearer-token feedback, and query-count bounds.

The role × endpoint × target sweep is core/tests/test_matrix.py (with homework/tests/api_matrix.py). Here the
matrix world runs on Monday 2026-11-23 at 20:00 in Shanghai; its seeds make that day and the day before school
days, give each class a 10-minute 语文 item, and so on (see api_matrix's docstring).
"""

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shuangjian.core.services import accounts
from shuangjian.core.testing import matrix
from shuangjian.core.testing.matrix import World
from shuangjian.core.tests import factories as f
from shuangjian.homework.models import HomeworkComplaint, HomeworkFeedback, HomeworkItem, SharedHomework
from shuangjian.homework.services import complaints, items, showcase
from shuangjian.homework.services.rollups import rollups_refresh
from shuangjian.homework.tests import api_matrix as seeds
from shuangjian.homework.tests import builders as b

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23"
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NOW_JSON = "2026-11-23T12:00:00Z"
NOT_FOUND = "没有找到该记录，或您无权查看。"


@pytest.fixture(autouse=True)
def monday_evening() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world() -> World:
    built = matrix.build_world()
    seeds.seed_items(built)
    return built


def client_for(world: World, role: str, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    user = world.users[role]
    assert user is not None
    client.force_login(user)
    return client


def post(client: Client, url: str, body: object, method: str = "POST") -> Any:
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def item_of(world: World, anchor: str) -> HomeworkItem:
    item: HomeworkItem = world.anchors[anchor].extras["item"]
    return item


def class_of(world: World, anchor: str) -> int:
    return int(world.anchors[anchor].school_class.pk)


def assign_body(world: World, **kw: object) -> dict[str, object]:
    body: dict[str, object] = {
        "class_id": class_of(world, "a4_1"),
        "subject": "语文",
        "kind": "written",
        "layer": "basic",
        "title": "课文仿写",
        "estimated_minutes": 20,
        "due_date": MONDAY,
    }
    body.update(kw)
    return body


def item_json(item_id: int, class_id: int, **kw: object) -> dict[str, object]:
    body: dict[str, object] = {
        "id": item_id, "class_id": class_id, "subject": "语文", "kind": "written", "layer": "basic",
        "title": "课文仿写", "instructions": "", "estimated_minutes": 20, "start_date": MONDAY, "due_date": MONDAY,
        "status": "published", "group_id": None,
    }  # fmt: skip
    body.update(kw)
    return body


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


# --- items --------------------------------------------------------------------------------------------------


def test_assign_answers_201_with_the_item(world: World) -> None:
    response = post(client_for(world, "teacher_a"), "/api/v1/homework/items", assign_body(world))
    assert response.status_code == 201
    created = HomeworkItem.objects.get(title="课文仿写")
    assert response.json() == item_json(created.pk, class_of(world, "a4_1"))


def test_assign_over_the_cap_is_refused_with_the_days_load(world: World) -> None:
    # given: 10 minutes already on Monday
    before = HomeworkItem.objects.count()
    # when
    response = post(client_for(world, "teacher_a"), "/api/v1/homework/items", assign_body(world, estimated_minutes=51))
    # then
    assert response.status_code == 400
    assert response.json() == {
        "code": "homework.cap_exceeded",
        "message": "2026-11-23 的书面作业总时长将达到 61 分钟，超过本年级上限 60 分钟。"
        "请缩短、调整日期或拆分后再发布。",
        "details": {"date": MONDAY, "cap": "60", "load": "61"},
    }
    assert HomeworkItem.objects.count() == before


@pytest.mark.parametrize(
    ("_case", "kw", "code", "message", "details"),
    [
        ("unknown kind", {"kind": "essay"}, "homework.invalid_choice", "“essay”不是有效的作业类型。",
         {"field": "作业类型", "value": "essay"}),
        ("unknown subject", {"subject": "奥数"}, "homework.invalid_choice", "“奥数”不是有效的学科。",
         {"field": "学科", "value": "奥数"}),
        ("absurd minutes", {"estimated_minutes": 601}, "homework.implausible_minutes",
         "时长 601 分钟不合理，应在 0 到 600 分钟之间。", {"minutes": "601", "max": "600"}),
        ("due yesterday", {"due_date": "2026-11-22"}, "homework.due_in_past", "完成日期 2026-11-22 已经过去。",
         {"date": "2026-11-22"}),
        ("start after due", {"start_date": "2026-11-24"}, "homework.bad_dates", "开始日期不能晚于完成日期。", {}),
        ("parents grade it", {"instructions": "请家长批改"}, "homework.parent_grading_forbidden",
         "不得要求家长检查、批改作业或签字（作业要求中含有此类内容）。", {}),
        ("punitive", {"punitive": True}, "homework.punitive_forbidden", "严禁布置重复性、惩罚性作业。", {}),
        ("a subject not taught there", {"subject": "数学"}, "homework.not_your_class",
         "您没有在该班任教 数学，不能为该班布置此学科作业。", {"subject": "数学"}),
        ("a day without a cap", {"due_date": "2026-11-24"}, "homework.not_a_homework_day",
         "2026-11-24 不是上课日，当地也未设定该类日期的书面作业上限，不能布置书面作业。", {"date": "2026-11-24"}),
    ],
)  # fmt: skip
def test_bad_items_get_their_code_and_nothing_is_saved(
    world: World, _case: str, kw: dict[str, object], code: str, message: str, details: dict[str, str]
) -> None:
    before = HomeworkItem.objects.count()
    response = post(client_for(world, "teacher_a"), "/api/v1/homework/items", assign_body(world, **kw))
    assert response.status_code == 400
    assert response.json() == {"code": code, "message": message, "details": details}
    assert HomeworkItem.objects.count() == before


def test_assign_by_a_guardian_is_forbidden_and_a_foreign_class_not_found(world: World) -> None:
    forbidden = post(client_for(world, "guardian_a4_1"), "/api/v1/homework/items", assign_body(world))
    foreign = post(
        client_for(world, "teacher_a"), "/api/v1/homework/items", assign_body(world, class_id=class_of(world, "b4_1"))
    )
    assert (forbidden.status_code, foreign.status_code) == (403, 404)
    assert forbidden.json() == {
        "code": "core.forbidden",
        "message": "您没有权限执行此操作（homework.assign）。",
        "details": {"action": "homework.assign"},
    }
    assert foreign.json() == {"code": "core.not_found", "message": NOT_FOUND, "details": {"what": "class"}}


def test_assign_with_a_missing_field_is_422(world: World) -> None:
    body = assign_body(world)
    del body["due_date"]
    response = post(client_for(world, "teacher_a"), "/api/v1/homework/items", body)
    assert response.status_code == 422
    assert response.json()["code"] == "core.invalid_input"
    assert [(e["location"], e["field"], e["code"]) for e in response.json()["details"]["fields"]] == [
        ("body", "due_date", "missing")
    ]


def test_get_change_and_withdraw_an_item(world: World) -> None:
    # given
    client = client_for(world, "teacher_a")
    item = item_of(world, "a4_1")
    url = f"/api/v1/homework/items/{item.pk}"
    seeded = {"title": "语文练习 a4_1", "instructions": "完成练习册第 3 页", "estimated_minutes": 10}
    # when / then
    assert client.get(url).json() == item_json(item.pk, class_of(world, "a4_1"), **seeded)
    changed = post(client, url, {"estimated_minutes": 25, "due_date": MONDAY}, method="PATCH")
    assert changed.json() == item_json(item.pk, class_of(world, "a4_1"), **{**seeded, "estimated_minutes": 25})
    withdrawn = client.delete(url)
    assert withdrawn.json()["status"] == "withdrawn"
    again = post(client, url, {"estimated_minutes": 5, "due_date": MONDAY}, method="PATCH")
    assert again.status_code == 400
    assert again.json() == {"code": "homework.item_withdrawn", "message": "这项作业已撤回，不能再修改。", "details": {}}


# --- the board and the week -----------------------------------------------------------------------------------


def test_board_body(world: World) -> None:
    item = item_of(world, "a4_1")
    response = client_for(world, "guardian_a4_1").get(
        f"/api/v1/homework/classes/{item.school_class_id}/board?date={MONDAY}"
    )
    assert response.json() == {
        "class_id": item.school_class_id,
        "class_name": "4年级1班",
        "date": MONDAY,
        "day_kind": "school_day",
        "cap_minutes": 60,
        "capped_minutes": 10,
        "remaining_minutes": 50,
        "total_minutes": 10,
        "by_subject": {"语文": 10},
        "entries": [
            {
                "item": item_json(
                    item.pk, item.school_class_id, title="语文练习 a4_1", instructions="完成练习册第 3 页",
                    estimated_minutes=10,
                ),
                "minutes_today": 10,
            }
        ],
    }  # fmt: skip


def test_week_body(world: World) -> None:
    class_id = class_of(world, "a4_1")
    body = client_for(world, "teacher_a").get(f"/api/v1/homework/classes/{class_id}/week?date=2026-11-26").json()
    assert (body["class_id"], body["class_name"], body["start"], body["end"]) == (
        class_id, "4年级1班", MONDAY, "2026-11-29",
    )  # fmt: skip
    # Monday is a school day (the seed's override); the matrix world has no term, so the rest is vacation
    assert [(d["date"][-2:], d["day_kind"], d["cap_minutes"], d["capped_minutes"]) for d in body["days"]] == [
        ("23", "school_day", 60, 10), ("24", "vacation", None, 0), ("25", "vacation", None, 0),
        ("26", "vacation", None, 0), ("27", "vacation", None, 0), ("28", "vacation", None, 0),
        ("29", "vacation", None, 0),
    ]  # fmt: skip


def test_board_and_week_do_not_grow_with_items(world: World) -> None:
    # given
    client = client_for(world, "teacher_a")
    class_id = class_of(world, "a4_1")
    urls = [f"/api/v1/homework/classes/{class_id}/{view}?date={MONDAY}" for view in ("board", "week")]
    client.get(urls[0])  # warm the policy cache
    few = [count_queries(client, url) for url in urls]
    # when: five more items (oral reading, so the cap allows them)
    teacher = world.users["teacher_a"]
    for n in range(5):
        draft = items.ItemDraft("语文", "oral", "basic", f"朗读{n}", "", 10, NOW.date(), NOW.date())
        items.homework_assign(actor=teacher, class_id=class_id, draft=draft, today=NOW.date())
    # then
    assert [count_queries(client, url) for url in urls] == few
    assert max(few) <= 12


def test_rebalance(world: World) -> None:
    client = client_for(world, "grade_coordinator_a4")
    item = item_of(world, "a4_1")
    url = f"/api/v1/homework/classes/{item.school_class_id}/rebalance"
    over = post(client, url, {"date": MONDAY, "minutes_by_item": {str(item.pk): 61}})
    assert (over.status_code, over.json()["code"]) == (400, "homework.cap_exceeded")
    done = post(client, url, {"date": MONDAY, "minutes_by_item": {str(item.pk): 30}})
    assert [(i["id"], i["estimated_minutes"]) for i in done.json()] == [(item.pk, 30)]


# --- feedback -------------------------------------------------------------------------------------------------


def feedback_body(world: World, **kw: object) -> dict[str, object]:
    body: dict[str, object] = {"student_id": world.anchors["a4_1"].student.pk, "date": MONDAY, "reported_minutes": 45}
    body.update(kw)
    return body


def test_feedback_body_and_the_latest_counts(world: World) -> None:
    client = client_for(world, "guardian_a4_1")
    first = post(client, "/api/v1/homework/feedback", feedback_body(world, reported_minutes=70))
    second = post(client, "/api/v1/homework/feedback", feedback_body(world, unfinished_at_bedtime=True))
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json() == {
        "student_id": world.anchors["a4_1"].student.pk,
        "date": MONDAY,
        "reported_minutes": 45,
        "unfinished_at_bedtime": True,
        "source": "guardian",
    }
    assert list(HomeworkFeedback.objects.values_list("reported_minutes", flat=True)) == [45]


def test_feedback_with_a_bearer_token_needs_no_csrf(world: World) -> None:
    # given
    guardian = world.users["guardian_a4_1"]
    _token, raw = accounts.api_token_create(actor=guardian, name="手机")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    # when
    response = post(client, "/api/v1/homework/feedback", feedback_body(world))
    # then
    assert response.status_code == 200
    assert response.json()["source"] == "guardian"
    assert HomeworkFeedback.objects.get().reported_by == guardian


def test_feedback_without_credentials_or_csrf_is_refused(world: World) -> None:
    # given
    session = client_for(world, "guardian_a4_1", enforce_csrf_checks=True)
    wrong_token = Client(headers={"Authorization": "Bearer not-a-token"})
    # when
    no_csrf = post(session, "/api/v1/homework/feedback", feedback_body(world))
    unknown = post(wrong_token, "/api/v1/homework/feedback", feedback_body(world))
    anonymous = post(Client(), "/api/v1/homework/feedback", feedback_body(world))
    # then
    assert (no_csrf.status_code, no_csrf.json()["code"]) == (403, "core.csrf_failed")
    for response in (unknown, anonymous):
        assert response.status_code == 401
        assert response.json() == {
            "code": "core.unauthenticated",
            "message": "请先登录，或提供有效的 API 令牌。",
            "details": {},
        }
    assert HomeworkFeedback.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "kw", "status", "body"),
    [
        ("tomorrow", {"date": "2026-11-24"}, 400, {"code": "homework.feedback_in_future",
         "message": "不能填报 2026-11-24 的作业用时：这一天还没有到。", "details": {"date": "2026-11-24"}}),
        ("absurd minutes", {"reported_minutes": 601}, 400, {"code": "homework.implausible_minutes",
         "message": "时长 601 分钟不合理，应在 0 到 600 分钟之间。", "details": {"minutes": "601", "max": "600"}}),
        ("another family's child", {"student_id": "other"}, 404,
         {"code": "core.not_found", "message": NOT_FOUND, "details": {"what": "student"}}),
    ],
)  # fmt: skip
def test_bad_feedback(world: World, _case: str, kw: dict[str, object], status: int, body: dict[str, object]) -> None:
    if kw.get("student_id") == "other":
        kw = {"student_id": world.anchors["a4_2"].student.pk}
    response = post(client_for(world, "guardian_a4_1"), "/api/v1/homework/feedback", feedback_body(world, **kw))
    assert (response.status_code, response.json()) == (status, body)
    assert HomeworkFeedback.objects.count() == 0


def test_batch_feedback(world: World) -> None:
    client = client_for(world, "head_teacher_a4_1")
    url = f"/api/v1/homework/classes/{class_of(world, 'a4_1')}/feedback"
    entry = {"student_id": world.anchors["a4_1"].student.pk, "reported_minutes": 50}
    foreign = {"student_id": world.anchors["a4_2"].student.pk, "reported_minutes": 50}
    refused = post(client, url, {"date": MONDAY, "entries": [entry, foreign]})
    assert refused.json() == {"code": "homework.student_not_in_class", "message": "学生不在该班名单中。", "details": {}}
    assert HomeworkFeedback.objects.count() == 0
    assert post(client, url, {"date": MONDAY, "entries": [entry]}).json() == {"saved": 1}


# --- monitoring -----------------------------------------------------------------------------------------------

PERIOD = "start=2026-11-22&end=2026-11-23"


@pytest.fixture
def reported(world: World) -> World:
    seeds.seed_feedback(world)  # each anchor's student: 90 minutes, unfinished, Sunday and Monday
    return world


def compliance(count: int, shown: bool, class_days: int, estimated: float) -> dict[str, object]:
    return {
        "start": "2026-11-22", "end": MONDAY, "feedback_count": count,
        "within_cap_share": 0.0 if shown else None, "unfinished_share": 1.0 if shown else None,
        "average_reported_minutes": 90.0 if shown else None, "median_minutes": 94 if shown else None,
        "p90_minutes": 94 if shown else None, "class_days": class_days, "class_days_over_cap": class_days,
        "average_estimated_minutes": estimated,
    }  # fmt: skip


def test_monitoring_bodies(reported: World) -> None:
    world = reported
    leader, bureau = client_for(world, "school_leader_a"), client_for(world, "bureau_city")
    school = leader.get(f"/api/v1/homework/monitoring/schools/{world.schools['a'].code}?{PERIOD}")
    one_class = leader.get(f"/api/v1/homework/monitoring/classes/{class_of(world, 'a4_1')}?{PERIOD}")
    county = bureau.get(f"/api/v1/homework/monitoring/regions/411402?{PERIOD}")
    # six reports in school A (three classes, two days) are enough to show; a class's two are not
    assert school.json() == compliance(6, True, 6, 5.0)  # 10 estimated minutes on Monday, none on Sunday
    assert one_class.json() == compliance(2, False, 2, 5.0)
    assert county.json() == school.json()


def test_classes_over_and_the_support_list(reported: World) -> None:
    world = reported
    leader = client_for(world, "school_leader_a")
    classes = leader.get(f"/api/v1/homework/monitoring/schools/{world.schools['a'].code}/classes-over?{PERIOD}")
    assert classes.json() == {
        "items": [
            {"key": class_of(world, "a4_1"), "label": "4年级1班", "days_over": 2},
            {"key": class_of(world, "a4_2"), "label": "4年级2班", "days_over": 2},
            {"key": class_of(world, "a5_1"), "label": "5年级1班", "days_over": 2},
        ],
        "count": 3,
    }
    support = client_for(world, "head_teacher_a4_1").get(
        f"/api/v1/homework/classes/{class_of(world, 'a4_1')}/support-list?{PERIOD}&min_days=2"
    )
    assert support.json() == {
        "items": [{"key": world.anchors["a4_1"].student.pk, "label": "甲", "days_over": 2}],
        "count": 1,
    }
    three_days = leader.get(f"/api/v1/homework/classes/{class_of(world, 'a4_1')}/support-list?{PERIOD}&min_days=3")
    assert three_days.json() == {"items": [], "count": 0}
    zero = leader.get(f"/api/v1/homework/classes/{class_of(world, 'a4_1')}/support-list?{PERIOD}&min_days=0")
    assert (zero.status_code, zero.json()["code"]) == (422, "core.invalid_input")


def test_the_support_list_is_not_for_guardians(reported: World) -> None:
    response = client_for(reported, "guardian_a4_1").get(
        f"/api/v1/homework/classes/{class_of(reported, 'a4_1')}/support-list?{PERIOD}"
    )
    assert response.status_code == 404
    assert response.json() == {"code": "core.not_found", "message": NOT_FOUND, "details": {"what": "class"}}


def test_monitoring_does_not_grow_with_classes_reports_or_days(reported: World) -> None:
    # given
    world = reported
    leader, bureau = client_for(world, "school_leader_a"), client_for(world, "bureau_city")
    school_a = world.schools["a"]
    urls = [
        (leader, f"/api/v1/homework/monitoring/schools/{school_a.code}?{PERIOD}"),
        (leader, f"/api/v1/homework/monitoring/classes/{class_of(world, 'a4_1')}?{PERIOD}"),
        (leader, f"/api/v1/homework/monitoring/schools/{school_a.code}/classes-over?{PERIOD}"),
        (leader, f"/api/v1/homework/classes/{class_of(world, 'a4_1')}/support-list?{PERIOD}"),
        (bureau, f"/api/v1/homework/monitoring/regions/411400?{PERIOD}"),
    ]
    for client, url in urls:
        client.get(url)  # warm the policy cache
    few = [count_queries(client, url) for client, url in urls]
    # when: three more classes of ten pupils report on both days
    for number in (3, 4, 5):
        school_class = f.school_class(school_a, 4, number)
        pupils = b.pupils(school_class, 10)
        head = b.head_teacher_of(school_class)
        for day in (NOW.date().replace(day=22), NOW.date()):
            b.report(head, school_class, day, dict.fromkeys(pupils, 80))
    rollups_refresh([NOW.date().replace(day=22), NOW.date()])
    pupils_a4_1 = b.pupils(world.anchors["a4_1"].school_class, 10)
    b.report(b.head_teacher_of(world.anchors["a4_1"].school_class), world.anchors["a4_1"].school_class, NOW.date(),
             dict.fromkeys(pupils_a4_1, 75))  # fmt: skip
    # then
    assert [count_queries(client, url) for client, url in urls] == few
    assert max(few) <= 8


# --- the showcase ---------------------------------------------------------------------------------------------


def shared_json(shared: SharedHomework, **kw: object) -> dict[str, object]:
    body: dict[str, object] = {
        "id": shared.pk, "scope": "county", "scope_label": "县区作业库", "school_name": "梁园区前进小学",
        "shared_by_name": "matrix_teacher_a", "subject": "语文", "kind": "written", "layer": "basic", "grade": 4,
        "title": "语文练习 a4_1", "instructions": "完成练习册第 3 页", "estimated_minutes": 10,
        "created_at": NOW_JSON, "reuse_count": 0,
    }  # fmt: skip
    body.update(kw)
    return body


def test_share_answers_201_and_refuses_twice(world: World) -> None:
    client = client_for(world, "teacher_a")
    body = {"item_id": item_of(world, "a4_1").pk, "scope": "county"}
    first = post(client, "/api/v1/homework/showcase", body)
    again = post(client, "/api/v1/homework/showcase", body)
    assert first.status_code == 201
    assert first.json() == shared_json(SharedHomework.objects.get())
    assert (again.status_code, again.json()) == (400, {
        "code": "homework.already_shared", "message": "这项作业已经分享到县区作业库。",
        "details": {"scope": "县区作业库"},
    })  # fmt: skip
    assert SharedHomework.objects.count() == 1


def test_only_the_assigner_shares(world: World) -> None:
    response = post(
        client_for(world, "head_teacher_a4_1"), "/api/v1/homework/showcase",
        {"item_id": item_of(world, "a4_1").pk, "scope": "school"},
    )  # fmt: skip
    assert response.status_code == 403
    assert response.json() == {"code": "homework.not_your_item", "message": "只能分享您自己布置的作业。", "details": {}}
    assert SharedHomework.objects.count() == 0


def test_browse_filter_and_reuse(world: World) -> None:
    # given
    seeds.seed_showcase(world)  # a4_1, b4_1: school libraries; a4_2, a5_1: 梁园区's
    client = client_for(world, "teacher_a")
    county_grade4 = world.anchors["a4_2"].extras["shared"]
    # when
    listed = client.get("/api/v1/homework/showcase?grade=4&scope=county").json()
    reused = post(
        client, f"/api/v1/homework/showcase/{county_grade4.pk}/reuse",
        {"class_id": class_of(world, "a4_1"), "due_date": MONDAY, "estimated_minutes": 15},
    )  # fmt: skip
    # then
    assert listed == {"items": [shared_json(county_grade4, title="语文练习 a4_2")], "count": 1}
    assert reused.status_code == 201
    new_item = HomeworkItem.objects.get(pk=reused.json()["id"])
    assert reused.json() == item_json(
        new_item.pk, class_of(world, "a4_1"), title="语文练习 a4_2", instructions="完成练习册第 3 页",
        estimated_minutes=15,
    )  # fmt: skip
    assert client.get(f"/api/v1/homework/showcase/{county_grade4.pk}").json()["reuse_count"] == 1


def test_reuse_over_the_cap_changes_nothing(world: World) -> None:
    # given
    seeds.seed_showcase(world)
    shared = world.anchors["a4_1"].extras["shared"]
    before = HomeworkItem.objects.count()
    # when: 10 already on Monday, 51 more
    response = post(
        client_for(world, "teacher_a"), f"/api/v1/homework/showcase/{shared.pk}/reuse",
        {"class_id": class_of(world, "a4_1"), "due_date": MONDAY, "estimated_minutes": 51},
    )  # fmt: skip
    # then
    assert (response.status_code, response.json()["code"]) == (400, "homework.cap_exceeded")
    assert HomeworkItem.objects.count() == before
    shared.refresh_from_db()
    assert shared.reuse_count == 0


def test_showcase_list_does_not_grow_with_shares(world: World) -> None:
    seeds.seed_showcase(world)
    client = client_for(world, "teacher_a")
    few = count_queries(client, "/api/v1/homework/showcase")
    teacher = world.users["teacher_a"]
    for item in HomeworkItem.objects.filter(school=world.schools["a"]):
        showcase.showcase_share(actor=teacher, item_id=item.pk, scope="city")
    assert count_queries(client, "/api/v1/homework/showcase") == few <= 6


# --- complaints -----------------------------------------------------------------------------------------------


def test_file_and_follow_a_complaint(world: World) -> None:
    # given
    guardian = client_for(world, "guardian_a4_1")
    anchor = world.anchors["a4_1"]
    body = {"student_id": anchor.student.pk, "text": "作业太多。", "period_start": "2026-11-16", "period_end": MONDAY}
    # when
    filed = post(guardian, "/api/v1/homework/complaints", body)
    # then
    assert filed.status_code == 201
    reference = filed.json()["reference"]
    assert filed.json() == {
        "reference": reference, "status": "open", "status_label": "待学校答复", "student_name": "甲",
        "class_name": "4年级1班", "school_name": "梁园区前进小学", "text": "作业太多。",
        "period_start": "2026-11-16", "period_end": MONDAY, "filed_at": NOW_JSON, "respond_by": None,
        "escalated_at": None, "response": "", "responded_at": None,
        "events": [{"at": NOW_JSON, "party": "guardian", "party_label": "家长", "from_status": "", "to_status": "open",
                    "note": ""}],
    }  # fmt: skip
    # and the school answers; the guardian follows by the reference they were given
    leader = client_for(world, "school_leader_a")
    answered = post(leader, f"/api/v1/homework/complaints/{reference}/respond", {"response": "已减少作业。"})
    assert (answered.json()["status"], answered.json()["response"]) == ("answered", "已减少作业。")
    followed = guardian.get(f"/api/v1/homework/complaints/{reference.lower()}").json()
    assert [(e["party_label"], e["to_status"], e["note"]) for e in followed["events"]] == [
        ("家长", "open", ""),
        ("学校", "answered", "已减少作业。"),
    ]


def test_bad_complaint_and_closed_complaint_bodies(world: World) -> None:
    guardian, leader = client_for(world, "guardian_a4_1"), client_for(world, "school_leader_a")
    blank = post(guardian, "/api/v1/homework/complaints", {"student_id": world.anchors["a4_1"].student.pk, "text": " "})
    assert (blank.status_code, blank.json()) == (400, {
        "code": "homework.complaint_text_invalid", "message": "请填写投诉内容（不超过 2000 字）。",
        "details": {"max": "2000"},
    })  # fmt: skip
    assert HomeworkComplaint.objects.count() == 0
    complaint = complaints.complaint_file(
        actor=world.users["guardian_a4_1"], student_id=world.anchors["a4_1"].student.pk, text="作业太多。"
    )
    url = f"/api/v1/homework/complaints/{complaint.reference}/respond"
    post(leader, url, {"response": "办结。", "close": True})
    again = post(leader, url, {"response": "补充。"})
    assert (again.status_code, again.json()) == (400, {
        "code": "homework.complaint_closed", "message": "该投诉已办结，不能再答复。", "details": {},
    })  # fmt: skip
    by_guardian = post(guardian, url, {"response": "撤回。"})
    assert (by_guardian.status_code, by_guardian.json()["details"]) == (404, {"what": "complaint"})


def test_complaint_list_filters_and_does_not_grow(world: World) -> None:
    # given: four complaints, two escalated (the matrix seed)
    seeds.seed_complaints(world)
    leader, bureau = client_for(world, "school_leader_a"), client_for(world, "bureau_city")
    # when / then
    escalated = leader.get("/api/v1/homework/complaints?status=escalated").json()
    assert [i["reference"] for i in escalated["items"]] == [world.anchors["a4_1"].extras["complaint"].reference]
    assert bureau.get("/api/v1/homework/complaints").json()["count"] == 2
    few = count_queries(leader, "/api/v1/homework/complaints")
    for name in ("a4_2", "a5_1"):
        complaints.complaint_file(
            actor=HomeworkComplaint.objects.get(student=world.anchors[name].student).filed_by,
            student_id=world.anchors[name].student.pk, text="又多了。",
        )  # fmt: skip
    assert count_queries(leader, "/api/v1/homework/complaints") == few <= 6
