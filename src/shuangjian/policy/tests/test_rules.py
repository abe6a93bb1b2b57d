"""Pure policy rules: the catalogue, the national file, merging, tighten-only checks and the rule functions.

No database: profiles are built from policy/data/national.json and hand-made local layers.
"""

from datetime import date, time

import pytest

from shuangjian.core.rules import DayKind
from shuangjian.policy import datafiles, parameters, rules
from shuangjian.policy.errors import PolicyError
from shuangjian.policy.parameters import Direction, StudentStage, Unit
from shuangjian.policy.rules import Layer, LayerRef, PolicySnapshot

NATIONAL_REF = LayerRef(None, 1, date(2021, 7, 24))
CITY_REF = LayerRef("411400", 1, date(2025, 9, 1))
COUNTY_REF = LayerRef("411402", 1, date(2025, 9, 1))


def national_layer() -> Layer:
    entry = datafiles.read_national()[0]
    return Layer(NATIONAL_REF, parameters.parse_values(entry.values).values)


def layer(ref: LayerRef, raw: dict[str, object]) -> Layer:
    parsed = parameters.parse_values(raw)
    assert parsed.ok, (parsed.unknown, parsed.invalid)
    return Layer(ref, parsed.values)


@pytest.fixture
def national() -> PolicySnapshot:
    return rules.merge(national_layer())


@pytest.fixture
def tightened() -> PolicySnapshot:
    """Shangqiu city tightens grades 3-6 to 50 minutes and sets H4 and A2; a county tightens further."""
    city = layer(
        CITY_REF,
        {
            "homework.written_daily_max_minutes.g3_6": 50,
            "homework.written_weekend_max_minutes.g3_6": 40,
            "homework.written_weekend_max_minutes.g1_2": 20,
            "afterschool.earliest_end": "17:30",
            "training.offline_latest_end": "20:00",
            "prepaid.max_months.academic": 2,
        },
    )
    county = layer(COUNTY_REF, {"homework.written_daily_max_minutes.g7_9": 80})
    return rules.merge(national_layer(), city, county, region_code="411402")


# The catalogue and the national file


def test_catalogue_keys_are_unique_and_well_formed() -> None:
    keys = [p.key for p in parameters.PARAMETERS]
    assert len(keys) == len(set(keys))
    for parameter in parameters.PARAMETERS:
        if parameter.direction in (Direction.MAX, Direction.MIN):
            assert parameter.unit in parameters.ORDERED_UNITS, parameter.key
        assert parameter.label.strip(), parameter.key


def test_national_file_validates_and_cites_a_source_for_every_value() -> None:
    # when
    versions = datafiles.read_national()
    # then
    assert [(v.version, v.effective_from) for v in versions] == [(1, date(2021, 7, 24))]
    assert set(versions[0].sources) == set(versions[0].values)
    assert parameters.parse_values(versions[0].values).ok


def test_local_and_unverified_parameters_have_no_national_default() -> None:
    national_keys = set(datafiles.read_national()[0].values)
    without_default = {
        p.key for p in parameters.PARAMETERS if p.status in (parameters.Status.LOCAL, parameters.Status.UNVERIFIED)
    }
    assert national_keys & without_default == set()
    assert "afterschool.earliest_end" not in national_keys  # A2: the region's off-work time
    assert "prepaid.max_amount_fen.academic" not in national_keys  # F5 for academic: UNVERIFIED


@pytest.mark.parametrize(
    ("_case", "key", "value"),
    [
        ("H1 grades 1-2", "homework.written_daily_max_minutes.g1_2", 0),
        ("H2 grades 3-6", "homework.written_daily_max_minutes.g3_6", 60),
        ("H3 grades 7-9", "homework.written_daily_max_minutes.g7_9", 90),
        ("A1 days", "afterschool.days_per_week", 5),
        ("A1 two hours", "afterschool.min_minutes_per_day", 120),
        ("T6 lesson", "training.online_lesson_max_minutes", 30),
        ("T6 break", "training.online_break_min_minutes", 10),
        ("T6 online end", "training.online_latest_end", time(21, 0)),
        ("T7 offline end", "training.offline_latest_end", time(20, 30)),
        ("P1 float", "training.price_float_up_max_percent", 10),
        ("P2 online", "training.standard_lesson_minutes.online", 30),
        ("P2 offline", "training.standard_lesson_minutes.offline", 45),
        ("P3 tiers", "training.class_size_tier_upper_bounds", (9, 35)),
        ("F4 months", "prepaid.max_months.non_academic", 3),
        ("F4 hours", "prepaid.max_class_hours.non_academic", 60),
        ("F5 5000 yuan in fen", "prepaid.max_amount_fen.non_academic", 500_000),
        ("Q3 primary class", "school.class_size_max.primary", 45),
        ("Q3 junior class", "school.class_size_max.junior", 50),
        ("SL3 primary bedtime", "sleep.latest_bedtime.primary", time(21, 20)),
        ("T5 no academic training on rest days", "training.academic_on_rest_days_allowed", False),
    ],
)
def test_national_values(national: PolicySnapshot, _case: str, key: str, value: object) -> None:
    assert national.get(key) == value
    assert national.sources[key] == NATIONAL_REF


# Parsing


@pytest.mark.parametrize(
    ("_case", "raw", "unknown", "invalid"),
    [
        ("valid values", {"homework.written_daily_max_minutes.g3_6": 50, "afterschool.earliest_end": "17:30"}, (), {}),
        ("unknown key", {"homework.nope": 1}, ("homework.nope",), {}),
        ("bool for minutes", {"homework.written_daily_max_minutes.g3_6": True}, (), {"whole number"}),
        ("negative minutes", {"homework.written_daily_max_minutes.g3_6": -1}, (), {">= 0"}),
        ("float minutes", {"homework.written_daily_max_minutes.g3_6": 50.5}, (), {"whole number"}),
        ("time 24:00", {"afterschool.earliest_end": "24:00"}, (), {"HH:MM"}),
        ("time without zero", {"afterschool.earliest_end": "9:00"}, (), {"HH:MM"}),
        ("percent over 100", {"training.price_float_up_max_percent": 101}, (), {"percentage"}),
        ("tiers not increasing", {"training.class_size_tier_upper_bounds": [10, 10]}, (), {"increasing"}),
        ("tiers empty", {"training.class_size_tier_upper_bounds": []}, (), {"non-empty"}),
        ("30 February", {"enrollment.age_cutoff": "02-30"}, (), {"MM-DD"}),
        ("number for boolean", {"training.academic_on_rest_days_allowed": 0}, (), {"true or false"}),
    ],
)
def test_parse_values(_case: str, raw: dict[str, object], unknown: tuple[str, ...], invalid: set[str]) -> None:
    # when
    parsed = parameters.parse_values(raw)
    # then
    assert parsed.unknown == unknown
    assert len(parsed.invalid) == len(invalid)
    for reason, fragment in zip(parsed.invalid.values(), sorted(invalid), strict=True):
        assert fragment in reason


def test_parse_and_encode_round_trip() -> None:
    raw: dict[str, object] = {
        "afterschool.earliest_end": "17:30",
        "training.class_size_tier_upper_bounds": [10, 20, 30],
        "enrollment.age_cutoff": "08-31",
        "training.academic_on_rest_days_allowed": False,
        "escrow.risk_margin_min_fen": 50_000_000,
    }
    parsed = parameters.parse_values(raw)
    assert parsed.values["afterschool.earliest_end"] == time(17, 30)
    assert {k: parameters.encode_value(v) for k, v in parsed.values.items()} == raw


# Merging


def test_a_tightened_city_and_county_flow_through(tightened: PolicySnapshot) -> None:
    assert rules.homework_cap_minutes(tightened, 4, DayKind.SCHOOL_DAY) == 50
    assert rules.homework_cap_minutes(tightened, 8, DayKind.SCHOOL_DAY) == 80
    assert rules.homework_cap_minutes(tightened, 1, DayKind.SCHOOL_DAY) == 0
    assert rules.afterschool_earliest_end(tightened) == time(17, 30)
    assert rules.training_latest_end(tightened, online=False) == time(20, 0)
    assert rules.training_latest_end(tightened, online=True) == time(21, 0)
    assert tightened.sources["homework.written_daily_max_minutes.g3_6"] == CITY_REF
    assert tightened.sources["homework.written_daily_max_minutes.g7_9"] == COUNTY_REF
    assert tightened.sources["homework.written_daily_max_minutes.g1_2"] == NATIONAL_REF
    assert tightened.region_code == "411402"
    assert tightened.versions == ((None, 1), ("411400", 1), ("411402", 1))


@pytest.mark.parametrize(
    ("_case", "key", "national_value", "local_value", "merged", "source"),
    [
        ("MAX: a smaller local value wins", "homework.written_daily_max_minutes.g3_6", 60, 50, 50, CITY_REF),
        ("MAX: a stale looser local value is ignored", "homework.written_daily_max_minutes.g3_6", 60, 70, 60,
         NATIONAL_REF),
        ("MAX: equal keeps the national source", "homework.written_daily_max_minutes.g3_6", 60, 60, 60, NATIONAL_REF),
        ("MIN: a larger local value wins", "afterschool.min_minutes_per_day", 120, 150, 150, CITY_REF),
        ("MIN: a smaller local value is ignored", "afterschool.min_minutes_per_day", 120, 90, 120, NATIONAL_REF),
        ("EXACT: the national value stays", "training.standard_lesson_minutes.offline", 45, 40, 45, NATIONAL_REF),
        ("NONE: the local value wins", "training.class_size_tier_upper_bounds", [9, 35], [10, 20, 30], (10, 20, 30),
         CITY_REF),
    ],
)  # fmt: skip
def test_merge_only_tightens(
    _case: str, key: str, national_value: object, local_value: object, merged: object, source: LayerRef
) -> None:
    # given
    national = layer(NATIONAL_REF, {key: national_value})
    city = layer(CITY_REF, {key: local_value})
    # when
    snapshot = rules.merge(national, city, region_code="411400")
    # then
    assert snapshot.get(key) == merged
    assert snapshot.sources[key] == source


def test_merge_without_any_layer_is_empty() -> None:
    snapshot = rules.merge(None, region_code="411400")
    assert snapshot.values == {}
    assert snapshot.layers == ()
    assert rules.homework_cap_minutes(snapshot, 4, DayKind.SCHOOL_DAY) is None


def test_merge_ignores_keys_no_longer_in_the_catalogue() -> None:
    stale = Layer(CITY_REF, {"homework.retired_parameter": 5})
    assert rules.merge(None, stale).values == {}


# Tighten-only checks


@pytest.mark.parametrize(
    ("_case", "key", "proposed", "loosens"),
    [
        ("MAX at the cap", "homework.written_daily_max_minutes.g3_6", 60, False),
        ("MAX one over", "homework.written_daily_max_minutes.g3_6", 61, True),
        ("MAX one under", "homework.written_daily_max_minutes.g3_6", 59, False),
        ("MAX grades 1-2 above zero", "homework.written_daily_max_minutes.g1_2", 1, True),
        ("MIN at the floor", "afterschool.min_minutes_per_day", 120, False),
        ("MIN one under", "afterschool.min_minutes_per_day", 119, True),
        ("MIN days per week", "afterschool.days_per_week", 4, True),
        ("latest end one minute later", "training.offline_latest_end", "20:31", True),
        ("latest end earlier", "training.offline_latest_end", "20:00", False),
        ("bedtime later", "sleep.latest_bedtime.primary", "21:30", True),
        ("boolean allowed where the nation forbids", "training.academic_on_rest_days_allowed", True, True),
        ("EXACT changed", "training.standard_lesson_minutes.online", 40, True),
        ("EXACT restated", "training.standard_lesson_minutes.online", 30, False),
        ("NONE re-tiered", "training.class_size_tier_upper_bounds", [10, 20, 30], False),
        ("unset nationally: any value", "homework.written_weekend_max_minutes.g3_6", 600, False),
        ("exam levels: fewer than 4", "exams.level_count_min", 3, True),
        ("exam levels: more than 5", "exams.level_count_max", 6, True),
    ],
)
def test_tightening_violations(national: PolicySnapshot, _case: str, key: str, proposed: object, loosens: bool) -> None:
    # given
    values = layer(CITY_REF, {key: proposed}).values
    # when
    violations = rules.tightening_violations(national.values, values)
    # then
    assert [v.key for v in violations] == ([key] if loosens else [])
    if loosens:
        assert violations[0].parent == national.get(key)
        assert violations[0].proposed == values[key]


def test_tightening_violations_lists_every_loosened_key(national: PolicySnapshot) -> None:
    proposed = layer(
        CITY_REF,
        {
            "training.online_latest_end": "21:30",
            "homework.written_daily_max_minutes.g7_9": 100,
            "homework.written_daily_max_minutes.g3_6": 50,
        },
    ).values
    violations = rules.tightening_violations(national.values, proposed)
    assert [(v.key, v.direction) for v in violations] == [
        ("homework.written_daily_max_minutes.g7_9", Direction.MAX),
        ("training.online_latest_end", Direction.MAX),
    ]


def test_consistency_violations() -> None:
    assert rules.consistency_violations({"exams.level_count_min": 5, "exams.level_count_max": 4}) == [
        ("exams.level_count_min", "exams.level_count_max")
    ]
    assert rules.consistency_violations({"exams.level_count_min": 5, "exams.level_count_max": 5}) == []


# Rule functions


@pytest.mark.parametrize(
    ("_case", "grade", "day_kind", "cap"),
    [
        ("grade 1 school day", 1, DayKind.SCHOOL_DAY, 0),
        ("grade 2 school day", 2, DayKind.SCHOOL_DAY, 0),
        ("grade 3 school day", 3, DayKind.SCHOOL_DAY, 60),
        ("grade 6 school day", 6, DayKind.SCHOOL_DAY, 60),
        ("grade 7 school day", 7, DayKind.SCHOOL_DAY, 90),
        ("grade 9 school day", 9, DayKind.SCHOOL_DAY, 90),
        ("grade 1 weekend: still no written homework (H1)", 1, DayKind.WEEKEND, 0),
        ("grade 2 vacation", 2, DayKind.VACATION, 0),
        ("grade 4 weekend: no national cap (H4)", 4, DayKind.WEEKEND, None),
        ("grade 8 holiday: no national cap (H4)", 8, DayKind.HOLIDAY, None),
        ("grade 5 vacation: no national cap (H4)", 5, DayKind.VACATION, None),
        ("kindergarten", 0, DayKind.SCHOOL_DAY, None),
        ("senior high", 10, DayKind.SCHOOL_DAY, None),
    ],
)
def test_homework_cap_minutes_national(
    national: PolicySnapshot, _case: str, grade: int, day_kind: DayKind, cap: int | None
) -> None:
    assert rules.homework_cap_minutes(national, grade, day_kind) == cap


@pytest.mark.parametrize(
    ("_case", "grade", "day_kind", "cap"),
    [
        ("grade 4 school day: city 50", 4, DayKind.SCHOOL_DAY, 50),
        ("grade 4 weekend: city 40", 4, DayKind.WEEKEND, 40),
        ("grade 4 holiday: not set", 4, DayKind.HOLIDAY, None),
        ("grade 1 weekend: city 20 but H1 says 0", 1, DayKind.WEEKEND, 0),
        ("grade 8 school day: county 80", 8, DayKind.SCHOOL_DAY, 80),
    ],
)
def test_homework_cap_minutes_tightened(
    tightened: PolicySnapshot, _case: str, grade: int, day_kind: DayKind, cap: int | None
) -> None:
    assert rules.homework_cap_minutes(tightened, grade, day_kind) == cap


@pytest.mark.parametrize(
    ("_case", "academic", "months", "class_hours", "amount_fen", "code"),
    [
        ("at every limit", False, 3, 60, 500_000, ""),
        ("one month over", False, 4, 60, 500_000, PolicyError.PREPAID_MONTHS_EXCEEDED),
        ("one class hour over", False, 3, 61, 500_000, PolicyError.PREPAID_CLASS_HOURS_EXCEEDED),
        ("one fen over", False, 3, 60, 500_001, PolicyError.PREPAID_AMOUNT_EXCEEDED),
        ("academic: no national amount cap", True, 3, 60, 10_000_000, ""),
        ("academic: one month over", True, 4, 60, 100, PolicyError.PREPAID_MONTHS_EXCEEDED),
    ],
)
def test_prepaid_collection_allowed(
    national: PolicySnapshot, _case: str, academic: bool, months: int, class_hours: int, amount_fen: int, code: str
) -> None:
    # when
    decision = rules.prepaid_collection_allowed(
        national, academic=academic, months=months, class_hours=class_hours, amount_fen=amount_fen
    )
    # then
    assert decision.ok is (code == "")
    assert decision.code == code


def test_prepaid_limits_follow_a_tightened_city(tightened: PolicySnapshot) -> None:
    assert rules.prepaid_limits(tightened, academic=True) == rules.PrepaidLimits(2, 60, None)
    assert rules.prepaid_limits(tightened, academic=False) == rules.PrepaidLimits(3, 60, 500_000)
    decision = rules.prepaid_collection_allowed(tightened, academic=True, months=3, class_hours=10, amount_fen=1)
    assert decision == rules.Decision(False, PolicyError.PREPAID_MONTHS_EXCEEDED, {"limit": 2, "value": 3})


def test_stage_and_time_rules(national: PolicySnapshot) -> None:
    assert rules.bedtime(national, StudentStage.PRIMARY) == time(21, 20)
    assert rules.bedtime(national, StudentStage.JUNIOR) == time(22, 0)
    assert rules.bedtime(national, StudentStage.HIGH) == time(23, 0)
    assert rules.sleep_min_hours(national, StudentStage.PRIMARY) == 10
    assert rules.school_day_earliest_start(national, StudentStage.PRIMARY) == time(8, 20)
    assert rules.afterschool_days_per_week(national) == 5
    assert rules.afterschool_min_minutes_per_day(national) == 120
    assert rules.afterschool_earliest_end(national) is None
    assert rules.evening_study_limits(national) == (None, None)
    assert rules.online_lesson_max_minutes(national) == 30
    assert rules.online_break_min_minutes(national) == 10
    assert rules.training_latest_end(national, online=True) == time(21, 0)
    assert rules.training_latest_end(national, online=False) == time(20, 30)
    assert rules.price_float_up_max_percent(national) == 10
    assert rules.standard_lesson_minutes(national, online=True) == 30
    assert rules.standard_lesson_minutes(national, online=False) == 45
    assert rules.class_size_max(national, StudentStage.PRIMARY) == 45
    assert rules.class_size_max(national, StudentStage.JUNIOR) == 50
    assert rules.class_size_max(national, StudentStage.HIGH) is None
    assert rules.school_size_max(national, nine_or_twelve_year=False) == 2000
    assert rules.school_size_max(national, nine_or_twelve_year=True) == 2500
    assert rules.exam_level_count_range(national) == rules.LevelRange(4, 5)


@pytest.mark.parametrize(
    ("_case", "day_kind", "allowed"),
    [
        ("school day", DayKind.SCHOOL_DAY, True),
        ("weekend", DayKind.WEEKEND, False),
        ("statutory holiday", DayKind.HOLIDAY, False),
        ("vacation", DayKind.VACATION, False),
    ],
)
def test_academic_training_allowed(national: PolicySnapshot, _case: str, day_kind: DayKind, allowed: bool) -> None:
    assert rules.academic_training_allowed(national, day_kind) is allowed


@pytest.mark.parametrize(("students", "tier"), [(1, 0), (9, 0), (10, 1), (35, 1), (36, 2), (200, 2)])
def test_class_size_tier_boundaries(national: PolicySnapshot, students: int, tier: int) -> None:
    assert rules.class_size_tier(national, students) == tier


@pytest.mark.parametrize(
    ("_case", "grade", "allowance"),
    [
        ("grade 1: no written exams", 1, rules.ExamAllowance(0, 0, 0)),
        ("grade 4: one final, no mid-term", 4, rules.ExamAllowance(1, 0, 0)),
        ("grade 8: one final, one mid-term", 8, rules.ExamAllowance(1, 1, 0)),
        ("grade 9: plus two mock exams", 9, rules.ExamAllowance(1, 1, 2)),
        ("senior high: not governed here", 11, rules.ExamAllowance(None, None, None)),
    ],
)
def test_exam_allowance(national: PolicySnapshot, _case: str, grade: int, allowance: rules.ExamAllowance) -> None:
    assert rules.exam_allowance(national, grade) == allowance


def test_grade_helpers() -> None:
    assert [parameters.grade_band(g) for g in (0, 1, 2, 3, 6, 7, 9, 10)] == [
        None,
        parameters.GradeBand.G1_2,
        parameters.GradeBand.G1_2,
        parameters.GradeBand.G3_6,
        parameters.GradeBand.G3_6,
        parameters.GradeBand.G7_9,
        parameters.GradeBand.G7_9,
        None,
    ]
    assert [parameters.stage_of_grade(g) for g in (-1, 1, 6, 7, 9, 10, 12)] == [
        None,
        StudentStage.PRIMARY,
        StudentStage.PRIMARY,
        StudentStage.JUNIOR,
        StudentStage.JUNIOR,
        StudentStage.HIGH,
        StudentStage.HIGH,
    ]


def test_units_of_money_and_time() -> None:
    assert parameters.BY_KEY["prepaid.max_amount_fen.non_academic"].unit is Unit.FEN
    assert parameters.BY_KEY["training.online_latest_end"].unit is Unit.TIME


def test_example_shangqiu_profile_is_a_valid_tightening(national: PolicySnapshot) -> None:
    # given
    example = datafiles.read_example("shangqiu")
    proposed = parameters.parse_values(example.values).values
    # then
    assert example.region_code == "411400"
    assert rules.tightening_violations(national.values, proposed) == []
    merged = rules.merge(national_layer(), Layer(CITY_REF, proposed), region_code="411400")
    assert rules.afterschool_earliest_end(merged) == time(17, 30)
    assert rules.homework_cap_minutes(merged, 5, DayKind.SCHOOL_DAY) == 50


@pytest.mark.parametrize(
    ("part", "whole", "min_cell", "expected"), [(9, 10, 5, 0.9), (4, 4, 5, None), (0, 0, 1, None), (5, 5, 5, 1.0)]
)
def test_share_suppresses_small_cells(part: int, whole: int, min_cell: int, expected: float | None) -> None:
    assert rules.share(part, whole, min_cell) == expected
