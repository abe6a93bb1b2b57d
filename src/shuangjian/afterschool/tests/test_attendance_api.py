"""/api/v1/afterschool daily operation: bodies of rosters, marks, absences and sign-outs, and their refusals.

The role × endpoint × target sweep is core/tests/test_matrix.py (with api_matrix.py and attendance_seeds.py). Here
the small world of conftest.py runs on Monday 2026-09-07, 17:20 in Shanghai (block 1 ended at 17:00).
"""

import json
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from shuangjian.afterschool.models import AbsenceReport, AttendanceRecord, ServicePlan, SignOut
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import SHANGHAI, AfterschoolWorld
from shuangjian.core.models import Guardian, Role, User
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1/afterschool"


@pytest.fixture
def plan(world: AfterschoolWorld, clock: time_machine.Traveller) -> ServicePlan:
    made = b.make_plan(world)
    b.sign_up(world.parent, world.child, made)
    b.sign_up(world.other_parent, world.classmate, made)
    clock.move_to(datetime(2026, 9, 7, 17, 20, tzinfo=SHANGHAI))
    return made


@pytest.fixture
def head(world: AfterschoolWorld) -> User:
    account = f.named_user("4年级1班班主任")
    f.assign(account, Role.HEAD_TEACHER, school=world.school, school_class=world.class4)
    return account


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, url: str, body: object, method: str = "PUT") -> Any:
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def test_a_class_roster_shows_an_excused_child_and_takes_the_whole_class(
    world: AfterschoolWorld, plan: ServicePlan, head: User
) -> None:
    # given: 王爸爸 reported Monday beforehand
    reported = send(
        client_of(world.parent),
        f"{API}/absences",
        {"student_id": world.child.pk, "start": "2026-09-07", "end": "2026-09-07", "reason": "看牙医"},
        method="POST",
    )
    assert reported.status_code == 201, reported.content
    teacher = client_of(head)
    url = f"{API}/classes/{world.class4.pk}/attendance/2026-09-07/1"
    # when
    roster = teacher.get(url)
    taken = send(
        teacher,
        url,
        {
            "marks": [
                {"student_id": world.classmate.pk, "status": "late"},
                {"student_id": world.child.pk, "status": "excused"},
            ]
        },
    )
    # then
    assert roster.status_code == 200, roster.content
    body = roster.json()
    assert (body["plan_id"], body["block"], body["block_kind"], body["title"], body["marked"]) == (
        plan.pk, 1, "homework_guidance", "4年级1班", False,
    )  # fmt: skip
    assert [(s["student_name"], s["status"], s["status_label"], s["absence_reason"]) for s in body["students"]] == [
        ("李小红", "present", "出勤", None),
        ("王小明", "excused", "请假", "看牙医"),
    ]
    assert taken.status_code == 200, taken.content
    assert taken.json() == {
        "plan_id": plan.pk, "day": "2026-09-07", "block": 1, "class_id": world.class4.pk, "offering_id": None,
        "saved": 2, "present": 0, "late": 1, "absent": 0, "excused": 1,
    }  # fmt: skip
    marked = teacher.get(url).json()
    assert [(s["status"], s["marked"]) for s in marked["students"]] == [("late", True), ("excused", True)]
    history = client_of(world.parent).get(f"{API}/students/{world.child.pk}/attendance").json()
    assert [(r["day"], r["block"], r["status"], r["excused_by_report"]) for r in history["items"]] == [
        ("2026-09-07", 1, "excused", True)
    ]


def test_a_stranger_on_the_roster_is_refused_with_a_clear_error(
    world: AfterschoolWorld, plan: ServicePlan, head: User
) -> None:
    marks = [
        {"student_id": world.child.pk, "status": "present"},
        {"student_id": world.classmate.pk, "status": "present"},
        {"student_id": world.other_child.pk, "status": "present"},
    ]
    response = send(client_of(head), f"{API}/classes/{world.class4.pk}/attendance/2026-09-07/1", {"marks": marks})
    assert response.status_code == 400
    assert response.json() == {
        "code": "afterschool.not_on_roster",
        "message": f"编号为 {world.other_child.pk} 的学生不在本时段的名单上：本次点名全部没有保存。",
        "details": {"students": str(world.other_child.pk)},
    }
    assert AttendanceRecord.objects.count() == 0


def test_a_holiday_has_no_roster(world: AfterschoolWorld, plan: ServicePlan, head: User) -> None:
    response = client_of(head).get(f"{API}/classes/{world.class4.pk}/attendance/2026-10-01/1")
    assert response.status_code == 400
    assert response.json()["code"] == "afterschool.no_service"
    assert response.json()["message"] == "2026-10-01（法定节假日）没有课后服务。"


def test_sign_out_and_late_pickups(world: AfterschoolWorld, plan: ServicePlan) -> None:
    teacher = client_of(world.teacher)
    father = Guardian.objects.get(user=world.parent)
    url = f"{API}/students/{world.child.pk}/sign-outs/2026-09-07"
    # when: a stranger's guardian is refused, then the father takes the child at 17:20
    refused = send(teacher, url, {"block": 1, "guardian_id": Guardian.objects.get(user=world.other_parent).pk})
    signed = send(teacher, url, {"block": 1, "guardian_id": father.pk})
    # then
    assert refused.status_code == 400
    assert refused.json()["code"] == "afterschool.not_a_guardian"
    assert signed.status_code == 200, signed.content
    assert signed.json() | {"id": 0} == {
        "id": 0, "student_id": world.child.pk, "student_name": "王小明", "class_name": "4年级1班",
        "day": "2026-09-07", "block": 1, "guardian_id": father.pk, "guardian_name": father.name,
        "leave_alone": False, "signed_out_at": "2026-09-07T09:20:00Z", "minutes_late": 20,
        "recorded_by": str(world.teacher),
    }  # fmt: skip
    assert SignOut.objects.count() == 1
    late = client_of(world.leader).get(
        f"{API}/schools/{world.school.code}/late-pickups?start=2026-09-01&end=2026-09-07"
    )
    assert [(i["student_name"], i["minutes_late"]) for i in late.json()["items"]] == [("王小明", 20)]


def test_leave_alone_is_the_guardians_choice(world: AfterschoolWorld, plan: ServicePlan) -> None:
    url = f"{API}/students/{world.child.pk}/sign-outs/2026-09-07"
    alone = {"block": 1, "leave_alone": True}
    refused = send(client_of(world.teacher), url, alone)
    allowed = send(client_of(world.parent), f"{API}/students/{world.child.pk}/leave-alone", {"allowed": True})
    signed = send(client_of(world.teacher), url, alone)
    assert refused.json()["code"] == "afterschool.leave_alone_not_allowed"
    assert allowed.status_code == 200, allowed.content
    assert allowed.json()["allowed"] is True
    assert signed.status_code == 200, signed.content
    assert (signed.json()["leave_alone"], signed.json()["guardian_id"]) == (True, None)


def test_a_guardian_reads_their_childs_absences_only(world: AfterschoolWorld, plan: ServicePlan) -> None:
    body = {"student_id": world.child.pk, "start": "2026-09-08", "end": "2026-09-09", "reason": "家中有事"}
    assert send(client_of(world.parent), f"{API}/absences", body, method="POST").status_code == 201
    own = client_of(world.parent).get(f"{API}/students/{world.child.pk}/absences").json()
    assert [(a["start"], a["end"], a["reason"]) for a in own["items"]] == [("2026-09-08", "2026-09-09", "家中有事")]
    assert client_of(world.other_parent).get(f"{API}/students/{world.child.pk}/absences").status_code == 404
    assert send(client_of(world.other_parent), f"{API}/absences", body, method="POST").status_code == 404
    assert AbsenceReport.objects.count() == 1
