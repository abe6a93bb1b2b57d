"""The school calendar with real dates: statutory holidays, make-up workdays, term dates, local overrides."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuangjian.core import calendar
from shuangjian.core.errors import DomainError
from shuangjian.core.models import CalendarOverride, Region, Role, School, SchoolYear, Term
from shuangjian.core.rules import DayKind, OverrideKind
from shuangjian.core.services.calendar import calendar_override_remove, calendar_override_set
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    """School A and A2 in 梁园区, school B in 民权县; default terms for 2025-2026; 梁园区 ends term 1 later."""
    province, city, liangyuan, minquan = f.regions()
    year = SchoolYear.objects.create(start_year=2025)
    Term.objects.create(school_year=year, number=1, start_date=date(2025, 9, 1), end_date=date(2026, 1, 30))
    Term.objects.create(school_year=year, number=2, start_date=date(2026, 3, 2), end_date=date(2026, 7, 3))
    county_term = Term.objects.create(
        school_year=year, number=1, start_date=date(2025, 9, 1), end_date=date(2026, 2, 14), region=liangyuan
    )
    return {
        "province": province,
        "city": city,
        "liangyuan": liangyuan,
        "minquan": minquan,
        "a": f.school(liangyuan, "梁园区前进小学"),
        "a2": f.school(liangyuan, "梁园区第二小学"),
        "b": f.school(minquan, "民权县实验小学"),
        "year": year,
        "county_term": county_term,
    }


def bureau(region: Region) -> Any:
    account = f.user()
    f.assign(account, Role.BUREAU, region=region)
    return account


def leader(school: School) -> Any:
    account = f.user()
    f.assign(account, Role.SCHOOL_LEADER, school=school)
    return account


# The national calendar and term dates


@pytest.mark.parametrize(
    ("_case", "day", "expected"),
    [
        ("National Day", date(2025, 10, 1), DayKind.HOLIDAY),
        ("National Day holiday on a Saturday", date(2025, 10, 4), DayKind.HOLIDAY),
        ("last day of the National Day holiday", date(2025, 10, 8), DayKind.HOLIDAY),
        ("make-up Sunday before National Day", date(2025, 9, 28), DayKind.SCHOOL_DAY),
        ("make-up Saturday after National Day", date(2025, 10, 11), DayKind.SCHOOL_DAY),
        ("an ordinary Wednesday in term", date(2025, 9, 10), DayKind.SCHOOL_DAY),
        ("a Saturday in term", date(2025, 9, 13), DayKind.WEEKEND),
        ("a Sunday in term", date(2025, 9, 14), DayKind.WEEKEND),
        ("a July weekday after the term", date(2026, 7, 15), DayKind.VACATION),
        ("the day after term 2 ends", date(2026, 7, 4), DayKind.VACATION),
        ("the last day of term 2", date(2026, 7, 3), DayKind.SCHOOL_DAY),
        ("the first day of term 1", date(2025, 9, 1), DayKind.SCHOOL_DAY),
        ("the day before term 1", date(2025, 8, 31), DayKind.VACATION),
    ],
)
def test_day_kind(world: dict[str, Any], _case: str, day: date, expected: DayKind) -> None:
    assert calendar.day_kind(world["b"], day) is expected


def test_make_up_workday_2026_02_14_in_term_is_a_school_day(world: dict[str, Any]) -> None:
    # 2026-02-14 (Saturday) is a Spring Festival make-up workday. 梁园区's term 1 runs until that day;
    # the default term 1 (民权县) ended on 2026-01-30, so there it is vacation.
    assert calendar.national_day(date(2026, 2, 14)) == calendar.NationalDay(False, True, "Spring Festival")
    assert calendar.day_kind(world["a"], date(2026, 2, 14)) is DayKind.SCHOOL_DAY
    assert calendar.day_kind(world["b"], date(2026, 2, 14)) is DayKind.VACATION


@pytest.mark.parametrize(
    ("_case", "day", "expected"),
    [
        ("a statutory holiday", date(2025, 10, 1), calendar.NationalDay(True, False, "National Day")),
        ("a make-up workday", date(2025, 9, 28), calendar.NationalDay(False, True, "National Day")),
        ("an ordinary Saturday", date(2025, 9, 13), calendar.NationalDay(False, False, None)),
        ("an ordinary weekday", date(2025, 9, 10), calendar.NationalDay(False, False, None)),
    ],
)
def test_national_day(_case: str, day: date, expected: calendar.NationalDay) -> None:
    assert calendar.national_day(day) == expected


def test_the_most_specific_term_dates_win(world: dict[str, Any]) -> None:
    # given: the city moves term 2 earlier; 梁园区 keeps its own term 1
    Term.objects.create(
        school_year=world["year"],
        number=2,
        start_date=date(2026, 2, 24),
        end_date=date(2026, 7, 3),
        region=world["city"],
    )
    # when / then
    assert calendar.term_for(world["a"], date(2026, 2, 10)) == world["county_term"]
    assert calendar.term_for(world["b"], date(2026, 2, 10)) is None
    city_term = calendar.term_for(world["b"], date(2026, 2, 25))
    assert city_term is not None and (city_term.region_id, city_term.number) == ("411400", 2)
    assert calendar.day_kind(world["b"], date(2026, 2, 25)) is DayKind.SCHOOL_DAY
    assert calendar.term_for(world["a"], date(2026, 7, 15)) is None


def test_a_specific_term_replaces_the_default_even_where_it_is_shorter(world: dict[str, Any]) -> None:
    # given: 民权县's own term 2 ends a week before the default
    Term.objects.create(
        school_year=world["year"],
        number=2,
        start_date=date(2026, 3, 2),
        end_date=date(2026, 6, 26),
        region=world["minquan"],
    )
    # when / then
    assert calendar.day_kind(world["b"], date(2026, 6, 30)) is DayKind.VACATION
    assert calendar.day_kind(world["a"], date(2026, 6, 30)) is DayKind.SCHOOL_DAY


def test_school_days_across_national_day(world: dict[str, Any]) -> None:
    # when
    days = calendar.school_days(world["b"], date(2025, 9, 27), date(2025, 10, 12))
    # then: Sat 27 off, Sun 28 make-up, Mon-Tue 29-30, 1-8 October off, Thu-Fri 9-10, Sat 11 make-up, Sun 12 off
    assert days == [
        date(2025, 9, 28),
        date(2025, 9, 29),
        date(2025, 9, 30),
        date(2025, 10, 9),
        date(2025, 10, 10),
        date(2025, 10, 11),
    ]


def test_day_kinds_uses_two_queries_for_a_whole_year(world: dict[str, Any]) -> None:
    # when
    with CaptureQueriesContext(connection) as queries:
        kinds = calendar.day_kinds(world["a"], date(2025, 8, 1), date(2026, 7, 31))
    # then
    assert len(queries.captured_queries) == 2
    assert len(kinds) == 365
    assert kinds[date(2025, 10, 1)] is DayKind.HOLIDAY
    assert kinds[date(2026, 7, 31)] is DayKind.VACATION


def test_day_kinds_of_an_empty_range(world: dict[str, Any]) -> None:
    assert calendar.day_kinds(world["a"], date(2025, 9, 2), date(2025, 9, 1)) == {}


# Years the installed chinese_calendar does not cover


def first_uncovered_year() -> int:
    return next(year for year in range(2026, 2100) if not calendar.calendar_coverage(year))


def test_calendar_coverage() -> None:
    assert calendar.calendar_coverage(2025) is True
    assert calendar.calendar_coverage(2026) is True
    assert calendar.calendar_coverage(2003) is False
    assert calendar.calendar_coverage(first_uncovered_year()) is False


def test_an_uncovered_year_falls_back_to_weekdays_and_weekends(world: dict[str, Any]) -> None:
    # given: a term in a year chinese_calendar does not know (2027 with chinesecalendar 1.11)
    year = first_uncovered_year()
    school_year = SchoolYear.objects.create(start_year=year)
    Term.objects.create(school_year=school_year, number=1, start_date=date(year, 9, 1), end_date=date(year + 1, 1, 20))
    national_day = date(year, 10, 1)
    # when
    kinds = calendar.day_kinds(world["a"], national_day, national_day + timedelta(days=6))
    # then: no statutory holiday is known, so 1 October counts as an ordinary day of the week
    for day, kind in kinds.items():
        assert kind is (DayKind.WEEKEND if day.weekday() >= 5 else DayKind.SCHOOL_DAY), day
    assert calendar.national_day(national_day) == calendar.NationalDay(False, False, None)
    assert calendar.uncovered_years(date(2025, 1, 1), date(year, 12, 31)) == list(
        range(first_uncovered_year(), year + 1)
    )


# Local overrides


def test_a_snow_day_makes_a_school_day_a_rest_day(world: dict[str, Any]) -> None:
    # given
    snow_day = date(2025, 12, 10)  # a Wednesday
    assert calendar.day_kind(world["a"], snow_day) is DayKind.SCHOOL_DAY
    # when
    calendar_override_set(
        actor=bureau(world["liangyuan"]),
        region=world["liangyuan"],
        day=snow_day,
        kind=OverrideKind.REST_DAY,
        reason="暴雪停课",
    )
    # then
    assert calendar.day_kind(world["a"], snow_day) is DayKind.WEEKEND
    assert calendar.day_kind(world["a2"], snow_day) is DayKind.WEEKEND
    assert calendar.day_kind(world["b"], snow_day) is DayKind.SCHOOL_DAY  # the other county is not affected


def test_a_school_override_wins_over_its_regions(world: dict[str, Any]) -> None:
    # given: the county closes for snow, school A (a boarding school) stays open
    snow_day = date(2025, 12, 10)
    calendar_override_set(
        actor=bureau(world["liangyuan"]), region=world["liangyuan"], day=snow_day, kind="rest_day", reason="暴雪停课"
    )
    # when
    calendar_override_set(
        actor=leader(world["a"]), school=world["a"], day=snow_day, kind="school_day", reason="寄宿生照常上课"
    )
    # then
    assert calendar.day_kind(world["a"], snow_day) is DayKind.SCHOOL_DAY
    assert calendar.day_kind(world["a2"], snow_day) is DayKind.WEEKEND


def test_a_county_override_wins_over_its_citys(world: dict[str, Any]) -> None:
    # given: the city makes a Saturday a school day, the county keeps it a rest day
    saturday = date(2025, 11, 15)
    calendar_override_set(
        actor=bureau(world["city"]), region=world["city"], day=saturday, kind="school_day", reason="全市调课"
    )
    calendar_override_set(
        actor=bureau(world["liangyuan"]),
        region=world["liangyuan"],
        day=saturday,
        kind="rest_day",
        reason="县区另行安排",
    )
    # when / then
    assert calendar.day_kind(world["a"], saturday) is DayKind.WEEKEND
    assert calendar.day_kind(world["b"], saturday) is DayKind.SCHOOL_DAY


def test_a_school_day_override_in_vacation(world: dict[str, Any]) -> None:
    day = date(2026, 7, 15)
    calendar_override_set(actor=leader(world["b"]), school=world["b"], day=day, kind="school_day", reason="补课日")
    assert calendar.day_kind(world["b"], day) is DayKind.SCHOOL_DAY


# calendar_override_set / calendar_override_remove


def test_setting_a_day_again_replaces_it(world: dict[str, Any]) -> None:
    # given
    actor = leader(world["a"])
    day = date(2025, 12, 10)
    first = calendar_override_set(actor=actor, school=world["a"], day=day, kind="rest_day", reason="停电")
    # when
    second = calendar_override_set(actor=actor, school=world["a"], day=day, kind="school_day", reason="恢复供电")
    # then
    assert second.pk == first.pk
    assert list(CalendarOverride.objects.values_list("school_id", "date", "kind", "reason")) == [
        (world["a"].pk, day, "school_day", "恢复供电")
    ]


def test_a_city_bureau_sets_days_for_a_county_below_it(world: dict[str, Any]) -> None:
    override = calendar_override_set(
        actor=bureau(world["city"]), region=world["liangyuan"], day=date(2025, 12, 10), kind="rest_day", reason="暴雪"
    )
    assert (override.region_id, override.school_id, override.kind) == ("411402", None, "rest_day")


def test_remove_restores_the_national_calendar(world: dict[str, Any]) -> None:
    # given
    actor = bureau(world["liangyuan"])
    day = date(2025, 12, 10)
    calendar_override_set(actor=actor, region=world["liangyuan"], day=day, kind="rest_day", reason="暴雪")
    # when / then
    assert calendar_override_remove(actor=actor, region=world["liangyuan"], day=day) is True
    assert calendar_override_remove(actor=actor, region=world["liangyuan"], day=day) is False
    assert calendar.day_kind(world["a"], day) is DayKind.SCHOOL_DAY


def refused(**kwargs: Any) -> DomainError:
    before = list(CalendarOverride.objects.values_list("pk", "kind", "reason"))
    with pytest.raises(DomainError) as raised:
        calendar_override_set(**kwargs)
    assert list(CalendarOverride.objects.values_list("pk", "kind", "reason")) == before
    return raised.value


@pytest.mark.parametrize(
    ("_case", "role", "scope", "target"),
    [
        ("county bureau for its city", Role.BUREAU, {"region": "liangyuan"}, {"region": "city"}),
        ("county bureau for a sibling county", Role.BUREAU, {"region": "minquan"}, {"region": "liangyuan"}),
        ("inspector for its county", Role.INSPECTOR, {"region": "liangyuan"}, {"region": "liangyuan"}),
        ("school leader for its county", Role.SCHOOL_LEADER, {"school": "a"}, {"region": "liangyuan"}),
        ("school leader for another school", Role.SCHOOL_LEADER, {"school": "b"}, {"school": "a"}),
        ("teacher for the school", Role.TEACHER, {"school": "a"}, {"school": "a"}),
        ("bureau for a school", Role.BUREAU, {"region": "liangyuan"}, {"school": "a"}),
    ],
)
def test_refused_actors_change_nothing(
    world: dict[str, Any], _case: str, role: Role, scope: dict[str, str], target: dict[str, str]
) -> None:
    # given
    calendar_override_set(
        actor=leader(world["a"]), school=world["a"], day=date(2025, 12, 10), kind="rest_day", reason="原因"
    )
    actor = f.user()
    f.assign(actor, role, **{k: world[v] for k, v in scope.items()})
    # when
    error = refused(
        actor=actor,
        day=date(2025, 12, 10),
        kind="school_day",
        reason="试图修改",
        **{k: world[v] for k, v in target.items()},
    )
    # then
    assert (error.code, error.status) == ("core.forbidden", 403)


def test_anonymous_is_refused(world: dict[str, Any]) -> None:
    error = refused(actor=None, school=world["a"], day=date(2025, 12, 10), kind="rest_day", reason="暴雪")
    assert error.code == "core.forbidden"


@pytest.mark.parametrize(
    ("_case", "target", "kind", "reason", "field"),
    [
        ("no target", {}, "rest_day", "暴雪", "target"),
        ("two targets", {"region": "liangyuan", "school": "a"}, "rest_day", "暴雪", "target"),
        ("unknown kind", {"region": "liangyuan"}, "holiday", "暴雪", "kind"),
        ("blank reason", {"region": "liangyuan"}, "rest_day", "   ", "reason"),
        ("reason too long", {"region": "liangyuan"}, "rest_day", "雪" * 129, "reason"),
    ],
)
def test_bad_input_is_refused(
    world: dict[str, Any], _case: str, target: dict[str, str], kind: str, reason: str, field: str
) -> None:
    # given: the city bureau may set days anywhere in the city
    actor = bureau(world["city"])
    # when
    error = refused(
        actor=actor, day=date(2025, 12, 10), kind=kind, reason=reason, **{k: world[v] for k, v in target.items()}
    )
    # then
    assert (error.code, error.details["field"]) == ("core.invalid_input", field)
