"""Payout (services.payouts, the ledger_payout command and task): the money released for confirmed lessons leaves
supervision for the institution's own account, once a day per institution; what the family sees as consumed, and
the ledger's soundness, do not change."""

from datetime import date, timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.test import Client

from shuangjian.ledger import audit, selectors
from shuangjian.ledger.models import Account, AccountKind, Transfer, TransferKind
from shuangjian.ledger.services import supervision
from shuangjian.ledger.services.payouts import payout_key, payouts_run
from shuangjian.ledger.tasks import payout
from shuangjian.ledger.tests.builders import balances, buy, confirm, deliver
from shuangjian.ledger.tests.conftest import LedgerWorld


def _clearing() -> int:
    return Account.objects.get(kind=AccountKind.CLEARING).balance_fen


def test_released_money_is_paid_out_once_a_day_and_consumed_stays_what_it_was(
    world: LedgerWorld, clock: time_machine.Traveller, engine: str
) -> None:
    # given: two purchases at one institution, three lessons confirmed, one delivered and awaiting the guardian
    first, second = buy(world, lessons=10, price=10_000), buy(world, lessons=5, price=6_000)
    for purchase in (first, first, second):
        confirm(world, deliver(world, purchase))
    deliver(world, second)
    clearing_before = _clearing()
    # when: the day's payout runs
    result = payouts_run()
    # then: both released accounts are emptied into the clearing account in one transfer, the hold stays held
    assert (result.paid, result.paid_fen, result.replayed) == (1, 26_000, 0)
    assert balances(first)[2] == balances(second)[2] == 0
    assert balances(second)[1] == 6_000
    assert _clearing() == clearing_before + 26_000
    payout_transfer = Transfer.objects.get(kind=TransferKind.PAYOUT)
    assert payout_transfer.idempotency_key == payout_key(world.institution.pk, date(2026, 9, 7))
    assert payout_transfer.postings.count() == 3
    # and: the family still sees what was consumed; the institution sees it paid out
    statements = selectors.purchase_statements([first, second])
    assert (statements[first.pk].consumed, statements[second.pk].consumed) == (20_000, 6_000)
    assert selectors.purchase_statement(first).consumed == 20_000
    funds = selectors.institution_funds(world.institution.pk)
    assert (funds.released, funds.paid_out) == (0, 26_000)
    assert audit.ledger_verify() == []
    # when: the run is repeated the same day, after another confirmation
    confirm(world, deliver(world, first))
    again = payouts_run()
    # then: nothing moves until the next day's run, which pays only what is new
    assert (again.paid, again.replayed) == (0, 1)
    assert balances(first)[2] == 10_000
    clock.shift(timedelta(days=1))
    assert (payouts_run().paid_fen, balances(first)[2]) == (10_000, 0)
    assert selectors.institution_funds(world.institution.pk).paid_out == 36_000
    assert audit.ledger_verify() == []


def test_a_frozen_institution_is_paid_nothing(world: LedgerWorld, clock: time_machine.Traveller, engine: str) -> None:
    purchase = buy(world)
    confirm(world, deliver(world, purchase))
    supervision.institution_freeze(actor=world.county_bureau, institution_id=world.institution.pk, reason="停业")
    assert payouts_run().paid == 0
    assert balances(purchase)[2] == 10_000
    assert not Transfer.objects.filter(kind=TransferKind.PAYOUT).exists()


def test_a_run_for_one_county_pays_only_its_institutions(world: LedgerWorld, clock: time_machine.Traveller) -> None:
    purchase = buy(world)
    confirm(world, deliver(world, purchase))
    assert payouts_run(region_code=world.other_institution.county_id).paid == 0
    assert balances(purchase)[2] == 10_000
    assert payouts_run(region_code=world.institution.city_id).paid == 1
    assert balances(purchase)[2] == 0


def test_the_command_and_the_task_report_what_was_paid(world: LedgerWorld, clock: time_machine.Traveller) -> None:
    purchase = buy(world, lessons=4, price=123_456)
    confirm(world, deliver(world, purchase))
    out = StringIO()
    call_command("ledger_payout", "--dry-run", stdout=out)
    assert "1 家机构待划拨，共 1,234.56 元" in out.getvalue()
    assert not Transfer.objects.filter(kind=TransferKind.PAYOUT).exists()
    out = StringIO()
    call_command("ledger_payout", stdout=out)
    assert "本次划拨 1 家机构，共 1,234.56 元" in out.getvalue()
    assert payout.call() == {"paid": 0, "paid_fen": 0, "replayed": 0, "refused": {}}  # nothing left to pay
    confirm(world, deliver(world, purchase))
    assert payout.call() == {"paid": 0, "paid_fen": 0, "replayed": 1, "refused": {}}  # paid once today already


def test_the_institution_s_page_and_api_show_what_was_paid_out(
    world: LedgerWorld, clock: time_machine.Traveller, client: Client
) -> None:
    first = buy(world)
    confirm(world, deliver(world, first))
    payouts_run()
    confirm(world, deliver(world, first))
    client.force_login(world.county_bureau)
    funds = client.get(f"/api/v1/escrow/institutions/{world.institution.pk}/funds").json()
    assert (funds["released_fen"], funds["paid_out_fen"]) == (10_000, 10_000)
    page = client.get(f"/escrow/institutions/{world.institution.pk}/").content.decode()
    assert "已划拨至机构账户" in page
