"""homework's endpoints in the role-scope matrix (discovered by shuangjian.core.testing.matrix.endpoints).

The seeds give the matrix world a homework life, through the services as users would:
- today and yesterday are school days for the whole city (a calendar override), so the tests never depend on
  the real date;
- teacher_a teaches 语文 in every class of school A, head_teacher_a4_1 teaches 语文 in a4_1, and a seed teacher
  of school B teaches 语文 in b4_1; each class has one 10-minute item due today (`anchor.extras["item"]`);
- each anchor's student reported 90 minutes (over the cap of 60) yesterday and today;
- each item is shared (`anchor.extras["shared"]`): a4_1 and b4_1 to their school's library, a4_2 and a5_1 to the
  county's;
- each anchor's guardian filed a complaint (`anchor.extras["complaint"]`); those of a4_1 and b4_1 went
  unanswered past the city's 3 days and were escalated to the bureau.

Writes narrower than reading declare `allowed` (who may do it where); an in-scope caller outside it gets
`denied_status`: 403 where the service refuses the action, 404 where the object is simply not theirs to reach.
"""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from shuangjian.core.models import Guardian, Role
from shuangjian.core.services.calendar import calendar_override_set
from shuangjian.core.testing.matrix import (
    ANCHORS,
    Anchor,
    Level,
    Rows,
    Target,
    World,
    register_endpoint,
    visible_anchors,
)
from shuangjian.core.tests import factories as f
from shuangjian.homework.services import complaints, feedback, items, rollups, showcase
from shuangjian.policy.services import profile_publish

MISSING_ID = 987654321
SUBJECT = "语文"
A = frozenset({"a4_1", "a4_2", "a5_1"})
A4_1 = frozenset({"a4_1"})
B = frozenset({"b4_1"})
ALL = frozenset(ANCHORS)

# Who teaches 语文 where (the seed): they may assign, change, withdraw and reuse there.
TEACHERS = {"teacher_a": A, "head_teacher_a4_1": A4_1}
MONITORING_FIXTURES = (
    "bureau_city", "bureau_other_county", "inspector", "school_leader_a", "teacher_a", "head_teacher_a4_1",
    "grade_coordinator_a4",
)  # fmt: skip
SHOWCASE_FIXTURES = (*MONITORING_FIXTURES, "counsellor_a")
SUPPORT_LIST_FIXTURES = ("school_leader_a", "teacher_a", "head_teacher_a4_1", "grade_coordinator_a4")
# Complaints: the guardian who filed, the school's leader; the bureau and inspector once escalated (a4_1, b4_1).
COMPLAINT_HANDLERS = {
    "school_leader_a": A,
    "bureau_city": frozenset({"a4_1", "b4_1"}),
    "bureau_other_county": B,
    "inspector": A4_1,
}
COMPLAINT_READERS = {**COMPLAINT_HANDLERS, "guardian_a4_1": A4_1}


def _scoped(fixtures: tuple[str, ...], level: Level) -> dict[str, frozenset[str]]:
    return {role: visible_anchors(role, level) for role in fixtures}


def _today() -> date:
    return timezone.localdate()


def _period(target: Target) -> dict[str, object]:
    return {"start": (_today() - timedelta(days=1)).isoformat(), "end": _today().isoformat(), "min_days": 2}


def _anchor(target: Target) -> Anchor:
    if target.anchor is None:
        raise ValueError("this endpoint addresses an anchor")
    return target.anchor


def _class_id(target: Target) -> int:
    return MISSING_ID if target.anchor is None else target.anchor.school_class.pk


def _student_id(target: Target) -> int:
    return MISSING_ID if target.anchor is None else target.anchor.student.pk


def _extra_pk(target: Target, name: str) -> int:
    return MISSING_ID if target.anchor is None else int(target.anchor.extras[name].pk)


# Seeds


def seed_school_days(world: World) -> None:
    """Yesterday and today are school days for the whole city."""
    if "homework_days" in world.extras:
        return
    bureau = f.user("matrix_seed_bureau")
    f.assign(bureau, Role.BUREAU, region=world.regions["city"])
    for day in (_today() - timedelta(days=1), _today()):
        calendar_override_set(actor=bureau, region=world.regions["city"], day=day, kind="school_day", reason="测试")
    world.extras["homework_days"] = True
    world.extras["seed_bureau"] = bureau


def seed_teachers(world: World) -> None:
    seed_school_days(world)
    if "assigners" in world.extras:
        return
    school_a, school_b = world.schools["a"], world.schools["b"]
    teacher_a, head = world.users["teacher_a"], world.users["head_teacher_a4_1"]
    assert teacher_a is not None and head is not None
    staff_a = f.staff_member(school_a, "语文教师", teacher_a)
    for name in A:
        f.teaches(staff_a, world.anchors[name].school_class, SUBJECT)
    f.teaches(f.staff_member(school_a, "班主任", head), world.anchors["a4_1"].school_class, SUBJECT)
    teacher_b = f.user("matrix_seed_teacher_b")
    f.assign(teacher_b, Role.TEACHER, school=school_b)
    f.teaches(f.staff_member(school_b, "民权语文教师", teacher_b), world.anchors["b4_1"].school_class, SUBJECT)
    world.extras["assigners"] = {**dict.fromkeys(A, teacher_a), "b4_1": teacher_b}


def item_draft(minutes: int = 10, title: str = "语文练习") -> items.ItemDraft:
    today = _today()
    return items.ItemDraft(SUBJECT, "written", "basic", title, "完成练习册第 3 页", minutes, today, today)


def seed_items(world: World) -> None:
    seed_teachers(world)
    for name, anchor in world.anchors.items():
        if "item" not in anchor.extras:
            anchor.extras["item"] = items.homework_assign(
                actor=world.extras["assigners"][name],
                class_id=anchor.school_class.pk,
                draft=item_draft(title=f"语文练习 {name}"),
                today=_today(),
            )


def seed_feedback(world: World) -> None:
    """Each anchor's student: 90 minutes, unfinished at bedtime, yesterday and today (a seed head teacher)."""
    seed_school_days(world)
    for name, anchor in world.anchors.items():
        head = f.user(f"matrix_seed_head_{name}")
        f.assign(head, Role.HEAD_TEACHER, school=anchor.school, school_class=anchor.school_class)
        for day in (_today() - timedelta(days=1), _today()):
            feedback.feedback_batch_submit(
                actor=head,
                class_id=anchor.school_class.pk,
                day=day,
                entries=[feedback.FeedbackEntry(anchor.student.pk, 90, True)],
                today=_today(),
            )
    rollups.rollups_refresh([_today() - timedelta(days=1), _today()])


SHARE_SCOPES = {"a4_1": "school", "a4_2": "county", "a5_1": "county", "b4_1": "school"}


def seed_showcase(world: World) -> None:
    seed_items(world)
    for name, anchor in world.anchors.items():
        anchor.extras["shared"] = showcase.showcase_share(
            actor=world.extras["assigners"][name], item_id=anchor.extras["item"].pk, scope=SHARE_SCOPES[name]
        )


def guardian_account(world: World, name: str) -> Any:
    """The anchor's guardian's account: guardian_a4_1 for a4_1, a seed account for the others."""
    if name == "a4_1":
        return world.users["guardian_a4_1"]
    account = f.user(f"matrix_seed_guardian_{name}")
    Guardian.objects.filter(pk=world.anchors[name].guardian.pk).update(user=account)
    f.assign(account, Role.GUARDIAN)
    return account


def seed_complaints(world: World) -> None:
    seed_school_days(world)
    profile_publish(
        actor=world.extras["seed_bureau"],
        region=world.regions["city"],
        effective_from=_today() - timedelta(days=30),
        values={"homework.complaint_response_days": 3},
        note="测试",
    )

    def file(name: str) -> None:
        anchor = world.anchors[name]
        anchor.extras["complaint"] = complaints.complaint_file(
            actor=guardian_account(world, name), student_id=anchor.student.pk, text="孩子每天写作业到十点以后。"
        )

    for name in ("a4_1", "b4_1"):
        file(name)
    complaints.escalate_overdue_complaints(now=timezone.now() + timedelta(days=4))
    for name in ("a4_2", "a5_1"):
        file(name)


# Items


def _assign_body(target: Target) -> dict[str, object]:
    return {
        "class_id": _class_id(target),
        "subject": SUBJECT,
        "kind": "written",
        "layer": "basic",
        "title": "矩阵测试作业",
        "estimated_minutes": 10,
        "due_date": _today().isoformat(),
    }


def _item_params(target: Target) -> dict[str, object]:
    return {"item_id": _anchor(target).extras["item"].pk}


_ITEM_ROW = Rows(Level.CLASS, key=lambda i: i["id"], keys=lambda t: [_anchor(t).extras["item"].pk], many=False)
_CLASS_ROW = Rows(Level.CLASS, key=lambda i: i["class_id"], keys=lambda t: [_anchor(t).school_class.pk], many=False)

register_endpoint(
    name="homework.item_assign",
    method="POST",
    path="/api/v1/homework/items",
    target=Level.CLASS,
    body=_assign_body,
    seed=seed_teachers,
    rows=_CLASS_ROW,
    ok_status=201,
    writes=True,
    allowed=TEACHERS,
    denied_status=403,
)

register_endpoint(
    name="homework.item_get",
    method="GET",
    path="/api/v1/homework/items/{item_id}",
    target=Level.CLASS,
    params=_item_params,
    missing={"item_id": MISSING_ID},
    seed=seed_items,
    rows=_ITEM_ROW,
)

register_endpoint(
    name="homework.item_update",
    method="PATCH",
    path="/api/v1/homework/items/{item_id}",
    target=Level.CLASS,
    params=_item_params,
    missing={"item_id": MISSING_ID},
    body=lambda t: {"estimated_minutes": 15, "due_date": _today().isoformat()},
    seed=seed_items,
    rows=_ITEM_ROW,
    writes=True,
    allowed=TEACHERS,
    denied_status=403,
)

register_endpoint(
    name="homework.item_withdraw",
    method="DELETE",
    path="/api/v1/homework/items/{item_id}",
    target=Level.CLASS,
    params=_item_params,
    missing={"item_id": MISSING_ID},
    seed=seed_items,
    rows=_ITEM_ROW,
    writes=True,
    allowed=TEACHERS,
    denied_status=403,
)

# The board, the week, the rebalance


def _class_params(target: Target) -> dict[str, object]:
    return {"class_id": _anchor(target).school_class.pk}


register_endpoint(
    name="homework.class_board",
    method="GET",
    path="/api/v1/homework/classes/{class_id}/board",
    target=Level.CLASS,
    params=_class_params,
    missing={"class_id": MISSING_ID},
    query=lambda t: {"date": _today().isoformat()},
    seed=seed_items,
    rows=_CLASS_ROW,
)

register_endpoint(
    name="homework.class_week",
    method="GET",
    path="/api/v1/homework/classes/{class_id}/week",
    target=Level.CLASS,
    params=_class_params,
    missing={"class_id": MISSING_ID},
    query=lambda t: {"date": _today().isoformat()},
    seed=seed_items,
    rows=_CLASS_ROW,
)

register_endpoint(
    name="homework.class_rebalance",
    method="POST",
    path="/api/v1/homework/classes/{class_id}/rebalance",
    target=Level.CLASS,
    params=_class_params,
    missing={"class_id": MISSING_ID},
    body=lambda t: {"date": _today().isoformat(), "minutes_by_item": {str(_extra_pk(t, "item")): 15}},
    seed=seed_items,
    writes=True,
    allowed={"grade_coordinator_a4": frozenset({"a4_1", "a4_2"})},
    denied_status=403,
)

# Feedback

register_endpoint(
    name="homework.feedback_submit",
    method="POST",
    path="/api/v1/homework/feedback",
    target=Level.STUDENT,
    body=lambda t: {"student_id": _student_id(t), "date": _today().isoformat(), "reported_minutes": 45},
    rows=Rows(Level.STUDENT, key=lambda i: i["student_id"], keys=lambda t: [_anchor(t).student.pk], many=False),
    writes=True,
    allowed={"guardian_a4_1": A4_1, "student_a4_1": A4_1},
    denied_status=404,
)

register_endpoint(
    name="homework.feedback_batch",
    method="POST",
    path="/api/v1/homework/classes/{class_id}/feedback",
    target=Level.CLASS,
    params=_class_params,
    missing={"class_id": MISSING_ID},
    body=lambda t: {
        "date": _today().isoformat(),
        "entries": [{"student_id": _student_id(t), "reported_minutes": 45}],
    },
    writes=True,
    allowed={"head_teacher_a4_1": A4_1},
    denied_status=403,
)

# Monitoring

register_endpoint(
    name="homework.region_monitoring",
    method="GET",
    path="/api/v1/homework/monitoring/regions/{code}",
    target=Level.SCHOOL,
    params=lambda t: {"code": _anchor(t).school.county_id},
    missing={"code": "419999"},
    query=_period,
    seed=seed_feedback,
    allowed={"bureau_city": ALL, "bureau_other_county": B, "inspector": A},
    denied_status=404,
)

register_endpoint(
    name="homework.school_monitoring",
    method="GET",
    path="/api/v1/homework/monitoring/schools/{code}",
    target=Level.SCHOOL,
    params=lambda t: {"code": _anchor(t).school.code},
    missing={"code": "4114029999"},
    query=_period,
    seed=seed_feedback,
    allowed=_scoped(MONITORING_FIXTURES, Level.SCHOOL),
    denied_status=404,
)

register_endpoint(
    name="homework.class_monitoring",
    method="GET",
    path="/api/v1/homework/monitoring/classes/{class_id}",
    target=Level.CLASS,
    params=_class_params,
    missing={"class_id": MISSING_ID},
    query=_period,
    seed=seed_feedback,
    allowed=_scoped(MONITORING_FIXTURES, Level.CLASS),
    denied_status=404,
)

register_endpoint(
    name="homework.school_classes_over",
    method="GET",
    path="/api/v1/homework/monitoring/schools/{code}/classes-over",
    target=Level.SCHOOL,
    params=lambda t: {"code": _anchor(t).school.code},
    missing={"code": "4114029999"},
    query=_period,
    seed=seed_feedback,
    rows=Rows(Level.CLASS, key=lambda i: i["key"], keys=lambda t: [_anchor(t).school_class.pk]),
    allowed=_scoped(MONITORING_FIXTURES, Level.SCHOOL),
    denied_status=404,
)

register_endpoint(
    name="homework.class_support_list",
    method="GET",
    path="/api/v1/homework/classes/{class_id}/support-list",
    target=Level.CLASS,
    params=_class_params,
    missing={"class_id": MISSING_ID},
    query=_period,
    seed=seed_feedback,
    rows=Rows(Level.STUDENT, key=lambda i: i["key"], keys=lambda t: [_anchor(t).student.pk]),
    allowed=_scoped(SUPPORT_LIST_FIXTURES, Level.CLASS),
    denied_status=404,
)

# The showcase

_SHARED_ROW = Rows(Level.SCHOOL, key=lambda i: i["id"], keys=lambda t: [_anchor(t).extras["shared"].pk], many=False)


def _shared_params(target: Target) -> dict[str, object]:
    return {"shared_id": _anchor(target).extras["shared"].pk}


register_endpoint(
    name="homework.showcase_share",
    method="POST",
    path="/api/v1/homework/showcase",
    target=Level.CLASS,
    body=lambda t: {"item_id": _extra_pk(t, "item"), "scope": "county"},
    seed=seed_items,
    rows=Rows(Level.CLASS, key=lambda i: i["title"], keys=lambda t: [_anchor(t).extras["item"].title], many=False),
    ok_status=201,
    writes=True,
    allowed={"teacher_a": A},  # the teacher who assigned the item; the head teacher of a4_1 did not
    denied_status=403,
)

register_endpoint(
    name="homework.showcase_list",
    method="GET",
    path="/api/v1/homework/showcase",
    seed=seed_showcase,
    rows=Rows(Level.SCHOOL, key=lambda i: i["id"], keys=lambda t: [_anchor(t).extras["shared"].pk]),
    allowed=_scoped(SHOWCASE_FIXTURES, Level.SCHOOL),
)

register_endpoint(
    name="homework.showcase_get",
    method="GET",
    path="/api/v1/homework/showcase/{shared_id}",
    target=Level.SCHOOL,
    params=_shared_params,
    missing={"shared_id": MISSING_ID},
    seed=seed_showcase,
    rows=_SHARED_ROW,
    allowed=_scoped(SHOWCASE_FIXTURES, Level.SCHOOL),
    denied_status=404,
)

register_endpoint(
    name="homework.showcase_reuse",
    method="POST",
    path="/api/v1/homework/showcase/{shared_id}/reuse",
    target=Level.CLASS,
    params=_shared_params,
    missing={"shared_id": MISSING_ID},
    body=lambda t: {"class_id": _class_id(t), "due_date": _today().isoformat()},
    seed=seed_showcase,
    rows=_CLASS_ROW,
    ok_status=201,
    writes=True,
    allowed=TEACHERS,
    denied_status=403,
)

# Complaints

_COMPLAINT_ROW = Rows(
    Level.STUDENT, key=lambda i: i["reference"], keys=lambda t: [_anchor(t).extras["complaint"].reference], many=False
)


def _complaint_params(target: Target) -> dict[str, object]:
    return {"reference": _anchor(target).extras["complaint"].reference}


register_endpoint(
    name="homework.complaint_file",
    method="POST",
    path="/api/v1/homework/complaints",
    target=Level.STUDENT,
    body=lambda t: {"student_id": _student_id(t), "text": "作业太多，孩子睡得很晚。"},
    ok_status=201,
    writes=True,
    allowed={"guardian_a4_1": A4_1},
    denied_status=404,
)

register_endpoint(
    name="homework.complaint_list",
    method="GET",
    path="/api/v1/homework/complaints",
    seed=seed_complaints,
    rows=Rows(Level.STUDENT, key=lambda i: i["reference"], keys=lambda t: [_anchor(t).extras["complaint"].reference]),
    allowed=COMPLAINT_READERS,
)

register_endpoint(
    name="homework.complaint_get",
    method="GET",
    path="/api/v1/homework/complaints/{reference}",
    target=Level.STUDENT,
    params=_complaint_params,
    missing={"reference": "ZZZZZZZZZZZZ"},
    seed=seed_complaints,
    rows=_COMPLAINT_ROW,
    allowed=COMPLAINT_READERS,
    denied_status=404,
)

register_endpoint(
    name="homework.complaint_respond",
    method="POST",
    path="/api/v1/homework/complaints/{reference}/respond",
    target=Level.STUDENT,
    params=_complaint_params,
    missing={"reference": "ZZZZZZZZZZZZ"},
    body=lambda t: {"response": "已与任课教师沟通，减少了周二的书面作业。"},
    seed=seed_complaints,
    rows=_COMPLAINT_ROW,
    writes=True,
    allowed=COMPLAINT_HANDLERS,
    denied_status=404,
)
