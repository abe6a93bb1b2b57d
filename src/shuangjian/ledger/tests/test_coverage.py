"""selectors.coverage_by_institution and refunds_by_institution (the supervision desk's early warning reads them)
and the pages' coverage table (selectors_pages.coverage_table)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuangjian.ledger.selectors import Coverage, coverage_by_institution, refunds_by_institution
from shuangjian.ledger.selectors_pages import coverage_table
from shuangjian.ledger.services import purchases, supervision
from shuangjian.ledger.tests.builders import buy, confirm, deliver, key
from shuangjian.ledger.tests.conftest import NOW, LedgerWorld


def test_coverage_is_what_is_owed_against_what_backs_it(world: LedgerWorld) -> None:
    # given: 10 lessons at 100 yuan, 2 delivered (1 confirmed), 3 refunded; a 5,000 yuan margin; the other
    # institution has nothing yet and is frozen
    purchase = buy(world, lessons=10, price=10_000)
    confirm(world, deliver(world, purchase))
    deliver(world, purchase)
    purchases.purchase_refund(actor=world.parent, purchase_id=purchase.pk, lessons=3, idempotency_key=key())
    supervision.risk_margin_deposit(
        actor=world.operator, institution_id=world.institution.pk, amount_fen=500_000, idempotency_key=key()
    )
    supervision.institution_freeze(
        actor=world.other_county_bureau, institution_id=world.other_institution.pk, reason="停业"
    )
    # when
    with CaptureQueriesContext(connection) as queries:
        coverage = coverage_by_institution()
    # then: owed = (10 - 1 consumed - 3 refunded) x 100 yuan = prepaid 5 + held 1 lessons
    assert coverage == {
        world.institution.pk: Coverage(outstanding=60_000, supervised=60_000, risk_margin=500_000, frozen=False),
        world.other_institution.pk: Coverage(outstanding=0, supervised=0, risk_margin=0, frozen=True),
    }
    assert len(queries) == 3
    assert coverage_by_institution([world.other_institution.pk]).keys() == {world.other_institution.pk}


def test_the_shortfall_is_what_the_supervised_funds_do_not_cover() -> None:
    assert Coverage(outstanding=100, supervised=60, risk_margin=0, frozen=False).shortfall == 40
    assert Coverage(outstanding=100, supervised=160, risk_margin=0, frozen=False).shortfall == 0


def test_refunds_are_counted_per_institution_in_the_window(world: LedgerWorld) -> None:
    purchase = buy(world)
    for _ in range(2):
        purchases.purchase_refund(actor=world.parent, purchase_id=purchase.pk, lessons=1, idempotency_key=key())
    day = datetime(2026, 9, 7, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert refunds_by_institution(day, day + timedelta(days=1)) == {world.institution.pk: 2}
    assert refunds_by_institution(NOW + timedelta(seconds=1), day + timedelta(days=1)) == {}


def test_the_coverage_table_is_scoped_and_totalled(world: LedgerWorld) -> None:
    # given
    buy(world, lessons=10, price=10_000)
    # when: the county bureau of 梁园区 and the operator of the other institution
    table = coverage_table(actor=world.county_bureau)
    other = coverage_table(actor=world.other_operator)
    # then
    assert [row.institution_id for row in table.rows] == [world.institution.pk]
    assert (table.outstanding, table.supervised, table.shortfall, table.short_count) == (100_000, 100_000, 0, 0)
    assert [row.institution_id for row in other.rows] == [world.other_institution.pk]
    assert coverage_table(actor=world.parent).rows == []
