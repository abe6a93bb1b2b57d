"""The bank statement's CSV cells and its matching against the ledger (rules.parse_statement, rules.reconcile),
and when a lesson is confirmed automatically (rules.auto_confirm_due). No database."""

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuangjian.ledger import rules
from shuangjian.ledger.rules import LedgerMove, StatementLineIn

HEADER = "bank_reference,value_date,direction,amount_fen,counterparty,our_reference"
DAY = date(2026, 11, 2)


def parse(text: str) -> rules.ParsedStatement:
    return rules.parse_statement(csv.reader(io.StringIO(text)))


def codes(parsed: rules.ParsedStatement) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.code) for e in parsed.errors]


def test_a_good_file_is_read_whole() -> None:
    # when
    parsed = parse(f"{HEADER}\nB1,2026-11-02,C,12345,王大明,SJ0000000007\nB2,2026-11-02,借,500,,\n\n")
    # then
    assert parsed.errors == ()
    assert parsed.lines == (
        StatementLineIn(2, "B1", DAY, "credit", 12345, "王大明", "SJ0000000007"),
        StatementLineIn(3, "B2", DAY, "debit", 500, "", ""),
    )
    assert [line.inflow_fen for line in parsed.lines] == [12345, -500]


@pytest.mark.parametrize(
    ("_case", "text", "fen"),
    [
        ("two decimals", "1234.50", 123450),
        ("one fen", "0.01", 1),
        ("large, exact", "9999999999999.99", 999999999999999),
    ],
)
def test_yuan_with_two_decimals_convert_exactly(_case: str, text: str, fen: int) -> None:
    assert rules.amount_to_fen(text, "amount_yuan") == fen


@pytest.mark.parametrize(
    ("_case", "text", "column"),
    [
        ("zero fen", "0", "amount_fen"),
        ("negative", "-5", "amount_fen"),
        ("fen with decimals", "12.5", "amount_fen"),
        ("one decimal", "12.5", "amount_yuan"),
        ("three decimals", "12.345", "amount_yuan"),
        ("no decimals", "12", "amount_yuan"),
        ("thousands separator", "1,234.00", "amount_yuan"),
        ("zero yuan", "0.00", "amount_yuan"),
        ("sign", "+1.00", "amount_yuan"),
        ("exponent", "1e3", "amount_fen"),
    ],
)
def test_bad_amounts_are_not_amounts(_case: str, text: str, column: str) -> None:
    assert rules.amount_to_fen(text, column) is None


@given(st.integers(min_value=1, max_value=10**15 - 1))
def test_yuan_text_round_trips_to_fen(fen: int) -> None:
    assert rules.amount_to_fen(f"{fen // 100}.{fen % 100:02d}", "amount_yuan") == fen


@pytest.mark.parametrize(
    ("_case", "text", "expected"),
    [
        ("empty file", "", [(1, "", "ledger.statement_empty")]),
        ("header only", f"{HEADER}\n", [(2, "", "ledger.statement_empty")]),
        ("unknown column", "bank_reference,value_date,direction,amount_fen,memo\n",
         [(1, "memo", "ledger.statement_unknown_column")]),
        ("missing column", "bank_reference,direction,amount_fen\n",
         [(1, "value_date", "ledger.statement_missing_column")]),
        ("both amount columns", "bank_reference,value_date,direction,amount_fen,amount_yuan\n",
         [(1, "amount_fen|amount_yuan", "ledger.statement_amount_column")]),
        ("no amount column", "bank_reference,value_date,direction\n",
         [(1, "amount_fen|amount_yuan", "ledger.statement_amount_column")]),
        ("duplicate column", "bank_reference,value_date,direction,amount_fen,value_date\n",
         [(1, "value_date", "ledger.statement_duplicate_column")]),
        ("short row", f"{HEADER}\nB1,2026-11-02,C\n", [(2, "", "ledger.statement_bad_row")]),
        ("bad date", f"{HEADER}\nB1,2026-02-30,C,100,,\n", [(2, "value_date", "ledger.statement_bad_date")]),
        ("date format", f"{HEADER}\nB1,2026/11/02,C,100,,\n", [(2, "value_date", "ledger.statement_bad_date")]),
        ("direction", f"{HEADER}\nB1,2026-11-02,X,100,,\n", [(2, "direction", "ledger.statement_bad_direction")]),
        ("amount", f"{HEADER}\nB1,2026-11-02,C,0,,\n", [(2, "amount_fen", "ledger.statement_bad_amount")]),
        ("empty reference", f"{HEADER}\n,2026-11-02,C,100,,\n",
         [(2, "bank_reference", "ledger.statement_bad_reference")]),
        ("our reference", f"{HEADER}\nB1,2026-11-02,C,100,,T-17\n",
         [(2, "our_reference", "ledger.statement_bad_our_reference")]),
        ("repeated bank reference", f"{HEADER}\nB1,2026-11-02,C,100,,\nB1,2026-11-02,C,200,,\n",
         [(3, "bank_reference", "ledger.statement_repeated_reference")]),
        ("long counterparty", f"{HEADER}\nB1,2026-11-02,C,100,{'名' * 101},\n",
         [(2, "counterparty", "ledger.statement_too_long")]),
    ],
)  # fmt: skip
def test_a_malformed_file_is_refused_whole_with_row_and_column(_case: str, text: str, expected: list[object]) -> None:
    # when
    parsed = parse(text)
    # then: every problem listed, and no line kept
    assert codes(parsed) == expected
    assert parsed.lines == ()


def test_every_bad_cell_of_a_row_is_listed() -> None:
    parsed = parse(f"{HEADER}\nB1,2026-13-01,Z,-1,,\nB2,2026-11-02,C,100,,\n")
    assert codes(parsed) == [
        (2, "value_date", "ledger.statement_bad_date"),
        (2, "direction", "ledger.statement_bad_direction"),
        (2, "amount_fen", "ledger.statement_bad_amount"),
    ]
    assert parsed.lines == ()


def line(row: int, inflow: int, reference: str = "", day: date = DAY) -> StatementLineIn:
    direction = "credit" if inflow > 0 else "debit"
    return StatementLineIn(row, f"B{row}", day, direction, abs(inflow), "", reference)


def move(transfer_id: int, inflow: int, day: date = DAY) -> tuple[int, LedgerMove]:
    return transfer_id, LedgerMove(transfer_id, day, inflow)


def kinds(found: list[rules.Found]) -> list[tuple[str, int | None, int | None]]:
    return [(f.kind, f.row, f.transfer_id) for f in found]


def test_lines_match_by_reference_then_by_amount_and_date() -> None:
    # given: a purchase (by reference), a refund (no reference), a margin deposit from the day before
    moves = dict([move(7, 72_000), move(8, -6_000), move(9, 500_000, date(2026, 11, 1))])
    lines = [line(2, 72_000, "SJ0000000007"), line(3, -6_000), line(4, 500_000)]
    # when
    matches, found = rules.reconcile(lines, moves, statement_date=DAY, matched_before=set())
    # then
    assert [(m.row, m.transfer_id, m.method) for m in matches] == [
        (2, 7, "reference"),
        (3, 8, "amount_date"),
        (4, 9, "amount_date"),
    ]
    assert found == []


@pytest.mark.parametrize(
    ("_case", "lines", "moves", "before", "expected"),
    [
        ("missing in ledger: unknown reference", [line(2, 100, "SJ0000000099")], [], set(),
         [("missing_in_ledger", 2, None)]),
        ("missing in ledger: no such amount", [line(2, 100)], [move(7, 200)], set(),
         [("missing_in_ledger", 2, None), ("missing_at_bank", None, 7)]),
        ("missing at bank", [], [move(7, 200)], set(), [("missing_at_bank", None, 7)]),
        ("amount differs", [line(2, 150, "SJ0000000007")], [move(7, 200)], set(), [("amount_differs", 2, 7)]),
        ("direction differs", [line(2, -200, "SJ0000000007")], [move(7, 200)], set(), [("amount_differs", 2, 7)]),
        ("duplicate within the file", [line(2, 200, "SJ0000000007"), line(3, 200, "SJ0000000007")], [move(7, 200)],
         set(), [("duplicate", 3, 7)]),
        ("duplicate of an earlier statement", [line(2, 200, "SJ0000000007")], [move(7, 200, date(2026, 11, 1))],
         {7}, [("duplicate", 2, 7)]),
        ("date outside the window", [line(2, 200, "SJ0000000007", date(2026, 11, 5))], [move(7, 200)], set(),
         [("date_outside_window", 2, 7)]),
        ("no amount match outside the window", [line(2, 200, "", date(2026, 11, 5))], [move(7, 200)], set(),
         [("missing_in_ledger", 2, None), ("missing_at_bank", None, 7)]),
    ],
)  # fmt: skip
def test_every_difference_is_listed_with_its_reason(
    _case: str,
    lines: list[StatementLineIn],
    moves: list[tuple[int, LedgerMove]],
    before: set[int],
    expected: list[object],
) -> None:
    # when
    _matches, found = rules.reconcile(lines, dict(moves), statement_date=DAY, matched_before=before)
    # then
    assert kinds(found) == expected


def test_an_amount_difference_keeps_both_amounts() -> None:
    _matches, found = rules.reconcile(
        [line(2, 150, "SJ0000000007")], dict([move(7, 200)]), statement_date=DAY, matched_before=set()
    )
    assert (found[0].bank_fen, found[0].ledger_fen) == (150, 200)


def test_references_are_sj_and_ten_digits() -> None:
    assert rules.transfer_reference(1234) == "SJ0000001234"
    assert rules.transfer_id_of("SJ0000001234") == 1234
    assert rules.transfer_id_of("sj0000001234") is None
    assert rules.transfer_id_of("SJ") is None


@pytest.mark.parametrize(
    ("_case", "delivered", "days", "due"),
    [
        ("the day of the lesson", date(2026, 11, 2), 7, False),
        ("one day short", date(2026, 10, 27), 7, False),
        ("exactly the days", date(2026, 10, 26), 7, True),
        ("long overdue", date(2026, 9, 1), 7, True),
        ("no number set: never", date(2020, 1, 1), None, False),
    ],
)
def test_a_hold_is_due_after_the_regions_days(_case: str, delivered: date, days: int | None, due: bool) -> None:
    assert rules.auto_confirm_due(delivered, DAY, days) is due
