"""Pure after-school rules: no database. Boundaries are written out (at the limit, one over)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from shuangjian.afterschool import rules
from shuangjian.afterschool.rules import Block, PlanLimits
from shuangjian.core.rules import DayKind
from shuangjian.policy.rules import Layer, LayerRef, merge

GUIDANCE, ACTIVITIES = "homework_guidance", "activities"
WEEK = [1, 2, 3, 4, 5]
NATIONAL = Layer(
    LayerRef(None, 1, date(2021, 9, 1)), {"afterschool.days_per_week": 5, "afterschool.min_minutes_per_day": 120}
)
CITY = Layer(
    LayerRef("411400", 1, date(2026, 9, 1)),
    {"afterschool.min_minutes_per_day": 150, "afterschool.earliest_end": time(17, 30)},
)


def blocks(*spans: tuple[str, str], kinds: tuple[str, ...] = (GUIDANCE, ACTIVITIES, ACTIVITIES)) -> list[Block]:
    return [
        Block(n, kinds[n - 1], time.fromisoformat(start), time.fromisoformat(end))
        for n, (start, end) in enumerate(spans, start=1)
    ]


TWO_HOURS = blocks(("16:00", "17:00"), ("17:10", "18:10"))


def codes(weekdays: list[int], day: list[Block], limits: PlanLimits) -> list[str]:
    return [finding.code for finding in rules.plan_findings(weekdays, day, limits)]


# The profile flows through


def test_national_profile_gives_five_days_two_hours_and_no_end_time() -> None:
    limits = rules.plan_limits(merge(NATIONAL))
    assert limits == PlanLimits(days_per_week=5, min_minutes_per_day=120, earliest_end=None, end_overridable=True)


def test_a_tightened_city_profile_flows_through() -> None:
    # given: the city asks for 150 minutes and service until 17:30
    limits = rules.plan_limits(merge(NATIONAL, CITY, region_code="411400"))
    # then: the national two hours ending at 18:10 is now too short; 17:20 is too early as well
    assert limits == PlanLimits(5, 150, time(17, 30), True)
    assert codes(WEEK, TWO_HOURS, limits) == ["afterschool.too_short"]
    early = blocks(("14:50", "16:20"), ("16:20", "17:20"))
    assert codes(WEEK, early, limits) == ["afterschool.ends_too_early"]


@pytest.mark.parametrize(
    ("_case", "weekdays", "day", "expected"),
    [
        ("five days, two hours", WEEK, TWO_HOURS, []),
        ("four days", [1, 2, 3, 4], TWO_HOURS, ["afterschool.too_few_days"]),
        ("exactly 120 minutes", WEEK, blocks(("16:00", "18:00")), []),
        ("119 minutes", WEEK, blocks(("16:00", "17:59")), ["afterschool.too_short"]),
        ("a break does not count", WEEK, blocks(("16:00", "17:00"), ("17:30", "18:29")), ["afterschool.too_short"]),
        ("short and few", [1, 3], blocks(("16:00", "17:00")), ["afterschool.too_few_days", "afterschool.too_short"]),
    ],
)
def test_days_and_minutes_against_the_national_profile(
    _case: str, weekdays: list[int], day: list[Block], expected: list[str]
) -> None:
    assert codes(weekdays, day, rules.plan_limits(merge(NATIONAL))) == expected


@pytest.mark.parametrize(
    ("_case", "end", "expected"),
    [
        ("at the off-work time", "17:30", []),
        ("one minute early", "17:29", ["afterschool.ends_too_early"]),
        ("later", "18:30", []),
    ],
)
def test_end_time_against_the_local_off_work_time(_case: str, end: str, expected: list[str]) -> None:
    limits = PlanLimits(5, 120, time(17, 30), True)
    day = blocks(("15:00", "16:00"), ("16:00", end))
    assert codes(WEEK, day, limits) == expected


@pytest.mark.parametrize(
    ("_case", "weekdays", "day", "code"),
    [
        ("Saturday", [1, 2, 3, 4, 6], TWO_HOURS, "afterschool.bad_weekday"),
        ("day zero", [0, 1, 2, 3, 4], TWO_HOURS, "afterschool.bad_weekday"),
        ("a repeated day", [1, 1, 2, 3, 4], TWO_HOURS, "afterschool.bad_weekday"),
        ("no blocks", WEEK, [], "afterschool.no_blocks"),
        (
            "blocks 1 and 3",
            WEEK,
            [TWO_HOURS[0], Block(3, ACTIVITIES, time(17), time(18))],
            "afterschool.bad_block_numbers",
        ),
        ("ends before it starts", WEEK, blocks(("16:00", "15:00")), "afterschool.bad_block_times"),
        ("overlap", WEEK, blocks(("16:00", "17:00"), ("16:59", "18:00")), "afterschool.blocks_overlap"),
    ],
)
def test_a_malformed_plan_is_reported_alone(_case: str, weekdays: list[int], day: list[Block], code: str) -> None:
    assert codes(weekdays, day, PlanLimits(5, 120, None, True)) == [code]


# Overriding a "原则上" rule


def test_an_end_time_warning_passes_only_with_a_reason() -> None:
    findings = rules.plan_findings(WEEK, blocks(("15:00", "17:00")), PlanLimits(5, 120, time(17, 30), True))
    assert rules.plan_decision(findings, "").code == "afterschool.ends_too_early"
    assert rules.plan_decision(findings, "   ").code == "afterschool.ends_too_early"
    assert rules.plan_decision(findings, "山区学校校车 17:10 发车").ok


def test_a_hard_end_time_cannot_be_overridden() -> None:
    findings = rules.plan_findings(WEEK, blocks(("15:00", "17:00")), PlanLimits(5, 120, time(17, 30), False))
    assert rules.plan_decision(findings, "理由").code == "afterschool.ends_too_early"


def test_too_short_is_never_overridable() -> None:
    findings = rules.plan_findings(WEEK, blocks(("16:00", "17:00")), PlanLimits(5, 120, time(17, 30), True))
    assert [f.code for f in findings] == ["afterschool.too_short", "afterschool.ends_too_early"]
    assert rules.plan_decision(findings, "理由").code == "afterschool.too_short"


def test_no_limits_configured_allows_any_well_formed_plan() -> None:
    assert codes([3], blocks(("16:00", "16:30")), PlanLimits(None, None, None, True)) == []


# Service days


MON = date(2026, 9, 28)  # the week before National Day 2026


def test_service_days_follow_the_calendar_and_the_plan() -> None:
    # given: Mon-Fri a school week, Saturday a make-up workday, Sunday a weekend, the next Thursday a holiday
    kinds = {
        MON: DayKind.SCHOOL_DAY,
        date(2026, 9, 29): DayKind.SCHOOL_DAY,
        date(2026, 9, 30): DayKind.SCHOOL_DAY,
        date(2026, 10, 1): DayKind.HOLIDAY,
        date(2026, 10, 3): DayKind.SCHOOL_DAY,  # a Saturday make-up workday
        date(2026, 10, 4): DayKind.WEEKEND,
    }
    # when: the plan runs Mon, Tue, Thu; Tuesday is cancelled; the Saturday runs Monday's timetable;
    # a change on the holiday asks for service
    days = rules.service_days(kinds, {1, 2, 4}, {date(2026, 9, 29): None, date(2026, 10, 3): 1, date(2026, 10, 1): 4})
    # then: the holiday never has service, whatever a change says
    assert days == [rules.ServiceDay(MON, 1), rules.ServiceDay(date(2026, 10, 3), 1)]


def test_a_weekend_make_up_day_without_a_change_has_no_service() -> None:
    assert rules.service_days({date(2026, 10, 3): DayKind.SCHOOL_DAY}, set(WEEK), {}) == []


TERM = (date(2026, 9, 1), date(2027, 1, 22))


@pytest.mark.parametrize(
    ("_case", "day", "kind", "follows", "code"),
    [
        ("make-up Saturday runs Monday", date(2026, 10, 10), DayKind.SCHOOL_DAY, 1, ""),
        ("service on a holiday", date(2026, 10, 2), DayKind.HOLIDAY, 1, "afterschool.slot_on_holiday"),
        ("service on a Sunday", date(2026, 10, 11), DayKind.WEEKEND, 1, "afterschool.slot_on_holiday"),
        ("a weekday not in the plan", date(2026, 10, 10), DayKind.SCHOOL_DAY, 6, "afterschool.not_a_service_day"),
        ("cancel a school day", date(2026, 10, 12), DayKind.SCHOOL_DAY, None, ""),
        ("cancel a holiday", date(2026, 10, 2), DayKind.HOLIDAY, None, ""),
        ("before the term", date(2026, 8, 31), DayKind.VACATION, None, "afterschool.outside_term"),
        ("last day of the term", date(2027, 1, 22), DayKind.SCHOOL_DAY, 5, ""),
    ],
)
def test_check_plan_date(_case: str, day: date, kind: DayKind, follows: int | None, code: str) -> None:
    decision = rules.check_plan_date(day, kind, follows, set(WEEK), TERM)
    assert (decision.ok, decision.code) == (code == "", code)


def test_slot_on_holiday_names_the_date_and_the_kind() -> None:
    decision = rules.check_plan_date(date(2026, 10, 2), DayKind.HOLIDAY, 1, set(WEEK), TERM)
    assert decision.params == {"date": date(2026, 10, 2), "day_kind": "holiday"}


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (MON, MON, True),
        (MON, date(2027, 11, 2), True),
        (MON, date(2027, 11, 3), False),
        (MON, date(2026, 9, 27), False),
    ],
)
def test_date_range_bounds(start: date, end: date, ok: bool) -> None:
    assert rules.check_date_range(start, end).ok is ok


# Courses and offerings


@pytest.mark.parametrize(
    ("_case", "args", "code"),
    [
        ("a good course", (1, 9, 30, 1, 0), ""),
        ("grade 0", (0, 3, 30, 1, 0), "afterschool.bad_grades"),
        ("grade 10", (7, 10, 30, 1, 0), "afterschool.bad_grades"),
        ("upside down", (5, 4, 30, 1, 0), "afterschool.bad_grades"),
        ("no seats", (1, 6, 0, 1, 0), "afterschool.bad_capacity"),
        ("1000 seats", (1, 6, 1000, 1, 0), ""),
        ("1001 seats", (1, 6, 1001, 1, 0), "afterschool.bad_capacity"),
        ("no meeting", (1, 6, 30, 0, 0), "afterschool.bad_weekly_slots"),
        ("ten meetings", (1, 6, 30, 10, 0), ""),
        ("eleven meetings", (1, 6, 30, 11, 0), "afterschool.bad_weekly_slots"),
        ("negative fee", (1, 6, 30, 1, -1), "afterschool.bad_fee"),
    ],
)
def test_check_course(_case: str, args: tuple[int, int, int, int, int], code: str) -> None:
    assert rules.check_course(*args).code == code


KINDS = {1: GUIDANCE, 2: ACTIVITIES}


@pytest.mark.parametrize(
    ("_case", "slots", "weekly", "capacity", "code"),
    [
        ("Monday block 2", [(1, 2)], 1, 30, ""),
        ("twice a week", [(1, 2), (3, 2)], 2, 30, ""),
        ("one slot for a twice-weekly course", [(1, 2)], 2, 30, "afterschool.slot_count"),
        ("the same slot twice", [(1, 2), (1, 2)], 2, 30, "afterschool.duplicate_slot"),
        ("homework guidance block", [(1, 1)], 1, 30, "afterschool.not_an_activity_block"),
        ("no such block", [(1, 3)], 1, 30, "afterschool.not_an_activity_block"),
        ("Friday is not in the plan", [(5, 2)], 1, 30, "afterschool.not_a_service_day"),
        ("the course's capacity", [(1, 2)], 1, 40, ""),
        ("over the course's capacity", [(1, 2)], 1, 41, "afterschool.bad_capacity"),
        ("no seats", [(1, 2)], 1, 0, "afterschool.bad_capacity"),
    ],
)
def test_check_offering(_case: str, slots: list[rules.Slot], weekly: int, capacity: int, code: str) -> None:
    decision = rules.check_offering(
        slots, weekly_slots=weekly, capacity=capacity, course_capacity=40, weekdays={1, 2, 3, 4}, block_kinds=KINDS
    )
    assert decision.code == code


def test_a_plan_change_keeps_the_slots_in_use() -> None:
    day = blocks(("16:00", "17:00"), ("17:00", "18:00"))
    assert rules.check_keeps_slots(WEEK, day, [(1, 2), (5, 2)]).ok
    assert rules.check_keeps_slots([1, 2, 3, 4], day, [(1, 2), (5, 2)]).params == {"weekday": 5, "block": 2}
    only_guidance = blocks(("16:00", "18:00"), kinds=(GUIDANCE,))
    assert rules.check_keeps_slots(WEEK, only_guidance, [(1, 2)]).code == "afterschool.plan_in_use"


@pytest.mark.parametrize(("grade", "ok"), [(2, False), (3, True), (6, True), (7, False)])
def test_grade_eligible(grade: int, ok: bool) -> None:
    assert rules.grade_eligible(grade, 3, 6) is ok


# Choices and placements


@pytest.mark.parametrize(
    ("_case", "ids", "code"),
    [
        ("three of three", [7, 8, 9], ""),
        ("none", [], ""),
        ("four of three", [6, 7, 8, 9], "afterschool.too_many_preferences"),
        ("a repeat", [7, 7], "afterschool.duplicate_preference"),
    ],
)
def test_check_preferences(_case: str, ids: list[int], code: str) -> None:
    assert rules.check_preferences(ids, 3).code == code


MON2, TUE2 = frozenset({(1, 2)}), frozenset({(2, 2)})


@pytest.mark.parametrize(
    ("_case", "seats", "held", "limit", "code"),
    [
        ("a free seat", 1, [], 1, ""),
        ("full", 0, [], 1, "afterschool.offering_full"),
        ("clash", 3, [MON2], 2, "afterschool.slot_clash"),
        ("another day", 3, [TUE2], 2, ""),
        ("at the number of courses", 3, [TUE2], 1, "afterschool.too_many_courses"),
    ],
)
def test_check_placement(_case: str, seats: int, held: list[frozenset[rules.Slot]], limit: int, code: str) -> None:
    decision = rules.check_placement(seats_left=seats, held=held, slots=MON2, courses_per_student=limit)
    assert decision.code == code


def test_a_clash_names_its_slot() -> None:
    decision = rules.check_placement(
        seats_left=1, held=[frozenset({(3, 2), (1, 2)})], slots=MON2, courses_per_student=2
    )
    assert decision.params == {"weekday": 1, "block": 2}


@pytest.mark.parametrize(("seed", "ok"), [("", False), ("  ", False), ("2026 秋 公示种子", True), ("x" * 65, False)])
def test_check_seed(seed: str, ok: bool) -> None:
    assert rules.check_seed(seed).ok is ok


def test_window_is_open_from_opening_until_closing() -> None:
    opens, closes = datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 9, 10, tzinfo=UTC)
    assert rules.window_open(opens, opens, closes)
    assert rules.window_open(closes - timedelta(seconds=1), opens, closes)
    assert not rules.window_open(closes, opens, closes)
    assert not rules.window_open(opens - timedelta(seconds=1), opens, closes)
    assert rules.check_window(opens, closes).ok
    assert rules.check_window(closes, closes).code == "afterschool.bad_window"
