"""training's endpoints in the role-scope matrix (discovered by shuangjian.core.testing.matrix.endpoints).

The seeds (matrix_seeds.py) give each county of the world one approved institution. Registry writes belong to the
bureau; sites and staff to the bureau and the institution's operator; courses to the operator. An in-scope caller
outside those gets 403. The lookup and the sanction list are public: every caller, anonymous included, is served.
"""

from typing import Any

from shuangjian.core.testing.matrix import ANCHORS, Level, Rows, Target, register_endpoint
from shuangjian.training.models import Institution, InstitutionEvent, InstitutionStaff, LicenceStatus, Site
from shuangjian.training.tests.matrix_seeds import (
    complaint_of,
    course_draft,
    credit_code,
    institution_of,
    seed_complaint,
    seed_complaints_at,
    seed_courses,
    seed_institutions,
    seed_sanctions,
)

MISSING_ID = 987654321
MISSING_CREDIT_CODE = credit_code("52411402MJY999999")
A = frozenset({"a4_1", "a4_2", "a5_1"})
B = frozenset({"b4_1"})
ALL = frozenset(ANCHORS)
REGISTRY = {"bureau_city": ALL, "bureau_other_county": B}
PREMISES = {**REGISTRY, "institution_operator": A}
OPERATOR = {"institution_operator": A}
BASE = "/api/v1/training"


def _institution_pk(target: Target) -> int:
    return MISSING_ID if target.anchor is None else int(institution_of(target.anchor).pk)


def _institution(target: Target) -> dict[str, object]:
    return {"institution_id": _institution_pk(target)}


def _institution_key(target: Target) -> list[object]:
    return [_institution_pk(target)]


def _rows_of(model: Any) -> Rows:
    def keys(target: Target) -> list[object]:
        return list(model.objects.filter(institution_id=_institution_pk(target)).values_list("pk", flat=True))

    return Rows(Level.INSTITUTION, key=lambda i: i["id"], keys=keys)


# The registry

register_endpoint(
    name="training.institution_list",
    method="GET",
    path=f"{BASE}/institutions",
    seed=seed_institutions,
    rows=Rows(Level.INSTITUTION, key=lambda i: i["id"], keys=_institution_key),
)


def _new_institution(target: Target) -> dict[str, object]:
    return {
        "credit_code": credit_code("52411402MJY123456"), "name": "梁园区新登记培训学校", "kind": "non_academic",
        "category": "arts", "mode": "offline", "county_code": target.world.regions["liangyuan"].code,
        "legal_representative": "王芳", "address": "梁园区某街 8 号",
    }  # fmt: skip


register_endpoint(
    name="training.institution_register",
    method="POST",
    path=f"{BASE}/institutions",
    body=_new_institution,
    ok_status=201,
    writes=True,
    roles=frozenset({"bureau_city"}),
    denied_status=403,
)
register_endpoint(
    name="training.institution_get",
    method="GET",
    path=f"{BASE}/institutions/{{institution_id}}",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_institutions,
    rows=Rows(Level.INSTITUTION, key=lambda i: i["id"], keys=_institution_key, many=False),
)
register_endpoint(
    name="training.institution_update",
    method="PATCH",
    path=f"{BASE}/institutions/{{institution_id}}",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_institutions,
    body=lambda t: {"address": "商丘市新址 9 号", "reason": "迁址"},
    writes=True,
    allowed=REGISTRY,
    denied_status=403,
)


def _licence_body(target: Target) -> dict[str, object]:
    """Suspend an approved licence, reinstate a suspended one: the anchors of a county share one institution."""
    approved = target.anchor is None or (
        Institution.objects.get(pk=_institution_pk(target)).licence_status == LicenceStatus.APPROVED
    )
    return {"action": "suspend" if approved else "reinstate", "reason": "专项检查"}


register_endpoint(
    name="training.licence_change",
    method="POST",
    path=f"{BASE}/institutions/{{institution_id}}/licence",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_institutions,
    body=_licence_body,
    writes=True,
    allowed=REGISTRY,
    denied_status=403,
)
register_endpoint(
    name="training.supervision_record",
    method="POST",
    path=f"{BASE}/institutions/{{institution_id}}/supervision",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_institutions,
    body=lambda t: {"bank": "中国银行商丘分行", "opened_on": "2026-03-01"},
    writes=True,
    allowed=REGISTRY,
    denied_status=403,
)
register_endpoint(
    name="training.event_list",
    method="GET",
    path=f"{BASE}/institutions/{{institution_id}}/events",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_institutions,
    rows=_rows_of(InstitutionEvent),
)
register_endpoint(
    name="training.sanction_add",
    method="POST",
    path=f"{BASE}/institutions/{{institution_id}}/sanctions",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_institutions,
    body=lambda t: {"kind": "warning", "reason": "违规收费", "authority": "商丘市教育局", "starts_on": "2026-11-01"},
    ok_status=201,
    writes=True,
    allowed=REGISTRY,
    denied_status=403,
)

# Sites and staff

register_endpoint(
    name="training.site_list",
    method="GET",
    path=f"{BASE}/institutions/{{institution_id}}/sites",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_institutions,
    rows=_rows_of(Site),
)
register_endpoint(
    name="training.site_add",
    method="POST",
    path=f"{BASE}/institutions/{{institution_id}}/sites",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_institutions,
    body=lambda t: {"address": "商丘市某路 3 号", "area_square_metres": 90},
    ok_status=201,
    writes=True,
    allowed=PREMISES,
    denied_status=403,
)
register_endpoint(
    name="training.staff_list",
    method="GET",
    path=f"{BASE}/institutions/{{institution_id}}/staff",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_institutions,
    rows=_rows_of(InstitutionStaff),
)
register_endpoint(
    name="training.staff_add",
    method="POST",
    path=f"{BASE}/institutions/{{institution_id}}/staff",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_institutions,
    body=lambda t: {"name": "赵老师", "teaches": True, "qualification_number": "20224114200002"},
    ok_status=201,
    writes=True,
    allowed=PREMISES,
    denied_status=403,
)

# Courses, guidance prices, violations


def _course_body(target: Target) -> dict[str, object]:
    site = None if target.anchor is None else Site.objects.filter(institution_id=_institution_pk(target)).first()
    draft = course_draft(site.pk if site is not None else None, title="新开数学班")
    return {
        "title": draft.title, "subject": draft.subject, "grade_min": draft.grade_min, "grade_max": draft.grade_max,
        "lesson_minutes": draft.lesson_minutes, "lesson_count": draft.lesson_count, "class_size": draft.class_size,
        "price_fen_per_lesson": draft.price_fen_per_lesson, "charge_lessons": draft.charge_lessons,
        "charge_months": draft.charge_months, "start_date": draft.start_date.isoformat(),
        "end_date": draft.end_date.isoformat(), "site_id": draft.site_id,
        "sittings": [{"weekday": 3, "start": "18:00", "end": "19:30"}],
    }  # fmt: skip


register_endpoint(
    name="training.course_list",
    method="GET",
    path=f"{BASE}/institutions/{{institution_id}}/courses",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_courses,
    rows=Rows(
        Level.INSTITUTION,
        key=lambda i: i["id"],
        keys=lambda t: (
            [] if t.anchor is None else [t.anchor.extras["course"].pk, t.anchor.extras["violating_course"].pk]
        ),
    ),
)
register_endpoint(
    name="training.course_create",
    method="POST",
    path=f"{BASE}/institutions/{{institution_id}}/courses",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_courses,
    body=_course_body,
    ok_status=201,
    writes=True,
    allowed=OPERATOR,
    denied_status=403,
)
register_endpoint(
    name="training.course_withdraw",
    method="POST",
    path=f"{BASE}/courses/{{course_id}}/withdraw",
    target=Level.INSTITUTION,
    params=lambda t: {"course_id": MISSING_ID if t.anchor is None else t.anchor.extras["course"].pk},
    missing={"course_id": MISSING_ID},
    seed=seed_courses,
    writes=True,
    allowed=OPERATOR,
    denied_status=403,
)
register_endpoint(
    name="training.guidance_price_set",
    method="POST",
    path=f"{BASE}/guidance-prices",
    body=lambda t: {
        "region_code": t.world.regions["liangyuan"].code,
        "subject": "数学",
        "mode": "offline",
        "base_fen": 5000,
    },
    writes=True,
    roles=frozenset({"bureau_city"}),
    denied_status=403,
)
register_endpoint(
    name="training.guidance_price_list",
    method="GET",
    path=f"{BASE}/guidance-prices",
    query=lambda t: {"region_code": t.world.regions["liangyuan"].code},
    public=True,
)
register_endpoint(
    name="training.guidance_price_history",
    method="GET",
    path=f"{BASE}/guidance-prices/history",
    query=lambda t: {"region_code": t.world.regions["liangyuan"].code, "subject": "数学"},
    public=True,
)
register_endpoint(
    name="training.violation_list",
    method="GET",
    path=f"{BASE}/violations",
    seed=seed_courses,
    rows=Rows(
        Level.INSTITUTION,
        key=lambda i: i["course_id"],
        keys=lambda t: [] if t.anchor is None else [t.anchor.extras["violating_course"].pk],
    ),
)

# The public lookup and the sanction list

register_endpoint(
    name="training.public_search",
    method="GET",
    path=f"{BASE}/lookup",
    query=lambda t: {"q": "培训学校"},
    seed=seed_institutions,
    public=True,
    rows=Rows(
        Level.INSTITUTION,
        key=lambda i: i["credit_code"],
        keys=lambda t: [institution_of(t.anchor).credit_code] if t.anchor else [],
    ),
)
register_endpoint(
    name="training.public_get",
    method="GET",
    path=f"{BASE}/lookup/{{credit_code}}",
    target=Level.INSTITUTION,
    params=lambda t: {"credit_code": MISSING_CREDIT_CODE if t.anchor is None else institution_of(t.anchor).credit_code},
    missing={"credit_code": MISSING_CREDIT_CODE},
    seed=seed_institutions,
    public=True,
    rows=Rows(
        Level.INSTITUTION,
        key=lambda i: i["credit_code"],
        keys=lambda t: [institution_of(t.anchor).credit_code] if t.anchor else [],
        many=False,
    ),
)
register_endpoint(
    name="training.public_sanctions",
    method="GET",
    path=f"{BASE}/sanction-list",
    seed=seed_sanctions,
    public=True,
    rows=Rows(
        Level.INSTITUTION,
        key=lambda i: i["credit_code"],
        keys=lambda t: [institution_of(t.anchor).credit_code] if t.anchor else [],
    ),
)


# Complaints from the public

register_endpoint(
    name="training.complaint_file",
    method="POST",
    path=f"{BASE}/complaints",
    body=lambda t: {
        "county_code": t.world.regions["liangyuan"].code,
        "institution_name": "某培训班",
        "content": "寒假期间开设数学班",
        "wants_reply": True,
        "phone": "13900001111",
    },
    ok_status=201,
    writes=True,
    public=True,
)
register_endpoint(
    name="training.complaint_follow",
    method="GET",
    path=f"{BASE}/complaints/follow",
    query=lambda t: {"reference": t.world.extras["training_complaint"].reference},
    seed=seed_complaint,
    public=True,
)


# Complaint handling: the supervisors of the complaint's region (the anchors' complaints, one each); an operator
# reads the complaints about its own institution and responds; joint sanctions are the bureau's.

SUPERVISE = {"bureau_city": ALL, "bureau_other_county": B, "inspector": A}
BUREAU = {"bureau_city": ALL, "bureau_other_county": B}


def _complaint(target: Target) -> dict[str, object]:
    return {"complaint_id": MISSING_ID if target.anchor is None else complaint_of(target.anchor).pk}


def _hotline_body(target: Target) -> dict[str, object]:
    return {
        "channel": "hotline_12345", "hotline_reference": "SQ20260907001", "received_at": "2026-09-07T09:00:00+08:00",
        "county_code": target.world.regions["liangyuan"].code, "institution_name": "无证托管班",
        "institution_address": "梁园区某小区 3 号楼", "content": "无证开展学科类培训", "wants_reply": True,
        "phone": "13900002222",
    }  # fmt: skip


register_endpoint(
    name="training.complaint_intake_hotline",
    method="POST",
    path=f"{BASE}/complaints/hotline",
    body=_hotline_body,
    ok_status=201,
    writes=True,
    roles=frozenset({"bureau_city", "inspector"}),
    denied_status=403,
)
register_endpoint(
    name="training.complaint_list",
    method="GET",
    path=f"{BASE}/complaints",
    seed=seed_complaints_at("received"),
    allowed=SUPERVISE,
    rows=Rows(
        Level.INSTITUTION,
        key=lambda i: i["id"],
        keys=lambda t: [] if t.anchor is None else [complaint_of(t.anchor).pk],
    ),
)
register_endpoint(
    name="training.complaint_overview",
    method="GET",
    path=f"{BASE}/complaints/overview",
    seed=seed_complaints_at("received"),
)
register_endpoint(
    name="training.complaint_get",
    method="GET",
    path=f"{BASE}/complaints/{{complaint_id}}",
    target=Level.INSTITUTION,
    params=_complaint,
    missing={"complaint_id": MISSING_ID},
    seed=seed_complaints_at("received"),
    allowed=SUPERVISE,
    rows=Rows(
        Level.INSTITUTION,
        key=lambda i: i["id"],
        keys=lambda t: [] if t.anchor is None else [complaint_of(t.anchor).pk],
        many=False,
    ),
)
register_endpoint(
    name="training.complaint_events",
    method="GET",
    path=f"{BASE}/complaints/{{complaint_id}}/events",
    target=Level.INSTITUTION,
    params=_complaint,
    missing={"complaint_id": MISSING_ID},
    seed=seed_complaints_at("assigned"),
    allowed=SUPERVISE,
)

# Each move: (path, the status the anchors' complaints are seeded in, a valid body, who may)
_MOVES: dict[str, tuple[str, str, dict[str, object], dict[str, frozenset[str]]]] = {
    "triage": ("triage", "received", {"category": "fees", "priority": "urgent"}, SUPERVISE),
    "reject": ("reject", "received", {"reason": "不属于校外培训"}, SUPERVISE),
    "investigate": ("investigate", "assigned", {"note": "已联系机构"}, SUPERVISE),
    "note": ("notes", "investigating", {"note": "现场检查：周六确有上课"}, SUPERVISE),
    "resolve": ("resolve", "investigating", {"outcome": "mediated", "reply": "已调解，机构退费"}, SUPERVISE),
    "close": ("close", "resolved", {"note": ""}, SUPERVISE),
    "reopen": ("reopen", "resolved", {"reason": "投诉人不满意"}, SUPERVISE),
}
for _name, (_path, _status, _body, _allowed) in _MOVES.items():
    register_endpoint(
        name=f"training.complaint_{_name}",
        method="POST",
        path=f"{BASE}/complaints/{{complaint_id}}/{_path}",
        target=Level.INSTITUTION,
        params=_complaint,
        missing={"complaint_id": MISSING_ID},
        seed=seed_complaints_at(_status),
        body=lambda t, body=_body: body,
        writes=True,
        allowed=_allowed,
    )


def _assign_body(target: Target) -> dict[str, object]:
    inspector = target.world.extras.get("training_city_inspector")
    return {"assignee_id": MISSING_ID if inspector is None else inspector.pk}


register_endpoint(
    name="training.complaint_assign",
    method="POST",
    path=f"{BASE}/complaints/{{complaint_id}}/assign",
    target=Level.INSTITUTION,
    params=_complaint,
    missing={"complaint_id": MISSING_ID},
    seed=seed_complaints_at("triaged"),
    body=_assign_body,
    writes=True,
    allowed=SUPERVISE,
)
register_endpoint(
    name="training.joint_sanction",
    method="POST",
    path=f"{BASE}/complaints/{{complaint_id}}/joint-sanction",
    target=Level.INSTITUTION,
    params=_complaint,
    missing={"complaint_id": MISSING_ID},
    seed=seed_complaints_at("resolved"),
    body=lambda t: {
        "reason": "超前超标培训，投诉属实",
        "authority": "商丘市教育局",
        "starts_on": "2026-09-10",
        "partners": ["market_regulation", "tax"],
        "measures": "限制新设机构；纳入信用记录",
    },
    ok_status=201,
    writes=True,
    allowed=BUREAU,
)
register_endpoint(
    name="training.institution_complaints",
    method="GET",
    path=f"{BASE}/institutions/{{institution_id}}/complaints",
    target=Level.INSTITUTION,
    params=_institution,
    missing={"institution_id": MISSING_ID},
    seed=seed_complaints_at("resolved"),
    rows=Rows(
        Level.INSTITUTION,
        key=lambda i: i["id"],
        keys=lambda t: [] if t.anchor is None else [complaint_of(t.anchor).pk],
    ),
)
register_endpoint(
    name="training.complaint_respond",
    method="POST",
    path=f"{BASE}/institution-complaints/{{complaint_id}}/response",
    target=Level.INSTITUTION,
    params=_complaint,
    missing={"complaint_id": MISSING_ID},
    seed=seed_complaints_at("investigating"),
    body=lambda t: {"response": "周六课程已停课，学费已退还"},
    writes=True,
    allowed=OPERATOR,
)
