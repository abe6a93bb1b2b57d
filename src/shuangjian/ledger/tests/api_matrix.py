"""ledger's endpoints (/api/v1/escrow) in the role-scope matrix (discovered by shuangjian.core.testing.matrix).

The seeds (matrix_seeds.py) give each anchor a purchase with one held lesson at its county's institution. The
money of a purchase is read by its guardian (not the student's own account), the institution's operator and the
region's bureau and inspectors; a lesson is confirmed or disputed only by the child's guardian (others who see it
get 403); refunds by the guardian, the operator and the bureau; the risk margin is deposited by the operator or
the bureau. Bank statements belong to the city: only its bureau imports and reads them (404 for everyone else).
"""

from shuangjian.core.testing.matrix import ANCHORS, Level, Rows, Target, register_endpoint
from shuangjian.ledger.tests.matrix_seeds import seed_escrow, seed_ledgers, seed_statement
from shuangjian.training.tests.matrix_seeds import institution_of

MISSING_ID = 987654321
A = frozenset({"a4_1", "a4_2", "a5_1"})
B = frozenset({"b4_1"})
ALL = frozenset(ANCHORS)
A4_1 = frozenset({"a4_1"})
SUPERVISORS = {"bureau_city": ALL, "bureau_other_county": B, "inspector": A, "institution_operator": A}
READERS = {**SUPERVISORS, "guardian_a4_1": A4_1}
REFUNDERS = {"bureau_city": ALL, "bureau_other_county": B, "institution_operator": A, "guardian_a4_1": A4_1}
DEPOSITORS = {"bureau_city": ALL, "bureau_other_county": B, "institution_operator": A}
CITY_BUREAU = {"bureau_city": ALL}
BASE = "/api/v1/escrow"


def _name(target: Target) -> str:
    return "missing" if target.anchor is None else target.anchor.name


def _of(extra: str, param: str) -> object:
    def params(target: Target) -> dict[str, object]:
        return {param: MISSING_ID if target.anchor is None else target.anchor.extras[extra].pk}

    return params


def _purchase_key(target: Target) -> list[object]:
    return [] if target.anchor is None else [target.anchor.extras["purchase"].pk]


def _institution_key(target: Target) -> list[object]:
    return [] if target.anchor is None else [institution_of(target.anchor).pk]


register_endpoint(
    name="ledger.purchase_list",
    method="GET",
    path=f"{BASE}/purchases",
    seed=seed_escrow,
    allowed=READERS,
    rows=Rows(Level.INSTITUTION, key=lambda i: i["id"], keys=_purchase_key),
)
register_endpoint(
    name="ledger.purchase_create",
    method="POST",
    path=f"{BASE}/purchases",
    seed=seed_ledgers,
    body=lambda t: {
        "institution_id": institution_of(t.world.anchors["a4_1"]).pk,
        "student_id": t.world.anchors["a4_1"].student.pk,
        "course_title": "初中物理提高班",
        "lessons": 8,
        "price_per_lesson_fen": 6000,
        "months": 2,
        "idempotency_key": "matrix-escrow-create-0001",
    },
    ok_status=201,
    writes=True,
    roles=frozenset({"guardian_a4_1"}),
)
register_endpoint(
    name="ledger.purchase_get",
    method="GET",
    path=f"{BASE}/purchases/{{purchase_id}}",
    target=Level.INSTITUTION,
    params=_of("purchase", "purchase_id"),
    missing={"purchase_id": MISSING_ID},
    seed=seed_escrow,
    allowed=READERS,
    rows=Rows(Level.INSTITUTION, key=lambda i: i["id"], keys=_purchase_key, many=False),
)
register_endpoint(
    name="ledger.purchase_refund",
    method="POST",
    path=f"{BASE}/purchases/{{purchase_id}}/refund",
    target=Level.INSTITUTION,
    params=_of("purchase", "purchase_id"),
    missing={"purchase_id": MISSING_ID},
    seed=seed_escrow,
    body=lambda t: {"lessons": 1, "idempotency_key": f"matrix-escrow-refund-{_name(t)}"},
    writes=True,
    allowed=REFUNDERS,
    denied_status=403,
)
for _action in ("confirm", "dispute"):
    register_endpoint(
        name=f"ledger.hold_{_action}",
        method="POST",
        path=f"{BASE}/holds/{{hold_id}}/{_action}",
        target=Level.INSTITUTION,
        params=_of("hold", "hold_id"),
        missing={"hold_id": MISSING_ID},
        seed=seed_escrow,
        body=(lambda t: {"idempotency_key": f"matrix-escrow-confirm-{_name(t)}"}) if _action == "confirm" else None,
        writes=True,
        allowed={"guardian_a4_1": A4_1},
        denied_status=403,
    )
register_endpoint(
    name="ledger.institution_funds",
    method="GET",
    path=f"{BASE}/institutions/{{institution_id}}/funds",
    target=Level.INSTITUTION,
    params=lambda t: {"institution_id": MISSING_ID if t.anchor is None else institution_of(t.anchor).pk},
    missing={"institution_id": MISSING_ID},
    seed=seed_ledgers,
    rows=Rows(Level.INSTITUTION, key=lambda i: i["institution_id"], keys=_institution_key, many=False),
)
register_endpoint(
    name="ledger.margin_deposit",
    method="POST",
    path=f"{BASE}/institutions/{{institution_id}}/margin",
    target=Level.INSTITUTION,
    params=lambda t: {"institution_id": MISSING_ID if t.anchor is None else institution_of(t.anchor).pk},
    missing={"institution_id": MISSING_ID},
    seed=seed_ledgers,
    body=lambda t: {"amount_fen": 100_000, "idempotency_key": f"matrix-escrow-margin-{_name(t)}"},
    writes=True,
    allowed=DEPOSITORS,
    denied_status=403,
)
register_endpoint(
    name="ledger.coverage",
    method="GET",
    path=f"{BASE}/coverage",
    seed=seed_ledgers,
    allowed=SUPERVISORS,
    rows=Rows(Level.INSTITUTION, key=lambda i: i["institution_id"], keys=_institution_key),
)

# Reconciliation: the city's statements

register_endpoint(
    name="ledger.statement_list",
    method="GET",
    path=f"{BASE}/statements",
    seed=seed_statement,
    allowed=CITY_BUREAU,
    rows=Rows(Level.INSTITUTION, key=lambda i: i["id"], keys=lambda t: [t.world.extras["escrow_statement"].pk]),
)
register_endpoint(
    name="ledger.statement_import",
    method="POST",
    path=f"{BASE}/statements",
    body=lambda t: {
        "region_code": t.world.regions["city"].code,
        "statement_date": "2026-11-02",
        "file_name": "daily.csv",
        "content": "bank_reference,value_date,direction,amount_yuan\nB9001,2026-11-02,C,500.00\n",
    },
    ok_status=201,
    writes=True,
    roles=frozenset({"bureau_city"}),
    denied_status=403,
)
register_endpoint(
    name="ledger.statement_get",
    method="GET",
    path=f"{BASE}/statements/{{statement_id}}",
    target=Level.INSTITUTION,
    params=lambda t: {"statement_id": t.world.extras["escrow_statement"].pk if t.anchor else MISSING_ID},
    missing={"statement_id": MISSING_ID},
    seed=seed_statement,
    allowed=CITY_BUREAU,
    rows=Rows(
        Level.INSTITUTION,
        key=lambda i: i["statement"]["id"],
        keys=lambda t: [t.world.extras["escrow_statement"].pk],
        many=False,
    ),
)
register_endpoint(
    name="ledger.difference_resolve",
    method="POST",
    path=f"{BASE}/differences/{{difference_id}}/resolve",
    target=Level.INSTITUTION,
    params=_of("difference", "difference_id"),
    missing={"difference_id": MISSING_ID},
    seed=seed_statement,
    body=lambda t: {"note": "银行误入账，已联系银行冲回"},
    writes=True,
    allowed=CITY_BUREAU,
)
