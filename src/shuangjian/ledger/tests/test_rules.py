"""Pure ledger rules: amounts, limits, keys and digests, the hash chain, legs, the largest remainder split."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuangjian.ledger import rules
from shuangjian.ledger.errors import LedgerError
from shuangjian.policy.rules import PolicySnapshot

NATIONAL = PolicySnapshot(
    region_code=None,
    values={
        "prepaid.max_months.non_academic": 3, "prepaid.max_class_hours.non_academic": 60,
        "prepaid.max_amount_fen.non_academic": 500_000, "prepaid.max_months.academic": 3,
        "prepaid.max_class_hours.academic": 60,
    },
)  # fmt: skip


@pytest.mark.parametrize(
    ("_case", "value", "code"),
    [("one fen", 1, ""), ("zero", 0, "ledger.amount_not_positive"), ("negative", -1, "ledger.amount_not_positive"),
     ("float", 1.0, "ledger.amount_not_integer"), ("decimal", Decimal(1), "ledger.amount_not_integer"),
     ("text", "1", "ledger.amount_not_integer"), ("boolean", True, "ledger.amount_not_integer")],
)  # fmt: skip
def test_amounts_are_positive_integer_fen(_case: str, value: object, code: str) -> None:
    assert rules.fen(value, "amount").code == code


@pytest.mark.parametrize(
    ("_case", "academic", "months", "lessons", "price", "code"),
    [("at every limit", False, 3, 50, 10_000, ""), ("one month over", False, 4, 1, 1, "ledger.over_months"),
     ("one class hour over", False, 1, 61, 1, "ledger.over_class_hours"),
     ("one fen over", False, 1, 1, 500_001, "ledger.over_amount"),
     ("academic: no amount cap", True, 3, 60, 100_000, "")],
)  # fmt: skip
def test_purchase_limits_follow_the_profile(
    _case: str, academic: bool, months: int, lessons: int, price: int, code: str
) -> None:
    decision = rules.purchase_allowed(
        NATIONAL, academic=academic, months=months, lessons=lessons, price_per_lesson_fen=price
    )
    assert decision.code == code


def test_every_code_a_rule_returns_is_a_ledger_error() -> None:
    codes = {"ledger.amount_not_integer", "ledger.amount_not_positive", "ledger.over_months",
             "ledger.over_class_hours", "ledger.over_amount"}  # fmt: skip
    assert codes <= {error.value for error in LedgerError}


@pytest.mark.parametrize(
    ("key", "valid"), [("a1b2c3d4", True), ("x" * 80, True), ("a1b2c3d", False), ("x" * 81, False),
                       ("has space1", False), (12345678, False)],
)  # fmt: skip
def test_idempotency_keys(key: object, valid: bool) -> None:
    assert rules.key_valid(key) is valid


def test_the_digest_covers_the_request_not_the_order_of_its_fields() -> None:
    assert rules.request_digest("refund", purchase=1, lessons=2) == rules.request_digest(
        "refund", lessons=2, purchase=1
    )
    assert rules.request_digest("refund", purchase=1, lessons=2) != rules.request_digest(
        "refund", purchase=1, lessons=3
    )
    assert rules.request_digest("refund", purchase=1, lessons=None) != rules.request_digest("void", purchase=1)


def test_the_posting_hash_chains_and_matches_the_sql_text() -> None:
    first = rules.posting_hash(rules.GENESIS_HASH, 7, 1, 42, "purchase", 10_000)
    # sha256('|7|1|42|purchase|10000'), as PostgreSQL's concat_ws('|', '', 7, 1, 42, 'purchase', 10000) hashes it
    assert first == "0ef5fdcff363f62b3874bfac24b59eee0ebf5fbb64275fddfdc26920364e33f1"
    second = rules.posting_hash(first, 7, 2, 43, "hold", -1_000)
    assert second != rules.posting_hash(rules.GENESIS_HASH, 7, 2, 43, "hold", -1_000)


@pytest.mark.parametrize(
    ("legs", "balanced"),
    [(((1, -5), (2, 5)), True), (((1, -5), (2, 3), (3, 2)), True), (((1, 0), (2, 0)), False),
     (((1, -5),), False), (((1, -5), (1, 5)), False), (((1, -5), (2, 4)), False), (((1, -5), (2, 5.0)), False)],
)  # fmt: skip
def test_legs_balance(legs: tuple[tuple[int, int], ...], balanced: bool) -> None:
    assert rules.legs_balanced(legs) is balanced


@pytest.mark.parametrize(
    ("total", "weights", "shares"),
    [(100, {1: 100, 2: 100, 3: 100}, {1: 34, 2: 33, 3: 33}), (300, {1: 100, 2: 100, 3: 100}, {1: 100, 2: 100, 3: 100}),
     (2, {5: 1, 3: 2}, {5: 1, 3: 1}), (1, {9: 1, 4: 1}, {9: 0, 4: 1}), (0, {1: 5}, {1: 0})],
)  # fmt: skip
def test_largest_remainder_table(total: int, weights: dict[int, int], shares: dict[int, int]) -> None:
    assert rules.largest_remainder(total, weights) == shares


@given(
    weights=st.dictionaries(st.integers(1, 10_000), st.integers(1, 10**9), min_size=1, max_size=30),
    fraction=st.fractions(0, 1),
)
def test_largest_remainder_sums_exactly_and_never_exceeds_a_claim(weights: dict[int, int], fraction: object) -> None:
    whole = sum(weights.values())
    total = int(whole * fraction)  # type: ignore[operator]
    shares = rules.largest_remainder(total, weights)
    assert sum(shares.values()) == total
    for key, weight in weights.items():
        exact = total * weight / whole
        assert shares[key] <= weight and abs(shares[key] - exact) < 1


def test_largest_remainder_refuses_impossible_splits() -> None:
    for total, weights in ((5, {1: 4}), (-1, {1: 4}), (1, {1: 0}), (1, {})):
        with pytest.raises(ValueError, match="largest_remainder"):
            rules.largest_remainder(total, weights)
