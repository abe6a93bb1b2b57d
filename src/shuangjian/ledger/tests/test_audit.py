"""The auditor's check finds tampering; on PostgreSQL the database itself refuses edits, deletions and transfers
whose legs do not balance."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from shuangjian.ledger import audit
from shuangjian.ledger.models import Account, Posting, Transfer
from shuangjian.ledger.tests.builders import buy, confirm, deliver
from shuangjian.ledger.tests.conftest import LedgerWorld


@pytest.fixture
def history(world: LedgerWorld) -> list[Posting]:
    purchase = buy(world)
    confirm(world, deliver(world, purchase))
    assert audit.ledger_verify() == []
    return list(Posting.objects.order_by("pk"))


@contextmanager
def behind_the_ledgers_back(sql: str, params: list[int]) -> Iterator[None]:
    """Edit as an intruder with database rights would (on PostgreSQL with the append-only triggers switched off),
    then undo it, so the deferred legs-balance check at the end of the test sees the ledger as it was."""
    savepoint = transaction.savepoint_create()
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.parametrize(
    ("_case", "sql", "finding"),
    [
        ("an amount changed on both legs",
         "UPDATE ledger_posting SET amount_fen = amount_fen * 2 WHERE transfer_id = %s",
         "hash does not match the chain"),
        ("one leg changed", "UPDATE ledger_posting SET amount_fen = amount_fen + 1 WHERE id = (SELECT min(id) FROM "
         "ledger_posting WHERE transfer_id = %s)", "legs summing to 1"),
        ("a transfer's postings deleted", "DELETE FROM ledger_posting WHERE transfer_id = %s",
         "stored balance/count/head differ"),
    ],
)  # fmt: skip
def test_tampering_with_postings_is_found(history: list[Posting], _case: str, sql: str, finding: str) -> None:
    # given: the release (the last transfer) is tampered with behind the ledger's back
    with behind_the_ledgers_back(sql, [history[-1].transfer_id]):
        # when
        problems = audit.ledger_verify()
    # then
    assert any(finding in problem for problem in problems), problems


def test_a_balance_edited_without_a_posting_is_found(history: list[Posting]) -> None:
    with behind_the_ledgers_back("UPDATE ledger_account SET balance_fen = 1 WHERE id = %s", [history[-1].account_id]):
        problems = audit.ledger_verify()
    assert any("stored balance/count/head differ" in problem for problem in problems)


@pytest.mark.requires_postgres
@pytest.mark.parametrize(
    "sql",
    ["UPDATE ledger_posting SET amount_fen = amount_fen * 2 WHERE transfer_id = %s",
     "DELETE FROM ledger_posting WHERE transfer_id = %s",
     "UPDATE ledger_transfer SET memo = 'x' WHERE id = %s"],
)  # fmt: skip
def test_postgres_keeps_transfers_and_postings_append_only(history: list[Posting], sql: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [history[-1].transfer_id])
    assert list(Posting.objects.order_by("pk")) == history


@pytest.mark.requires_postgres
def test_postgres_refuses_a_transfer_whose_legs_do_not_balance(history: list[Posting]) -> None:
    # given: a transfer with one leg, written around the posting function
    account = Account.objects.get(pk=history[0].account_id)
    with pytest.raises(IntegrityError, match=r"ledger\.unbalanced"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transfer = Transfer.objects.create(kind="refund", idempotency_key="forged-0001", request_digest="x",
                                           created_at=history[0].transfer.created_at)  # fmt: skip
        Posting.objects.create(
            transfer=transfer, account=account, amount_fen=5, seq=account.posting_count + 1,
            balance_after_fen=account.balance_fen + 5, hash="forged",
        )  # fmt: skip
    assert not Transfer.objects.filter(idempotency_key="forged-0001").exists()
