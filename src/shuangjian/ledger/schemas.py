"""API schemas of /api/v1/escrow. Amounts are integer fen. The amount fields accept any JSON scalar on purpose:
the service refuses a float, a string or a boolean with ledger.amount_not_integer (and zero or less with
ledger.amount_not_positive), so every bad amount gets the ledger's own code, not a generic validation error."""

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import StrictBool, StrictFloat, StrictInt, StrictStr

type AmountIn = StrictInt | StrictFloat | StrictStr | StrictBool
KEY_FIELD = Field(
    None,
    description="The request's idempotency key (8-80 letters, digits, - or _), if not sent as the Idempotency-Key "
    "header. A repeat with the same key returns the first result and moves nothing.",
    examples=["3f2c9a1e-7d4b-4f0e-9a51-0c2d6e8b1f47"],
)


class HoldOut(Schema):
    id: int
    purchase_id: int
    amount_fen: int
    status: str
    delivered_at: datetime = Field(alias="created_at")
    disputed_at: datetime | None


class PurchaseOut(Schema):
    id: int
    institution_id: int
    institution_name: str = Field(alias="institution.name")
    student_id: int
    student_name: str = Field(alias="student.name")
    course_title: str
    lessons: int
    price_per_lesson_fen: int
    months: int
    paid_fen: int
    lessons_held: int
    lessons_consumed: int
    lessons_refunded: int
    frozen: bool
    created_at: datetime


class PurchaseStatementOut(Schema):
    """Where a purchase's money is: paid + compensated = consumed + held + refundable + refunded."""

    paid_fen: int = Field(alias="paid")
    compensated_fen: int = Field(alias="compensated")
    consumed_fen: int = Field(alias="consumed")
    held_fen: int = Field(alias="held")
    refundable_fen: int = Field(alias="refundable")
    refunded_fen: int = Field(alias="refunded")


class PurchaseGetOut(Schema):
    id: int
    purchase: PurchaseOut
    statement: PurchaseStatementOut
    open_holds: list[HoldOut]


class PurchaseCreateIn(Schema):
    institution_id: int
    student_id: int
    course_title: str = Field(max_length=200)
    lessons: AmountIn
    price_per_lesson_fen: AmountIn
    months: AmountIn
    idempotency_key: str | None = KEY_FIELD


class PurchaseCreateOut(PurchaseOut):
    pass


class MoneyMoveIn(Schema):
    idempotency_key: str | None = KEY_FIELD


class RefundIn(Schema):
    lessons: AmountIn | None = Field(None, description="Unconsumed lessons to refund; omitted: everything refundable")
    idempotency_key: str | None = KEY_FIELD


class MarginDepositIn(Schema):
    amount_fen: AmountIn
    idempotency_key: str | None = KEY_FIELD


class TransferOut(Schema):
    """The transfer a request made (or, replayed, the one the first request made)."""

    transfer_id: int
    reference: str
    hold_id: int | None
    replayed: bool


class HoldDisputeOut(Schema):
    id: int
    status: str
    disputed_at: datetime | None


class FundsOut(Schema):
    institution_id: int
    institution_name: str
    supervised_fen: int
    held_fen: int
    released_fen: int = Field(description="Released for confirmed lessons, not yet paid out to the institution")
    paid_out_fen: int = Field(description="Paid out to the institution's own account so far")
    risk_margin_fen: int
    frozen: bool


class CoverageOut(Schema):
    institution_id: int
    name: str
    county: str
    outstanding_fen: int
    supervised_fen: int
    risk_margin_fen: int
    shortfall_fen: int
    frozen: bool


class StatementImportIn(Schema):
    region_code: str = Field(max_length=12, examples=["411400"])
    statement_date: date
    file_name: str = Field("", max_length=200)
    content: str = Field(description="The CSV file's text (docs/BANK_STATEMENT.md)", max_length=4_000_000)


class StatementOut(Schema):
    id: int
    city_code: str = Field(alias="city.code")
    statement_date: date
    digest: str
    file_name: str
    line_count: int
    credit_fen: int
    debit_fen: int
    imported_at: datetime


class StatementImportOut(Schema):
    statement: StatementOut
    created: bool


class StatementLineOut(Schema):
    row_number: int
    bank_reference: str
    value_date: date
    direction: str
    amount_fen: int
    counterparty: str
    our_reference: str
    transfer_id: int | None
    match: str


class DifferenceOut(Schema):
    id: int
    kind: str
    reason: str
    row_number: int | None
    transfer_reference: str | None
    bank_fen: int | None
    ledger_fen: int | None
    resolved: bool
    note: str
    correcting_reference: str | None


class ReconciliationOut(Schema):
    statement: StatementOut
    matched: list[StatementLineOut]
    unmatched: list[StatementLineOut]
    differences: list[DifferenceOut]


class DifferenceResolveIn(Schema):
    note: str = Field(max_length=2000)
    correcting_reference: str = Field("", max_length=40, examples=["SJ0000001234"])


class DifferenceResolveOut(Schema):
    difference_id: int
    note: str
    correcting_reference: str | None
    resolved_at: datetime
