"""core.rules.classify_day: the pure decision behind the calendar (no database)."""

from datetime import date

import pytest

from shuangjian.core.rules import DayKind, OverrideKind, classify_day

WEDNESDAY = date(2025, 9, 10)
SATURDAY = date(2025, 9, 13)


@pytest.mark.parametrize(
    ("_case", "day", "holiday", "makeup", "in_term", "override", "expected"),
    [
        ("weekday in term", WEDNESDAY, False, False, True, None, DayKind.SCHOOL_DAY),
        ("Saturday in term", SATURDAY, False, False, True, None, DayKind.WEEKEND),
        ("Sunday in term", date(2025, 9, 14), False, False, True, None, DayKind.WEEKEND),
        ("statutory holiday on a weekday", date(2025, 10, 1), True, False, True, None, DayKind.HOLIDAY),
        ("statutory holiday on a Saturday", date(2025, 10, 4), True, False, True, None, DayKind.HOLIDAY),
        ("make-up workday on a Sunday", date(2025, 9, 28), False, True, True, None, DayKind.SCHOOL_DAY),
        ("weekday outside term", date(2026, 7, 15), False, False, False, None, DayKind.VACATION),
        ("statutory holiday outside term", date(2026, 2, 17), True, False, False, None, DayKind.VACATION),
        ("make-up workday outside term", date(2026, 2, 14), False, True, False, None, DayKind.VACATION),
        ("rest-day override on a weekday", WEDNESDAY, False, False, True, OverrideKind.REST_DAY, DayKind.WEEKEND),
        ("rest-day override on a make-up day", date(2025, 9, 28), False, True, True, OverrideKind.REST_DAY,
         DayKind.WEEKEND),
        ("rest-day override keeps a holiday a holiday", date(2025, 10, 1), True, False, True, OverrideKind.REST_DAY,
         DayKind.HOLIDAY),
        ("rest-day override outside term", date(2026, 7, 15), False, False, False, OverrideKind.REST_DAY,
         DayKind.VACATION),
        ("school-day override on a Saturday", SATURDAY, False, False, True, OverrideKind.SCHOOL_DAY,
         DayKind.SCHOOL_DAY),
        ("school-day override on a holiday", date(2025, 10, 1), True, False, True, OverrideKind.SCHOOL_DAY,
         DayKind.SCHOOL_DAY),
        ("school-day override outside term", date(2026, 7, 15), False, False, False, OverrideKind.SCHOOL_DAY,
         DayKind.SCHOOL_DAY),
    ],
)  # fmt: skip
def test_classify_day(
    _case: str,
    day: date,
    holiday: bool,
    makeup: bool,
    in_term: bool,
    override: OverrideKind | None,
    expected: DayKind,
) -> None:
    assert (
        classify_day(day, is_statutory_holiday=holiday, is_makeup_workday=makeup, in_term=in_term, override=override)
        is expected
    )
