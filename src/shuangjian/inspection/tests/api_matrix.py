"""inspection's endpoints in the role-scope matrix (discovered by shuangjian.core.testing.matrix.endpoints).

The seeds (matrix_seeds.py) give each county a checklist item and a campaign, and each anchor its own inspections,
order and unlicensed case. Supervisors (bureau, inspectors) act in their region; checklist and campaign writes
belong to the bureau; the institution's operator reads its checklist, inspections and orders, and reports its
rectification. Campaigns and cases are not the operator's: it gets 404 there, like school roles.
"""

from datetime import timedelta

from django.utils import timezone

from shuangjian.core.testing.matrix import ANCHORS, Level, Rows, Target, register_endpoint
from shuangjian.inspection.tests.matrix_seeds import seed_checklist, seed_inspections

MISSING_ID = 987654321
A = frozenset({"a4_1", "a4_2", "a5_1"})
B = frozenset({"b4_1"})
ALL = frozenset(ANCHORS)
SUPERVISORS = {"bureau_city": ALL, "bureau_other_county": B, "inspector": A}
BUREAU = {"bureau_city": ALL, "bureau_other_county": B}
READERS = {**SUPERVISORS, "institution_operator": A}
BASE = "/api/v1/training/inspections"


def _extra(name: str, key: str) -> object:
    def params(target: Target) -> dict[str, object]:
        return {key: MISSING_ID if target.anchor is None else target.anchor.extras[name].pk}

    return params


def _keys(*names: str) -> object:
    def keys(target: Target) -> list[object]:
        assert target.anchor is not None
        return [target.anchor.extras[name].pk for name in names]

    return keys


def _rows(*names: str, many: bool = True) -> Rows:
    return Rows(Level.INSTITUTION, key=lambda i: i["id"], keys=_keys(*names), many=many)  # type: ignore[arg-type]


# The checklist

register_endpoint(
    name="inspection.checklist_list",
    method="GET",
    path=f"{BASE}/checklist",
    seed=seed_checklist,
    rows=_rows("checklist_item"),
    allowed=READERS,
)
register_endpoint(
    name="inspection.checklist_item_add",
    method="POST",
    path=f"{BASE}/checklist",
    seed=seed_checklist,
    body=lambda t: {
        "region_code": t.world.regions["liangyuan"].code,
        "code": "X99",
        "text": "聘用在职中小学教师",
        "legal_basis": "国办发〔2018〕80号",
        "severity": "grave",
    },
    ok_status=201,
    writes=True,
    roles=frozenset({"bureau_city"}),
    denied_status=403,
)
register_endpoint(
    name="inspection.checklist_item_set_active",
    method="PATCH",
    path=f"{BASE}/checklist/{{item_id}}",
    target=Level.INSTITUTION,
    params=_extra("checklist_item", "item_id"),
    missing={"item_id": MISSING_ID},
    seed=seed_checklist,
    body=lambda t: {"active": False},
    writes=True,
    allowed=BUREAU,
    denied_status=403,
)

# Campaigns

register_endpoint(
    name="inspection.campaign_list",
    method="GET",
    path=f"{BASE}/campaigns",
    seed=seed_checklist,
    rows=_rows("campaign"),
    allowed=SUPERVISORS,
)


def _campaign_body(target: Target) -> dict[str, object]:
    today = timezone.localdate()
    return {
        "name": "无证培训专项整治", "region_code": target.world.regions["liangyuan"].code,
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=30)).isoformat(),
        "target_kinds": ["unlicensed"], "target_inspections": 10,
    }  # fmt: skip


register_endpoint(
    name="inspection.campaign_create",
    method="POST",
    path=f"{BASE}/campaigns",
    body=_campaign_body,
    ok_status=201,
    writes=True,
    roles=frozenset({"bureau_city"}),
    denied_status=403,
)


def _correction_body(target: Target) -> dict[str, object]:
    """The seeded campaign, running since ten days ago, extended by five days (any valid body for a missing one)."""
    today = timezone.localdate()
    starts_on = target.anchor.extras["campaign"].starts_on if target.anchor is not None else today
    return {
        "name": "暑期专项整治（延长）", "starts_on": starts_on.isoformat(),
        "ends_on": (today + timedelta(days=25)).isoformat(), "target_kinds": ["academic"], "target_inspections": 6,
    }  # fmt: skip


def _campaign_management(name: str, method: str, path: str, **fields: object) -> None:
    """A bureau's write on one campaign: its supervisors see it (an inspector is refused), the operator does not."""
    register_endpoint(
        name=name, method=method, path=path, target=Level.INSTITUTION, params=_extra("campaign", "campaign_id"),
        missing={"campaign_id": MISSING_ID}, seed=seed_checklist, writes=True, allowed=BUREAU, seen=SUPERVISORS,
        denied_status=403, **fields,
    )  # fmt: skip


_campaign_management("inspection.campaign_update", "PATCH", f"{BASE}/campaigns/{{campaign_id}}", body=_correction_body)
_campaign_management("inspection.campaign_close", "POST", f"{BASE}/campaigns/{{campaign_id}}/close")
register_endpoint(
    name="inspection.campaign_progress",
    method="GET",
    path=f"{BASE}/campaigns/{{campaign_id}}/progress",
    target=Level.INSTITUTION,
    params=_extra("campaign", "campaign_id"),
    missing={"campaign_id": MISSING_ID},
    seed=seed_checklist,
    allowed=SUPERVISORS,
)

# Inspections and orders

register_endpoint(
    name="inspection.inspection_list",
    method="GET",
    path=BASE,
    seed=seed_inspections,
    rows=_rows("inspection", "open_inspection"),
)


def _inspection_body(target: Target) -> dict[str, object]:
    anchor = target.world.anchors["a4_1"]
    return {
        "inspected_on": timezone.localdate().isoformat(),
        "institution_id": anchor.extras["institution"].pk,
        "findings": [{"item_id": anchor.extras["checklist_item"].pk, "result": "pass"}],
    }


register_endpoint(
    name="inspection.inspection_record",
    method="POST",
    path=BASE,
    seed=seed_checklist,
    body=_inspection_body,
    ok_status=201,
    writes=True,
    roles=frozenset({"bureau_city", "inspector"}),
    denied_status=403,
)
register_endpoint(
    name="inspection.inspection_get",
    method="GET",
    path=f"{BASE}/{{inspection_id}}",
    target=Level.INSTITUTION,
    params=_extra("inspection", "inspection_id"),
    missing={"inspection_id": MISSING_ID},
    seed=seed_inspections,
    rows=_rows("inspection", many=False),
)
register_endpoint(
    name="inspection.order_issue",
    method="POST",
    path=f"{BASE}/{{inspection_id}}/order",
    target=Level.INSTITUTION,
    params=_extra("open_inspection", "inspection_id"),
    missing={"inspection_id": MISSING_ID},
    seed=seed_inspections,
    body=lambda t: {"requirements": "立即停止", "deadline": (timezone.localdate() + timedelta(days=5)).isoformat()},
    ok_status=201,
    writes=True,
    allowed=SUPERVISORS,
    denied_status=403,
)
register_endpoint(
    name="inspection.order_list",
    method="GET",
    path=f"{BASE}/orders",
    seed=seed_inspections,
    rows=_rows("order"),
)
register_endpoint(
    name="inspection.order_get",
    method="GET",
    path=f"{BASE}/orders/{{order_id}}",
    target=Level.INSTITUTION,
    params=_extra("order", "order_id"),
    missing={"order_id": MISSING_ID},
    seed=seed_inspections,
    rows=_rows("order", many=False),
)
register_endpoint(
    name="inspection.order_report",
    method="POST",
    path=f"{BASE}/orders/{{order_id}}/report",
    target=Level.INSTITUTION,
    params=_extra("order", "order_id"),
    missing={"order_id": MISSING_ID},
    seed=seed_inspections,
    body=lambda t: {"report": "已停止周六课程并退费"},
    writes=True,
    allowed={"institution_operator": A},
    denied_status=403,
)
register_endpoint(
    name="inspection.order_follow_up",
    method="POST",
    path=f"{BASE}/orders/{{order_id}}/follow-up",
    target=Level.INSTITUTION,
    params=_extra("order", "order_id"),
    missing={"order_id": MISSING_ID},
    seed=seed_inspections,
    body=lambda t: {"confirmed": False, "note": "逾期未整改", "recommended_sanction": "warning"},
    writes=True,
    allowed=SUPERVISORS,
    denied_status=403,
)

# Unlicensed training

register_endpoint(
    name="inspection.case_list",
    method="GET",
    path=f"{BASE}/cases",
    seed=seed_inspections,
    rows=_rows("case"),
    allowed=SUPERVISORS,
)
register_endpoint(
    name="inspection.case_report",
    method="POST",
    path=f"{BASE}/cases",
    body=lambda t: {
        "county_code": t.world.regions["liangyuan"].code,
        "name": "阳光补习班",
        "address": "梁园区某小区 3 栋",
        "source": "complaint",
        "complaint_reference": "TS20260901ABCDEF",
    },
    ok_status=201,
    writes=True,
    roles=frozenset({"bureau_city", "inspector"}),
    denied_status=403,
)
register_endpoint(
    name="inspection.case_advance",
    method="POST",
    path=f"{BASE}/cases/{{case_id}}/advance",
    target=Level.INSTITUTION,
    params=_extra("case", "case_id"),
    missing={"case_id": MISSING_ID},
    seed=seed_inspections,
    body=lambda t: {"action": "verify"},
    writes=True,
    allowed=SUPERVISORS,
    denied_status=404,
)
