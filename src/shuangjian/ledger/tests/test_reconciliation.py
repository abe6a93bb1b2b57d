"""Reconciliation with the custodian bank's daily statement (services.reconciliation): the file is stored whole
or not at all, matched against the clearing account's transfers, every difference listed; differences are settled
only by a recorded note; the same file twice is imported once."""

from datetime import date

import pytest

from shuangjian.core.errors import DomainError
from shuangjian.core.models import User
from shuangjian.ledger import audit, rules
from shuangjian.ledger.models import (
    BankStatement,
    Difference,
    DifferenceKind,
    DifferenceResolution,
    StatementLine,
    Transfer,
    TransferKind,
)
from shuangjian.ledger.selectors_reconciliation import statement_get
from shuangjian.ledger.services import purchases, reconciliation, supervision
from shuangjian.ledger.services.payouts import payouts_run
from shuangjian.ledger.tests.builders import buy, confirm, deliver, key
from shuangjian.ledger.tests.conftest import LedgerWorld

DAY = date(2026, 9, 7)  # the frozen clock's day
HEADER = "bank_reference,value_date,direction,amount_yuan,counterparty,our_reference"


def ref(transfer: Transfer) -> str:
    return rules.transfer_reference(transfer.pk)


def import_(bureau: User, world: LedgerWorld, *rows: str, bom: bool = False) -> tuple[BankStatement, bool]:
    text = "\n".join([HEADER, *rows]) + "\n"
    content = ("\ufeff" + text).encode() if bom else text.encode()
    return reconciliation.statement_import(
        actor=bureau, region_code=world.institution.city.code, statement_date=DAY, content=content, file_name="d.csv"
    )


def ledger_state() -> tuple[int, list[str]]:
    return Transfer.objects.count(), audit.ledger_verify()


def test_a_statement_is_matched_and_every_difference_listed(world: LedgerWorld, city_bureau: User) -> None:
    # given: a purchase (1,000.00 yuan), a refund of one lesson (100.00), a risk-margin deposit (5,000.00)
    purchase = buy(world, lessons=10, price=10_000)
    purchases.purchase_refund(actor=world.parent, purchase_id=purchase.pk, lessons=1, idempotency_key=key())
    supervision.risk_margin_deposit(
        actor=world.county_bureau, institution_id=world.institution.pk, amount_fen=500_000, idempotency_key=key()
    )
    paid, refund, margin = Transfer.objects.order_by("pk")
    before = ledger_state()
    # when: the bank shows the purchase by reference, the refund without one, an unknown credit, not the deposit
    statement, created = import_(
        city_bureau,
        world,
        f"B1,2026-09-07,C,1000.00,王爸爸,{ref(paid)}",
        "B2,2026-09-07,D,100.00,王爸爸,",
        "B3,2026-09-07,C,88.00,不明来款,",
        bom=True,
    )
    # then
    assert created is True
    assert (statement.line_count, statement.credit_fen, statement.debit_fen) == (3, 108_800, 10_000)
    lines = list(StatementLine.objects.filter(statement=statement).order_by("row_number"))
    assert [(line.row_number, line.transfer_id, line.match) for line in lines] == [
        (2, paid.pk, "reference"),
        (3, refund.pk, "amount_date"),
        (4, None, "none"),
    ]
    differences = Difference.objects.filter(statement=statement).order_by("pk")
    assert [(d.kind, d.line_id, d.transfer_id, d.bank_fen, d.ledger_fen) for d in differences] == [
        (DifferenceKind.MISSING_IN_LEDGER, lines[2].pk, None, 8_800, None),
        (DifferenceKind.MISSING_AT_BANK, None, margin.pk, None, 500_000),
    ]
    # nothing in the ledger was adjusted
    assert ledger_state() == before == (3, [])


def test_the_same_file_twice_is_imported_once(world: LedgerWorld, city_bureau: User) -> None:
    # given
    first, _created = import_(city_bureau, world, "B1,2026-09-07,C,10.00,,")
    # when
    again, created = import_(city_bureau, world, "B1,2026-09-07,C,10.00,,")
    # then
    assert (again.pk, created) == (first.pk, False)
    assert (BankStatement.objects.count(), StatementLine.objects.count(), Difference.objects.count()) == (1, 1, 1)


def test_a_transfer_matched_by_an_earlier_statement_is_a_duplicate(world: LedgerWorld, city_bureau: User) -> None:
    # given
    buy(world)
    paid = Transfer.objects.get(kind=TransferKind.PURCHASE)
    import_(city_bureau, world, f"B1,2026-09-07,C,1000.00,,{ref(paid)}")
    # when: the next day's statement shows the same payment again
    later, _created = import_(city_bureau, world, f"B9,2026-09-07,C,1000.00,,{ref(paid)}")
    # then
    assert list(Difference.objects.filter(statement=later).values_list("kind", "transfer_id")) == [
        (DifferenceKind.DUPLICATE, paid.pk)
    ]


@pytest.mark.parametrize(
    ("_case", "content", "row", "column", "problem"),
    [
        ("not UTF-8", "bank_reference,value_date\n银行".encode("gb18030"), 1, "", "ledger.statement_encoding"),
        ("bad amount on row 3", f"{HEADER}\nB1,2026-09-07,C,10.00,,\nB2,2026-09-07,C,10.5,,\n".encode(), 3,
         "amount_yuan", "ledger.statement_bad_amount"),
        ("bad header", b"ref,date\nB1,2026-09-07\n", 1, "ref", "ledger.statement_unknown_column"),
    ],
)  # fmt: skip
def test_a_malformed_file_is_refused_whole_and_nothing_is_stored(
    world: LedgerWorld, city_bureau: User, _case: str, content: bytes, row: int, column: str, problem: str
) -> None:
    # when
    with pytest.raises(DomainError) as refused:
        reconciliation.statement_import(
            actor=city_bureau, region_code=world.institution.city.code, statement_date=DAY, content=content
        )
    # then
    assert refused.value.code == "ledger.statement_malformed"
    first = refused.value.details["errors"][0]
    assert (first["row"], first["column"], first["code"]) == (row, column, problem)
    assert (BankStatement.objects.count(), StatementLine.objects.count(), Difference.objects.count()) == (0, 0, 0)


def test_only_the_citys_bureau_imports(world: LedgerWorld, city_bureau: User) -> None:
    content = f"{HEADER}\nB1,2026-09-07,C,10.00,,\n".encode()
    with pytest.raises(DomainError) as county:
        reconciliation.statement_import(
            actor=world.county_bureau, region_code=world.institution.city.code, statement_date=DAY, content=content
        )
    assert county.value.code == "core.forbidden"
    with pytest.raises(DomainError) as not_a_city:
        reconciliation.statement_import(
            actor=city_bureau, region_code=world.institution.county.code, statement_date=DAY, content=content
        )
    assert not_a_city.value.code == "ledger.statement_region"
    assert BankStatement.objects.count() == 0


def test_a_difference_is_settled_once_by_a_recorded_note(world: LedgerWorld, city_bureau: User) -> None:
    # given: the bank paid out a refund the ledger made (missing at bank), and one it did not (missing in ledger)
    purchase = buy(world)
    outcome = purchases.purchase_refund(actor=world.parent, purchase_id=purchase.pk, lessons=1, idempotency_key=key())
    paid = Transfer.objects.get(kind=TransferKind.PURCHASE)
    statement, _created = import_(city_bureau, world, f"B1,2026-09-07,C,1000.00,,{ref(paid)}", "B2,2026-09-07,D,5.00,,")
    missing_at_bank, missing_in_ledger = Difference.objects.filter(statement=statement).order_by("kind")
    # when: bad notes and references are refused
    for note, reference, code in [
        ("  ", "", "ledger.bad_note"),
        ("x" * 501, "", "ledger.bad_note"),
        ("银行次日出账", "SJ9999999999", "ledger.bad_correcting_transfer"),
        ("银行次日出账", "17", "ledger.bad_correcting_transfer"),
    ]:
        with pytest.raises(DomainError) as refused:
            reconciliation.difference_resolve(
                actor=city_bureau, difference_id=missing_at_bank.pk, note=note, correcting_reference=reference
            )
        assert refused.value.code == code
    assert DifferenceResolution.objects.count() == 0
    # when: settled with a note and the refund's reference
    resolution = reconciliation.difference_resolve(
        actor=city_bureau, difference_id=missing_at_bank.pk, note="银行次日出账",
        correcting_reference=rules.transfer_reference(outcome.transfer_id),
    )  # fmt: skip
    # then: recorded once; the difference itself is unchanged
    assert (resolution.note, resolution.correcting_transfer_id, resolution.resolved_by) == (
        "银行次日出账", outcome.transfer_id, city_bureau,
    )  # fmt: skip
    with pytest.raises(DomainError) as again:
        reconciliation.difference_resolve(actor=city_bureau, difference_id=missing_at_bank.pk, note="再次处理")
    assert again.value.code == "ledger.difference_resolved"
    assert Difference.objects.get(pk=missing_at_bank.pk).kind == DifferenceKind.MISSING_AT_BANK
    found = statement_get(actor=city_bureau, statement_id=statement.pk)
    assert (found.open_count, len(found.matched), len(found.unmatched)) == (1, 1, 1)
    # a county bureau neither sees nor settles the city's differences
    with pytest.raises(DomainError) as county:
        reconciliation.difference_resolve(actor=world.county_bureau, difference_id=missing_in_ledger.pk, note="x")
    assert county.value.code == "core.not_found"


def test_a_payout_reconciles_with_the_bank_s_debit_line(world: LedgerWorld, city_bureau: User) -> None:
    # given: a purchase, two lessons confirmed, and the day's payout to the institution (200.00 yuan)
    purchase = buy(world, lessons=10, price=10_000)
    for _lesson in range(2):
        confirm(world, deliver(world, purchase))
    payouts_run()
    paid, payout = Transfer.objects.get(kind=TransferKind.PURCHASE), Transfer.objects.get(kind=TransferKind.PAYOUT)
    # when: the bank shows the payment in and the payout out, the payout without our reference
    statement, _created = import_(
        city_bureau, world, f"B1,2026-09-07,C,1000.00,王爸爸,{ref(paid)}", "B2,2026-09-07,D,200.00,前进体育,"
    )
    # then: both match; nothing differs
    lines = StatementLine.objects.filter(statement=statement).order_by("row_number")
    assert [(line.transfer_id, line.match) for line in lines] == [(paid.pk, "reference"), (payout.pk, "amount_date")]
    assert not Difference.objects.filter(statement=statement).exists()
