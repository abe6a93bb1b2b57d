"""Pure policy rules (no Django): merging profiles, tighten-only checks, and the functions modules call.

Modules never read a number themselves: a service loads the effective `PolicySnapshot` for the school's
region on the day (policy.selectors.effective_profile) and asks a function here. A function returns
None when no limit is in force (the parameter has no national default and the region has not set it).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time

from shuangjian.core.rules import DayKind
from shuangjian.policy import parameters
from shuangjian.policy.errors import PolicyError
from shuangjian.policy.parameters import Direction, GradeBand, StudentStage, Value, grade_band


@dataclass(frozen=True, slots=True)
class LayerRef:
    """Which profile row a value came from: region (None = national), version and effective date."""

    region_code: str | None
    version: int
    effective_from: date


@dataclass(frozen=True, slots=True)
class Layer:
    ref: LayerRef
    values: Mapping[str, Value]


@dataclass(frozen=True)
class PolicySnapshot:
    """The merged effective values for a region on a day, and the layers they came from.

    Treat `values` and `sources` as read-only: build a new snapshot with `merge` instead.
    """

    region_code: str | None
    layers: tuple[LayerRef, ...] = ()
    values: Mapping[str, Value] = field(default_factory=dict)
    sources: Mapping[str, LayerRef] = field(default_factory=dict)

    @property
    def versions(self) -> tuple[tuple[str | None, int], ...]:
        return tuple((layer.region_code, layer.version) for layer in self.layers)

    def get(self, key: str) -> Value | None:
        return self.values.get(key)


@dataclass(frozen=True, slots=True)
class Decision:
    ok: bool
    code: str = ""
    params: Mapping[str, object] = field(default_factory=dict)


ALLOWED = Decision(ok=True)


@dataclass(frozen=True, slots=True)
class Violation:
    """A proposed value that loosens its parent (or changes a value fixed nationally)."""

    key: str
    direction: Direction
    parent: Value
    proposed: Value


def _tighter(direction: Direction, current: Value, candidate: Value) -> bool:
    if direction is Direction.MAX:
        return candidate < current  # type: ignore[operator]
    if direction is Direction.MIN:
        return candidate > current  # type: ignore[operator]
    return False


def _loosens(direction: Direction, parent: Value, proposed: Value) -> bool:
    if direction is Direction.MAX:
        return proposed > parent  # type: ignore[operator]
    if direction is Direction.MIN:
        return proposed < parent  # type: ignore[operator]
    if direction is Direction.EXACT:
        return proposed != parent
    return False


def merge(national: Layer | None, *local_layers: Layer, region_code: str | None = None) -> PolicySnapshot:
    """Apply the layers in order national -> province -> city -> county.

    A lower layer can only tighten: for a MAX or MIN parameter the tighter of the inherited and the local
    value wins (so a local value published before a stricter national revision never loosens it), an EXACT
    value keeps the first layer's value, and a NONE value takes the lowest layer's. Unknown keys (a
    parameter since removed from the catalogue) are ignored.
    """
    values: dict[str, Value] = {}
    sources: dict[str, LayerRef] = {}
    layers = ([national] if national is not None else []) + list(local_layers)
    for layer in layers:
        for key, value in layer.values.items():
            parameter = parameters.BY_KEY.get(key)
            if parameter is None:
                continue
            if key not in values or parameter.direction is Direction.NONE:
                replace = key not in values or values[key] != value
            else:
                replace = _tighter(parameter.direction, values[key], value)
            if replace:
                values[key] = value
                sources[key] = layer.ref
    return PolicySnapshot(region_code, tuple(layer.ref for layer in layers), values, sources)


def tightening_violations(base_values: Mapping[str, Value], proposed_values: Mapping[str, Value]) -> list[Violation]:
    """Every proposed value that loosens `base_values` (a bigger MAX, a smaller MIN, a changed EXACT).

    A key the base does not set may take any value: setting it is a tightening from "no limit".
    """
    found: list[Violation] = []
    for key in sorted(proposed_values):
        parameter = parameters.BY_KEY.get(key)
        if parameter is None or key not in base_values:
            continue
        parent, proposed = base_values[key], proposed_values[key]
        if _loosens(parameter.direction, parent, proposed):
            found.append(Violation(key, parameter.direction, parent, proposed))
    return found


def consistency_violations(values: Mapping[str, Value]) -> list[tuple[str, str]]:
    """Pairs (low, high) of parameters whose values contradict each other (low > high)."""
    return [
        (low, high)
        for low, high in parameters.ORDERED_PAIRS
        if low in values and high in values and values[low] > values[high]  # type: ignore[operator]
    ]


def _int(profile: PolicySnapshot, key: str) -> int | None:
    value = profile.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _time(profile: PolicySnapshot, key: str) -> time | None:
    value = profile.get(key)
    return value if isinstance(value, time) else None


# Homework (H1-H4)

_DAY_KIND_KEYS = {
    DayKind.SCHOOL_DAY: "homework.written_daily_max_minutes",
    DayKind.WEEKEND: "homework.written_weekend_max_minutes",
    DayKind.HOLIDAY: "homework.written_holiday_max_minutes",
    DayKind.VACATION: "homework.written_vacation_max_minutes",
}


def homework_cap_minutes(profile: PolicySnapshot, grade: int, day_kind: DayKind) -> int | None:
    """The cap on written home homework (minutes) for a grade on a kind of day; None = no cap configured.

    School days use the daily caps (H1-H3). Weekends, statutory holidays and vacations use the region's
    H4 caps, which have no national value. Grades 1-2 may have no written home homework on any day (H1),
    so their cap is never above the school-day cap. Grades outside 1-9 have no homework cap.
    """
    band = grade_band(grade)
    if band is None:
        return None
    daily = _int(profile, f"{_DAY_KIND_KEYS[DayKind.SCHOOL_DAY]}.{band}")
    if day_kind is DayKind.SCHOOL_DAY:
        return daily
    cap = _int(profile, f"{_DAY_KIND_KEYS[day_kind]}.{band}")
    if band is GradeBand.G1_2 and daily is not None:
        return daily if cap is None else min(cap, daily)
    return cap


# Sleep and the school day (SL1-SL3, Q5)


def bedtime(profile: PolicySnapshot, stage: StudentStage) -> time | None:
    """The latest usual bedtime for a stage (SL3)."""
    return _time(profile, f"sleep.latest_bedtime.{stage}")


def sleep_min_hours(profile: PolicySnapshot, stage: StudentStage) -> int | None:
    return _int(profile, f"sleep.min_hours.{stage}")


def school_day_earliest_start(profile: PolicySnapshot, stage: StudentStage) -> time | None:
    return _time(profile, f"school_day.earliest_start.{stage}")


# After-school service (A1, A2, A4)


def afterschool_days_per_week(profile: PolicySnapshot) -> int | None:
    return _int(profile, "afterschool.days_per_week")


def afterschool_min_minutes_per_day(profile: PolicySnapshot) -> int | None:
    return _int(profile, "afterschool.min_minutes_per_day")


def afterschool_earliest_end(profile: PolicySnapshot) -> time | None:
    """The earliest allowed end of after-school service: the local off-work time (A2); None until set."""
    return _time(profile, "afterschool.earliest_end")


def evening_study_limits(profile: PolicySnapshot) -> tuple[int | None, time | None]:
    """Junior-high evening self-study: (max minutes, latest end), both local (A4)."""
    return (
        _int(profile, "afterschool.evening_study_max_minutes.junior"),
        _time(profile, "afterschool.evening_study_latest_end.junior"),
    )


# Off-campus training (T5-T8, P1-P3)


def online_lesson_max_minutes(profile: PolicySnapshot) -> int | None:
    return _int(profile, "training.online_lesson_max_minutes")


def online_break_min_minutes(profile: PolicySnapshot) -> int | None:
    return _int(profile, "training.online_break_min_minutes")


def training_latest_end(profile: PolicySnapshot, online: bool) -> time | None:
    return _time(profile, "training.online_latest_end" if online else "training.offline_latest_end")


def academic_training_allowed(profile: PolicySnapshot, day_kind: DayKind) -> bool:
    """Academic training is not allowed on rest days, statutory holidays or vacations (T5)."""
    if day_kind is DayKind.SCHOOL_DAY:
        return True
    allowed = profile.get("training.academic_on_rest_days_allowed")
    return allowed if isinstance(allowed, bool) else True


def price_float_up_max_percent(profile: PolicySnapshot) -> int | None:
    return _int(profile, "training.price_float_up_max_percent")


def standard_lesson_minutes(profile: PolicySnapshot, online: bool) -> int | None:
    return _int(profile, f"training.standard_lesson_minutes.{'online' if online else 'offline'}")


def class_size_tier(profile: PolicySnapshot, students: int) -> int | None:
    """The 0-based pricing tier of a training class of `students` (P3); None if no tiers are set."""
    bounds = profile.get("training.class_size_tier_upper_bounds")
    if not isinstance(bounds, tuple):
        return None
    return next((index for index, upper in enumerate(bounds) if students <= upper), len(bounds))


# Prepaid fees (F4, F5)


@dataclass(frozen=True, slots=True)
class PrepaidLimits:
    months: int | None
    class_hours: int | None
    amount_fen: int | None


def prepaid_limits(profile: PolicySnapshot, academic: bool) -> PrepaidLimits:
    kind = "academic" if academic else "non_academic"
    return PrepaidLimits(
        months=_int(profile, f"prepaid.max_months.{kind}"),
        class_hours=_int(profile, f"prepaid.max_class_hours.{kind}"),
        amount_fen=_int(profile, f"prepaid.max_amount_fen.{kind}"),
    )


def prepaid_collection_allowed(
    profile: PolicySnapshot, *, academic: bool, months: int, class_hours: int, amount_fen: int
) -> Decision:
    """May one collection span `months`, cover `class_hours` and amount to `amount_fen`? (F4, F5)"""
    limits = prepaid_limits(profile, academic)
    checks = (
        (PolicyError.PREPAID_MONTHS_EXCEEDED, limits.months, months),
        (PolicyError.PREPAID_CLASS_HOURS_EXCEEDED, limits.class_hours, class_hours),
        (PolicyError.PREPAID_AMOUNT_EXCEEDED, limits.amount_fen, amount_fen),
    )
    for code, limit, value in checks:
        if limit is not None and value > limit:
            return Decision(False, code, {"limit": limit, "value": value})
    return ALLOWED


# Exams (E1-E6)


@dataclass(frozen=True, slots=True)
class ExamAllowance:
    """Exam sittings allowed for a grade: per term (final, mid-term) and mock exams per year."""

    final_per_term: int | None
    midterm_per_term: int | None
    mock_per_year: int | None


def exam_allowance(profile: PolicySnapshot, grade: int) -> ExamAllowance:
    band = grade_band(grade)
    if band is None:
        return ExamAllowance(None, None, None)
    if band is GradeBand.G1_2:
        written = _int(profile, "exams.written_exams_per_term_max.g1_2")
        return ExamAllowance(written, written, 0 if written is not None else None)
    final = _int(profile, "exams.final_exams_per_term_max")
    if band is GradeBand.G3_6:
        return ExamAllowance(final, _int(profile, "exams.midterm_exams_per_term_max.primary"), 0)
    mock = _int(profile, "exams.mock_exams_max.g9") if grade == 9 else 0
    return ExamAllowance(final, _int(profile, "exams.midterm_exams_per_term_max.junior"), mock)


@dataclass(frozen=True, slots=True)
class LevelRange:
    low: int
    high: int


def exam_level_count_range(profile: PolicySnapshot) -> LevelRange | None:
    """How many grade levels results are reported in (E6: generally 4-5)."""
    low, high = _int(profile, "exams.level_count_min"), _int(profile, "exams.level_count_max")
    if low is None or high is None:
        return None
    return LevelRange(low, high)


# School conditions (Q3)


def class_size_max(profile: PolicySnapshot, stage: StudentStage) -> int | None:
    return _int(profile, f"school.class_size_max.{stage}")


def school_size_max(profile: PolicySnapshot, *, nine_or_twelve_year: bool) -> int | None:
    return _int(profile, f"school.enrolment_max.{'nine_or_twelve_year' if nine_or_twelve_year else 'standard'}")


def min_cell_size(profile: PolicySnapshot) -> int:
    """Aggregates over fewer people than this are suppressed (1 = no suppression configured)."""
    return _int(profile, "privacy.min_cell_size") or 1


def share(part: int, whole: int, min_cell: int) -> float | None:
    """A share, suppressed (None) when the cell is smaller than the minimum cell size."""
    if whole < min_cell or whole == 0:
        return None
    return part / whole


def complaint_response_days(profile: PolicySnapshot) -> int | None:
    return _int(profile, "homework.complaint_response_days")


def repeatedly_over_min_days(profile: PolicySnapshot) -> int | None:
    return _int(profile, "homework.repeatedly_over_min_days")
