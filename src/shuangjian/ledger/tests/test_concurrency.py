"""PostgreSQL, 16 workers at once on the same three purchases: deliveries, confirmations (some with the same key,
some with another key for the same lesson), voids, disputes, refunds (some replayed by several workers) and the
institution's daily payout (several workers running the same day's, or different days', at once). The
row locks and constraints must leave the ledger sound: nothing overdrawn, doubled or lost, every key bound to one
transfer, every acknowledged transfer present. Run once per posting path."""

import contextlib
import random
import threading
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection

from shuangjian.core.errors import DomainError
from shuangjian.core.models import User
from shuangjian.ledger import audit
from shuangjian.ledger.models import Hold, HoldStatus, Purchase, Transfer, TransferKind
from shuangjian.ledger.services import lessons, posting, purchases
from shuangjian.ledger.services.payouts import payouts_run
from shuangjian.ledger.tests.builders import buy, deliver, key
from shuangjian.ledger.tests.conftest import ENGINES, NOW, LedgerWorld, build_world
from shuangjian.policy.datafiles import create_missing_national_versions
from shuangjian.policy.models import PolicyProfile

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 16
STEPS = 25
# Refusals a race may legitimately produce; anything else (a deadlock, an unmapped database error) fails the test.
EXPECTED = {"ledger.hold_settled", "ledger.beyond_lessons", "ledger.nothing_to_refund", "ledger.insufficient_balance"}


@pytest.fixture
def shared_world(transactional_db: None) -> Iterator[LedgerWorld]:
    """A transactional test starts from a flushed database: put back the national profile the migration loads."""
    create_missing_national_versions(PolicyProfile)
    with time_machine.travel(NOW, tick=False):
        yield build_world()


Op = tuple[str, int, str]  # (operation, purchase or hold id, idempotency key)


def worker_plan(purchase_ids: list[int], hold_ids: list[int], seed: int) -> list[Op]:
    rng = random.Random(seed)
    plan: list[Op] = []
    for _ in range(STEPS):
        roll = rng.random()
        purchase_id, hold_id = rng.choice(purchase_ids), rng.choice(hold_ids)
        if roll < 0.06:  # the payout of one of four days: the same day's run by several workers replays
            plan.append(("payout", rng.randint(0, 3), ""))
        elif roll < 0.35:  # two keys per lesson, each used by several workers
            plan.append(("confirm", hold_id, f"confirm-{hold_id}-{rng.randint(0, 1)}"))
        elif roll < 0.55:
            plan.append(("deliver", purchase_id, key()))
        elif roll < 0.70:
            plan.append(("refund", purchase_id, key()))
        elif roll < 0.80:  # a refund several workers send with the same key
            plan.append(("refund", purchase_id, f"refund-{purchase_id}-{rng.randint(0, 2)}"))
        elif roll < 0.92:
            plan.append(("void", hold_id, f"void-hold-{hold_id}"))
        else:
            plan.append(("dispute", hold_id, ""))
    return plan


def run(op: Op, guardian_of: dict[int, User], operator: User) -> Any:
    name, target, request_key = op
    if name == "confirm":
        return lessons.lesson_confirm(actor=guardian_of[target], hold_id=target, idempotency_key=request_key)
    if name == "deliver":
        return lessons.lesson_deliver(actor=operator, purchase_id=target, idempotency_key=request_key)
    if name == "refund":
        return purchases.purchase_refund(actor=operator, purchase_id=target, lessons=1, idempotency_key=request_key)
    if name == "void":
        return lessons.hold_void(actor=operator, hold_id=target, idempotency_key=request_key)
    if name == "payout":
        result = payouts_run(today=NOW.date() + timedelta(days=target))
        if set(result.refused) - EXPECTED:
            raise AssertionError(f"payout refused unexpectedly: {result.refused}")
        return result
    return lessons.lesson_dispute(actor=guardian_of[target], hold_id=target)


@pytest.mark.parametrize("engine_name", ENGINES)
def test_sixteen_workers_racing_on_the_same_purchases_lose_and_double_nothing(
    shared_world: LedgerWorld, engine_name: str
) -> None:
    world = shared_world
    # given: three purchases of 20 lessons, 8 delivered lessons each awaiting confirmation
    bought = [buy(world, lessons=20, price=10_000), buy(world, lessons=20, price=7_000),
              buy(world, parent=world.other_parent, child=world.classmate, lessons=20, price=9_999)]  # fmt: skip
    holds = [deliver(world, purchase) for purchase in bought for _ in range(8)]
    purchase_ids, hold_ids = [p.pk for p in bought], [h.pk for h in holds]
    plans = [worker_plan(purchase_ids, hold_ids, seed) for seed in range(WORKERS)]
    acknowledged: list[tuple[str, int]] = []
    unexpected: list[BaseException] = []
    refused: dict[str, int] = defaultdict(int)
    start = threading.Barrier(WORKERS)

    def work(plan: list[Op]) -> None:
        try:
            operator = User.objects.get(pk=world.operator.pk)
            parents = {u.pk: u for u in User.objects.filter(pk__in=[world.parent.pk, world.other_parent.pk])}
            guardian_of = {
                h.pk: parents[world.parent.pk if h.purchase.student_id == world.child.pk else world.other_parent.pk]
                for h in Hold.objects.select_related("purchase").filter(pk__in=hold_ids)
            }
            with posting.python_twin() if engine_name == "python_twin" else contextlib.nullcontext():
                start.wait()
                for op in plan:
                    try:
                        result = run(op, guardian_of, operator)
                    except DomainError as refusal:
                        if refusal.code not in EXPECTED:
                            raise
                        refused[refusal.code] += 1
                        continue
                    if isinstance(result, posting.Outcome):
                        acknowledged.append((op[2], result.transfer_id))
        except BaseException as exc:  # collected and asserted on below
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then: no deadlock or unmapped error, and the races really happened
    assert unexpected == []
    assert refused["ledger.hold_settled"] > 0
    assert Transfer.objects.filter(kind=TransferKind.PAYOUT).exists()
    # the ledger is sound: balances = postings, chains intact, nothing negative, every purchase adds up
    assert audit.ledger_verify() == []
    # every acknowledged transfer is there, and a key always meant the same one transfer
    by_key: dict[str, set[int]] = defaultdict(set)
    for request_key, transfer_id in acknowledged:
        by_key[request_key].add(transfer_id)
    assert all(len(ids) == 1 for ids in by_key.values())
    assert len(acknowledged) > len(by_key)  # some keys were answered to more than one worker
    stored = dict(Transfer.objects.filter(idempotency_key__in=list(by_key)).values_list("idempotency_key", "pk"))
    assert stored == {request_key: ids.pop() for request_key, ids in by_key.items()}
    # each lesson was released or voided at most once
    settled = Hold.objects.filter(status__in=[HoldStatus.RELEASED, HoldStatus.VOIDED]).count()
    assert Transfer.objects.filter(kind__in=[TransferKind.RELEASE, TransferKind.VOID]).count() == settled
    for purchase in Purchase.objects.all():
        assert purchase.lessons_held + purchase.lessons_consumed + purchase.lessons_refunded <= purchase.lessons


@pytest.mark.parametrize("engine_name", ENGINES)
def test_the_same_purchase_sent_by_several_workers_at_once_is_charged_once(
    shared_world: LedgerWorld, engine_name: str
) -> None:
    """A phone repeating its purchase while the first request is still being written: the late copies find the key
    only when they post (the first was not committed when they looked), undo their own rows and return the first."""
    world = shared_world
    rounds, senders = 4, 4
    answers: dict[str, list[int]] = defaultdict(list)
    unexpected: list[BaseException] = []
    for _round in range(rounds):
        request_key = key()
        start = threading.Barrier(senders)

        def send(request_key: str = request_key, start: threading.Barrier = start) -> None:
            try:
                parent = User.objects.get(pk=world.parent.pk)
                with posting.python_twin() if engine_name == "python_twin" else contextlib.nullcontext():
                    start.wait()
                    purchase = purchases.purchase_create(
                        actor=parent, institution_id=world.institution.pk, student_id=world.child.pk,
                        terms=purchases.CourseTerms("少儿篮球", 10, 10_000, 3), idempotency_key=request_key,
                    )  # fmt: skip
                answers[request_key].append(purchase.pk)
            except BaseException as exc:  # collected and asserted on below
                unexpected.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=send) for _ in range(senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert unexpected == []
    assert all(len(set(ids)) == 1 and len(ids) == senders for ids in answers.values())
    assert Purchase.objects.count() == rounds
    assert Transfer.objects.filter(kind=TransferKind.PURCHASE).count() == rounds
    assert audit.ledger_verify() == []
