"""What every ledger service shares: the idempotency key, refusals from rules, the clearing account."""

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


def clearing_account_id() -> int:
    """The custodian bank's clearing account (created with the first transfer that needs it)."""
    account, _created = Account.objects.get_or_create(kind=AccountKind.CLEARING, defaults={"institution": None})
    return account.pk
