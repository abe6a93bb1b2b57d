"""The bureau's side: admission, the risk margin (deposit, top-up, pro-rata draw), closure, reversal."""

import pytest

from shuangjian.core.errors import DomainError
from shuangjian.ledger import audit
from shuangjian.ledger.models import Account, Transfer, TransferKind
from shuangjian.ledger.selectors import institution_funds, purchase_statement
from shuangjian.ledger.services import purchases, supervision
from shuangjian.ledger.tests.builders import balances, buy, confirm, deliver, key
from shuangjian.ledger.tests.conftest import LedgerWorld, opened


def margin(world: LedgerWorld) -> int:
    return Account.objects.get(pk=opened(world.institution.pk).risk_margin_id).balance_fen


def test_the_margin_is_deposited_and_topped_up(world: LedgerWorld, engine: str) -> None:
    supervision.risk_margin_deposit(
        actor=world.operator, institution_id=world.institution.pk, amount_fen=40_000_000, idempotency_key=key()
    )
    supervision.risk_margin_deposit(
        actor=world.county_bureau, institution_id=world.institution.pk, amount_fen=10_000_000, idempotency_key=key()
    )
    assert margin(world) == 50_000_000
    assert institution_funds(world.institution.pk).risk_margin == 50_000_000
    assert audit.ledger_verify() == []


@pytest.mark.parametrize(
    ("amount", "code"),
    [(0, "ledger.amount_not_positive"), (-5, "ledger.amount_not_positive"), (99.5, "ledger.amount_not_integer"),
     ("100", "ledger.amount_not_integer"), (True, "ledger.amount_not_integer")],
)  # fmt: skip
def test_a_bad_margin_amount_is_refused(world: LedgerWorld, amount: object, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        supervision.risk_margin_deposit(
            actor=world.operator, institution_id=world.institution.pk, amount_fen=amount,  # type: ignore[arg-type]
            idempotency_key=key(),
        )  # fmt: skip
    assert refused.value.code == code
    assert Transfer.objects.count() == 0


def test_another_regions_bureau_cannot_supervise(world: LedgerWorld) -> None:
    with pytest.raises(DomainError) as refused:
        supervision.institution_freeze(
            actor=world.other_county_bureau, institution_id=world.institution.pk, reason="停业"
        )
    assert refused.value.code == "core.not_found"
    assert opened(world.institution.pk).frozen_at is None


def test_a_failed_institutions_margin_is_drawn_pro_rata_to_the_fen(world: LedgerWorld, engine: str) -> None:
    # given: three families, a margin of 100 fen, claims of 100, 100 and 100 fen
    a = buy(world)
    b = buy(world, parent=world.other_parent, child=world.classmate)
    c = buy(world)
    supervision.risk_margin_deposit(
        actor=world.operator, institution_id=world.institution.pk, amount_fen=100, idempotency_key=key()
    )
    supervision.institution_freeze(actor=world.county_bureau, institution_id=world.institution.pk, reason="停业")
    # when
    supervision.risk_margin_draw(
        actor=world.county_bureau, institution_id=world.institution.pk, claims={a.pk: 100, b.pk: 100, c.pk: 100},
        idempotency_key=key(),
    )  # fmt: skip
    # then: 34 + 33 + 33 = 100, the odd fen to the first purchase
    assert [purchase_statement(p).compensated for p in (a, b, c)] == [34, 33, 33]
    assert margin(world) == 0
    # and the family's refund pays out its share with its unconsumed lessons
    purchases.purchase_refund(actor=world.parent, purchase_id=a.pk, idempotency_key=key())
    assert purchase_statement(a).refunded == 100_034
    assert audit.ledger_verify() == []


def test_a_margin_that_covers_the_claims_pays_them_in_full(world: LedgerWorld, engine: str) -> None:
    a = buy(world)
    supervision.risk_margin_deposit(
        actor=world.operator, institution_id=world.institution.pk, amount_fen=50_000, idempotency_key=key()
    )
    supervision.institution_freeze(actor=world.county_bureau, institution_id=world.institution.pk, reason="停业")
    supervision.risk_margin_draw(
        actor=world.county_bureau, institution_id=world.institution.pk, claims={a.pk: 12_345}, idempotency_key=key()
    )
    assert (purchase_statement(a).compensated, margin(world)) == (12_345, 50_000 - 12_345)


def test_the_margin_is_drawn_only_after_a_closure_and_for_its_own_purchases(world: LedgerWorld) -> None:
    a = buy(world)
    supervision.risk_margin_deposit(
        actor=world.operator, institution_id=world.institution.pk, amount_fen=50_000, idempotency_key=key()
    )
    with pytest.raises(DomainError) as open_institution:
        supervision.risk_margin_draw(
            actor=world.county_bureau, institution_id=world.institution.pk, claims={a.pk: 1}, idempotency_key=key()
        )
    assert open_institution.value.code == "ledger.not_frozen"
    supervision.institution_freeze(actor=world.county_bureau, institution_id=world.institution.pk, reason="停业")
    for claims, code in (({a.pk + 999: 5}, "ledger.bad_claims"), ({}, "ledger.bad_claims"),
                         ({a.pk: 0}, "ledger.amount_not_positive")):  # fmt: skip
        with pytest.raises(DomainError) as refused:
            supervision.risk_margin_draw(
                actor=world.county_bureau, institution_id=world.institution.pk, claims=claims, idempotency_key=key()
            )
        assert refused.value.code == code
    assert margin(world) == 50_000


def test_a_mistaken_deposit_is_reversed_once(world: LedgerWorld, engine: str) -> None:
    # given
    deposit = supervision.risk_margin_deposit(
        actor=world.operator, institution_id=world.institution.pk, amount_fen=70_000, idempotency_key=key()
    )
    # when
    reversal = supervision.transfer_reverse(
        actor=world.county_bureau, transfer_id=deposit.transfer_id, idempotency_key=key(), reason="金额录错"
    )
    # then: the original stays, a reversing transfer cancels it
    assert margin(world) == 0
    assert Transfer.objects.get(pk=reversal.transfer_id).reverses_id == deposit.transfer_id
    with pytest.raises(DomainError) as twice:
        supervision.transfer_reverse(
            actor=world.county_bureau, transfer_id=deposit.transfer_id, idempotency_key=key(), reason="再冲"
        )
    assert twice.value.code == "ledger.already_reversed"
    assert audit.ledger_verify() == []


def test_lesson_flows_are_not_reversed(world: LedgerWorld) -> None:
    purchase = buy(world)
    release = confirm(world, deliver(world, purchase))
    with pytest.raises(DomainError) as refused:
        supervision.transfer_reverse(
            actor=world.county_bureau, transfer_id=release.transfer_id, idempotency_key=key(), reason="x"
        )
    assert refused.value.code == "ledger.not_reversible"
    assert balances(purchase) == (90_000, 0, 10_000)
    assert Transfer.objects.filter(kind=TransferKind.REVERSAL).count() == 0
