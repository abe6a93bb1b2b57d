"""Pure ledger rules (no Django): amounts in integer fen, the purchase limits of the policy profile, idempotency
keys and request digests, the posting hash chain, the pro-rata split of a risk-margin draw, when a lesson is
confirmed automatically, and the bank statement: its CSV cells and its matching against the ledger.

The codes returned are LedgerError values (ledger/errors.py); they are spelled out here because this module may
not import Django.
"""

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date

from shuangjian.policy import rules as policy_rules
from shuangjian.policy.errors import PolicyError
from shuangjian.policy.rules import Decision, PolicySnapshot

OK = Decision(True)
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,80}$")
TITLE_MAX = 100  # Purchase.course_title
GENESIS_HASH = ""  # the "previous hash" of an account's first posting

_POLICY_TO_LEDGER = {
    PolicyError.PREPAID_MONTHS_EXCEEDED: "ledger.over_months",
    PolicyError.PREPAID_CLASS_HOURS_EXCEEDED: "ledger.over_class_hours",
    PolicyError.PREPAID_AMOUNT_EXCEEDED: "ledger.over_amount",
}


def fen(value: object, field: str) -> Decision:
    """An amount or count must be a positive integer: no floats, Decimals, strings or booleans."""
    if isinstance(value, bool) or not isinstance(value, int):
        return Decision(False, "ledger.amount_not_integer", {"field": field, "value": value})
    if value <= 0:
        return Decision(False, "ledger.amount_not_positive", {"field": field, "value": value})
    return OK


def first_refusal(*decisions: Decision) -> Decision:
    return next((decision for decision in decisions if not decision.ok), OK)


def purchase_allowed(
    profile: PolicySnapshot, *, academic: bool, months: int, lessons: int, price_per_lesson_fen: int
) -> Decision:
    """F4/F5: one collection covers at most the profile's months and class hours (one lesson = one class hour)
    and, where the profile sets one, at most its amount."""
    decision = first_refusal(
        fen(lessons, "lessons"), fen(price_per_lesson_fen, "price_per_lesson_fen"), fen(months, "months")
    )
    if not decision.ok:
        return decision
    verdict = policy_rules.prepaid_collection_allowed(
        profile, academic=academic, months=months, class_hours=lessons, amount_fen=lessons * price_per_lesson_fen
    )
    if verdict.ok:
        return OK
    return Decision(False, _POLICY_TO_LEDGER[PolicyError(verdict.code)], verdict.params)


def key_valid(key: object) -> bool:
    return isinstance(key, str) and KEY_PATTERN.fullmatch(key) is not None


def request_digest(operation: str, **params: object) -> str:
    """SHA-256 of the canonical request: the same key with the same request replays, with another conflicts."""
    text = json.dumps([operation, params], sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def posting_hash(previous: str, account_id: int, seq: int, transfer_id: int, kind: str, amount_fen: int) -> str:
    """The hash of an account's posting number `seq`, covering the hash of its posting `seq - 1`. The PL/pgSQL
    function ledger_post (migrations 0002 and 0006) computes the same text:
    encode(sha256(convert_to(concat_ws('|', previous, account, seq, transfer, kind, amount), 'UTF8')), 'hex')."""
    text = "|".join((previous, str(account_id), str(seq), str(transfer_id), kind, str(amount_fen)))
    return hashlib.sha256(text.encode()).hexdigest()


def legs_balanced(legs: Iterable[tuple[int, int]]) -> bool:
    """At least two legs, on distinct accounts, none zero, summing to zero."""
    pairs = list(legs)
    accounts = [account for account, _amount in pairs]
    return (
        len(pairs) >= 2
        and len(set(accounts)) == len(accounts)
        and all(isinstance(amount, int) and not isinstance(amount, bool) and amount != 0 for _a, amount in pairs)
        and sum(amount for _a, amount in pairs) == 0
    )


def largest_remainder(total: int, weights: Mapping[int, int]) -> dict[int, int]:
    """Split `total` fen over `weights` pro rata so that the shares sum to exactly `total` (docs/adr/0005).

    Each key first gets floor(total * weight / sum); the fen left over go one each to the keys with the largest
    remainders, ties to the smaller key. Requires 0 <= total <= sum of the weights, every weight positive.
    """
    whole = sum(weights.values())
    if whole <= 0 or any(weight <= 0 for weight in weights.values()) or not 0 <= total <= whole:
        raise ValueError("largest_remainder needs positive weights and 0 <= total <= their sum")
    shares = {key: total * weight // whole for key, weight in weights.items()}
    left = total - sum(shares.values())
    by_remainder = sorted(weights, key=lambda key: (-(total * weights[key] % whole), key))
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares


# Automatic confirmation (一课一消, docs/adr/0009)


AUTO_CONFIRM_DAYS = "escrow.auto_confirm_days"


def auto_confirm_days(profile: PolicySnapshot) -> int | None:
    value = profile.get(AUTO_CONFIRM_DAYS)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def auto_confirm_due(delivered_on: date, today: date, days: int | None) -> bool:
    """A pending (undisputed) hold is confirmed automatically once `days` whole days have passed since the lesson;
    a region that sets no number confirms nothing automatically."""
    return days is not None and (today - delivered_on).days >= days


# The custodian bank's daily statement (docs/BANK_STATEMENT.md)

REFERENCE_PREFIX = "SJ"
MAX_STATEMENT_LINES = 20_000  # one day of one city's clearing account; a larger file is refused, not truncated
MAX_ERRORS_LISTED = 20
MATCH_WINDOW_DAYS = 1  # a value date may lag the ledger by one day (bank cut-off); more is a difference
REQUIRED_COLUMNS = ("bank_reference", "value_date", "direction")
OPTIONAL_COLUMNS = ("counterparty", "our_reference")
AMOUNT_COLUMNS = ("amount_fen", "amount_yuan")
_DIRECTIONS = {"c": "credit", "credit": "credit", "贷": "credit", "d": "debit", "debit": "debit", "借": "debit"}
_FEN = re.compile(r"^[0-9]{1,15}$")
_YUAN = re.compile(r"^([0-9]{1,13})\.([0-9]{2})$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_REFERENCE = re.compile(r"^SJ([0-9]{1,18})$")


def transfer_reference(transfer_id: int) -> str:
    """The reference the platform gives the bank for a transfer through the clearing account: SJ + 10 digits."""
    return f"{REFERENCE_PREFIX}{transfer_id:010d}"


def transfer_id_of(reference: str) -> int | None:
    found = _REFERENCE.fullmatch(reference)
    return int(found.group(1)) if found else None


@dataclass(frozen=True, slots=True)
class StatementLineIn:
    row: int  # the line of the file, the header being line 1
    bank_reference: str
    value_date: date
    direction: str  # "credit" (into supervision) or "debit"
    amount_fen: int
    counterparty: str
    our_reference: str

    @property
    def inflow_fen(self) -> int:
        return self.amount_fen if self.direction == "credit" else -self.amount_fen


@dataclass(frozen=True, slots=True)
class CellError:
    """A refusal of one cell (row 1 is the header): `code` is one of the ledger.statement_* codes."""

    row: int
    column: str
    code: str
    value: str


@dataclass(frozen=True, slots=True)
class ParsedStatement:
    lines: tuple[StatementLineIn, ...]
    errors: tuple[CellError, ...]


def amount_to_fen(text: str, column: str) -> int | None:
    """`amount_fen`: a positive whole number of fen; `amount_yuan`: yuan with exactly two decimals, converted
    exactly (no float). None when the text is not such an amount, or is zero."""
    if column == "amount_fen":
        value = int(text) if _FEN.fullmatch(text) else 0
    else:
        found = _YUAN.fullmatch(text)
        value = int(found.group(1)) * 100 + int(found.group(2)) if found else 0
    return value or None


def _date(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _header_errors(header: list[str]) -> list[CellError]:
    known = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, *AMOUNT_COLUMNS)
    errors = [CellError(1, name, "ledger.statement_unknown_column", name) for name in header if name not in known]
    errors += [
        CellError(1, name, "ledger.statement_missing_column", "") for name in REQUIRED_COLUMNS if name not in header
    ]
    errors += [
        CellError(1, name, "ledger.statement_duplicate_column", name) for name in set(header) if header.count(name) > 1
    ]
    if sum(name in header for name in AMOUNT_COLUMNS) != 1:
        errors.append(CellError(1, "amount_fen|amount_yuan", "ledger.statement_amount_column", ",".join(header)))
    return errors


def _line(row: int, cells: dict[str, str], amount_column: str, errors: list[CellError]) -> StatementLineIn | None:
    before = len(errors)

    def refuse(column: str, code: str) -> None:
        errors.append(CellError(row, column, code, cells.get(column, "")[:80]))

    reference = cells["bank_reference"]
    if not 1 <= len(reference) <= 64:
        refuse("bank_reference", "ledger.statement_bad_reference")
    value_date = _date(cells["value_date"])
    if value_date is None:
        refuse("value_date", "ledger.statement_bad_date")
    direction = _DIRECTIONS.get(cells["direction"].lower())
    if direction is None:
        refuse("direction", "ledger.statement_bad_direction")
    amount = amount_to_fen(cells[amount_column], amount_column)
    if amount is None:
        refuse(amount_column, "ledger.statement_bad_amount")
    if len(cells.get("counterparty", "")) > 100:
        refuse("counterparty", "ledger.statement_too_long")
    ours = cells.get("our_reference", "")
    if ours and transfer_id_of(ours) is None:
        refuse("our_reference", "ledger.statement_bad_our_reference")
    if len(errors) > before or value_date is None or direction is None or amount is None:
        return None
    return StatementLineIn(row, reference, value_date, direction, amount, cells.get("counterparty", ""), ours)


def parse_statement(rows: Iterable[list[str]]) -> ParsedStatement:
    """Check every cell of a statement read as CSV rows (header first). The file is taken whole or not at all:
    any error refuses it, and every error found is listed (the first MAX_ERRORS_LISTED)."""
    iterator = iter(rows)
    header = [name.strip() for name in next(iterator, [])]
    if not any(header):
        return ParsedStatement((), (CellError(1, "", "ledger.statement_empty", ""),))
    errors = _header_errors(header)
    if errors:
        return ParsedStatement((), tuple(errors))
    amount_column = next(name for name in AMOUNT_COLUMNS if name in header)
    lines: list[StatementLineIn] = []
    seen: dict[str, int] = {}
    for row, cells in enumerate(iterator, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line (a trailing newline in a spreadsheet export)
        if len(cells) != len(header):
            errors.append(CellError(row, "", "ledger.statement_bad_row", str(len(cells))))
            continue
        line = _line(row, dict(zip(header, (cell.strip() for cell in cells), strict=True)), amount_column, errors)
        if line is not None:
            if line.bank_reference in seen:
                errors.append(
                    CellError(row, "bank_reference", "ledger.statement_repeated_reference", line.bank_reference)
                )
            seen[line.bank_reference] = row
            lines.append(line)
        if len(lines) > MAX_STATEMENT_LINES:
            errors.append(CellError(row, "", "ledger.statement_too_many_lines", str(MAX_STATEMENT_LINES)))
            break
    if not lines and not errors:
        errors.append(CellError(2, "", "ledger.statement_empty", ""))
    return ParsedStatement(tuple(lines) if not errors else (), tuple(errors[:MAX_ERRORS_LISTED]))


@dataclass(frozen=True, slots=True)
class LedgerMove:
    """A transfer through the clearing account as the bank should see it: money into supervision (negative: out)
    on the Shanghai day it was posted."""

    transfer_id: int
    day: date
    inflow_fen: int


@dataclass(frozen=True, slots=True)
class LineMatch:
    row: int
    transfer_id: int | None
    method: str  # "reference", "amount_date" or "none"


@dataclass(frozen=True, slots=True)
class Found:
    """A difference: its kind (a DifferenceKind value), the statement row and transfer it concerns, the amounts."""

    kind: str
    row: int | None
    transfer_id: int | None
    bank_fen: int | None
    ledger_fen: int | None


def reconcile(
    lines: Sequence[StatementLineIn],
    moves: Mapping[int, LedgerMove],
    *,
    statement_date: date,
    matched_before: Set[int],
    window_days: int = MATCH_WINDOW_DAYS,
) -> tuple[list[LineMatch], list[Found]]:
    """Match statement lines to ledger moves, first by our reference, then by amount and date, and list every
    difference. `moves` holds the clearing account's transfers the lines refer to and those of the days around
    the statement date; `matched_before`, the transfers earlier statements already matched."""
    taken: set[int] = set(matched_before)
    matches: list[LineMatch] = []
    found: list[Found] = []
    for line in lines:
        if not line.our_reference:
            continue
        transfer_id = transfer_id_of(line.our_reference)
        move = moves.get(transfer_id) if transfer_id is not None else None
        if move is None:
            found.append(Found("missing_in_ledger", line.row, None, line.inflow_fen, None))
            matches.append(LineMatch(line.row, None, "none"))
        elif move.transfer_id in taken:
            found.append(Found("duplicate", line.row, move.transfer_id, line.inflow_fen, move.inflow_fen))
            matches.append(LineMatch(line.row, None, "none"))
        else:
            taken.add(move.transfer_id)
            matches.append(LineMatch(line.row, move.transfer_id, "reference"))
            if move.inflow_fen != line.inflow_fen:
                found.append(Found("amount_differs", line.row, move.transfer_id, line.inflow_fen, move.inflow_fen))
            if abs((line.value_date - move.day).days) > window_days:
                found.append(Found("date_outside_window", line.row, move.transfer_id, line.inflow_fen, move.inflow_fen))
    for line in lines:
        if line.our_reference:
            continue
        candidates = [
            move for move in moves.values()
            if move.transfer_id not in taken and move.inflow_fen == line.inflow_fen
            and abs((line.value_date - move.day).days) <= window_days
        ]  # fmt: skip
        if not candidates:
            found.append(Found("missing_in_ledger", line.row, None, line.inflow_fen, None))
            matches.append(LineMatch(line.row, None, "none"))
            continue
        best = min(candidates, key=lambda m: (abs((line.value_date - m.day).days), m.transfer_id))
        taken.add(best.transfer_id)
        matches.append(LineMatch(line.row, best.transfer_id, "amount_date"))
    for move in sorted(moves.values(), key=lambda m: m.transfer_id):
        if move.day == statement_date and move.transfer_id not in taken:
            found.append(Found("missing_at_bank", None, move.transfer_id, None, move.inflow_fen))
    matches.sort(key=lambda m: m.row)
    return matches, found
