"""Ledger reads. Each starts from core.access: an object outside the actor's reach is NotFound, one they may see
but not act on is AccessDenied (or, for a confirmation, NotPurchaseGuardian)."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from django.db import DEFAULT_DB_ALIAS
from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from shuangjian.core import access
from shuangjian.core.errors import AccessDenied, NotFound
from shuangjian.core.models import Region, Role
from shuangjian.ledger.models import (
    Account,
    AccountKind,
    Hold,
    HoldStatus,
    InstitutionLedger,
    Posting,
    Purchase,
    Transfer,
    TransferKind,
)
from shuangjian.training.selectors import in_region

# A family's money is the guardian's business: the student's own account reaches no purchase or hold.
MONEY_READERS = (Role.BUREAU, Role.INSPECTOR, Role.INSTITUTION_OPERATOR, Role.GUARDIAN)


_PURCHASE_FIELDS = tuple(field.attname for field in Purchase._meta.concrete_fields)
_HOLD_FIELDS = tuple(field.attname for field in Hold._meta.concrete_fields)
_HOLD_ROW = (*_HOLD_FIELDS, *(f"purchase__{name}" for name in _PURCHASE_FIELDS))


_REFUNDABLE_ROW = (*_PURCHASE_FIELDS, "prepaid_account__balance_fen")


def purchase_refundable_for(actor: Any, action: str, purchase_id: int) -> tuple[Purchase, int]:
    """The purchase the actor may do `action` on, with the balance of its prepaid account (what is refundable now), in
    one query (access.permitted_row); refused as NotFound or AccessDenied otherwise."""
    row = access.permitted_row(actor, action, Purchase, purchase_id, _REFUNDABLE_ROW)
    if row is None:
        refuse_purchase(actor, action, purchase_id)
    return Purchase.from_db(DEFAULT_DB_ALIAS, _PURCHASE_FIELDS, row[:-1]), int(row[-1])


def refuse_purchase(actor: Any, action: str, purchase_id: int) -> NoReturn:
    if Purchase.objects.filter(access.visible(actor, Purchase, MONEY_READERS), pk=purchase_id).exists():
        raise AccessDenied(action)
    raise NotFound("purchase")


def hold_for(actor: Any, action: str, hold_id: int) -> Hold | None:
    """The hold (with its purchase) the actor may do `action` on, in one query; None otherwise (the caller tells
    a hold they see from one they do not: `hold_visible`)."""
    row = access.permitted_row(actor, action, Hold, hold_id, _HOLD_ROW)
    if row is None:
        return None
    hold = Hold.from_db(DEFAULT_DB_ALIAS, _HOLD_FIELDS, row[: len(_HOLD_FIELDS)])
    hold.purchase = Purchase.from_db(DEFAULT_DB_ALIAS, _PURCHASE_FIELDS, row[len(_HOLD_FIELDS) :])
    return hold


def hold_visible(actor: Any, hold_id: int) -> bool:
    return Hold.objects.filter(access.visible(actor, Hold, MONEY_READERS), pk=hold_id).exists()


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
        Purchase.objects.filter(access.visible(actor, Purchase, MONEY_READERS), pk=purchase_id)
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


def purchase_statements(purchases: list[Purchase]) -> dict[int, PurchaseStatement]:
    """Where each purchase's money is, in two queries. Consumed is what its released account received, paid out to
    the institution or not."""
    account_ids = [a for p in purchases for a in (p.prepaid_account_id, p.held_account_id, p.released_account_id)]
    balances = dict(Account.objects.filter(pk__in=account_ids).values_list("pk", "balance_fen"))
    moved = {
        (account_id, kind): int(total)
        for account_id, kind, total in Posting.objects.filter(
            account_id__in=[a for p in purchases for a in (p.prepaid_account_id, p.released_account_id)],
            transfer__kind__in=[TransferKind.MARGIN_DRAW, TransferKind.REFUND, TransferKind.PAYOUT],
        )
        .values("account_id", "transfer__kind")
        .annotate(total=Coalesce(Sum("amount_fen"), 0))
        .values_list("account_id", "transfer__kind", "total")
    }
    return {
        p.pk: PurchaseStatement(
            paid=p.paid_fen,
            compensated=moved.get((p.prepaid_account_id, TransferKind.MARGIN_DRAW), 0),
            consumed=balances[p.released_account_id] - moved.get((p.released_account_id, TransferKind.PAYOUT), 0),
            held=balances[p.held_account_id],
            refundable=balances[p.prepaid_account_id],
            refunded=-moved.get((p.prepaid_account_id, TransferKind.REFUND), 0),
        )
        for p in purchases
    }


def purchase_statement(purchase: Purchase) -> PurchaseStatement:
    return purchase_statements([purchase])[purchase.pk]


@dataclass(frozen=True, slots=True)
class InstitutionFunds:
    """An institution's supervised funds (its purchases' prepaid and held accounts), what was released to it and
    not yet paid out, what was paid out to its own account (services.payouts), and its risk margin, in fen."""

    supervised: int
    released: int
    risk_margin: int
    paid_out: int


def institution_funds(institution_id: int) -> InstitutionFunds:
    sums = Account.objects.filter(institution_id=institution_id).aggregate(
        supervised=Coalesce(Sum("balance_fen", filter=Q(kind__in=[AccountKind.PREPAID, AccountKind.HELD])), 0),
        released=Coalesce(Sum("balance_fen", filter=Q(kind=AccountKind.RELEASED)), 0),
        margin=Coalesce(Sum("balance_fen", filter=Q(kind=AccountKind.RISK_MARGIN)), 0),
    )
    paid_out = Posting.objects.filter(
        account__institution_id=institution_id, account__kind=AccountKind.RELEASED, transfer__kind=TransferKind.PAYOUT
    ).aggregate(total=Coalesce(Sum("amount_fen"), 0))["total"]
    return InstitutionFunds(int(sums["supervised"]), int(sums["released"]), int(sums["margin"]), -int(paid_out))


@dataclass(frozen=True, slots=True)
class Coverage:
    """What an institution owes families (the lessons paid for and neither consumed nor refunded, at their
    contract price) against the money that backs it, in fen. The supervision desk's early warning reads this."""

    outstanding: int
    supervised: int
    risk_margin: int
    frozen: bool

    @property
    def shortfall(self) -> int:
        """How much of what is owed the supervised funds do not cover (0 when covered)."""
        return max(0, self.outstanding - self.supervised)


def coverage_by_institution(institution_ids: Collection[int] | None = None) -> dict[int, Coverage]:
    """Coverage of every institution admitted to fund supervision (or of those given), in two grouped queries."""
    ledgers = InstitutionLedger.objects.all()
    purchases = Purchase.objects.all()
    accounts = Account.objects.exclude(kind=AccountKind.CLEARING)
    if institution_ids is not None:
        ledgers = ledgers.filter(institution_id__in=institution_ids)
        purchases = purchases.filter(institution_id__in=institution_ids)
        accounts = accounts.filter(institution_id__in=institution_ids)
    remaining = F("lessons") - F("lessons_consumed") - F("lessons_refunded")
    owed = dict(
        purchases.values("institution_id")
        .annotate(owed=Sum(ExpressionWrapper(remaining * F("price_per_lesson_fen"), output_field=BigIntegerField())))
        .values_list("institution_id", "owed")
    )
    funds = {
        row["institution_id"]: row
        for row in accounts.values("institution_id").annotate(
            supervised=Coalesce(Sum("balance_fen", filter=Q(kind__in=[AccountKind.PREPAID, AccountKind.HELD])), 0),
            margin=Coalesce(Sum("balance_fen", filter=Q(kind=AccountKind.RISK_MARGIN)), 0),
        )
    }
    result = {}
    for institution_id, frozen_at in ledgers.values_list("institution_id", "frozen_at"):
        row: Mapping[str, Any] = funds.get(institution_id, {})
        result[institution_id] = Coverage(
            outstanding=int(owed.get(institution_id) or 0),
            supervised=int(row.get("supervised", 0)),
            risk_margin=int(row.get("margin", 0)),
            frozen=frozen_at is not None,
        )
    return result


def refunds_by_institution(since: datetime, until: datetime) -> dict[int, int]:
    """How many refunds each institution's purchases had in [since, until): a signal for the early warning."""
    rows = (
        Transfer.objects.filter(kind=TransferKind.REFUND, created_at__gte=since, created_at__lt=until)
        .values("purchase__institution_id")
        .annotate(n=Count("id"))
        .values_list("purchase__institution_id", "n")
    )
    return dict(rows)


def _in_region(region_code: str | None, institution: str) -> Q:
    """Rows whose institution (the lookup path `institution`) lies in the region (a county, city or province); all
    rows for None. NotFound for an unknown code."""
    if region_code is None:
        return Q()
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise NotFound("region")
    return in_region(region, f"{institution}__")


def pending_holds_by_county(region_code: str | None = None) -> dict[Region, list[Hold]]:
    """Pending (undisputed, unsettled) holds of open institutions, by the institution's county, oldest first; in
    one region (a county, a city or a province) or everywhere. For the automatic confirmation, a system job."""
    holds = Hold.objects.filter(_in_region(region_code, "purchase__institution"), status=HoldStatus.PENDING,
                                purchase__frozen=False)  # fmt: skip
    grouped: dict[Region, list[Hold]] = {}
    for hold in holds.select_related("purchase__institution__county__parent__parent").order_by("created_at", "pk"):
        grouped.setdefault(hold.purchase.institution.county, []).append(hold)
    return grouped


def released_by_institution(region_code: str | None = None) -> dict[int, list[tuple[int, int]]]:
    """The released money not yet paid out, by open (not frozen) supervised institution: (account, fen) of each
    purchase's released account holding some, by account id; in one region or everywhere. For the payout job."""
    open_ledgers = InstitutionLedger.objects.filter(frozen_at__isnull=True).values("institution_id")
    accounts = Account.objects.filter(
        _in_region(region_code, "institution"), kind=AccountKind.RELEASED, balance_fen__gt=0,
        institution_id__in=open_ledgers,
    ).order_by("institution_id", "pk")  # fmt: skip
    grouped: dict[int, list[tuple[int, int]]] = {}
    for institution_id, account_id, balance in accounts.values_list("institution_id", "pk", "balance_fen"):
        grouped.setdefault(institution_id, []).append((account_id, balance))
    return grouped
