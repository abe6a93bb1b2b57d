"""Staffing, fees, the survey and cancelling an absence in the role-scope matrix (imported by api_matrix.py)."""

from shuangjian.afterschool.tests.attendance_seeds import seed_absences, seed_days
from shuangjian.afterschool.tests.money_seeds import seed_duties, seed_fees
from shuangjian.core.testing.matrix import ANCHORS, Level, Rows, Target, register_endpoint

MISSING_ID = 987654321
MISSING_SCHOOL = "4114029999"
MISSING_REGION = "419999"
A = frozenset({"a4_1", "a4_2", "a5_1"})
A4_1 = frozenset({"a4_1"})
B = frozenset({"b4_1"})
ALL = frozenset(ANCHORS)
LEADER_A = {"school_leader_a": A}
GUARDIAN = {"guardian_a4_1": A4_1}
SCHOOL_READERS = {"bureau_city": ALL, "bureau_other_county": B, "inspector": A, "school_leader_a": A}


def _extra(target: Target, name: str) -> object:
    if target.anchor is None:
        raise ValueError("this endpoint addresses an anchor")
    return target.anchor.extras[name]


def _pk(target: Target, name: str) -> int:
    return int(_extra(target, name).pk)  # type: ignore[attr-defined]


def _plan(target: Target) -> dict[str, object]:
    return {"plan_id": _pk(target, "plan")}


def _enrolment(target: Target) -> dict[str, object]:
    return {"enrolment_id": _pk(target, "enrolment")}


def _student(target: Target) -> dict[str, object]:
    if target.anchor is None:
        raise ValueError("this endpoint addresses an anchor")
    return {"student_id": target.anchor.student.pk}


_PLAN_ID_ROW = Rows(Level.SCHOOL, key=lambda i: i["plan_id"], keys=lambda t: [_pk(t, "plan")], many=False)
_STUDENT_ROW = Rows(
    Level.STUDENT, key=lambda i: i["student_id"], keys=lambda t: [t.anchor.student.pk if t.anchor else 0], many=False
)

# Staffing

register_endpoint(
    name="afterschool.duty_assign",
    method="POST",
    path="/api/v1/afterschool/plans/{plan_id}/duties",
    target=Level.SCHOOL,
    params=_plan,
    missing={"plan_id": MISSING_ID},
    body=lambda t: {"weekday": 2, "block": 1, "external_name": "王教练", "external_provider": "商丘市青少年活动中心"},
    seed=seed_duties,
    rows=_PLAN_ID_ROW,
    ok_status=201,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)

register_endpoint(
    name="afterschool.duty_list",
    method="GET",
    path="/api/v1/afterschool/plans/{plan_id}/duties",
    target=Level.SCHOOL,
    params=_plan,
    missing={"plan_id": MISSING_ID},
    seed=seed_duties,
    # every plan of a school has its leader on Monday's block 1, so a row is told by who serves when
    rows=Rows(
        Level.SCHOOL,
        key=lambda i: f"{i['weekday']}:{i['block']}:{i['staff_id']}",
        keys=lambda t: [f"1:1:{_extra(t, 'duty').staff_id}"],  # type: ignore[attr-defined]
    ),
    allowed=SCHOOL_READERS,
    denied_status=404,
)

register_endpoint(
    name="afterschool.duty_remove",
    method="DELETE",
    path="/api/v1/afterschool/duties/{duty_id}",
    target=Level.SCHOOL,
    params=lambda t: {"duty_id": _pk(t, "duty")},
    missing={"duty_id": MISSING_ID},
    seed=seed_duties,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)

register_endpoint(
    name="afterschool.staffing_get",
    method="GET",
    path="/api/v1/afterschool/plans/{plan_id}/staffing",
    target=Level.SCHOOL,
    params=_plan,
    missing={"plan_id": MISSING_ID},
    seed=seed_duties,
    rows=_PLAN_ID_ROW,
    allowed=SCHOOL_READERS,
    denied_status=404,
)

# Fees

register_endpoint(
    name="afterschool.fee_set",
    method="PUT",
    path="/api/v1/afterschool/plans/{plan_id}/fee",
    target=Level.SCHOOL,
    params=_plan,
    missing={"plan_id": MISSING_ID},
    body=lambda t: {"fee_fen_per_term": 0, "items": "", "funding_note": "财政全额保障"},
    seed=seed_fees,
    rows=_PLAN_ID_ROW,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)

register_endpoint(
    name="afterschool.fee_get",
    method="GET",
    path="/api/v1/afterschool/plans/{plan_id}/fee",
    target=Level.SCHOOL,
    params=_plan,
    missing={"plan_id": MISSING_ID},
    seed=seed_fees,
    rows=_PLAN_ID_ROW,
)

register_endpoint(
    name="afterschool.fee_book",
    method="GET",
    path="/api/v1/afterschool/plans/{plan_id}/fee-book",
    target=Level.SCHOOL,
    params=_plan,
    missing={"plan_id": MISSING_ID},
    seed=seed_fees,
    rows=_PLAN_ID_ROW,
    allowed=SCHOOL_READERS,
    denied_status=404,
)

register_endpoint(
    name="afterschool.waiver_grant",
    method="POST",
    path="/api/v1/afterschool/enrolments/{enrolment_id}/waiver",
    target=Level.STUDENT,
    params=_enrolment,
    missing={"enrolment_id": MISSING_ID},
    body=lambda t: {"category": "subsistence_allowance", "reason": "持有城乡低保证"},
    seed=seed_fees,
    rows=_STUDENT_ROW,
    ok_status=201,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)

register_endpoint(
    name="afterschool.payment_record",
    method="PUT",
    path="/api/v1/afterschool/enrolments/{enrolment_id}/payment",
    target=Level.STUDENT,
    params=_enrolment,
    missing={"enrolment_id": MISSING_ID},
    body=lambda t: {"paid": True},
    seed=seed_fees,
    rows=_STUDENT_ROW,
    writes=True,
    allowed=LEADER_A,
    denied_status=403,
)

register_endpoint(
    name="afterschool.child_fee",
    method="GET",
    path="/api/v1/afterschool/enrolments/{enrolment_id}/fee",
    target=Level.STUDENT,
    params=_enrolment,
    missing={"enrolment_id": MISSING_ID},
    seed=seed_fees,
    rows=_STUDENT_ROW,
)

# The survey

register_endpoint(
    name="afterschool.survey_answer",
    method="POST",
    path="/api/v1/afterschool/students/{student_id}/survey",
    target=Level.STUDENT,
    params=_student,
    missing={"student_id": MISSING_ID},
    body=lambda t: {"overall": 5, "content": 4, "care": 5, "staff": 4, "comment": ""},
    seed=seed_days,
    ok_status=201,
    writes=True,
    allowed=GUARDIAN,
    denied_status=404,
)

register_endpoint(
    name="afterschool.school_survey",
    method="GET",
    path="/api/v1/afterschool/survey/schools/{code}",
    target=Level.SCHOOL,
    params=lambda t: {"code": t.anchor.school.code if t.anchor else MISSING_SCHOOL},
    missing={"code": MISSING_SCHOOL},
    seed=seed_days,
    rows=Rows(
        Level.SCHOOL, key=lambda i: i["code"], keys=lambda t: [t.anchor.school.code if t.anchor else ""], many=False
    ),
    allowed=SCHOOL_READERS,
    denied_status=404,
)

register_endpoint(
    name="afterschool.region_survey",
    method="GET",
    path="/api/v1/afterschool/survey/regions/{code}",
    target=Level.SCHOOL,
    params=lambda t: {"code": t.anchor.school.county_id if t.anchor else MISSING_REGION},
    missing={"code": MISSING_REGION},
    seed=seed_days,
    rows=Rows(
        Level.SCHOOL,
        key=lambda i: i["code"],
        keys=lambda t: [t.anchor.school.county_id if t.anchor else ""],
        many=False,
    ),
    allowed={"bureau_city": ALL, "bureau_other_county": B, "inspector": A},
    denied_status=404,
)

# Cancelling an absence

register_endpoint(
    name="afterschool.absence_cancel",
    method="DELETE",
    path="/api/v1/afterschool/absences/{absence_id}",
    target=Level.STUDENT,
    params=lambda t: {"absence_id": _pk(t, "absence")},
    missing={"absence_id": MISSING_ID},
    seed=seed_absences,
    writes=True,
    allowed=GUARDIAN,
    denied_status=404,
)
