"""Ledger reads. Each starts from core.access: an object outside the actor's reach is NotFound, one they may see
but not act on is AccessDenied (or, for a confirmation, NotPurchaseGuardian)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from shuangjian.core import access
from shuangjian.core.errors import AccessDenied, NotFound
from shuangjian.ledger.models import Account, AccountKind, Hold, InstitutionLedger, Posting, Purchase, TransferKind


def purchase_for(actor: Any, action: str, purchase_id: int) -> Purchase:
    """The purchase the actor may do `action` on (one query when allowed)."""
    found = list(Purchase.objects.filter(access.permitted(actor, action, Purchase), pk=purchase_id)[:1])
    if found:  # (a slice, not first(): no ORDER BY to compile on the hot path)
        return found[0]
    if Purchase.objects.filter(access.visible(actor, Purchase), pk=purchase_id).exists():
        raise AccessDenied(action)
    raise NotFound("purchase")


def hold_for(actor: Any, action: str, hold_id: int) -> Hold | None:
    """The hold (with its purchase) the actor may do `action` on; None when they may only see it."""
    found = list(Hold.objects.filter(access.permitted(actor, action, Hold), pk=hold_id).select_related("purchase")[:1])
    if found:
        return found[0]
    if Hold.objects.filter(access.visible(actor, Hold), pk=hold_id).exists():
        return None
    raise NotFound("hold")


def institution_ledger_for(actor: Any, action: str, institution_id: int) -> InstitutionLedger:
    ledger = (
        InstitutionLedger.objects.filter(access.permitted(actor, action, InstitutionLedger), pk=institution_id)
        .select_related("institution", "risk_margin")
        .first()
    )
    if ledger is not None:
        return ledger
    if InstitutionLedger.objects.filter(access.visible(actor, InstitutionLedger), pk=institution_id).exists():
        raise AccessDenied(action)
    raise NotFound("institution")


def purchase_get(*, actor: Any, purchase_id: int) -> Purchase:
    purchase = (
        Purchase.objects.filter(access.visible(actor, Purchase), pk=purchase_id)
        .select_related("institution", "prepaid_account", "held_account", "released_account")
        .first()
    )
    if purchase is None:
        raise NotFound("purchase")
    return purchase


@dataclass(frozen=True, slots=True)
class PurchaseStatement:
    """Where a purchase's money is, in fen: paid + compensated = consumed + held + refundable + refunded."""

    paid: int
    compensated: int
    consumed: int
    held: int
    refundable: int
    refunded: int


def _moved(account_id: int, kind: str) -> int:
    total = Posting.objects.filter(account_id=account_id, transfer__kind=kind).aggregate(
        total=Coalesce(Sum("amount_fen"), 0)
    )["total"]
    return int(total)


def purchase_statement(purchase: Purchase) -> PurchaseStatement:
    balances = dict(
        Account.objects.filter(
            pk__in=[purchase.prepaid_account_id, purchase.held_account_id, purchase.released_account_id]
        ).values_list("pk", "balance_fen")
    )
    return PurchaseStatement(
        paid=purchase.paid_fen,
        compensated=_moved(purchase.prepaid_account_id, TransferKind.MARGIN_DRAW),
        consumed=balances[purchase.released_account_id],
        held=balances[purchase.held_account_id],
        refundable=balances[purchase.prepaid_account_id],
        refunded=-_moved(purchase.prepaid_account_id, TransferKind.REFUND),
    )


@dataclass(frozen=True, slots=True)
class InstitutionFunds:
    """An institution's supervised funds (its purchases' prepaid and held accounts), what was released to it, and
    its risk margin, in fen."""

    supervised: int
    released: int
    risk_margin: int


def institution_funds(institution_id: int) -> InstitutionFunds:
    sums = Account.objects.filter(institution_id=institution_id).aggregate(
        supervised=Coalesce(Sum("balance_fen", filter=Q(kind__in=[AccountKind.PREPAID, AccountKind.HELD])), 0),
        released=Coalesce(Sum("balance_fen", filter=Q(kind=AccountKind.RELEASED)), 0),
        margin=Coalesce(Sum("balance_fen", filter=Q(kind=AccountKind.RISK_MARGIN)), 0),
    )
    return InstitutionFunds(int(sums["supervised"]), int(sums["released"]), int(sums["margin"]))
