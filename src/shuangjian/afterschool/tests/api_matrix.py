"""afterschool's endpoints in the role-scope matrix (discovered by shuangjian.core.testing.matrix.endpoints).

The seeds (matrix_seeds.py) give the matrix world terms, a course framework and menu, a plan per anchor with its
offerings, enrolments with choices, and a draw. Writes narrower than reading declare `allowed`; an in-scope caller
outside it gets `denied_status`.
"""

from django.utils import timezone

from shuangjian.afterschool.tests.attendance_seeds import (
    seed_absences,
    seed_days,
    seed_late,
    seed_marks,
    seed_sessions,
    sign_out_moment,
)
from shuangjian.afterschool.tests.matrix_seeds import (
    SEED,
    anchor_term,
    course_body,
    plan_body,
    seed_allocated,
    seed_closed,
    seed_enrolments,
    seed_menu,
    seed_plan_dates,
    seed_plans,
    seed_terms,
    spare_course_of,
)
from shuangjian.core.testing.matrix import (
    ANCHORS,
    Anchor,
    Level,
    Rows,
    Target,
    register_endpoint,
    visible_anchors,
)

MISSING_ID = 987654321
MISSING_SCHOOL = "4114029999"
MISSING_REGION = "419999"
A = frozenset({"a4_1", "a4_2", "a5_1"})
A4_1 = frozenset({"a4_1"})
B = frozenset({"b4_1"})
ALL = frozenset(ANCHORS)
LEADER_A = {"school_leader_a": A}
REGION_WRITERS = {"bureau_city": ALL, "bureau_other_county": B}
MENU_FIXTURES = (
    "bureau_city", "bureau_other_county", "inspector", "school_leader_a", "teacher_a", "head_teacher_a4_1",
    "grade_coordinator_a4", "counsellor_a",
)  # fmt: skip


def _anchor(target: Target) -> Anchor:
    if target.anchor is None:
        raise ValueError("this endpoint addresses an anchor")
    return target.anchor


def _extra_pk(target: Target, name: str) -> int:
    return MISSING_ID if target.anchor is None else int(target.anchor.extras[name].pk)


def _scoped(fixtures: tuple[str, ...], level: Level) -> dict[str, frozenset[str]]:
    return {role: visible_anchors(role, level) for role in fixtures}


# The framework and the menu


def _county(target: Target) -> dict[str, object]:
    return {"code": _anchor(target).school.county_id}


def _school(target: Target) -> dict[str, object]:
    return {"code": _anchor(target).school.code}


def _city_category(target: Target) -> int:
    return int(target.world.extras["afterschool_categories"][0].pk)


def _categories(target: Target) -> list[object]:
    city_category, counties = target.world.extras["afterschool_categories"]
    return [city_category.pk, counties[_anchor(target).school.county_id].pk]


register_endpoint(
    name="afterschool.category_create",
    method="POST",
    path="/api/v1/afterschool/regions/{code}/categories",
    target=Level.SCHOOL,
    params=_county,
    missing={"code": MISSING_REGION},
    body=lambda t: {"framework": "1+3+N", "code": f"m_{t.anchor.name if t.anchor else 'x'}", "name": "劳动实践"},
    seed=seed_terms,
    rows=Rows(Level.SCHOOL, key=lambda i: i["region_code"], keys=lambda t: [_anchor(t).school.county_id], many=False),
    ok_status=201,
    writes=True,
    allowed=REGION_WRITERS,
    denied_status=403,
)

register_endpoint(
    name="afterschool.category_list",
    method="GET",
    path="/api/v1/afterschool/regions/{code}/categories",
    target=Level.SCHOOL,
    params=_county,
    missing={"code": MISSING_REGION},
    seed=seed_menu,
    rows=Rows(Level.SCHOOL, key=lambda i: i["id"], keys=_categories),
)

register_endpoint(
    name="afterschool.menu_course_create_for_region",
    method="POST",
    path="/api/v1/afterschool/regions/{code}/menu",
    target=Level.SCHOOL,
    params=_county,
    missing={"code": MISSING_REGION},
    body=lambda t: course_body(_city_category(t), "高校科普", "university"),
    seed=seed_menu,
    rows=Rows(Level.SCHOOL, key=lambda i: i["region_code"], keys=lambda t: [_anchor(t).school.county_id], many=False),
    ok_status=201,
    writes=True,
    allowed=REGION_WRITERS,
    denied_status=403,
)

register_endpoint(
    name="afterschool.menu_course_create_for_school",
    method="POST",
    path="/api/v1/afterschool/schools/{code}/courses",
    target=Level.SCHOOL,
    params=_school,
    missing={"code": MISSING_SCHOOL},
    body=lambda t: course_body(_city_category(t), "校本课程"),
    seed=seed_menu,
    rows=Rows(Level.SCHOOL, key=lambda i: i["school_code"], keys=lambda t: [_anchor(t).school.code], many=False),
    ok_status=201,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)


def _menu_keys(target: Target) -> list[object]:
    extras = _anchor(target).extras
    return [extras["course"].pk] + ([extras["region_course"].pk] if "region_course" in extras else [])


register_endpoint(
    name="afterschool.menu_course_list",
    method="GET",
    path="/api/v1/afterschool/menu",
    seed=seed_menu,
    rows=Rows(Level.SCHOOL, key=lambda i: i["id"], keys=_menu_keys),
    allowed=_scoped(MENU_FIXTURES, Level.SCHOOL),
)

register_endpoint(
    name="afterschool.menu_course_get",
    method="GET",
    path="/api/v1/afterschool/menu/{course_id}",
    target=Level.SCHOOL,
    params=lambda t: {"course_id": _anchor(t).extras["course"].pk},
    missing={"course_id": MISSING_ID},
    seed=seed_menu,
    rows=Rows(Level.SCHOOL, key=lambda i: i["id"], keys=lambda t: [_anchor(t).extras["course"].pk], many=False),
    allowed=_scoped(MENU_FIXTURES, Level.SCHOOL),
    denied_status=404,
)

# Plans


def _plan_params(target: Target) -> dict[str, object]:
    return {"plan_id": _anchor(target).extras["plan"].pk}


_PLAN_ROW = Rows(Level.SCHOOL, key=lambda i: i["id"], keys=lambda t: [_anchor(t).extras["plan"].pk], many=False)
_PLAN_ID_ROW = Rows(Level.SCHOOL, key=lambda i: i["plan_id"], keys=lambda t: [_anchor(t).extras["plan"].pk], many=False)


def _plan_create_body(target: Target) -> dict[str, object]:
    year, number = anchor_term(target.anchor.name) if target.anchor else (timezone.localdate().year, 1)
    school = target.anchor.school.code if target.anchor else MISSING_SCHOOL
    return {**plan_body(), "school_code": school, "start_year": year, "term_number": number}


register_endpoint(
    name="afterschool.plan_create",
    method="POST",
    path="/api/v1/afterschool/plans",
    target=Level.SCHOOL,
    body=_plan_create_body,
    seed=seed_terms,
    rows=Rows(Level.SCHOOL, key=lambda i: i["school_code"], keys=lambda t: [_anchor(t).school.code], many=False),
    ok_status=201,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)

register_endpoint(
    name="afterschool.plan_list",
    method="GET",
    path="/api/v1/afterschool/plans",
    seed=seed_plans,
    rows=Rows(Level.SCHOOL, key=lambda i: i["id"], keys=lambda t: [_anchor(t).extras["plan"].pk]),
)

register_endpoint(
    name="afterschool.plan_get",
    method="GET",
    path="/api/v1/afterschool/plans/{plan_id}",
    target=Level.SCHOOL,
    params=_plan_params,
    missing={"plan_id": MISSING_ID},
    seed=seed_plans,
    rows=_PLAN_ROW,
)

register_endpoint(
    name="afterschool.plan_update",
    method="PUT",
    path="/api/v1/afterschool/plans/{plan_id}",
    target=Level.SCHOOL,
    params=_plan_params,
    missing={"plan_id": MISSING_ID},
    body=lambda t: plan_body(),
    seed=seed_plans,
    rows=_PLAN_ROW,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)

register_endpoint(
    name="afterschool.plan_service_days",
    method="GET",
    path="/api/v1/afterschool/plans/{plan_id}/service-days",
    target=Level.SCHOOL,
    params=_plan_params,
    missing={"plan_id": MISSING_ID},
    seed=seed_plans,
    rows=_PLAN_ID_ROW,
)


def _date_params(target: Target) -> dict[str, object]:
    plan = _anchor(target).extras["plan"]
    return {"plan_id": plan.pk, "day": plan.term.start_date.isoformat()}


register_endpoint(
    name="afterschool.plan_date_set",
    method="PUT",
    path="/api/v1/afterschool/plans/{plan_id}/date-changes/{day}",
    target=Level.SCHOOL,
    params=_date_params,
    missing={"plan_id": MISSING_ID, "day": "2026-12-01"},
    body=lambda t: {"follows_weekday": None, "reason": "运动会"},
    seed=seed_plans,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)

register_endpoint(
    name="afterschool.plan_date_remove",
    method="DELETE",
    path="/api/v1/afterschool/plans/{plan_id}/date-changes/{day}",
    target=Level.SCHOOL,
    params=_date_params,
    missing={"plan_id": MISSING_ID, "day": "2026-12-01"},
    seed=seed_plan_dates,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)

# Offerings

register_endpoint(
    name="afterschool.offering_create",
    method="POST",
    path="/api/v1/afterschool/plans/{plan_id}/offerings",
    target=Level.SCHOOL,
    params=_plan_params,
    missing={"plan_id": MISSING_ID},
    body=lambda t: {"course_id": _extra_pk(t, "course"), "slots": [{"weekday": 4, "block": 2}], "capacity": 10},
    seed=seed_plans,
    rows=_PLAN_ID_ROW,
    ok_status=201,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)

register_endpoint(
    name="afterschool.offering_list",
    method="GET",
    path="/api/v1/afterschool/plans/{plan_id}/offerings",
    target=Level.SCHOOL,
    params=_plan_params,
    missing={"plan_id": MISSING_ID},
    seed=seed_plans,
    rows=Rows(
        Level.SCHOOL,
        key=lambda i: i["course_id"],
        keys=lambda t: [_anchor(t).extras["course"].pk, spare_course_of(t.world, _anchor(t)).pk],
    ),
)

# Enrolment

_STUDENT_ROW = Rows(Level.STUDENT, key=lambda i: i["student_id"], keys=lambda t: [_anchor(t).student.pk], many=False)
GUARDIAN = {"guardian_a4_1": A4_1}
WITHDRAWERS = {"guardian_a4_1": A4_1, "school_leader_a": A}


def _enrolment_params(target: Target) -> dict[str, object]:
    return {"enrolment_id": _anchor(target).extras["enrolment"].pk}


register_endpoint(
    name="afterschool.enrolment_sign_up",
    method="POST",
    path="/api/v1/afterschool/enrolments",
    target=Level.STUDENT,
    body=lambda t: {
        "plan_id": _extra_pk(t, "plan"),
        "student_id": MISSING_ID if t.anchor is None else t.anchor.student.pk,
        "consent": True,
    },
    seed=seed_plans,
    rows=_STUDENT_ROW,
    ok_status=201,
    writes=True,
    allowed=GUARDIAN,
    denied_status=404,
)

register_endpoint(
    name="afterschool.enrolment_list",
    method="GET",
    path="/api/v1/afterschool/plans/{plan_id}/enrolments",
    target=Level.SCHOOL,
    params=_plan_params,
    missing={"plan_id": MISSING_ID},
    seed=seed_enrolments,
    rows=Rows(Level.STUDENT, key=lambda i: i["student_id"], keys=lambda t: [_anchor(t).student.pk]),
)

register_endpoint(
    name="afterschool.enrolment_get",
    method="GET",
    path="/api/v1/afterschool/enrolments/{enrolment_id}",
    target=Level.STUDENT,
    params=_enrolment_params,
    missing={"enrolment_id": MISSING_ID},
    seed=seed_enrolments,
    rows=_STUDENT_ROW,
)

register_endpoint(
    name="afterschool.preferences_set",
    method="PUT",
    path="/api/v1/afterschool/enrolments/{enrolment_id}/preferences",
    target=Level.STUDENT,
    params=_enrolment_params,
    missing={"enrolment_id": MISSING_ID},
    body=lambda t: {"offering_ids": [_extra_pk(t, "offering")]},
    seed=seed_enrolments,
    rows=_STUDENT_ROW,
    writes=True,
    allowed=GUARDIAN,
    denied_status=403,
)

register_endpoint(
    name="afterschool.enrolment_withdraw",
    method="POST",
    path="/api/v1/afterschool/enrolments/{enrolment_id}/withdraw",
    target=Level.STUDENT,
    params=_enrolment_params,
    missing={"enrolment_id": MISSING_ID},
    seed=seed_enrolments,
    rows=_STUDENT_ROW,
    writes=True,
    allowed=WITHDRAWERS,
    denied_status=403,
)

register_endpoint(
    name="afterschool.assignment_place",
    method="POST",
    path="/api/v1/afterschool/enrolments/{enrolment_id}/placements",
    target=Level.STUDENT,
    params=_enrolment_params,
    missing={"enrolment_id": MISSING_ID},
    body=lambda t: {"offering_id": _extra_pk(t, "spare")},
    seed=seed_allocated,
    rows=Rows(Level.STUDENT, key=lambda i: i["offering_id"], keys=lambda t: [_extra_pk(t, "spare")], many=False),
    ok_status=201,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)

register_endpoint(
    name="afterschool.assignment_withdraw",
    method="POST",
    path="/api/v1/afterschool/assignments/{assignment_id}/withdraw",
    target=Level.STUDENT,
    params=lambda t: {"assignment_id": _anchor(t).extras["assignment"].pk},
    missing={"assignment_id": MISSING_ID},
    seed=seed_allocated,
    rows=Rows(Level.STUDENT, key=lambda i: i["id"], keys=lambda t: [_extra_pk(t, "assignment")], many=False),
    writes=True,
    allowed=WITHDRAWERS,
    denied_status=403,
)

# Allocation

register_endpoint(
    name="afterschool.allocation_run",
    method="POST",
    path="/api/v1/afterschool/plans/{plan_id}/allocation",
    target=Level.SCHOOL,
    params=_plan_params,
    missing={"plan_id": MISSING_ID},
    body=lambda t: {"seed": SEED},
    seed=seed_closed,
    rows=_PLAN_ID_ROW,
    ok_status=201,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)

register_endpoint(
    name="afterschool.allocation_get",
    method="GET",
    path="/api/v1/afterschool/plans/{plan_id}/allocation",
    target=Level.SCHOOL,
    params=_plan_params,
    missing={"plan_id": MISSING_ID},
    seed=seed_allocated,
    rows=_PLAN_ID_ROW,
)

register_endpoint(
    name="afterschool.allocation_inputs",
    method="GET",
    path="/api/v1/afterschool/plans/{plan_id}/allocation/inputs",
    target=Level.SCHOOL,
    params=_plan_params,
    missing={"plan_id": MISSING_ID},
    seed=seed_allocated,
    rows=_PLAN_ID_ROW,
    allowed=_scoped(MENU_FIXTURES, Level.SCHOOL),
    denied_status=403,
)

register_endpoint(
    name="afterschool.allocation_verify",
    method="GET",
    path="/api/v1/afterschool/plans/{plan_id}/allocation/verify",
    target=Level.SCHOOL,
    params=_plan_params,
    missing={"plan_id": MISSING_ID},
    seed=seed_allocated,
)

# Participation: a region's for its bureau and inspectors (as homework monitoring), a school's also for its leaders

register_endpoint(
    name="afterschool.region_participation",
    method="GET",
    path="/api/v1/afterschool/participation/regions/{code}",
    target=Level.SCHOOL,
    params=_county,
    missing={"code": MISSING_REGION},
    seed=seed_allocated,
    rows=Rows(Level.SCHOOL, key=lambda i: i["region_code"], keys=lambda t: [_anchor(t).school.county_id], many=False),
    allowed={"bureau_city": ALL, "bureau_other_county": B, "inspector": A},
    denied_status=404,
)

register_endpoint(
    name="afterschool.school_participation",
    method="GET",
    path="/api/v1/afterschool/participation/schools/{code}",
    target=Level.SCHOOL,
    params=_school,
    missing={"code": MISSING_SCHOOL},
    seed=seed_allocated,
    rows=Rows(Level.SCHOOL, key=lambda i: i["school_code"], keys=lambda t: [_anchor(t).school.code], many=False),
    allowed={"bureau_city": ALL, "bureau_other_county": B, "inspector": A, "school_leader_a": A},
    denied_status=404,
)

# Daily operation: attendance, absences reported beforehand, sign-out

CLASS_TAKERS = {"school_leader_a": A, "head_teacher_a4_1": A4_1, "teacher_a": A4_1}
OFFERING_TAKERS = {"school_leader_a": A, "teacher_a": A, "head_teacher_a4_1": A}
CHILD_FIXTURES = (
    "school_leader_a", "teacher_a", "head_teacher_a4_1", "grade_coordinator_a4", "counsellor_a", "guardian_a4_1",
    "student_a4_1",
)  # fmt: skip


def _service_day(target: Target) -> str:
    return str(_anchor(target).extras["service_day"]) if target.anchor else str(timezone.localdate())


def _class_day(target: Target) -> dict[str, object]:
    return {"class_id": _anchor(target).school_class.pk, "day": _service_day(target), "block": 1}


def _session(target: Target) -> dict[str, object]:
    extras = _anchor(target).extras
    return {"offering_id": extras["current_offering"].pk, "day": str(extras["session_day"]), "block": 2}


def _own_marks(target: Target) -> dict[str, object]:
    student = MISSING_ID if target.anchor is None else target.anchor.student.pk
    return {"marks": [{"student_id": student, "status": "present"}]}


_CLASS_ROW = Rows(Level.CLASS, key=lambda i: i["class_id"], keys=lambda t: [_anchor(t).school_class.pk], many=False)
_OFFERING_ROW = Rows(
    Level.SCHOOL, key=lambda i: i["offering_id"], keys=lambda t: [_extra_pk(t, "current_offering")], many=False
)
_TODAY = "2026-11-25"  # a missing object's date: any date parses

for _method, _name, _extra in (("GET", "class_roster", {}), ("PUT", "class_attendance_take", {"writes": True})):
    register_endpoint(
        name=f"afterschool.{_name}",
        method=_method,
        path="/api/v1/afterschool/classes/{class_id}/attendance/{day}/{block}",
        target=Level.CLASS,
        params=_class_day,
        missing={"class_id": MISSING_ID, "day": _TODAY, "block": 1},
        body=_own_marks if _method == "PUT" else None,
        seed=seed_days,
        rows=_CLASS_ROW,
        allowed=CLASS_TAKERS,
        denied_status=403,
        **_extra,
    )

for _method, _name, _extra in (("GET", "offering_roster", {}), ("PUT", "offering_attendance_take", {"writes": True})):
    register_endpoint(
        name=f"afterschool.{_name}",
        method=_method,
        path="/api/v1/afterschool/offerings/{offering_id}/attendance/{day}/{block}",
        target=Level.SCHOOL,
        params=_session,
        missing={"offering_id": MISSING_ID, "day": _TODAY, "block": 2},
        body=_own_marks if _method == "PUT" else None,
        seed=seed_sessions,
        rows=_OFFERING_ROW,
        allowed=OFFERING_TAKERS,
        denied_status=403,
        **_extra,
    )

register_endpoint(
    name="afterschool.absence_report",
    method="POST",
    path="/api/v1/afterschool/absences",
    target=Level.STUDENT,
    body=lambda t: {
        "student_id": MISSING_ID if t.anchor is None else t.anchor.student.pk,
        "start": str(timezone.localdate()),
        "end": str(timezone.localdate()),
        "reason": "发烧",
    },
    seed=seed_days,
    rows=_STUDENT_ROW,
    ok_status=201,
    writes=True,
    allowed=GUARDIAN,
    denied_status=404,
)


def _student_params(target: Target) -> dict[str, object]:
    return {"student_id": _anchor(target).student.pk}


register_endpoint(
    name="afterschool.absence_list",
    method="GET",
    path="/api/v1/afterschool/students/{student_id}/absences",
    target=Level.STUDENT,
    params=_student_params,
    missing={"student_id": MISSING_ID},
    seed=seed_absences,
    rows=Rows(Level.STUDENT, key=lambda i: i["id"], keys=lambda t: [_extra_pk(t, "absence")]),
    allowed=_scoped(CHILD_FIXTURES, Level.STUDENT),
    denied_status=404,
)

register_endpoint(
    name="afterschool.attendance_list",
    method="GET",
    path="/api/v1/afterschool/students/{student_id}/attendance",
    target=Level.STUDENT,
    params=_student_params,
    missing={"student_id": MISSING_ID},
    seed=seed_marks,
    rows=Rows(Level.STUDENT, key=lambda i: i["id"], keys=lambda t: [_extra_pk(t, "attendance_record")]),
    allowed=_scoped(CHILD_FIXTURES, Level.STUDENT),
    denied_status=404,
)

register_endpoint(
    name="afterschool.leave_alone_set",
    method="PUT",
    path="/api/v1/afterschool/students/{student_id}/leave-alone",
    target=Level.STUDENT,
    params=_student_params,
    missing={"student_id": MISSING_ID},
    body=lambda t: {"allowed": True},
    seed=seed_days,
    rows=_STUDENT_ROW,
    writes=True,
    allowed=GUARDIAN,
    denied_status=404,
)


def _sign_out_body(target: Target) -> dict[str, object]:
    if target.anchor is None:
        return {"block": 1, "guardian_id": MISSING_ID}
    day = target.anchor.extras["service_day"]
    return {"block": 1, "guardian_id": target.anchor.guardian.pk, "at": sign_out_moment(day).isoformat()}


register_endpoint(
    name="afterschool.sign_out",
    method="PUT",
    path="/api/v1/afterschool/students/{student_id}/sign-outs/{day}",
    target=Level.STUDENT,
    params=lambda t: {"student_id": _anchor(t).student.pk, "day": _service_day(t)},
    missing={"student_id": MISSING_ID, "day": _TODAY},
    body=_sign_out_body,
    seed=seed_days,
    rows=_STUDENT_ROW,
    writes=True,
    allowed={"school_leader_a": A, "teacher_a": A, "head_teacher_a4_1": A4_1},
    denied_status=403,
)

register_endpoint(
    name="afterschool.late_pickups",
    method="GET",
    path="/api/v1/afterschool/schools/{code}/late-pickups",
    target=Level.SCHOOL,
    params=_school,
    missing={"code": MISSING_SCHOOL},
    query=lambda t: {"start": _service_day(t), "end": _service_day(t)},
    seed=seed_late,
    rows=Rows(Level.STUDENT, key=lambda i: i["id"], keys=lambda t: [_extra_pk(t, "late_sign_out")]),
    allowed={"school_leader_a": A, "teacher_a": A},
    denied_status=403,
)

# Staffing, fees, the survey and cancelling an absence register themselves there.
from shuangjian.afterschool.tests import api_matrix_money  # noqa: E402, F401
