"""The one place money moves: `post(command)` writes a transfer, its postings, the lesson counters of the purchase
and the hold it opens or settles, all or nothing (docs/adr/0003).

On PostgreSQL that is one statement, `SELECT ... FROM ledger_post(...)` (PL/pgSQL, migrations 0002 and 0006):
one round trip, atomic by itself, or part of the caller's transaction when there is one. Elsewhere (SQLite) and
when a test asks for it (`python_twin()`), the same steps run as ORM statements in one transaction, taking the same
row locks in the same order. Both paths store the idempotency key on the transfer row, so a repeat returns the first
result; both leave the limits to the database's CHECK constraints, which refuse a write that would overdraw.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q

from shuangjian.core.errors import DomainError
from shuangjian.ledger import rules
from shuangjian.ledger.errors import MESSAGES, IdempotencyConflict, LedgerError, ledger_error
from shuangjian.ledger.lock_objects import accounts_for_update
from shuangjian.ledger.models import Account, Hold, Posting, Purchase, Transfer
from shuangjian.ledger.services.common import fetch_one

_TWIN_ONLY: ContextVar[bool] = ContextVar("ledger_twin_only", default=False)

# A CHECK or UNIQUE constraint that refused the write -> the error the user sees.
_CONSTRAINT_ERRORS = {
    "ledger_account_balance_floor": LedgerError.INSUFFICIENT_BALANCE,
    "ledger_purchase_lessons": LedgerError.BEYOND_LESSONS,
    "reverses": LedgerError.ALREADY_REVERSED,
}

# ledger_post's arguments, in order, with their SQL types.
ARGUMENT_TYPES = (
    "text", "text", "text", "bigint", "timestamptz", "bigint[]", "bigint[]", "bigint", "integer", "integer",
    "integer", "boolean", "bigint", "text[]", "text", "bigint", "bigint", "text",
)  # fmt: skip
_PLACEHOLDERS = ", ".join(f"%s::{sql_type}" for sql_type in ARGUMENT_TYPES)
_SQL = f"SELECT transfer_id, hold_id, replayed FROM ledger_post({_PLACEHOLDERS})"  # noqa: S608 (no input)


@dataclass(frozen=True, slots=True)
class Command:
    """One movement of money. `legs` are (account id, signed fen); the lesson deltas apply to `purchase_id`;
    `hold_id` moves from one of `hold_from` to `hold_to`; `new_hold_fen` > 0 opens a hold on the purchase.
    `details` fill the placeholders of a refusal's message."""

    key: str
    digest: str
    kind: str
    now: datetime
    legs: tuple[tuple[int, int], ...]
    actor_id: int | None = None
    purchase_id: int | None = None
    held: int = 0
    consumed: int = 0
    refunded: int = 0
    require_open: bool = False
    hold_id: int | None = None
    hold_from: tuple[str, ...] = ()
    hold_to: str = ""
    new_hold_fen: int = 0
    reverses_id: int | None = None
    memo: str = ""
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Outcome:
    transfer_id: int
    hold_id: int | None
    replayed: bool


@contextmanager
def python_twin() -> Iterator[None]:
    """Run the Python twin even on PostgreSQL (tests hold both paths to the same invariants)."""
    token = _TWIN_ONLY.set(True)
    try:
        yield
    finally:
        _TWIN_ONLY.reset(token)


def uses_function() -> bool:
    return connection.vendor == "postgresql" and not _TWIN_ONLY.get()


def post(command: Command) -> Outcome:
    require_balanced(command)
    with refusals(command.key, lambda: command.details):
        return _post_function(command) if uses_function() else _post_python(command)


def post_counting_refusals(command: Command, refused: dict[str, int]) -> Outcome | None:
    """`post` for a system job that goes on after a refusal (automatic confirmation, payout): the refusal is counted
    in `refused` by its code, and None returned."""
    try:
        return post(command)
    except DomainError as refusal:
        refused[refusal.code] = refused.get(refusal.code, 0) + 1
        return None


def require_balanced(command: Command) -> None:
    """Checked before any write (the database checks again: the posting trigger of migration 0005)."""
    if not rules.legs_balanced(command.legs):
        raise ledger_error(LedgerError.UNBALANCED)


@contextmanager
def refusals(key: str, details: Callable[[], Mapping[str, object]]) -> Iterator[None]:
    """A refusal by the database inside the block (a ledger code raised by a function, or a CHECK or UNIQUE
    constraint) becomes the error the user sees, its message filled with `details()`; anything else propagates."""
    try:
        yield
    except DatabaseError as exc:
        refusal = _refusal_of(exc, key, details)
        if refusal is None:
            raise
        raise refusal from exc


def _message(exc: DatabaseError) -> str:
    diag = getattr(exc.__cause__, "diag", None)
    return (getattr(diag, "message_primary", None) or str(exc)) if diag is not None else str(exc)


def _refusal_of(exc: DatabaseError, key: str, details: Callable[[], Mapping[str, object]]) -> DomainError | None:
    message = _message(exc)
    code = message.split()[0] if message else ""
    if code in MESSAGES:
        if code == LedgerError.IDEMPOTENCY_CONFLICT:
            return IdempotencyConflict(key)
        return ledger_error(code, **details())
    if isinstance(exc, IntegrityError):
        diag = getattr(exc.__cause__, "diag", None)
        text = " ".join(filter(None, [getattr(diag, "constraint_name", None), str(exc)]))
        for name, error in _CONSTRAINT_ERRORS.items():
            if name in text:
                return ledger_error(error, **details())
    return None


def arguments(c: Command) -> list[Any]:
    accounts = [account for account, _amount in c.legs]
    amounts = [amount for _account, amount in c.legs]
    return [
        c.key, c.digest, c.kind, c.actor_id, c.now, accounts, amounts, c.purchase_id, c.held, c.consumed,
        c.refunded, c.require_open, c.hold_id, list(c.hold_from), c.hold_to, c.new_hold_fen, c.reverses_id, c.memo,
    ]  # fmt: skip


def _post_function(c: Command) -> Outcome:
    return Outcome(*call_function(_SQL, arguments(c)))


def call_function(sql: str, params: list[Any]) -> Any:
    """Run one statement calling a ledger function; its first row (or None)."""
    if connection.in_atomic_block:  # a refused statement must not abort the caller's transaction: a savepoint
        with transaction.atomic():
            return fetch_one(sql, params)
    return fetch_one(sql, params)  # autocommit: the one statement is the transaction


@dataclass(frozen=True, slots=True)
class PurchaseCommand:
    """A family's purchase as `ledger_purchase` (migration 0004) takes it: the rows it creates and the payment it
    posts from the bank's clearing account to the new prepaid account (services.purchases checked the terms)."""

    key: str
    digest: str
    now: datetime
    actor_id: int
    institution_id: int
    student_id: int
    guardian_id: int
    title: str
    lessons: int
    price_per_lesson_fen: int
    months: int


@dataclass(frozen=True, slots=True)
class PurchaseOutcome:
    """The purchase's transfer and rows; on a replay only the first transfer and its purchase."""

    transfer_id: int
    purchase_id: int
    account_ids: tuple[int, int, int] | None  # prepaid, held, released
    replayed: bool


class PurchaseRaced(Exception):
    """The same purchase request committed first, concurrently: nothing of this one was kept."""


_PURCHASE_SQL = (
    "SELECT transfer_id, purchase_id, prepaid_id, held_id, released_id, replayed FROM ledger_purchase("
    "%s::text, %s::text, %s::bigint, %s::timestamptz, %s::bigint, %s::bigint, %s::bigint, %s::text, %s::integer, "
    "%s::bigint, %s::integer)"
)
_PURCHASE_RACED = "ledger.purchase_replayed"


def purchase(c: PurchaseCommand) -> PurchaseOutcome:
    """PostgreSQL only (`uses_function()`): the whole purchase in one statement, atomic by itself, or in a savepoint
    of the caller's transaction. The Python twin is services.purchases._purchase_write."""
    params: list[Any] = [
        c.key, c.digest, c.actor_id, c.now, c.institution_id, c.student_id, c.guardian_id, c.title, c.lessons,
        c.price_per_lesson_fen, c.months,
    ]  # fmt: skip
    # A purchase is durable: inside a transaction, the same refusal as the twin's atomic(durable=True).
    durable = transaction.atomic(durable=True) if connection.in_atomic_block else nullcontext()
    with refusals(c.key, dict):
        try:
            with durable:
                row = fetch_one(_PURCHASE_SQL, params)
        except DatabaseError as exc:
            if _message(exc).startswith(_PURCHASE_RACED):
                raise PurchaseRaced from exc
            raise
    transfer_id, purchase_id, prepaid, held, released, replayed = row
    accounts = None if replayed else (prepaid, held, released)
    return PurchaseOutcome(transfer_id, purchase_id, accounts, replayed)


def first_outcome(key: str, digest: str) -> Outcome | None:
    """The result of the request that first used `key`, or None; a different request under the key conflicts."""
    first = Transfer.objects.filter(idempotency_key=key).only("pk", "request_digest").first()
    if first is None:
        return None
    if first.request_digest != digest:
        raise IdempotencyConflict(key)
    hold_id = (
        Hold.objects.filter(Q(hold_transfer_id=first.pk) | Q(settle_transfer_id=first.pk))
        .values_list("pk", flat=True)
        .first()
    )
    return Outcome(first.pk, hold_id, True)


def _post_python(c: Command) -> Outcome:
    with transaction.atomic():
        replay = first_outcome(c.key, c.digest)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                transfer = Transfer.objects.create(
                    kind=c.kind, idempotency_key=c.key, request_digest=c.digest, purchase_id=c.purchase_id,
                    reverses_id=c.reverses_id, memo=c.memo, actor_id=c.actor_id, created_at=c.now,
                )  # fmt: skip
        except IntegrityError:
            replay = first_outcome(c.key, c.digest)
            if replay is None:  # not the key: another unique rule (a second reversal)
                raise
            return replay
        hold_id = _settle_hold(c, transfer)
        _move_lessons(c)
        hold_id = _open_hold(c, transfer) or hold_id
        _write_postings(c, transfer)
    return Outcome(transfer.pk, hold_id, False)


def _move_lessons(c: Command) -> None:
    if c.purchase_id is None or not (c.held or c.consumed or c.refunded or c.require_open):
        return
    purchases = Purchase.objects.filter(pk=c.purchase_id)
    if c.require_open:
        purchases = purchases.filter(frozen=False)
    changed = purchases.update(
        lessons_held=F("lessons_held") + c.held,
        lessons_consumed=F("lessons_consumed") + c.consumed,
        lessons_refunded=F("lessons_refunded") + c.refunded,
    )
    if not changed:
        raise ledger_error(LedgerError.INSTITUTION_FROZEN)


def _settle_hold(c: Command, transfer: Transfer) -> int | None:
    if c.hold_id is None:
        return None
    changed = Hold.objects.filter(pk=c.hold_id, status__in=c.hold_from).update(
        status=c.hold_to, settle_transfer=transfer, settled_at=c.now
    )
    if not changed:
        raise ledger_error(LedgerError.HOLD_SETTLED)
    return c.hold_id


def _open_hold(c: Command, transfer: Transfer) -> int | None:
    if not c.new_hold_fen or c.purchase_id is None:
        return None
    hold = Hold.objects.create(
        purchase_id=c.purchase_id, amount_fen=c.new_hold_fen, hold_transfer=transfer, created_at=c.now
    )
    return hold.pk


def _write_postings(c: Command, transfer: Transfer) -> None:
    amounts = dict(c.legs)
    postings = []
    for account in accounts_for_update(amounts):
        amount = amounts[account.pk]
        seq = account.posting_count + 1
        digest = rules.posting_hash(account.head_hash, account.pk, seq, transfer.pk, c.kind, amount)
        Account.objects.filter(pk=account.pk).update(
            balance_fen=F("balance_fen") + amount, posting_count=seq, head_hash=digest
        )
        postings.append(
            Posting(
                transfer=transfer,
                account_id=account.pk,
                amount_fen=amount,
                seq=seq,
                balance_after_fen=account.balance_fen + amount,
                hash=digest,
            )
        )
    if len(postings) != len(amounts):
        raise ledger_error(LedgerError.UNBALANCED)
    Posting.objects.bulk_create(postings)
