"""Pure rules of staffing, fees and the survey, with a tightened local profile (no database)."""

from datetime import date, timedelta

import pytest

from shuangjian.afterschool import rules_money
from shuangjian.afterschool.rules import ServiceDay
from shuangjian.policy.rules import Layer, LayerRef, merge

NATIONAL = Layer(LayerRef(None, 1, date(2021, 9, 1)), {"afterschool.days_per_week": 5})
CITY = Layer(
    LayerRef("411400", 1, date(2026, 9, 1)),
    {
        "afterschool.fee_max_fen_per_class_hour": 300,
        "afterschool.fee_max_fen_per_term": 40000,
        "afterschool.teacher_pay_min_fen_per_class_hour": 5000,
        "afterschool.flexible_start_minutes_per_service_day": 30,
    },
)
TIGHTER = Layer(LayerRef("411402", 1, date(2026, 9, 1)), {"afterschool.fee_max_fen_per_class_hour": 250})
# Two weeks of Monday-Friday service, then a Saturday make-up day on Friday's timetable.
MONDAY = date(2026, 9, 7)
DAYS = [ServiceDay(MONDAY + timedelta(days=d), (d % 7) + 1) for d in range(14) if d % 7 < 5]
DAYS.append(ServiceDay(date(2026, 9, 26), 5))
MINUTES = {1: 60, 2: 60}


def test_no_local_values_means_no_limit_and_no_entitlement() -> None:
    profile = merge(NATIONAL)
    assert rules_money.fee_limits(profile) == rules_money.FeeLimits(None, None)
    assert rules_money.check_fee(9_999_999, 100, rules_money.fee_limits(profile)).ok
    term = rules_money.staff_term([(1, 1)], DAYS, MINUTES, rules_money.staff_rules(profile))
    assert (term.days, term.class_hours, term.flexible_minutes, term.subsidy_fen) == (2, 2, None, None)


@pytest.mark.parametrize(
    ("_case", "layers", "class_hours", "fee", "ok"),
    [
        ("at the per-hour cap", (CITY,), 100, 30000, True),
        ("one fen over the per-hour cap", (CITY,), 100, 30001, False),
        ("the per-term cap binds first", (CITY,), 200, 40000, True),
        ("one fen over the per-term cap", (CITY,), 200, 40001, False),
        ("a county tightens the hourly cap", (CITY, TIGHTER), 100, 25001, False),
        ("free service is always within", (CITY, TIGHTER), 100, 0, True),
    ],
)
def test_fee_against_the_local_limits(
    _case: str, layers: tuple[Layer, ...], class_hours: int, fee: int, ok: bool
) -> None:
    limits = rules_money.fee_limits(merge(NATIONAL, *layers, region_code="411402"))
    decision = rules_money.check_fee(fee, class_hours, limits)
    assert decision.ok is ok
    if not ok:
        assert decision.code == "afterschool.fee_over_limit"


def test_the_refusal_names_the_limit_in_yuan() -> None:
    decision = rules_money.check_fee(30001, 100, rules_money.fee_limits(merge(NATIONAL, CITY)))
    assert decision.params == {"fee": "300.01", "limit": "300.00", "hours": 100}


def test_staff_term_counts_service_days_class_hours_entitlement_and_subsidy() -> None:
    # given: Monday block 1 and block 2, and Friday block 2 (the make-up Saturday runs Friday's timetable)
    duties = [(1, 1), (1, 2), (5, 2)]
    term = rules_money.staff_term(duties, DAYS, MINUTES, rules_money.staff_rules(merge(NATIONAL, CITY)))
    # then: 2 Mondays x 2 blocks + 3 Fridays x 1 block
    assert term == rules_money.StaffTerm(days=5, class_hours=7, minutes=420, flexible_minutes=150, subsidy_fen=35000)


def test_a_tightened_subsidy_flows_through() -> None:
    richer = Layer(LayerRef("411402", 1, date(2026, 9, 1)), {"afterschool.teacher_pay_min_fen_per_class_hour": 6000})
    rules = rules_money.staff_rules(merge(NATIONAL, CITY, richer))
    assert rules_money.staff_term([(2, 1)], DAYS, MINUTES, rules).subsidy_fen == 2 * 6000


@pytest.mark.parametrize(
    ("_case", "hours", "outliers"),
    [
        ("even load", [40, 40, 42, 38, 40], []),
        ("one carries far more", [40, 40, 42, 38, 40, 120], [120]),
        ("one serves almost nothing", [40, 40, 42, 38, 40, 2], [2]),
    ],
)
def test_spread_flags_outliers(_case: str, hours: list[int], outliers: list[int]) -> None:
    spread = rules_money.spread(hours)
    assert spread is not None
    assert [h for h in hours if spread.outlier(h)] == outliers


def test_no_spread_for_fewer_than_four_people() -> None:
    assert rules_money.spread([10, 200, 30]) is None


@pytest.mark.parametrize(
    ("_case", "waived", "fee", "code"),
    [
        ("the whole fee", 20000, 20000, ""),
        ("part of it", 10000, 20000, ""),
        ("more than the fee", 20001, 20000, "afterschool.bad_waiver_amount"),
        ("nothing", 0, 20000, "afterschool.bad_waiver_amount"),
        ("free service", 100, 0, "afterschool.service_free"),
    ],
)
def test_waiver_amount(_case: str, waived: int, fee: int, code: str) -> None:
    assert rules_money.check_waiver(waived, fee).code == code


@pytest.mark.parametrize(
    ("_case", "scores", "ok"),
    [
        ("all answered", {"overall": 5, "content": 1, "care": 3, "staff": 4}, True),
        ("a six", {"overall": 6, "content": 1, "care": 3, "staff": 4}, False),
        ("a zero", {"overall": 0, "content": 1, "care": 3, "staff": 4}, False),
        ("one missing", {"overall": 5, "content": 1, "care": 3}, False),
    ],
)
def test_scores(_case: str, scores: dict[str, int], ok: bool) -> None:
    assert rules_money.check_scores(scores).ok is ok


def test_summary_is_suppressed_below_the_minimum_cell() -> None:
    sums = {"overall": 18, "content": 16, "care": 20, "staff": 12}
    assert rules_money.summarise(4, sums, 5).means == dict.fromkeys(rules_money.SURVEY_QUESTIONS)
    shown = rules_money.summarise(5, {**sums, "overall": 22}, 5)
    assert shown.means == {"overall": 4.4, "content": 3.2, "care": 4.0, "staff": 2.4}
