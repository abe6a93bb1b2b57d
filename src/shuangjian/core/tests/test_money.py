"""Money shown as yuan: exact from integer fen, on pages with thousands separators."""

from decimal import Decimal

import pytest

from shuangjian.core import money
from shuangjian.core.templatetags import money as money_tags


@pytest.mark.parametrize(
    ("fen", "plain", "grouped"),
    [
        (0, "0.00", "0.00"),
        (5, "0.05", "0.05"),
        (100, "1.00", "1.00"),
        (123456, "1234.56", "1,234.56"),
        (-5, "-0.05", "-0.05"),
        (-123456, "-1234.56", "-1,234.56"),
        (9_007_199_254_740_993, "90071992547409.93", "90,071,992,547,409.93"),  # beyond a float's exact integers
    ],
)
def test_fen_become_yuan_exactly(fen: int, plain: str, grouped: str) -> None:
    assert money.yuan(fen) == plain
    assert money.yuan(fen, grouped=True) == grouped


@pytest.mark.parametrize(("value", "shown"), [(123456, "1,234.56"), (None, "—"), (True, "—"), ("12", "—")])
def test_the_page_filter_groups_thousands_and_marks_a_missing_amount(value: object, shown: str) -> None:
    assert money_tags.yuan(value) == shown


@pytest.mark.parametrize(("yuan", "fen"), [("45.5", 4550), ("0.01", 1), ("300", 30000), ("0", 0), ("-1.25", -125)])
def test_a_parsed_yuan_amount_becomes_fen_exactly(yuan: str, fen: int) -> None:
    assert money.fen(Decimal(yuan)) == fen
