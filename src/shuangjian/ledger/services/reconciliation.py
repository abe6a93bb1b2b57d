"""Reconciliation with the custodian bank (issue 6, item 4; docs/BANK_STATEMENT.md): the bureau imports the bank's
daily statement of the clearing account; it is stored whole, matched to the ledger's transfers through that
account, and every difference is listed with its reason. Nothing is adjusted: a difference is settled by a recorded
note, with the correcting transfer when money had to move (made through the ledger's own services)."""

import csv
import hashlib
import io
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shuangjian.core import access
from shuangjian.core.errors import DomainError
from shuangjian.core.models import Region, RegionLevel, Role
from shuangjian.ledger import rules
from shuangjian.ledger.errors import MESSAGES, PROBLEMS, LedgerError, StatementProblem, ledger_error
from shuangjian.ledger.models import BankStatement, Difference, DifferenceResolution, StatementLine
from shuangjian.ledger.selectors_reconciliation import (
    clearing_moves,
    difference_for,
    is_clearing_transfer,
    matched_transfer_ids,
)

RECONCILE = access.register_action("ledger.reconcile", [Role.BUREAU])
NOTE_MAX = 500


def _malformed(errors: tuple[rules.CellError, ...]) -> DomainError:
    first = errors[0]
    listed = [{"row": e.row, "column": e.column, "code": e.code, "value": e.value} for e in errors]
    return DomainError(
        LedgerError.STATEMENT_MALFORMED,
        MESSAGES[LedgerError.STATEMENT_MALFORMED],
        {"count": len(errors), "row": first.row, "column": first.column, "problem": PROBLEMS[first.code],
         "errors": listed},
    )  # fmt: skip


def _parsed(content: bytes) -> tuple[rules.StatementLineIn, ...]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _malformed((rules.CellError(1, "", StatementProblem.ENCODING, ""),)) from exc
    if "\0" in text:
        raise _malformed((rules.CellError(1, "", StatementProblem.ENCODING, ""),))
    try:
        parsed = rules.parse_statement(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _malformed((rules.CellError(1, "", StatementProblem.BAD_ROW, str(exc)[:80]),)) from exc
    if parsed.errors:
        raise _malformed(parsed.errors)
    return parsed.lines


def _city(actor: Any, region_code: str) -> tuple[Region, Region]:
    """The city (and its province) whose clearing account the statement is of."""
    city = Region.objects.filter(code=region_code).select_related("parent").first()
    province = city.parent if city is not None else None
    if city is None or city.level != RegionLevel.CITY or province is None:
        raise ledger_error(LedgerError.STATEMENT_REGION)
    access.require_region(actor, RECONCILE, city)
    return city, province


def statement_import(
    *, actor: Any, region_code: str, statement_date: date, content: bytes, file_name: str = ""
) -> tuple[BankStatement, bool]:
    """Import one daily statement of the city's clearing account; returns it and whether it is new. The same
    file again for the city returns the first import (its SHA-256 digest is unique per city). A malformed file
    is refused whole, with each bad cell's row and column (ledger.statement_malformed), and nothing is stored."""
    city, province = _city(actor, region_code)
    digest = hashlib.sha256(content).hexdigest()
    existing = BankStatement.objects.filter(city=city, digest=digest).first()
    if existing is not None:
        return existing, False
    lines = _parsed(content)
    try:
        return _statement_write(actor, city, province, statement_date, digest, file_name, lines), True
    except IntegrityError:  # the same file imported concurrently for the city
        first = BankStatement.objects.filter(city=city, digest=digest).first()
        if first is None:
            raise
        return first, False


@transaction.atomic(durable=True)
def _statement_write(
    actor: Any,
    city: Region,
    province: Region,
    statement_date: date,
    digest: str,
    file_name: str,
    lines: tuple[rules.StatementLineIn, ...],
) -> BankStatement:
    window = timedelta(days=rules.MATCH_WINDOW_DAYS)
    referenced = {i for line in lines if (i := rules.transfer_id_of(line.our_reference)) is not None}
    moves = clearing_moves(statement_date - window, statement_date + window, referenced)
    matches, found = rules.reconcile(
        lines, moves, statement_date=statement_date, matched_before=matched_transfer_ids(set(moves))
    )
    statement = BankStatement.objects.create(
        province=province, city=city, statement_date=statement_date, digest=digest,
        file_name=file_name.strip()[:200], line_count=len(lines),
        credit_fen=sum(line.amount_fen for line in lines if line.direction == "credit"),
        debit_fen=sum(line.amount_fen for line in lines if line.direction == "debit"),
        imported_at=timezone.now(), imported_by=actor,
    )  # fmt: skip
    by_row = {match.row: match for match in matches}
    saved = StatementLine.objects.bulk_create(
        StatementLine(
            statement=statement,
            row_number=line.row,
            bank_reference=line.bank_reference,
            value_date=line.value_date,
            direction=line.direction,
            amount_fen=line.amount_fen,
            counterparty=line.counterparty,
            our_reference=line.our_reference,
            transfer_id=by_row[line.row].transfer_id,
            match=by_row[line.row].method,
        )
        for line in lines
    )
    line_ids = {line.row_number: line.pk for line in saved}
    Difference.objects.bulk_create(
        Difference(
            statement=statement,
            kind=item.kind,
            line_id=line_ids.get(item.row) if item.row else None,
            transfer_id=item.transfer_id,
            bank_fen=item.bank_fen,
            ledger_fen=item.ledger_fen,
        )
        for item in found
    )
    return statement


@transaction.atomic(durable=True)
def difference_resolve(
    *, actor: Any, difference_id: int, note: str, correcting_reference: str = ""
) -> DifferenceResolution:
    """Settle a difference with a note (and, when money had to move, the reference of the correcting transfer
    made through the ledger services, e.g. a refund). A difference is settled once; nothing else changes."""
    difference = difference_for(actor, RECONCILE, difference_id)
    text = note.strip() if isinstance(note, str) else ""
    if not text or len(text) > NOTE_MAX:
        raise ledger_error(LedgerError.BAD_NOTE, max=NOTE_MAX)
    transfer_id = None
    if correcting_reference.strip():
        transfer_id = rules.transfer_id_of(correcting_reference.strip())
        if transfer_id is None or not is_clearing_transfer(transfer_id):
            raise ledger_error(LedgerError.BAD_CORRECTING_TRANSFER)
    if DifferenceResolution.objects.filter(difference_id=difference.pk).exists():
        raise ledger_error(LedgerError.DIFFERENCE_RESOLVED)
    try:
        with transaction.atomic():
            return DifferenceResolution.objects.create(
                difference=difference, note=text, correcting_transfer_id=transfer_id, resolved_by=actor,
                resolved_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError as exc:  # resolved concurrently: the one-to-one holds
        raise ledger_error(LedgerError.DIFFERENCE_RESOLVED) from exc
