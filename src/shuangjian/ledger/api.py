"""/api/v1/escrow: the prepaid-fee escrow (预收费资金监管). One operation per endpoint; each calls one service or
selector.

Purchases (a guardian buys; guardians, the institution and the region's supervisors read where the money is);
lesson confirmation and dispute (only the child's guardian); refunds; the institution's balances and risk margin;
the bureau's coverage table; the reconciliation with the custodian bank's daily statement.

Every request that moves money carries an idempotency key, as the `Idempotency-Key` header or the
`idempotency_key` body field (both: they must be equal). A repeat with the same key and the same request returns
the first result and moves nothing; the same key with another request is refused (409
ledger.idempotency_conflict).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from shuangjian.core.api_auth import actor
from shuangjian.core.pagination import Pagination
from shuangjian.core.schemas import error_responses
from shuangjian.ledger import rules, selectors_pages, selectors_reconciliation
from shuangjian.ledger.errors import LedgerError, ledger_error
from shuangjian.ledger.models import BankStatement, Purchase
from shuangjian.ledger.schemas import (
    CoverageOut,
    DifferenceResolveIn,
    DifferenceResolveOut,
    FundsOut,
    HoldDisputeOut,
    MarginDepositIn,
    MoneyMoveIn,
    PurchaseCreateIn,
    PurchaseCreateOut,
    PurchaseGetOut,
    PurchaseOut,
    ReconciliationOut,
    RefundIn,
    StatementImportIn,
    StatementImportOut,
    StatementOut,
    TransferOut,
)
from shuangjian.ledger.services import lessons, posting, purchases, reconciliation, supervision

router = Router(tags=["escrow"])


def _key(request: HttpRequest, body_key: str | None) -> str:
    header = request.headers.get("Idempotency-Key")
    if header is not None and body_key is not None and header != body_key:
        raise ledger_error(LedgerError.BAD_IDEMPOTENCY_KEY)
    return header if header is not None else body_key or ""


def _transfer(outcome: posting.Outcome) -> dict[str, Any]:
    return {
        "transfer_id": outcome.transfer_id,
        "reference": rules.transfer_reference(outcome.transfer_id),
        "hold_id": outcome.hold_id,
        "replayed": outcome.replayed,
    }


# Purchases


@router.get(
    "/purchases",
    response={200: list[PurchaseOut], **error_responses()},
    summary="The purchases the caller may see: a guardian's children's, an institution's, a region's",
)
@paginate(Pagination)
def purchase_list(request: HttpRequest) -> QuerySet[Purchase]:
    return selectors_pages.purchase_list(actor=actor(request))


@router.post(
    "/purchases",
    response={201: PurchaseCreateOut, **error_responses(400, 404, 409)},
    summary="A guardian buys a course package for their child from a supervised institution (moves money)",
)
def purchase_create(request: HttpRequest, payload: PurchaseCreateIn) -> Status[Purchase]:
    terms = purchases.CourseTerms(
        title=payload.course_title,
        lessons=payload.lessons,  # type: ignore[arg-type]  # checked by the service (ledger.amount_not_integer)
        price_per_lesson_fen=payload.price_per_lesson_fen,  # type: ignore[arg-type]
        months=payload.months,  # type: ignore[arg-type]
    )
    purchase = purchases.purchase_create(
        actor=actor(request), institution_id=payload.institution_id, student_id=payload.student_id, terms=terms,
        idempotency_key=_key(request, payload.idempotency_key),
    )  # fmt: skip
    return Status(201, purchase)


@router.get(
    "/purchases/{purchase_id}",
    response={200: PurchaseGetOut, **error_responses(404)},
    summary="One purchase: lessons consumed, held and refundable, money released and refundable, open holds",
)
def purchase_get(request: HttpRequest, purchase_id: int) -> dict[str, Any]:
    view = selectors_pages.purchase_view(actor=actor(request), purchase_id=purchase_id)
    return {
        "id": view.purchase.pk,
        "purchase": view.purchase,
        "statement": view.statement,
        "open_holds": view.open_holds,
    }


@router.post(
    "/purchases/{purchase_id}/refund",
    response={200: TransferOut, **error_responses(400, 403, 404, 409)},
    summary="Refund unconsumed lessons (or, without `lessons`, everything refundable) to the family (moves money)",
)
def purchase_refund(request: HttpRequest, purchase_id: int, payload: RefundIn) -> dict[str, Any]:
    outcome = purchases.purchase_refund(
        actor=actor(request), purchase_id=purchase_id, lessons=payload.lessons,  # type: ignore[arg-type]
        idempotency_key=_key(request, payload.idempotency_key),
    )  # fmt: skip
    return _transfer(outcome)


# The guardian's confirmation


@router.post(
    "/holds/{hold_id}/confirm",
    response={200: TransferOut, **error_responses(400, 403, 404, 409)},
    summary="The child's guardian confirms a delivered lesson: its price is released to the institution",
)
def hold_confirm(request: HttpRequest, hold_id: int, payload: MoneyMoveIn) -> dict[str, Any]:
    outcome = lessons.lesson_confirm(
        actor=actor(request), hold_id=hold_id, idempotency_key=_key(request, payload.idempotency_key)
    )
    return _transfer(outcome)


@router.post(
    "/holds/{hold_id}/dispute",
    response={200: HoldDisputeOut, **error_responses(400, 403, 404)},
    summary="The child's guardian disputes a delivered lesson: the money stays held, never released automatically",
)
def hold_dispute(request: HttpRequest, hold_id: int) -> Any:
    return lessons.lesson_dispute(actor=actor(request), hold_id=hold_id)


# Institutions: balances, risk margin, coverage


@router.get(
    "/institutions/{institution_id}/funds",
    response={200: FundsOut, **error_responses(404)},
    summary="An institution's supervised, held and released funds and its risk margin",
)
def institution_funds(request: HttpRequest, institution_id: int) -> dict[str, Any]:
    overview = selectors_pages.institution_overview(actor=actor(request), institution_id=institution_id, limit=0)
    return {
        "institution_id": overview.ledger.pk,
        "institution_name": overview.ledger.institution.name,
        "supervised_fen": overview.funds.supervised,
        "held_fen": overview.held,
        "released_fen": overview.funds.released,
        "paid_out_fen": overview.funds.paid_out,
        "risk_margin_fen": overview.funds.risk_margin,
        "frozen": overview.ledger.frozen_at is not None,
    }


@router.post(
    "/institutions/{institution_id}/margin",
    response={200: TransferOut, **error_responses(400, 403, 404, 409)},
    summary="Deposit or top up the institution's risk margin through the custodian bank (moves money)",
)
def margin_deposit(request: HttpRequest, institution_id: int, payload: MarginDepositIn) -> dict[str, Any]:
    outcome = supervision.risk_margin_deposit(
        actor=actor(request), institution_id=institution_id, amount_fen=payload.amount_fen,  # type: ignore[arg-type]
        idempotency_key=_key(request, payload.idempotency_key),
    )  # fmt: skip
    return _transfer(outcome)


@router.get(
    "/coverage",
    response={200: list[CoverageOut], **error_responses()},
    summary="Per supervised institution: prepaid balance owed against supervised funds and risk margin",
)
@paginate(Pagination)
def coverage(request: HttpRequest) -> list[dict[str, Any]]:
    table = selectors_pages.coverage_table(actor=actor(request))
    return [
        {
            "institution_id": row.institution_id,
            "name": row.name,
            "county": row.county,
            "outstanding_fen": row.coverage.outstanding,
            "supervised_fen": row.coverage.supervised,
            "risk_margin_fen": row.coverage.risk_margin,
            "shortfall_fen": row.coverage.shortfall,
            "frozen": row.coverage.frozen,
        }
        for row in table.rows
    ]


# Reconciliation with the custodian bank


@router.get(
    "/statements",
    response={200: list[StatementOut], **error_responses()},
    summary="The bank statements imported for the caller's cities, newest first",
)
@paginate(Pagination)
def statement_list(request: HttpRequest) -> QuerySet[BankStatement]:
    return selectors_reconciliation.statement_list(actor=actor(request))


@router.post(
    "/statements",
    response={200: StatementImportOut, 201: StatementImportOut, **error_responses(400, 403)},
    summary="Import the custodian bank's daily statement (CSV text, docs/BANK_STATEMENT.md); the same file twice "
    "returns the first import (200)",
)
def statement_import(request: HttpRequest, payload: StatementImportIn) -> Status[dict[str, Any]]:
    statement, created = reconciliation.statement_import(
        actor=actor(request), region_code=payload.region_code, statement_date=payload.statement_date,
        content=payload.content.encode("utf-8"), file_name=payload.file_name,
    )  # fmt: skip
    return Status(201 if created else 200, {"statement": statement, "created": created})


@router.get(
    "/statements/{statement_id}",
    response={200: ReconciliationOut, **error_responses(404)},
    summary="A statement's reconciliation: matched and unmatched lines, every difference with its reason",
)
def statement_get(request: HttpRequest, statement_id: int) -> dict[str, Any]:
    found = selectors_reconciliation.statement_get(actor=actor(request), statement_id=statement_id)
    return {
        "statement": found.statement,
        "matched": found.matched,
        "unmatched": found.unmatched,
        "differences": [selectors_reconciliation.difference_out(row) for row in found.differences],
    }


@router.post(
    "/differences/{difference_id}/resolve",
    response={200: DifferenceResolveOut, **error_responses(400, 403, 404)},
    summary="Settle a difference with a note and, where money had to move, the correcting transfer's reference",
)
def difference_resolve(request: HttpRequest, difference_id: int, payload: DifferenceResolveIn) -> dict[str, Any]:
    resolution = reconciliation.difference_resolve(
        actor=actor(request), difference_id=difference_id, note=payload.note,
        correcting_reference=payload.correcting_reference,
    )  # fmt: skip
    transfer_id = resolution.correcting_transfer_id
    return {
        "difference_id": resolution.difference_id,
        "note": resolution.note,
        "correcting_reference": rules.transfer_reference(transfer_id) if transfer_id else None,
        "resolved_at": resolution.resolved_at,
    }
