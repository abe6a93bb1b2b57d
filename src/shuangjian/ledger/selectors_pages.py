"""Reads for the escrow pages and the API: a guardian's purchases with where their money is, an institution's
balances, and the bureau's coverage table. Each starts from core.access (MONEY_READERS: the student's own account
reaches none of it)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role
from shuangjian.ledger.models import (
    Account,
    AccountKind,
    Hold,
    HoldStatus,
    InstitutionLedger,
    Purchase,
)
from shuangjian.ledger.selectors import (
    MONEY_READERS,
    Coverage,
    InstitutionFunds,
    PurchaseStatement,
    coverage_by_institution,
    institution_funds,
    purchase_statements,
)

_OPEN_HOLDS = (HoldStatus.PENDING, HoldStatus.DISPUTED)


def purchase_list(*, actor: Any) -> QuerySet[Purchase]:
    """The purchases the actor may see (their children's, their institution's, their region's), newest first."""
    return (
        Purchase.objects.filter(access.visible(actor, Purchase, MONEY_READERS))
        .select_related("institution", "student")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True, slots=True)
class PurchaseView:
    """A purchase, where its money is, and its delivered lessons still awaiting the guardian (oldest first)."""

    purchase: Purchase
    statement: PurchaseStatement
    open_holds: list[Hold]

    @property
    def lessons_remaining(self) -> int:
        p = self.purchase
        return p.lessons - p.lessons_held - p.lessons_consumed - p.lessons_refunded


def purchase_views(purchases: list[Purchase]) -> list[PurchaseView]:
    statements = purchase_statements(purchases)
    holds: dict[int, list[Hold]] = {}
    for hold in Hold.objects.filter(purchase__in=purchases, status__in=_OPEN_HOLDS).order_by("created_at", "pk"):
        holds.setdefault(hold.purchase_id, []).append(hold)
    return [PurchaseView(p, statements[p.pk], holds.get(p.pk, [])) for p in purchases]


def family_purchases(*, actor: Any) -> list[PurchaseView]:
    """A guardian's purchases for their children (only through the guardian role)."""
    purchases = list(
        Purchase.objects.filter(access.visible(actor, Purchase, [Role.GUARDIAN]))
        .select_related("institution", "student")
        .order_by("-created_at", "-pk")
    )
    return purchase_views(purchases)


def purchase_view(*, actor: Any, purchase_id: int) -> PurchaseView:
    purchase = list(purchase_list(actor=actor).filter(pk=purchase_id)[:1])
    if not purchase:
        raise NotFound("purchase")
    return purchase_views(purchase)[0]


def ledger_list(*, actor: Any) -> QuerySet[InstitutionLedger]:
    """The supervised institutions the actor reaches (bureau, inspectors: their region; an operator: its own)."""
    return (
        InstitutionLedger.objects.filter(access.visible(actor, InstitutionLedger))
        .select_related("institution__county")
        .order_by("institution__county__code", "institution__name", "pk")
    )


@dataclass(frozen=True, slots=True)
class InstitutionOverview:
    ledger: InstitutionLedger
    funds: InstitutionFunds
    held: int
    purchases: list[PurchaseView]


def institution_overview(*, actor: Any, institution_id: int, limit: int = 200) -> InstitutionOverview:
    """An institution's supervised, held and released funds, its risk margin, and its newest purchases."""
    ledger = ledger_list(actor=actor).filter(pk=institution_id).first()
    if ledger is None:
        raise NotFound("institution")
    held = Account.objects.filter(institution_id=institution_id, kind=AccountKind.HELD).aggregate(
        total=Coalesce(Sum("balance_fen"), 0)
    )["total"]
    purchases = list(purchase_list(actor=actor).filter(institution_id=institution_id)[:limit])
    return InstitutionOverview(ledger, institution_funds(institution_id), int(held), purchase_views(purchases))


@dataclass(frozen=True, slots=True)
class CoverageRow:
    institution_id: int
    name: str
    county: str
    coverage: Coverage


@dataclass(frozen=True, slots=True)
class CoverageTable:
    rows: list[CoverageRow]
    outstanding: int
    supervised: int
    risk_margin: int
    shortfall: int

    @property
    def short_count(self) -> int:
        return sum(1 for row in self.rows if row.coverage.shortfall)


def coverage_table(*, actor: Any) -> CoverageTable:
    """Per supervised institution in the actor's reach: what it owes families against its supervised funds and
    risk margin, the largest shortfall first; with totals."""
    ledgers = list(ledger_list(actor=actor))
    coverage = coverage_by_institution([ledger.pk for ledger in ledgers])
    rows = [
        CoverageRow(ledger.pk, ledger.institution.name, ledger.institution.county.name, coverage[ledger.pk])
        for ledger in ledgers
        if ledger.pk in coverage
    ]
    rows.sort(key=lambda row: (-row.coverage.shortfall, row.county, row.name))
    return CoverageTable(
        rows=rows,
        outstanding=sum(row.coverage.outstanding for row in rows),
        supervised=sum(row.coverage.supervised for row in rows),
        risk_margin=sum(row.coverage.risk_margin for row in rows),
        shortfall=sum(row.coverage.shortfall for row in rows),
    )
