"""supervision's endpoints in the role-scope matrix (discovered by shuangjian.core.testing.matrix.endpoints).

The seeds put training's institution on every anchor (one per county: 梁园区's is the institution_operator
fixture's), one risk score per institution and one warning notice per anchor (the anchors of a county share their
institution, so their notices are issued on different days). Reads follow VISIBILITY at the institution level; only
the institution's operator appeals, only a bureau decides (an in-scope caller outside those gets 403). The report
is a region-level read for the bureau and inspectors whose region holds 梁园区.
"""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from shuangjian.core.testing.matrix import ANCHORS, Level, Rows, Target, World, register_endpoint
from shuangjian.supervision.models import RiskLevel, RiskScore, RiskWarning, WarningEvent
from shuangjian.training.tests.matrix_seeds import institution_of, seed_institutions

MISSING_ID = 987654321
BASE = "/api/v1/training/supervision"
SCORED_ON = date(2026, 9, 7)
A = frozenset({"a4_1", "a4_2", "a5_1"})
B = frozenset({"b4_1"})
ALL = frozenset(ANCHORS)


def _seed_scores(world: World) -> None:
    seed_institutions(world)
    scores: dict[int, RiskScore] = {}
    for anchor in world.anchors.values():
        institution = institution_of(anchor)
        if institution.pk not in scores:
            scores[institution.pk] = RiskScore.objects.create(
                institution=institution, on=SCORED_ON, score=30, level=RiskLevel.YELLOW, reasons=[]
            )
        anchor.extras["score"] = scores[institution.pk]


def _seed_warnings(status: str) -> Any:
    def seed(world: World) -> None:
        seed_institutions(world)
        for offset, anchor in enumerate(world.anchors.values()):
            warning = RiskWarning.objects.create(
                institution=institution_of(anchor),
                level=RiskLevel.YELLOW,
                score=30,
                issued_on=timezone.localdate() - timedelta(days=offset),
                appeal_deadline=timezone.localdate() + timedelta(days=10),
                status=status,
                appeal_text="申诉理由" if status == "appealed" else "",
            )
            WarningEvent.objects.create(warning=warning, kind="issued", at=timezone.now())
            anchor.extras["warning"] = warning

    return seed


def _warning_pk(target: Target) -> int:
    return MISSING_ID if target.anchor is None else int(target.anchor.extras["warning"].pk)


def _warning(target: Target) -> dict[str, object]:
    return {"warning_id": _warning_pk(target)}


register_endpoint(
    name="supervision.score_list",
    method="GET",
    path=f"{BASE}/scores",
    query=lambda t: {"on": SCORED_ON.isoformat()},
    seed=_seed_scores,
    rows=Rows(Level.INSTITUTION, key=lambda i: i["id"], keys=lambda t: [t.anchor.extras["score"].pk]),  # type: ignore[union-attr]
)
register_endpoint(
    name="supervision.warning_list",
    method="GET",
    path=f"{BASE}/warnings",
    seed=_seed_warnings("issued"),
    rows=Rows(Level.INSTITUTION, key=lambda i: i["id"], keys=lambda t: [_warning_pk(t)]),
)
register_endpoint(
    name="supervision.warning_get",
    method="GET",
    path=f"{BASE}/warnings/{{warning_id}}",
    target=Level.INSTITUTION,
    params=_warning,
    missing={"warning_id": MISSING_ID},
    seed=_seed_warnings("issued"),
    rows=Rows(Level.INSTITUTION, key=lambda i: i["id"], keys=lambda t: [_warning_pk(t)], many=False),
)
register_endpoint(
    name="supervision.warning_appeal",
    method="POST",
    path=f"{BASE}/warnings/{{warning_id}}/appeal",
    target=Level.INSTITUTION,
    params=_warning,
    missing={"warning_id": MISSING_ID},
    seed=_seed_warnings("issued"),
    body=lambda t: {"text": "投诉已办结，申请撤销预警。"},
    writes=True,
    allowed={"institution_operator": A},
    denied_status=403,
)
register_endpoint(
    name="supervision.warning_decide",
    method="POST",
    path=f"{BASE}/warnings/{{warning_id}}/decision",
    target=Level.INSTITUTION,
    params=_warning,
    missing={"warning_id": MISSING_ID},
    seed=_seed_warnings("appealed"),
    body=lambda t: {"decision": "withdraw", "reason": "经核实撤销。"},
    writes=True,
    allowed={"bureau_city": ALL, "bureau_other_county": B},
    denied_status=403,
)
register_endpoint(
    name="supervision.report_get",
    method="GET",
    path=f"{BASE}/reports",
    query=lambda t: {
        "kind": "monitoring",
        "region": t.world.regions["liangyuan"].code,
        "start": "2026-09-07",
        "end": "2026-09-13",
    },
    seed=seed_institutions,
    roles=frozenset({"bureau_city", "inspector"}),
    denied_status=403,
)
