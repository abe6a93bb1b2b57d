"""Builders for ledger tests: money moves through the services, as users would move it."""

from typing import Any
from uuid import uuid4

from shuangjian.core.models import Student, User
from shuangjian.ledger.models import Account, Hold, Purchase
from shuangjian.ledger.services import lessons, posting, purchases
from shuangjian.ledger.tests.conftest import LedgerWorld


def key() -> str:
    return uuid4().hex


def terms(lessons: int = 10, price: int = 10_000, months: int = 3, title: str = "少儿篮球") -> purchases.CourseTerms:
    return purchases.CourseTerms(title=title, lessons=lessons, price_per_lesson_fen=price, months=months)


def buy(
    world: LedgerWorld,
    *,
    parent: User | None = None,
    child: Student | None = None,
    request_key: str | None = None,
    **term_changes: Any,
) -> Purchase:
    """The guardian buys a package for the child from the world's institution (under a new key unless given)."""
    return purchases.purchase_create(
        actor=parent or world.parent, institution_id=world.institution.pk, student_id=(child or world.child).pk,
        terms=terms(**term_changes), idempotency_key=request_key or key(),
    )  # fmt: skip


def deliver(world: LedgerWorld, purchase: Purchase) -> Hold:
    outcome = lessons.lesson_deliver(actor=world.operator, purchase_id=purchase.pk, idempotency_key=key())
    assert outcome.hold_id is not None
    return Hold.objects.get(pk=outcome.hold_id)


def confirm(world: LedgerWorld, hold: Hold, parent: User | None = None) -> posting.Outcome:
    return lessons.lesson_confirm(actor=parent or world.parent, hold_id=hold.pk, idempotency_key=key())


def balances(purchase: Purchase) -> tuple[int, int, int]:
    """(prepaid, held, released) in fen."""
    rows = dict(
        Account.objects.filter(
            pk__in=[purchase.prepaid_account_id, purchase.held_account_id, purchase.released_account_id]
        ).values_list("pk", "balance_fen")
    )
    return rows[purchase.prepaid_account_id], rows[purchase.held_account_id], rows[purchase.released_account_id]


def counters(purchase: Purchase) -> tuple[int, int, int]:
    """(held, consumed, refunded) lessons."""
    purchase.refresh_from_db()
    return purchase.lessons_held, purchase.lessons_consumed, purchase.lessons_refunded
