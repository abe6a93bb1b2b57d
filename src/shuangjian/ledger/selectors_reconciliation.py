"""Reads for the reconciliation with the custodian bank: the clearing account's transfers around a statement's
date, what earlier statements matched, and the statements, lines and differences a bureau may see."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from shuangjian.core import access
from shuangjian.core.errors import AccessDenied, NotFound
from shuangjian.ledger import rules
from shuangjian.ledger.models import (
    AccountKind,
    BankStatement,
    Difference,
    DifferenceKind,
    DifferenceResolution,
    Posting,
    StatementLine,
)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def clearing_moves(first_day: date, last_day: date, transfer_ids: set[int]) -> dict[int, rules.LedgerMove]:
    """The transfers through the clearing account posted from `first_day` to `last_day` (Shanghai days), and
    those of `transfer_ids` that went through it, as money into supervision."""
    window = Q(
        transfer__created_at__gte=_start_of(first_day), transfer__created_at__lt=_start_of(last_day + timedelta(days=1))
    )
    rows = Posting.objects.filter(window | Q(transfer_id__in=transfer_ids), account__kind=AccountKind.CLEARING)
    return {
        transfer_id: rules.LedgerMove(transfer_id, timezone.localdate(created_at), -amount)
        for transfer_id, created_at, amount in rows.values_list("transfer_id", "transfer__created_at", "amount_fen")
    }


def matched_transfer_ids(transfer_ids: set[int]) -> set[int]:
    """Those of `transfer_ids` a line of an earlier statement was matched to."""
    found = StatementLine.objects.filter(transfer_id__in=transfer_ids).values_list("transfer_id", flat=True)
    return {transfer_id for transfer_id in found if transfer_id is not None}


def is_clearing_transfer(transfer_id: int) -> bool:
    return Posting.objects.filter(transfer_id=transfer_id, account__kind=AccountKind.CLEARING).exists()


def difference_for(actor: Any, action: str, difference_id: int) -> Difference:
    found = Difference.objects.filter(access.permitted(actor, action, Difference), pk=difference_id).first()
    if found is not None:
        return found
    if Difference.objects.filter(access.visible(actor, Difference), pk=difference_id).exists():
        raise AccessDenied(action)
    raise NotFound("difference")


def statement_list(*, actor: Any) -> QuerySet[BankStatement]:
    """The statements of the actor's cities, newest first, with their number of open differences."""
    return (
        BankStatement.objects.filter(access.visible(actor, BankStatement))
        .select_related("city", "imported_by")
        .annotate(
            open_differences=Count("differences", filter=Q(differences__resolution__isnull=True), distinct=True),
        )
        .order_by("-statement_date", "-pk")
    )


@dataclass(frozen=True, slots=True)
class DifferenceRow:
    difference: Difference
    resolution: DifferenceResolution | None


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """A statement with its lines (matched or not) and its differences, each with its resolution if any."""

    statement: BankStatement
    matched: list[StatementLine]
    unmatched: list[StatementLine]
    differences: list[DifferenceRow]

    @property
    def open_count(self) -> int:
        return sum(1 for row in self.differences if row.resolution is None)


def statement_get(*, actor: Any, statement_id: int) -> Reconciliation:
    statement = (
        BankStatement.objects.filter(access.visible(actor, BankStatement), pk=statement_id)
        .select_related("city", "imported_by")
        .first()
    )
    if statement is None:
        raise NotFound("statement")
    lines = list(statement.lines.select_related("transfer").order_by("row_number"))
    differences = statement.differences.select_related(
        "line", "transfer", "resolution__resolved_by", "resolution__correcting_transfer"
    ).order_by(F("line__row_number").asc(nulls_last=True), "pk")
    return Reconciliation(
        statement=statement,
        matched=[line for line in lines if line.transfer_id is not None],
        unmatched=[line for line in lines if line.transfer_id is None],
        differences=[DifferenceRow(d, getattr(d, "resolution", None)) for d in differences],
    )


def difference_out(row: DifferenceRow) -> dict[str, Any]:
    """A difference as the API and the pages show it: its reason in words, the row and transfer it concerns."""
    difference, resolution = row.difference, row.resolution
    correcting = resolution.correcting_transfer_id if resolution is not None else None
    return {
        "id": difference.pk,
        "kind": difference.kind,
        "reason": str(DifferenceKind(difference.kind).label),
        "row_number": difference.line.row_number if difference.line is not None else None,
        "bank_reference": difference.line.bank_reference if difference.line is not None else "",
        "transfer_reference": rules.transfer_reference(difference.transfer_id) if difference.transfer_id else None,
        "bank_fen": difference.bank_fen,
        "ledger_fen": difference.ledger_fen,
        "resolved": resolution is not None,
        "note": resolution.note if resolution is not None else "",
        "resolved_by": str(resolution.resolved_by) if resolution is not None else "",
        "correcting_reference": rules.transfer_reference(correcting) if correcting else None,
    }
