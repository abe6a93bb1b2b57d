"""Hypothesis stateful test: any sequence of purchases, deliveries, confirmations, disputes, voids, refunds, margin
deposits, payouts to the institution, a closure, margin draws and replayed requests leaves the ledger sound
(audit.ledger_verify: postings sum to zero overall and per transfer, balances equal their postings, hash chains
intact, nothing negative, every purchase's paid + compensated = consumed + held + refundable + refunded); a refusal
moves nothing; a replay returns the first result and moves nothing. Run once per posting path (the PL/pgSQL
function and its Python twin)."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from shuangjian.core.errors import DomainError
from shuangjian.ledger import audit
from shuangjian.ledger.models import Account, Hold, Purchase, Transfer
from shuangjian.ledger.services import lessons, posting, purchases, supervision
from shuangjian.ledger.services.payouts import payouts_run
from shuangjian.ledger.tests.builders import key, terms
from shuangjian.ledger.tests.conftest import LedgerWorld

# Modest on purpose: each step hits the database; the whole test stays at a few seconds per posting path.
LEDGER_SETTINGS = settings(max_examples=12, stateful_step_count=20, deadline=None)


def snapshot() -> tuple[int, list[tuple[int, int]], list[tuple[int, str]]]:
    return (
        Transfer.objects.count(),
        list(Account.objects.order_by("pk").values_list("pk", "balance_fen")),
        list(Hold.objects.order_by("pk").values_list("pk", "status")),
    )


def make_machine(world: LedgerWorld) -> Any:
    families = [(world.parent, world.child), (world.other_parent, world.classmate)]

    class LedgerMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.savepoint = transaction.savepoint_create()
            if connection.vendor == "postgresql":  # the deferred legs-balance trigger checks every statement
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.purchases: list[Purchase] = []
            self.holds: list[int] = []
            self.done: list[tuple[Callable[[], Any], Any]] = []
            self.frozen = False
            self.payout_days = 0

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)

        def attempt(self, call: Callable[[], Any]) -> Any:
            """Run a request: it succeeds (and is remembered for replays) or is refused with nothing moved."""
            before = snapshot()
            try:
                result = call()
            except DomainError as refusal:
                assert refusal.code.startswith(("ledger.", "core.")), refusal.code
                assert snapshot() == before
                return None
            self.done.append((call, result))
            return result

        @rule(family=st.sampled_from(families), lessons=st.integers(1, 8), price=st.integers(1, 60_000))
        def buy(self, family: tuple[Any, Any], lessons: int, price: int) -> None:
            parent, child = family
            request = {
                "actor": parent, "institution_id": world.institution.pk, "student_id": child.pk,
                "terms": terms(lessons=lessons, price=price), "idempotency_key": key(),
            }  # fmt: skip
            purchase = self.attempt(lambda: purchases.purchase_create(**request))
            if purchase is not None:
                self.purchases.append(purchase)

        @precondition(lambda self: bool(self.purchases))
        @rule(index=st.integers(0, 99))
        def deliver(self, index: int) -> None:
            purchase, request_key = self.purchases[index % len(self.purchases)], key()
            outcome = self.attempt(
                lambda: lessons.lesson_deliver(
                    actor=world.operator, purchase_id=purchase.pk, idempotency_key=request_key
                )
            )
            if outcome is not None:
                self.holds.append(outcome.hold_id)

        def parent_of(self, hold_id: int) -> Any:
            return (
                world.parent
                if Hold.objects.get(pk=hold_id).purchase.student_id == world.child.pk
                else world.other_parent
            )

        @precondition(lambda self: bool(self.holds))
        @rule(index=st.integers(0, 99))
        def confirm(self, index: int) -> None:
            hold_id, request_key = self.holds[index % len(self.holds)], key()
            parent = self.parent_of(hold_id)
            self.attempt(lambda: lessons.lesson_confirm(actor=parent, hold_id=hold_id, idempotency_key=request_key))

        @precondition(lambda self: bool(self.holds))
        @rule(index=st.integers(0, 99))
        def dispute(self, index: int) -> None:
            hold_id = self.holds[index % len(self.holds)]
            parent = self.parent_of(hold_id)
            self.attempt(lambda: lessons.lesson_dispute(actor=parent, hold_id=hold_id))

        @precondition(lambda self: bool(self.holds))
        @rule(index=st.integers(0, 99), by_bureau=st.booleans())
        def void(self, index: int, by_bureau: bool) -> None:
            hold_id, request_key = self.holds[index % len(self.holds)], key()
            actor = world.county_bureau if by_bureau else world.operator
            self.attempt(lambda: lessons.hold_void(actor=actor, hold_id=hold_id, idempotency_key=request_key))

        @precondition(lambda self: bool(self.purchases))
        @rule(index=st.integers(0, 99), count=st.none() | st.integers(1, 4))
        def refund(self, index: int, count: int | None) -> None:
            purchase, request_key = self.purchases[index % len(self.purchases)], key()
            self.attempt(
                lambda: purchases.purchase_refund(
                    actor=world.county_bureau, purchase_id=purchase.pk, lessons=count, idempotency_key=request_key
                )
            )

        @rule(amount=st.integers(1, 100_000))
        def deposit(self, amount: int) -> None:
            request_key = key()
            self.attempt(
                lambda: supervision.risk_margin_deposit(
                    actor=world.operator,
                    institution_id=world.institution.pk,
                    amount_fen=amount,
                    idempotency_key=request_key,
                )
            )

        @rule()
        def pay_out(self) -> None:
            """The daily payout (a later day each time: one payout per institution and day)."""
            self.payout_days += 1
            payouts_run(today=date(2026, 9, 7) + timedelta(days=self.payout_days))

        @precondition(lambda self: not self.frozen and len(self.purchases) >= 2)
        @rule()
        def freeze(self) -> None:
            supervision.institution_freeze(
                actor=world.county_bureau, institution_id=world.institution.pk, reason="停业"
            )
            self.frozen = True

        @precondition(lambda self: self.frozen)
        @rule(data=st.data())
        def draw(self, data: st.DataObject) -> None:
            chosen = data.draw(
                st.lists(st.sampled_from(self.purchases), min_size=1, max_size=3, unique_by=lambda p: p.pk)
            )
            claims = {p.pk: data.draw(st.integers(1, 50_000)) for p in chosen}
            request_key = key()
            self.attempt(
                lambda: supervision.risk_margin_draw(
                    actor=world.county_bureau,
                    institution_id=world.institution.pk,
                    claims=claims,
                    idempotency_key=request_key,
                )
            )

        @precondition(lambda self: bool(self.done))
        @rule(index=st.integers(0, 99))
        def replay(self, index: int) -> None:
            call, first = self.done[index % len(self.done)]
            before = snapshot()
            if isinstance(first, posting.Outcome):
                again = call()
                assert (again.transfer_id, again.hold_id) == (first.transfer_id, first.hold_id)
                assert snapshot() == before
            elif isinstance(first, Purchase):
                assert call().pk == first.pk
                assert snapshot() == before

        @invariant()
        def sound(self) -> None:
            assert audit.ledger_verify() == []

    return LedgerMachine


def test_any_sequence_of_operations_keeps_the_ledger_sound(world: LedgerWorld, engine: str) -> None:
    run_state_machine_as_test(make_machine(world), settings=LEDGER_SETTINGS)
    # and every example was rolled back, leaving the world as it was
    assert Transfer.objects.count() == 0


@pytest.mark.parametrize("_case", ["sanity"])
def test_the_machine_reaches_every_flow(world: LedgerWorld, _case: str) -> None:
    """A fixed walk through the rules the generator also uses: the machine is not vacuous."""
    machine = make_machine(world)()
    try:
        machine.buy((world.parent, world.child), 4, 10_000)
        machine.buy((world.other_parent, world.classmate), 2, 5_000)
        machine.deliver(0)
        machine.deliver(0)
        machine.confirm(0)
        machine.pay_out()
        machine.dispute(1)
        machine.refund(1, 1)
        machine.deposit(300)
        machine.freeze()
        machine.void(1, True)
        machine.replay(0)
        machine.sound()
        assert Transfer.objects.count() == 9
        assert [h.status for h in Hold.objects.order_by("pk")] == ["released", "voided"]
    finally:
        machine.teardown()
