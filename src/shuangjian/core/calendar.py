"""The school calendar: what kind of day a date is for a school.

Three sources, combined by the pure `core.rules.classify_day`:
1. the national calendar (chinese_calendar): statutory holidays and make-up workdays (调休);
2. term dates (`Term`): the row for the school's county, else its city, else its province, else the
   default row (region NULL), chosen per (school year, term number);
3. calendar overrides (`CalendarOverride`): the school's own wins over its county's, then its city's,
   then its province's.

Years the installed chinese_calendar does not cover fall back to plain weekdays and weekends with no
statutory holidays; `calendar_coverage(year)` says whether a year is covered, so pages can warn.
A range is computed with two queries whatever its length.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar
from django.db.models import Q

from shuangjian.core.models import CalendarOverride, School, Term
from shuangjian.core.rules import DayKind, OverrideKind, classify_day


@dataclass(frozen=True, slots=True)
class NationalDay:
    """A date in the national calendar."""

    is_statutory_holiday: bool
    is_makeup_workday: bool
    holiday_name: str | None  # chinese_calendar's English name ("National Day"), None on ordinary days


_ORDINARY = NationalDay(is_statutory_holiday=False, is_makeup_workday=False, holiday_name=None)


@cache
def calendar_coverage(year: int) -> bool:
    """Does the installed chinese_calendar know the statutory holidays and make-up days of `year`?"""
    try:
        chinese_calendar.get_holiday_detail(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def national_day(day: date) -> NationalDay:
    """Statutory holiday or make-up workday per the national calendar; ordinary in uncovered years."""
    if not calendar_coverage(day.year):
        return _ORDINARY
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    if name is None:  # an ordinary weekday (False, None) or weekend (True, None)
        return _ORDINARY
    return NationalDay(is_statutory_holiday=bool(on_holiday), is_makeup_workday=not on_holiday, holiday_name=str(name))


def _region_rank(school: School) -> dict[str | None, int]:
    """How specific a region-level row is for this school: county 0, city 1, province 2, default 3."""
    return {school.county_id: 0, school.city_id: 1, school.province_id: 2, None: 3}


def _terms(school: School, start: date, end: date) -> list[Term]:
    """The school's terms that may touch [start, end], one per (school year, number): the most specific."""
    rank = _region_rank(school)
    rows = Term.objects.filter(
        Q(region__isnull=True) | Q(region_id__in=[school.county_id, school.city_id, school.province_id]),
        school_year__start_year__gte=start.year - 1,
        school_year__start_year__lte=end.year,
    ).select_related("school_year", "region")
    chosen: dict[tuple[int, int], Term] = {}
    for term in rows:
        slot = (term.school_year_id, term.number)
        current = chosen.get(slot)
        if current is None or rank[term.region_id] < rank[current.region_id]:
            chosen[slot] = term
    return sorted(chosen.values(), key=lambda t: t.start_date)


def _overrides(school: School, start: date, end: date) -> dict[date, OverrideKind]:
    """The override in force on each date: the school's own, else the most specific region's."""
    rank = _region_rank(school)
    rows = CalendarOverride.objects.filter(
        Q(school=school) | Q(region_id__in=[school.county_id, school.city_id, school.province_id]),
        date__gte=start,
        date__lte=end,
    ).values_list("school_id", "region_id", "date", "kind")
    best: dict[date, tuple[int, OverrideKind]] = {}
    for school_id, region_id, day, kind in rows:
        level = -1 if school_id is not None else rank[region_id]
        if day not in best or level < best[day][0]:
            best[day] = (level, OverrideKind(kind))
    return {day: kind for day, (_level, kind) in best.items()}


def _term_containing(terms: list[Term], day: date) -> Term | None:
    return next((term for term in terms if term.start_date <= day <= term.end_date), None)


def day_kinds(school: School, start: date, end: date) -> dict[date, DayKind]:
    """The kind of every day from `start` to `end` (inclusive) for `school`, in two queries."""
    if end < start:
        return {}
    terms = _terms(school, start, end)
    overrides = _overrides(school, start, end)
    result: dict[date, DayKind] = {}
    day = start
    while day <= end:
        national = national_day(day)
        result[day] = classify_day(
            day,
            is_statutory_holiday=national.is_statutory_holiday,
            is_makeup_workday=national.is_makeup_workday,
            in_term=_term_containing(terms, day) is not None,
            override=overrides.get(day),
        )
        day += timedelta(days=1)
    return result


def day_kind(school: School, day: date) -> DayKind:
    """What kind of day `day` is for `school` (school day, weekend, statutory holiday, vacation)."""
    return day_kinds(school, day, day)[day]


def school_days(school: School, start: date, end: date) -> list[date]:
    """The school days from `start` to `end` (inclusive), in order."""
    return [day for day, kind in day_kinds(school, start, end).items() if kind is DayKind.SCHOOL_DAY]


def term_for(school: School, day: date) -> Term | None:
    """The term (the school's most specific dates) containing `day`, or None in vacation."""
    return _term_containing(_terms(school, day, day), day)


def uncovered_years(start: date, end: date) -> list[int]:
    """The years in [start, end] whose statutory holidays are unknown (the calendar falls back to weekdays)."""
    return [year for year in range(start.year, end.year + 1) if not calendar_coverage(year)]
