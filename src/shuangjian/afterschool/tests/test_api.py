"""/api/v1/afterschool: success bodies, error codes and bodies, a whole term through the API, query counts.

The role × endpoint × target sweep is core/tests/test_matrix.py (with afterschool/tests/api_matrix.py). Here the
matrix world runs on Wednesday 2026-11-25 at 10:00 in Shanghai, with its after-school seeds (matrix_seeds.py).
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

from shuangjian.afterschool.models import Enrolment, Offering, ServicePlan
from shuangjian.afterschool.services import enrolment, plans
from shuangjian.afterschool.tests import matrix_seeds as seeds
from shuangjian.core.models import Role
from shuangjian.core.testing import matrix
from shuangjian.core.testing.matrix import World
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NOT_FOUND = "没有找到该记录，或您无权查看。"
API = "/api/v1/afterschool"


@pytest.fixture(autouse=True)
def wednesday_morning() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world() -> World:
    built = matrix.build_world()
    seeds.seed_plans(built)
    return built


def client_for(world: World, role: str) -> Client:
    client = Client()
    user = world.users[role]
    assert user is not None
    client.force_login(user)
    return client


def send(client: Client, url: str, body: object, method: str = "POST") -> Any:
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def plan_of(world: World, anchor: str = "a4_1") -> ServicePlan:
    plan: ServicePlan = world.anchors[anchor].extras["plan"]
    return plan


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


# Plans


def test_a_plan_is_created_and_read_back(world: World) -> None:
    # given: a new school in 梁园区 with its leader
    school = f.school(world.regions["liangyuan"], "梁园区新建小学")
    leader = f.user("new_leader")
    f.assign(leader, Role.SCHOOL_LEADER, school=school)
    client = Client()
    client.force_login(leader)
    body = {**seeds.plan_body(), "school_code": school.code, "start_year": 2026, "term_number": 1}
    # when
    response = send(client, f"{API}/plans", body)
    # then
    assert response.status_code == 201, response.content
    created = response.json()
    plan = ServicePlan.objects.get(school=school)
    assert created == {
        "id": plan.pk,
        "school_code": school.code,
        "school_name": "梁园区新建小学",
        "start_year": 2026,
        "term_number": 1,
        "term_start": "2026-09-26",
        "term_end": "2027-01-24",
        "weekdays": [1, 2, 3, 4, 5],
        "blocks": [
            {
                "number": 1,
                "kind": "homework_guidance",
                "kind_label": "作业辅导",
                "start": "16:00:00",
                "end": "17:00:00",
            },
            {"number": 2, "kind": "activities", "kind_label": "素质拓展活动", "start": "17:10:00", "end": "18:10:00"},
        ],
        "enrolment_opens_at": "2026-11-24T02:00:00Z",
        "enrolment_closes_at": "2026-12-09T02:00:00Z",
        "max_preferences": 3,
        "courses_per_student": 2,
        "seed_source": "选课截止次日福彩3D开奖号码",
        "end_override": None,
        "dates": [],
    }
    assert client.get(f"{API}/plans/{plan.pk}").json() == created


def test_a_short_plan_is_refused_with_its_code_and_nothing_saved(world: World) -> None:
    client = client_for(world, "school_leader_a")
    body = seeds.plan_body()
    body["blocks"] = body["blocks"][:1]
    before = ServicePlan.objects.count()
    response = send(client, f"{API}/plans/{plan_of(world).pk}", body, "PUT")
    assert response.status_code == 400
    assert response.json() == {
        "code": "afterschool.too_short",
        "message": "每天课后服务时长为 60 分钟，不少于 120 分钟。",
        "details": {"minutes": "60", "min": "120"},
    }
    assert ServicePlan.objects.count() == before
    assert plan_of(world).blocks.count() == 2


def test_a_plan_that_does_not_match_the_schema_is_a_422(world: World) -> None:
    response = send(
        client_for(world, "school_leader_a"), f"{API}/plans/{plan_of(world).pk}", {"weekdays": "mon"}, "PUT"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "core.invalid_input"


def test_service_days_and_a_refused_holiday(world: World) -> None:
    client = client_for(world, "guardian_a4_1")
    plan = plan_of(world)
    response = client.get(f"{API}/plans/{plan.pk}/service-days?start=2026-11-23&end=2026-11-29")
    assert response.json() == {
        "plan_id": plan.pk,
        "start": "2026-11-23",
        "end": "2026-11-29",
        "count": 5,
        "days": [{"date": f"2026-11-{d}", "timetable_weekday": d - 22} for d in range(23, 28)],
    }
    refused = send(
        client_for(world, "school_leader_a"),
        f"{API}/plans/{plan.pk}/date-changes/2026-11-29",
        {"follows_weekday": 1, "reason": "补课"},
        "PUT",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "afterschool.slot_on_holiday"
    assert refused.json()["message"] == "2026-11-29 不是上课日（周末），不能安排课后服务。"


# Enrolment through the term


def test_a_term_through_the_api(world: World) -> None:
    # given
    parent, leader = client_for(world, "guardian_a4_1"), client_for(world, "school_leader_a")
    anchor = world.anchors["a4_1"]
    plan, offering = plan_of(world), anchor.extras["offering"]
    # when: the guardian signs up with consent and ranks two courses
    signed = send(parent, f"{API}/enrolments", {"plan_id": plan.pk, "student_id": anchor.student.pk, "consent": True})
    assert signed.status_code == 201, signed.content
    enrolment_id = signed.json()["id"]
    ranked = send(
        parent,
        f"{API}/enrolments/{enrolment_id}/preferences",
        {"offering_ids": [offering.pk, anchor.extras["spare"].pk]},
        "PUT",
    )
    assert ranked.json()["preferences"] == [offering.pk, anchor.extras["spare"].pk]
    # and the leader closes the window and draws
    closed = send(leader, f"{API}/plans/{plan.pk}", seeds.plan_body(open_window=False), "PUT")
    assert closed.json()["enrolment_closes_at"] == "2026-11-25T01:59:00Z"
    drawn = send(leader, f"{API}/plans/{plan.pk}/allocation", {"seed": "2026-12-10 公示 0917"})
    # then
    assert drawn.status_code == 201, drawn.content
    run = drawn.json()
    keys = ("plan_id", "method", "seed", "seed_source", "students", "assigned", "waitlisted", "run_by")
    assert {k: run[k] for k in keys} == {
        "plan_id": plan.pk,
        "method": "rsd-sha256-v1",
        "seed": "2026-12-10 公示 0917",
        "seed_source": "选课截止次日福彩3D开奖号码",
        "students": 1,
        "assigned": 2,
        "waitlisted": 0,
        "run_by": "matrix_school_leader_a",
    }
    verified = parent.get(f"{API}/plans/{plan.pk}/allocation/verify").json()
    assert verified["inputs_hash_matches"] and verified["result_hash_matches"]
    assert verified["result_hash"] == run["result_hash"]
    detail = parent.get(f"{API}/enrolments/{enrolment_id}").json()
    assert detail["lottery_position"] == 1
    assert [a["status"] for a in detail["assignments"]] == ["assigned", "assigned"]
    assert [e["kind"] for e in detail["events"]] == ["signed_up", "preferences_set", "allocated", "allocated"]
    assert detail["consent_by"] == "matrix_guardian_a4_1"
    # and the guardian takes the child out of one course
    seat = detail["assignments"][0]["id"]
    left = send(parent, f"{API}/assignments/{seat}/withdraw", {})
    assert (left.status_code, left.json()["status"], left.json()["status_label"]) == (200, "withdrawn", "已退出")
    assert Offering.objects.get(pk=detail["assignments"][0]["offering_id"]).assigned_count == 0


def test_another_familys_child_is_a_404_like_a_missing_one(world: World) -> None:
    parent = client_for(world, "guardian_a4_1")
    plan = plan_of(world)
    foreign = send(
        parent,
        f"{API}/enrolments",
        {"plan_id": plan.pk, "student_id": world.anchors["a4_2"].student.pk, "consent": True},
    )
    missing = send(parent, f"{API}/enrolments", {"plan_id": plan.pk, "student_id": 987654321, "consent": True})
    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert (
        foreign.json()
        == missing.json()
        == {"code": "core.not_found", "message": NOT_FOUND, "details": {"what": "student"}}
    )
    assert Enrolment.objects.count() == 0


def test_consent_is_required_through_the_api(world: World) -> None:
    response = send(
        client_for(world, "guardian_a4_1"),
        f"{API}/enrolments",
        {"plan_id": plan_of(world).pk, "student_id": world.anchors["a4_1"].student.pk, "consent": False},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "afterschool.consent_required"
    assert Enrolment.objects.count() == 0


def test_an_ordered_course_shows_its_seats(world: World) -> None:
    client = client_for(world, "student_a4_1")
    offering = world.anchors["a4_1"].extras["offering"]
    items = client.get(f"{API}/plans/{plan_of(world).pk}/offerings").json()["items"]
    mine = next(i for i in items if i["id"] == offering.pk)
    assert mine == {
        "id": offering.pk, "plan_id": plan_of(world).pk, "course_id": offering.course_id, "title": "课程 a4_1",
        "category_name": "体育锻炼", "provider_kind": "school", "provider_name": "体育组", "grade_min": 1,
        "grade_max": 9, "venue": "操场", "staff": "张老师", "fee_fen_per_session": 0, "capacity": 30,
        "assigned_count": 0, "seats_left": 30, "slots": [{"weekday": 1, "block": 2}],
    }  # fmt: skip


# Query counts: lists do not grow with their rows


def _more_offerings(world: World, count: int) -> None:
    plan, course = plan_of(world), world.anchors["a4_2"].extras["course"]
    leader = world.users["school_leader_a"]
    for weekday in range(count):
        plans.offering_create(actor=leader, plan_id=plan.pk, course_id=course.pk, slots=[(weekday % 5 + 1, 2)])


def test_list_endpoints_make_a_fixed_number_of_queries(world: World) -> None:
    seeds.seed_enrolments(world)
    client = client_for(world, "bureau_city")
    plan = plan_of(world)
    urls = [f"{API}/plans", f"{API}/plans/{plan.pk}/offerings", f"{API}/plans/{plan.pk}/enrolments", f"{API}/menu"]
    before = [count_queries(client, url) for url in urls]
    _more_offerings(world, 6)
    extra = f.student(world.anchors["a4_1"].school_class, "新同学")
    account = f.user("extra_parent")
    f.guardian_of(extra, account, phone="13900000009")
    enrolment.enrolment_sign_up(actor=account, plan_id=plan.pk, student_id=extra.pk, consent=True)
    after = [count_queries(client, url) for url in urls]
    assert after == before
    assert max(after) <= 10
