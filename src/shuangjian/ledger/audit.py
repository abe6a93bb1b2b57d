"""The auditor's check of the whole ledger (docs/adr/0004): recompute what the database maintains and list every
difference. An empty list means: the postings sum to zero overall and per transfer (at least two legs each);
every account's balance, posting count and head hash equal what its postings give, its hash chain is unbroken and
its running balances are right; no account but the clearing account is below zero; every purchase's money and
lesson counters agree (paid + compensated = consumed + held + refundable + refunded, consumed being what its
released account received, paid out to the institution or not) and its holds match its held account."""

from collections import defaultdict

from django.db.models import Count, Q, Sum

from shuangjian.ledger import rules
from shuangjian.ledger.models import Account, AccountKind, Hold, HoldStatus, Posting, Purchase, Transfer, TransferKind

_CHUNK = 2000


def _transfers() -> list[str]:
    problems = []
    total = Posting.objects.aggregate(total=Sum("amount_fen"))["total"] or 0
    if total != 0:
        problems.append(f"all postings sum to {total}, not 0")
    unbalanced = (
        Transfer.objects.annotate(legs=Count("postings"), total=Sum("postings__amount_fen"))
        .filter(Q(legs__lt=2) | ~Q(total=0))
        .values_list("pk", "legs", "total")
    )
    problems += [f"transfer {pk}: {legs} legs summing to {total}" for pk, legs, total in unbalanced]
    return problems


def _accounts() -> list[str]:
    problems = []
    accounts = {account.pk: account for account in Account.objects.all()}
    state: dict[int, tuple[int, int, str]] = dict.fromkeys(accounts, (0, 0, rules.GENESIS_HASH))
    rows = (
        Posting.objects.order_by("account_id", "seq")
        .values_list("account_id", "seq", "transfer_id", "transfer__kind", "amount_fen", "balance_after_fen", "hash")
        .iterator(chunk_size=_CHUNK)
    )
    for account_id, seq, transfer_id, kind, amount, balance_after, stored in rows:
        balance, count, previous = state[account_id]
        expected = rules.posting_hash(previous, account_id, seq, transfer_id, kind, amount)
        if seq != count + 1:
            problems.append(f"account {account_id}: posting {seq} follows posting {count}")
        if stored != expected:
            problems.append(f"account {account_id}: posting {seq} hash does not match the chain")
        if balance_after != balance + amount:
            problems.append(f"account {account_id}: posting {seq} running balance {balance_after}")
        state[account_id] = (balance + amount, seq, stored)
    for pk, account in accounts.items():
        balance, count, head = state[pk]
        if (account.balance_fen, account.posting_count, account.head_hash) != (balance, count, head):
            problems.append(f"account {pk}: stored balance/count/head differ from its postings")
        if account.kind != AccountKind.CLEARING and account.balance_fen < 0:
            problems.append(f"account {pk}: negative balance {account.balance_fen}")
    return problems


def _sum_by_account(kind: str) -> dict[int, int]:
    rows = Posting.objects.filter(transfer__kind=kind).values_list("account_id").annotate(total=Sum("amount_fen"))
    return {account_id: int(total) for account_id, total in rows}


def _purchases() -> list[str]:
    problems = []
    balances = dict(Account.objects.values_list("pk", "balance_fen"))
    compensated, refunded = _sum_by_account(TransferKind.MARGIN_DRAW), _sum_by_account(TransferKind.REFUND)
    paid_out = _sum_by_account(TransferKind.PAYOUT)
    open_holds: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for purchase_id, count, total in (
        Hold.objects.filter(status__in=[HoldStatus.PENDING, HoldStatus.DISPUTED])
        .values_list("purchase_id")
        .annotate(count=Count("pk"), total=Sum("amount_fen"))
    ):
        open_holds[purchase_id] = (count, int(total))
    for purchase in Purchase.objects.all().iterator(chunk_size=_CHUNK):
        prepaid, held = balances[purchase.prepaid_account_id], balances[purchase.held_account_id]
        consumed = balances[purchase.released_account_id] - paid_out.get(purchase.released_account_id, 0)
        money_in = purchase.paid_fen + compensated.get(purchase.prepaid_account_id, 0)
        money_out = consumed + held + prepaid - refunded.get(purchase.prepaid_account_id, 0)
        if money_in != money_out:
            problems.append(f"purchase {purchase.pk}: paid {money_in} but accounted {money_out}")
        if consumed != purchase.lessons_consumed * purchase.price_per_lesson_fen:
            problems.append(f"purchase {purchase.pk}: released {consumed} for {purchase.lessons_consumed} lessons")
        if open_holds[purchase.pk] != (purchase.lessons_held, held):
            problems.append(f"purchase {purchase.pk}: held {held} for {purchase.lessons_held} lessons")
        used = purchase.lessons_held + purchase.lessons_consumed + purchase.lessons_refunded
        if used > purchase.lessons:
            problems.append(f"purchase {purchase.pk}: {used} of {purchase.lessons} lessons used")
    return problems


def ledger_verify() -> list[str]:
    """Every inconsistency found, in words; [] when the ledger is sound."""
    return _transfers() + _accounts() + _purchases()
