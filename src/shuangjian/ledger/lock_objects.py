"""Row locks for the Python twin of the posting function (STYLE.md 9). Lock order, the same as the PL/pgSQL
function ledger_post's: the transfer's idempotency key, the hold being settled, the purchase row, then the
accounts in id order. Evaluate inside the
transaction. (On SQLite the transaction itself holds the database's write lock from its first statement.)"""

from collections.abc import Iterable

from django.db.models import QuerySet

from shuangjian.ledger.models import Account, InstitutionLedger


def accounts_for_update(account_ids: Iterable[int]) -> QuerySet[Account]:
    return Account.objects.select_for_update().filter(pk__in=list(account_ids)).order_by("pk")


def institution_ledger_for_update(institution_id: int) -> QuerySet[InstitutionLedger]:
    return InstitutionLedger.objects.select_for_update().filter(pk=institution_id)
