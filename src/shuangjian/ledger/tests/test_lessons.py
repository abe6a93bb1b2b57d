"""Lesson by lesson: a delivered lesson is held, the guardian confirms (released) or disputes, a claim is voided."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuangjian.core import access
from shuangjian.core.errors import DomainError
from shuangjian.ledger import audit
from shuangjian.ledger.models import Hold, HoldStatus, Transfer
from shuangjian.ledger.services import lessons, posting, posting_checked, purchases, supervision
from shuangjian.ledger.tests.builders import balances, buy, confirm, counters, deliver, key
from shuangjian.ledger.tests.conftest import LedgerWorld


def test_a_confirmed_lesson_releases_its_price_to_the_institution(world: LedgerWorld, engine: str) -> None:
    # given
    purchase = buy(world, lessons=10, price=10_000)
    # when: a lesson is delivered
    hold = deliver(world, purchase)
    # then: its price is held, not released
    assert (hold.status, hold.amount_fen) == (HoldStatus.PENDING, 10_000)
    assert balances(purchase) == (90_000, 10_000, 0)
    assert counters(purchase) == (1, 0, 0)
    # when: the guardian confirms
    confirm(world, hold)
    # then
    hold.refresh_from_db()
    assert hold.status == HoldStatus.RELEASED
    assert balances(purchase) == (90_000, 0, 10_000)
    assert counters(purchase) == (0, 1, 0)
    assert audit.ledger_verify() == []


def test_only_the_purchases_guardian_confirms(world: LedgerWorld, engine: str) -> None:
    # given
    purchase = buy(world)
    hold = deliver(world, purchase)
    # when / then: the institution sees the hold but is not the guardian
    with pytest.raises(DomainError) as institution:
        lessons.lesson_confirm(actor=world.operator, hold_id=hold.pk, idempotency_key=key())
    assert (institution.value.code, institution.value.status) == ("ledger.not_purchase_guardian", 403)
    # another family does not even see it
    with pytest.raises(DomainError) as stranger:
        lessons.lesson_confirm(actor=world.other_parent, hold_id=hold.pk, idempotency_key=key())
    assert stranger.value.code == "core.not_found"
    # nothing moved
    assert balances(purchase) == (90_000, 10_000, 0)
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.PENDING


def test_a_disputed_lesson_stays_held_until_confirmed_or_voided(world: LedgerWorld, engine: str) -> None:
    # given
    purchase = buy(world)
    first, second = deliver(world, purchase), deliver(world, purchase)
    # when: both disputed (twice for the first: harmless)
    lessons.lesson_dispute(actor=world.parent, hold_id=first.pk)
    disputed = lessons.lesson_dispute(actor=world.parent, hold_id=first.pk)
    lessons.lesson_dispute(actor=world.parent, hold_id=second.pk)
    # then
    assert disputed.status == HoldStatus.DISPUTED
    assert balances(purchase) == (80_000, 20_000, 0)
    # when: the guardian confirms the first after all, the bureau voids the second
    confirm(world, first)
    lessons.hold_void(actor=world.county_bureau, hold_id=second.pk, idempotency_key=key())
    # then: one lesson consumed, the other refundable again
    assert balances(purchase) == (90_000, 0, 10_000)
    assert counters(purchase) == (0, 1, 0)
    assert [h.status for h in Hold.objects.filter(purchase=purchase).order_by("pk")] == ["released", "voided"]
    # and a settled hold cannot be disputed, confirmed or voided again
    with pytest.raises(DomainError) as settled:
        lessons.lesson_dispute(actor=world.parent, hold_id=second.pk)
    assert settled.value.code == "ledger.hold_settled"
    with pytest.raises(DomainError) as again:
        confirm(world, second)
    assert again.value.code == "ledger.hold_settled"
    assert audit.ledger_verify() == []


def test_a_lesson_beyond_those_bought_is_refused(world: LedgerWorld, engine: str) -> None:
    # given: 2 lessons, both delivered
    purchase = buy(world, lessons=2, price=10_000)
    deliver(world, purchase)
    confirm(world, deliver(world, purchase))
    transfers = Transfer.objects.count()
    # when
    with pytest.raises(DomainError) as refused:
        deliver(world, purchase)
    # then
    assert (refused.value.code, refused.value.details) == ("ledger.beyond_lessons", {"lessons": "2"})
    assert Transfer.objects.count() == transfers
    assert balances(purchase) == (0, 10_000, 10_000)
    assert counters(purchase) == (1, 1, 0)


def test_replaying_a_confirmation_returns_the_first_result(world: LedgerWorld, engine: str) -> None:
    # given
    purchase = buy(world)
    hold = deliver(world, purchase)
    confirm_key = key()
    first = lessons.lesson_confirm(actor=world.parent, hold_id=hold.pk, idempotency_key=confirm_key)
    # when
    again = lessons.lesson_confirm(actor=world.parent, hold_id=hold.pk, idempotency_key=confirm_key)
    # then
    assert (again.transfer_id, again.hold_id, again.replayed) == (first.transfer_id, hold.pk, True)
    assert first.replayed is False
    assert balances(purchase) == (90_000, 0, 10_000)
    # and the key cannot be reused for another hold
    other = deliver(world, purchase)
    with pytest.raises(DomainError) as conflict:
        lessons.lesson_confirm(actor=world.parent, hold_id=other.pk, idempotency_key=confirm_key)
    assert conflict.value.code == "ledger.idempotency_conflict"
    assert balances(purchase) == (80_000, 10_000, 10_000)


def test_a_closure_freezes_releases_but_not_refunds(world: LedgerWorld, engine: str) -> None:
    # given: one lesson confirmed, one pending
    purchase = buy(world, lessons=10, price=10_000)
    confirm(world, deliver(world, purchase))
    pending = deliver(world, purchase)
    # when
    supervision.institution_freeze(actor=world.county_bureau, institution_id=world.institution.pk, reason="跑路")
    # then: no delivery, no release
    for attempt in (lambda: deliver(world, purchase), lambda: confirm(world, pending)):
        with pytest.raises(DomainError) as frozen:
            attempt()
        assert frozen.value.code == "ledger.institution_frozen"
    assert balances(purchase) == (80_000, 10_000, 10_000)
    # but the bureau voids the pending lesson and the family gets everything unconsumed back
    lessons.hold_void(actor=world.county_bureau, hold_id=pending.pk, idempotency_key=key())
    purchases.purchase_refund(actor=world.parent, purchase_id=purchase.pk, idempotency_key=key())
    assert balances(purchase) == (0, 0, 10_000)
    assert counters(purchase) == (0, 1, 9)
    assert audit.ledger_verify() == []


def test_only_the_institution_records_lessons(world: LedgerWorld) -> None:
    purchase = buy(world)
    for actor, code in ((world.parent, "core.forbidden"), (world.other_operator, "core.not_found")):
        with pytest.raises(DomainError) as refused:
            lessons.lesson_deliver(actor=actor, purchase_id=purchase.pk, idempotency_key=key())
        assert refused.value.code == code
    assert balances(purchase) == (100_000, 0, 0)


@pytest.mark.requires_postgres
def test_the_python_twin_locks_the_accounts_before_it_writes_them(world: LedgerWorld) -> None:
    # given
    purchase = buy(world)
    hold = deliver(world, purchase)
    # when
    with posting.python_twin(), CaptureQueriesContext(connection) as queries:
        confirm(world, hold)
    # then
    sql = [q["sql"] for q in queries.captured_queries]
    lock = next(i for i, s in enumerate(sql) if "FOR UPDATE" in s and "ledger_account" in s)
    first_write = next(
        i for i, s in enumerate(sql) if s.lstrip().upper().startswith("UPDATE") and "ledger_account" in s
    )
    assert lock < first_write


@pytest.mark.requires_postgres
@pytest.mark.parametrize("step", ["deliver", "confirm", "void"])
def test_on_postgres_a_lesson_step_is_one_round_trip_with_its_access_check(world: LedgerWorld, step: str) -> None:
    """One statement reads the row under the actor's access rules and calls the posting function (the savepoint
    only because the test holds a transaction open)."""
    purchase = buy(world)
    hold = deliver(world, purchase)
    for user in (world.parent, world.operator):
        access.assignments(user)  # the user's roles, loaded once per request
    with CaptureQueriesContext(connection) as queries:
        if step == "deliver":
            lessons.lesson_deliver(actor=world.operator, purchase_id=purchase.pk, idempotency_key=key())
        elif step == "confirm":
            lessons.lesson_confirm(actor=world.parent, hold_id=hold.pk, idempotency_key=key())
        else:
            lessons.hold_void(actor=world.operator, hold_id=hold.pk, idempotency_key=key())
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 1
    assert "CROSS JOIN LATERAL ledger_post(" in statements[0]


def test_only_the_rows_stand_ins_become_column_references() -> None:
    stand_in = posting_checked._STAND_IN
    assert posting_checked._column(stand_in + 2, 5) == "r.c2"
    assert posting_checked._column(-(stand_in + 2), 5) == "-r.c2"
    assert posting_checked._column(123_456, 5) is None
    assert posting_checked._column(True, 5) is None
    with pytest.raises(ValueError, match="stand-in"):
        posting_checked._column(stand_in + 5, 5)  # a value in the stand-in range that is no column of the row
