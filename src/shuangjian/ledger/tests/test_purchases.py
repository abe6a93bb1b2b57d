"""Buying a course package and refunding unconsumed lessons."""

from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shuangjian.core.errors import DomainError
from shuangjian.core.models import Guardian
from shuangjian.ledger import audit
from shuangjian.ledger.models import Account, InstitutionLedger, Posting, Purchase, Transfer
from shuangjian.ledger.selectors import InstitutionFunds, institution_funds, purchase_statement
from shuangjian.ledger.services import posting, purchases, supervision
from shuangjian.ledger.tests.builders import balances, buy, counters, deliver, key, terms
from shuangjian.ledger.tests.conftest import LedgerWorld, institution
from shuangjian.training.models import LicenceStatus


def snapshot() -> tuple[int, int, list[tuple[int, int]]]:
    """Purchases, transfers and every balance: what a refusal must leave unchanged."""
    return (
        Purchase.objects.count(),
        Transfer.objects.count(),
        list(Account.objects.order_by("pk").values_list("pk", "balance_fen")),
    )


def test_a_purchase_lands_in_the_supervised_account(world: LedgerWorld, engine: str) -> None:
    # when
    purchase = buy(world, lessons=10, price=12_000, months=3)
    # then
    assert (purchase.paid_fen, purchase.lessons, purchase.course_title) == (120_000, 10, "少儿篮球")
    assert balances(purchase) == (120_000, 0, 0)
    assert institution_funds(world.institution.pk) == InstitutionFunds(120_000, 0, 0, 0)
    statement = purchase_statement(purchase)
    assert (statement.paid, statement.refundable, statement.consumed, statement.refunded) == (120_000, 120_000, 0, 0)
    assert audit.ledger_verify() == []


@pytest.mark.parametrize(
    ("_case", "changes", "code", "details"),
    [
        ("four months", {"months": 4}, "ledger.over_months", {"limit": "3", "value": "4"}),
        ("61 class hours", {"lessons": 61, "price": 100}, "ledger.over_class_hours", {"limit": "60", "value": "61"}),
        ("one fen over 5,000 yuan", {"lessons": 50, "price": 10_001}, "ledger.over_amount",
         {"limit": "500000", "value": "500050"}),
        ("a price in yuan with decimals", {"price": 12.5}, "ledger.amount_not_integer",
         {"field": "课时单价（分）", "value": "12.5"}),
        ("no lessons", {"lessons": 0}, "ledger.amount_not_positive", {"field": "课时数", "value": "0"}),
        ("a negative price", {"price": -100}, "ledger.amount_not_positive",
         {"field": "课时单价（分）", "value": "-100"}),
        ("no title", {"title": "  "}, "ledger.bad_terms", {"max": "100"}),
    ],
)  # fmt: skip
def test_a_purchase_over_the_limits_is_refused_and_moves_nothing(
    world: LedgerWorld, engine: str, _case: str, changes: dict[str, Any], code: str, details: dict[str, str]
) -> None:
    # given
    before = snapshot()
    # when
    with pytest.raises(DomainError) as refused:
        buy(world, **changes)
    # then
    assert (refused.value.code, refused.value.details) == (code, details)
    assert snapshot() == before


def test_at_the_limits_a_purchase_is_accepted(world: LedgerWorld) -> None:
    purchase = buy(world, lessons=50, price=10_000, months=3)
    assert purchase.paid_fen == 500_000


def test_only_the_childs_guardian_buys_for_the_child(world: LedgerWorld) -> None:
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        buy(world, parent=world.other_parent, child=world.child)
    assert (refused.value.code, refused.value.status) == ("core.not_found", 404)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("_case", "code"),
    [("licence suspended", "ledger.licence_not_approved"), ("institution frozen", "ledger.institution_frozen")],
)
def test_an_institution_that_may_not_collect_is_refused(world: LedgerWorld, _case: str, code: str) -> None:
    # given
    if code == "ledger.institution_frozen":
        supervision.institution_freeze(actor=world.county_bureau, institution_id=world.institution.pk, reason="停业")
    else:
        world.institution.licence_status = LicenceStatus.SUSPENDED
        world.institution.save(update_fields=["licence_status"])
    before = snapshot()
    # when
    with pytest.raises(DomainError) as refused:
        buy(world)
    # then
    assert refused.value.code == code
    assert snapshot() == before


def test_an_institution_outside_supervision_is_refused(world: LedgerWorld) -> None:
    outside = institution(world.institution.county, "未纳入监管", "91411402MA00000033")
    with pytest.raises(DomainError) as refused:
        purchases.purchase_create(
            actor=world.parent, institution_id=outside.pk, student_id=world.child.pk, terms=terms(),
            idempotency_key=key(),
        )  # fmt: skip
    assert refused.value.code == "ledger.not_supervised"


def test_repeating_a_purchase_returns_the_first_and_charges_once(world: LedgerWorld, engine: str) -> None:
    # given
    request_key = key()
    first = buy(world, request_key=request_key)
    before = snapshot()
    # when
    again = buy(world, request_key=request_key)
    # then
    assert again.pk == first.pk
    assert snapshot() == before
    # and the same key for another request is a conflict
    with pytest.raises(DomainError) as conflict:
        buy(world, request_key=request_key, lessons=11)
    assert (conflict.value.code, conflict.value.status) == ("ledger.idempotency_conflict", 409)
    assert snapshot() == before


@pytest.mark.parametrize("bad_key", ["", "short", "有中文的幂等键有中文的幂等键", "x" * 81, None])
def test_a_request_without_a_proper_key_is_refused(world: LedgerWorld, bad_key: object) -> None:
    with pytest.raises(DomainError) as refused:
        purchases.purchase_create(
            actor=world.parent, institution_id=world.institution.pk, student_id=world.child.pk, terms=terms(),
            idempotency_key=bad_key,  # type: ignore[arg-type]
        )  # fmt: skip
    assert refused.value.code == "ledger.bad_idempotency_key"
    assert Transfer.objects.count() == 0


def test_unconsumed_lessons_are_refunded(world: LedgerWorld, engine: str) -> None:
    # given: 10 lessons at 100 yuan, one delivered and awaiting confirmation
    purchase = buy(world, lessons=10, price=10_000)
    deliver(world, purchase)
    # when: three lessons refunded, then everything left
    purchases.purchase_refund(actor=world.parent, purchase_id=purchase.pk, lessons=3, idempotency_key=key())
    purchases.purchase_refund(actor=world.operator, purchase_id=purchase.pk, idempotency_key=key())
    # then: only the held lesson remains
    assert balances(purchase) == (0, 10_000, 0)
    assert counters(purchase) == (1, 0, 9)
    statement = purchase_statement(purchase)
    assert (statement.refunded, statement.held, statement.refundable) == (90_000, 10_000, 0)
    assert audit.ledger_verify() == []


@pytest.mark.parametrize(
    ("_case", "refund_lessons", "code"),
    [("more lessons than remain", 10, "ledger.beyond_lessons"), ("a fraction", 1.5, "ledger.amount_not_integer"),
     ("zero", 0, "ledger.amount_not_positive")],
)  # fmt: skip
def test_a_refund_beyond_what_remains_is_refused(
    world: LedgerWorld, engine: str, _case: str, refund_lessons: object, code: str
) -> None:
    # given: one of 10 lessons awaits confirmation
    purchase = buy(world, lessons=10, price=10_000)
    deliver(world, purchase)
    before = snapshot()
    # when
    with pytest.raises(DomainError) as refused:
        purchases.purchase_refund(
            actor=world.parent,
            purchase_id=purchase.pk,
            lessons=refund_lessons,  # type: ignore[arg-type]
            idempotency_key=key(),
        )
    # then
    assert refused.value.code == code
    assert snapshot() == before
    assert counters(purchase) == (1, 0, 0)


def test_nothing_left_to_refund_is_refused_but_a_replay_returns_the_refund(world: LedgerWorld, engine: str) -> None:
    purchase = buy(world, lessons=2, price=10_000)
    refund_key = key()
    first = purchases.purchase_refund(actor=world.parent, purchase_id=purchase.pk, idempotency_key=refund_key)
    again = purchases.purchase_refund(actor=world.parent, purchase_id=purchase.pk, idempotency_key=refund_key)
    assert (again.transfer_id, again.replayed) == (first.transfer_id, True)
    with pytest.raises(DomainError) as refused:
        purchases.purchase_refund(actor=world.parent, purchase_id=purchase.pk, idempotency_key=key())
    assert refused.value.code == "ledger.nothing_to_refund"
    assert balances(purchase) == (0, 0, 0)


def test_another_family_cannot_refund(world: LedgerWorld) -> None:
    purchase = buy(world)
    with pytest.raises(DomainError) as refused:
        purchases.purchase_refund(actor=world.other_parent, purchase_id=purchase.pk, idempotency_key=key())
    assert refused.value.code == "core.not_found"
    with pytest.raises(DomainError) as other_institution:
        purchases.purchase_refund(actor=world.other_operator, purchase_id=purchase.pk, idempotency_key=key())
    assert other_institution.value.code == "core.not_found"
    assert balances(purchase) == (100_000, 0, 0)


# The purchase in one call on PostgreSQL (ledger_purchase, migration 0004) and its Python twin (docs/adr/0011)

_PURCHASE_COLUMNS = (
    "institution_id", "student_id", "guardian_id", "course_title", "lessons", "price_per_lesson_fen", "months",
    "paid_fen", "lessons_held", "lessons_consumed", "lessons_refunded", "frozen", "created_at", "created_by_id",
)  # fmt: skip


def written(purchase: Purchase) -> tuple[object, ...]:
    """What a purchase wrote, without the ids: its row, its accounts, its transfer and the transfer's legs."""
    row = Purchase.objects.values(*_PURCHASE_COLUMNS).get(pk=purchase.pk)
    assert {name: getattr(purchase, name) for name in _PURCHASE_COLUMNS} == row  # the instance returned is the row
    accounts = [
        Account.objects.values_list("kind", "institution_id", "balance_fen", "posting_count").get(pk=pk)
        for pk in (purchase.prepaid_account_id, purchase.held_account_id, purchase.released_account_id)
    ]
    transfer = Transfer.objects.values_list("kind", "request_digest", "memo", "actor_id", "created_at").get(
        purchase=purchase
    )
    legs = sorted(Posting.objects.filter(transfer__purchase=purchase).values_list("account__kind", "amount_fen"))
    return (row, accounts, transfer, legs)


@pytest.mark.requires_postgres
def test_the_purchase_function_and_its_python_twin_write_the_same(world: LedgerWorld) -> None:
    # when: the same request (another key) through each path
    via_function = buy(world, lessons=10, price=12_000, months=3)
    with posting.python_twin():
        via_twin = buy(world, lessons=10, price=12_000, months=3)
    # then
    assert written(via_function) == written(via_twin)
    assert via_function.prepaid_account_id < via_function.held_account_id < via_function.released_account_id
    assert InstitutionLedger.objects.get(pk=world.institution.pk).purchase_count == 2
    assert audit.ledger_verify() == []


@pytest.mark.requires_postgres
def test_on_postgres_a_purchase_takes_three_round_trips(world: LedgerWorld) -> None:
    """The guardian check, the institution and its policy, and the ledger_purchase call (the savepoint only because
    the test holds a transaction open)."""
    buy(world)  # the policy profile is cached after the first purchase
    with CaptureQueriesContext(connection) as queries:
        buy(world)
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 3
    assert "ledger_purchase(" in statements[2]


def test_a_repeated_purchase_returns_the_first_even_after_the_institution_froze(
    world: LedgerWorld, engine: str
) -> None:
    # given
    request_key = key()
    first = buy(world, request_key=request_key)
    supervision.institution_freeze(actor=world.county_bureau, institution_id=world.institution.pk, reason="停业")
    before = snapshot()
    # when
    again = buy(world, request_key=request_key)
    # then: the first purchase, nothing moved; a new request is refused, and another under the key conflicts
    assert again.pk == first.pk
    assert snapshot() == before
    with pytest.raises(DomainError) as refused:
        buy(world)
    assert refused.value.code == "ledger.institution_frozen"
    with pytest.raises(DomainError) as conflict:
        buy(world, request_key=request_key, lessons=11)
    assert conflict.value.code == "ledger.idempotency_conflict"
    assert snapshot() == before


def _write(engine: str, world: LedgerWorld, ledger: InstitutionLedger, **changes: Any) -> Purchase:
    """The write step alone, as after the checks passed (the checks would refuse these cases earlier)."""
    writer = purchases._purchase_function if engine == "function" else purchases._purchase_write
    bought = terms(**changes)
    guardian_id = Guardian.objects.get(user=world.parent).pk
    return writer(
        purchases._Order(
            world.parent, ledger.pk, world.child.pk, guardian_id, bought, bought.title, key(), "d" * 64, timezone.now()
        )
    )


def test_a_freeze_after_the_checks_refuses_the_write_and_moves_nothing(world: LedgerWorld, engine: str) -> None:
    # given: the institution was read open, then frozen before the write
    ledger = InstitutionLedger.objects.get(pk=world.institution.pk)
    supervision.institution_freeze(actor=world.county_bureau, institution_id=world.institution.pk, reason="停业")
    before = snapshot()
    # when
    with pytest.raises(DomainError) as refused:
        _write(engine, world, ledger)
    # then
    assert refused.value.code == "ledger.institution_frozen"
    assert snapshot() == before


@pytest.mark.parametrize(("_case", "changes"), [("no lessons", {"lessons": 0}), ("a zero price", {"price": 0})])
def test_the_database_refuses_terms_the_checks_would_have_refused(
    world: LedgerWorld, engine: str, _case: str, changes: dict[str, Any]
) -> None:
    ledger = InstitutionLedger.objects.get(pk=world.institution.pk)
    before = snapshot()
    with pytest.raises(IntegrityError, match="ledger_purchase_terms"):
        _write(engine, world, ledger, **changes)
    assert snapshot() == before
