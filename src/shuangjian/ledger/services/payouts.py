"""Payout (资金划拨, F8): the bank pays the money released for confirmed lessons out of supervision into the
institution's own operating account, within the days the region allows after confirmation
(`escrow.settlement_max_days`, a maximum). A daily run pays out everything released so far, so any such limit of a
day or more is kept (docs/adr/0013).

One transfer per institution and day: each purchase's released account holding money is debited, the clearing
account credited with the total, which is the bank's debit line on the next statement (docs/BANK_STATEMENT.md). The
idempotency key is derived from the institution and the day, so a rerun, or two runs at once, pay an institution
at most once a day; money released later that day goes with the next day's run. A frozen institution is paid
nothing: on closure its money stays supervised (docs/adr/0007)."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from shuangjian.ledger import rules
from shuangjian.ledger.models import TransferKind
from shuangjian.ledger.selectors import released_by_institution
from shuangjian.ledger.services import posting
from shuangjian.ledger.services.common import clearing_account_id


def payout_key(institution_id: int, day: date) -> str:
    return f"payout-{institution_id}-{day.isoformat()}"


@dataclass(slots=True)
class PayoutResult:
    """What a run did: institutions paid now (and the fen), already paid today by an earlier run (replayed),
    refused (code -> count)."""

    paid: int = 0
    paid_fen: int = 0
    replayed: int = 0
    refused: dict[str, int] = field(default_factory=dict)


def payouts_run(*, region_code: str | None = None, dry_run: bool = False, today: date | None = None) -> PayoutResult:
    """Pay out every open institution's released money in the region (or everywhere). A system job: no actor,
    scoped by region. Each institution's payout is its own atomic posting: one refusal does not stop the others."""
    today = today or timezone.localdate()
    result = PayoutResult()
    due = released_by_institution(region_code)
    if dry_run:
        result.paid, result.paid_fen = len(due), sum(amount for accounts in due.values() for _a, amount in accounts)
        return result
    if not due:
        return result
    clearing = clearing_account_id()
    for institution_id, accounts in due.items():
        total = sum(amount for _account, amount in accounts)
        command = posting.Command(
            key=payout_key(institution_id, today),
            digest=rules.request_digest("payout", institution=institution_id, day=today),
            kind=TransferKind.PAYOUT,
            now=timezone.now(),
            legs=(*((account, -amount) for account, amount in accounts), (clearing, total)),
            memo=f"{today.isoformat()} 划拨",
        )
        outcome = posting.post_counting_refusals(command, result.refused)
        if outcome is None:
            continue
        if outcome.replayed:
            result.replayed += 1
        else:
            result.paid, result.paid_fen = result.paid + 1, result.paid_fen + total
    return result
