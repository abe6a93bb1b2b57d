"""Automatic confirmation (services.auto_confirm, the ledger_auto_confirm command and task): a lesson neither
confirmed nor disputed within the county's days is released through the guardian's release path, once."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from shuangjian.core.models import Role
from shuangjian.core.tests import factories as f
from shuangjian.ledger import audit
from shuangjian.ledger.models import Hold, HoldStatus, Transfer, TransferKind
from shuangjian.ledger.services import lessons, supervision
from shuangjian.ledger.services.auto_confirm import AUTO_MEMO, auto_confirm_key, holds_auto_confirm
from shuangjian.ledger.tasks import auto_confirm
from shuangjian.ledger.tests.builders import balances, buy, counters, deliver
from shuangjian.ledger.tests.conftest import LedgerWorld
from shuangjian.policy.services import profile_publish

DAYS = 7


@pytest.fixture
def region_days(world: LedgerWorld) -> None:
    """梁园区 (the sports institution's county) confirms after 7 days; 民权县 sets nothing."""
    county = world.institution.county
    bureau = f.named_user("梁园区教体局政策")
    f.assign(bureau, Role.BUREAU, region=county)
    profile_publish(
        actor=bureau, region=county, effective_from=date(2026, 9, 1), values={"escrow.auto_confirm_days": DAYS}
    )


def test_a_due_lesson_is_released_and_a_rerun_moves_nothing(
    world: LedgerWorld, region_days: None, clock: time_machine.Traveller, engine: str
) -> None:
    # given: three lessons delivered today; the guardian disputes the second
    purchase = buy(world, lessons=10, price=10_000)
    due, disputed, confirmed = deliver(world, purchase), deliver(world, purchase), deliver(world, purchase)
    lessons.lesson_dispute(actor=world.parent, hold_id=disputed.pk)
    # when: six days later nothing is due
    clock.shift(timedelta(days=DAYS - 1))
    assert holds_auto_confirm().due == 0
    # the guardian confirms the third meanwhile; a day later the first is due
    lessons.lesson_confirm(actor=world.parent, hold_id=confirmed.pk, idempotency_key="guardian-confirms-3")
    clock.shift(timedelta(days=1))
    result = holds_auto_confirm(region_code=world.institution.county.code)
    # then: only the undisputed, unconfirmed lesson was released, by the system, under the hold's own key
    assert (result.due, result.released, result.replayed, result.refused) == (1, 1, 0, {})
    statuses = dict(Hold.objects.values_list("pk", "status"))
    assert statuses == {
        due.pk: HoldStatus.RELEASED,
        disputed.pk: HoldStatus.DISPUTED,
        confirmed.pk: HoldStatus.RELEASED,
    }
    release = Transfer.objects.get(idempotency_key=auto_confirm_key(due.pk))
    assert (release.kind, release.actor_id, release.memo) == (TransferKind.RELEASE, None, AUTO_MEMO)
    assert balances(purchase) == (70_000, 10_000, 20_000)
    assert counters(purchase) == (1, 2, 0)
    # when: run again
    moved = Transfer.objects.count()
    again = holds_auto_confirm()
    # then
    assert (again.due, again.released) == (0, 0)
    assert Transfer.objects.count() == moved
    assert audit.ledger_verify() == []


def test_a_dry_run_counts_and_moves_nothing(
    world: LedgerWorld, region_days: None, clock: time_machine.Traveller
) -> None:
    purchase = buy(world)
    deliver(world, purchase)
    clock.shift(timedelta(days=DAYS))
    moved = Transfer.objects.count()
    result = holds_auto_confirm(dry_run=True)
    assert (result.due, result.released) == (1, 0)
    assert Transfer.objects.count() == moved


def test_a_county_without_a_number_confirms_nothing_automatically(
    world: LedgerWorld, clock: time_machine.Traveller
) -> None:
    # given: no profile sets escrow.auto_confirm_days
    purchase = buy(world)
    hold = deliver(world, purchase)
    clock.shift(timedelta(days=365))
    # when
    result = holds_auto_confirm()
    # then
    assert (result.due, result.counties_without_days) == (0, [world.institution.county.code])
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.PENDING


def test_a_frozen_institution_is_not_paid_automatically(
    world: LedgerWorld, region_days: None, clock: time_machine.Traveller
) -> None:
    purchase = buy(world)
    hold = deliver(world, purchase)
    supervision.institution_freeze(actor=world.county_bureau, institution_id=world.institution.pk, reason="停业")
    clock.shift(timedelta(days=DAYS))
    assert holds_auto_confirm().due == 0
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.PENDING


def test_the_command_and_the_task(world: LedgerWorld, region_days: None, clock: time_machine.Traveller) -> None:
    # given
    purchase = buy(world)
    first, second = deliver(world, purchase), deliver(world, purchase)
    clock.shift(timedelta(days=DAYS))
    out = StringIO()
    # when: a dry run, then a real run of the command for the county
    call_command("ledger_auto_confirm", "--region", world.institution.county.code, "--dry-run", stdout=out)
    assert "2" in out.getvalue()
    assert Hold.objects.filter(status=HoldStatus.PENDING).count() == 2
    lessons.lesson_dispute(actor=world.parent, hold_id=second.pk)
    call_command("ledger_auto_confirm", "--region", world.institution.county.code, stdout=out)
    # then
    assert Hold.objects.get(pk=first.pk).status == HoldStatus.RELEASED
    # the task reports the same way (nothing left to do)
    assert auto_confirm.enqueue(region_code=None).return_value["due"] == 0
    with pytest.raises(CommandError, match=r"core\.not_found"):
        call_command("ledger_auto_confirm", "--region", "999999", stdout=out)
