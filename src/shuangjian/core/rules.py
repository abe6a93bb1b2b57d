"""Pure rules of the school system (no Django): what kind of day a date is for a school."""

from datetime import date
from enum import StrEnum


class DayKind(StrEnum):
    """The kinds of day every module asks about (homework caps, after-school slots, training hours)."""

    SCHOOL_DAY = "school_day"  # a teaching day in term, including a make-up workday (调休)
    WEEKEND = "weekend"  # an ordinary rest day in term
    HOLIDAY = "holiday"  # a statutory holiday (法定节假日), including its bridging rest days
    VACATION = "vacation"  # outside the term dates: winter and summer vacations


class OverrideKind(StrEnum):
    SCHOOL_DAY = "school_day"
    REST_DAY = "rest_day"


def classify_day(
    day: date,
    *,
    is_statutory_holiday: bool,
    is_makeup_workday: bool,
    in_term: bool,
    override: OverrideKind | None = None,
) -> DayKind:
    """Classify `day`. A local override (snow day, local make-up day) wins over the national calendar;
    outside term everything is vacation, unless an override makes it a school day. A rest-day override
    on a statutory holiday leaves it a holiday (the holiday's own rules, e.g. homework caps, still apply)."""
    if override is OverrideKind.SCHOOL_DAY:
        return DayKind.SCHOOL_DAY
    if not in_term:
        return DayKind.VACATION
    if is_statutory_holiday:
        return DayKind.HOLIDAY
    if override is OverrideKind.REST_DAY:
        return DayKind.WEEKEND
    if is_makeup_workday:
        return DayKind.SCHOOL_DAY
    return DayKind.WEEKEND if day.weekday() >= 5 else DayKind.SCHOOL_DAY
