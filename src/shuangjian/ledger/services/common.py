"""What every ledger service shares: the idempotency key, refusals from rules, plain reads, the clearing account."""

from typing import Any

from django.db import connection

from shuangjian.ledger import rules
from shuangjian.ledger.errors import LedgerError, ledger_error
from shuangjian.ledger.models import Account, AccountKind
from shuangjian.policy.rules import Decision


def raise_unless(decision: Decision) -> None:
    if not decision.ok:
        raise ledger_error(decision.code, **decision.params)


def checked_key(key: object) -> str:
    if not isinstance(key, str) or not rules.key_valid(key):
        raise ledger_error(LedgerError.BAD_IDEMPOTENCY_KEY)
    return key


def fetch_one(sql: str, params: list[Any]) -> Any:
    """The first row of a plain statement (or None): the ledger's hot reads and function calls, without building an
    ORM query."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


_CLEARING_SQL = f"SELECT id FROM {Account._meta.db_table} WHERE kind = %s"  # noqa: S608 (the model's table name)


def clearing_account_id() -> int:
    """The custodian bank's clearing account (created with the first transfer that needs it). Read with a plain
    statement: every refund and margin movement asks, and building the ORM query cost more than the read."""
    row = fetch_one(_CLEARING_SQL, [AccountKind.CLEARING.value])
    if row is not None:
        return int(row[0])
    account, _created = Account.objects.get_or_create(kind=AccountKind.CLEARING, defaults={"institution": None})
    return account.pk
