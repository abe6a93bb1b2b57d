"""Courses at entry (refused with a clear code, nothing saved) and the violations found in stored data."""

from datetime import date, time

import pytest
from django.test import Client

from shuangjian.core.errors import AccessDenied, DomainError
from shuangjian.core.models import CalendarOverride
from shuangjian.training import selectors
from shuangjian.training.models import Course, CourseStatus, Site, TimetableEntry
from shuangjian.training.services import courses, registry
from shuangjian.training.tests import builders
from shuangjian.training.tests.conftest import TrainingWorld


@pytest.fixture
def site(world: TrainingWorld) -> Site:
    return builders.site(world.operator, world.institution, area=60)


def _create(world: TrainingWorld, site: Site | None, **changes: object) -> Course:
    draft = builders.course_draft(site.pk if site is not None else None, **changes)
    return courses.course_create(actor=world.operator, institution_id=world.institution.pk, draft=draft)


def _counts() -> tuple[int, int]:
    return Course.objects.count(), TimetableEntry.objects.count()


def test_a_legal_course_is_saved_with_its_timetable(world: TrainingWorld, site: Site) -> None:
    course = _create(world, site)
    assert (course.institution, course.site, course.status, course.created_by) == (
        world.institution, site, CourseStatus.ACTIVE, world.operator,
    )  # fmt: skip
    assert list(course.entries.values_list("weekday", "start_time", "end_time")) == [(3, time(18, 0), time(19, 30))]


@pytest.mark.parametrize(
    ("_case", "changes", "code", "details"),
    [
        ("weekly on Saturdays", {"sittings": (builders.weekly(6, "09:00", "10:30"),)}, "training.rest_day_forbidden",
         {"date": "2026-09-12"}),
        ("on National Day", {"sittings": (builders.on(date(2026, 10, 1), "09:00", "10:30"),),
                             "end_date": date(2026, 10, 8)}, "training.holiday_forbidden", {"date": "2026-10-01"}),
        ("into the winter vacation", {"end_date": date(2027, 1, 31), "start_date": date(2027, 1, 6)},
         "training.vacation_forbidden", {"date": "2027-01-27"}),
        ("ending 20:31", {"sittings": (builders.weekly(3, "19:00", "20:31"),)}, "training.ends_too_late",
         {"end": "20:31:00", "latest": "20:30:00"}),
        ("21 students on 60 m²", {"class_size": 21}, "training.site_too_small",
         {"class_size": "21", "area": "60", "max": "20"}),
        ("four months in one charge", {"charge_months": 4}, "training.charge_months_exceeded",
         {"value": "4", "max": "3"}),
        ("basketball in an academic institution", {"subject": "篮球"}, "training.subject_not_academic",
         {"subject": "篮球"}),
    ],
)  # fmt: skip
def test_rule_breaking_courses_are_refused_at_entry(
    world: TrainingWorld, site: Site, _case: str, changes: dict[str, object], code: str, details: dict[str, str]
) -> None:
    with pytest.raises(DomainError) as refused:
        _create(world, site, **changes)
    assert (refused.value.code, refused.value.details) == (code, details)
    assert _counts() == (0, 0)


def test_a_weekly_course_skips_a_weekday_holiday(world: TrainingWorld, site: Site) -> None:
    # National Day 2026-10-01 is a Thursday: a Thursday course over it runs on the other Thursdays
    course = _create(
        world,
        site,
        sittings=(builders.weekly(4, "18:00", "19:30"),),
        start_date=date(2026, 9, 24),
        end_date=date(2026, 10, 15),
    )
    assert course.pk is not None


def test_a_local_makeup_saturday_may_hold_academic_training(world: TrainingWorld, site: Site) -> None:
    CalendarOverride.objects.create(region=world.liangyuan, date=date(2026, 9, 12), kind="school_day", reason="调课")
    course = _create(world, site, sittings=(builders.on(date(2026, 9, 12), "09:00", "10:30"),))
    assert course.entries.get().date == date(2026, 9, 12)


def test_the_most_specific_guidance_price_applies(world: TrainingWorld, site: Site) -> None:
    # given: the city sets 50 yuan per 45-minute lesson, 梁园区 40 yuan
    courses.guidance_price_set(
        actor=world.city_bureau, region_code="411400", subject="数学", mode="offline", base_fen=5000
    )
    # then: a 90-minute lesson may cost 5000 × 1.1 × 2 = 11000 fen in the city's counties
    assert _create(world, site, price_fen_per_lesson=11000).pk is not None
    with pytest.raises(DomainError) as refused:
        _create(world, site, price_fen_per_lesson=11001)
    assert (refused.value.code, refused.value.details["max_yuan"]) == ("training.price_above_guidance", "110.00")
    # when: 梁园区 sets its own lower price, it wins
    courses.guidance_price_set(
        actor=world.county_bureau, region_code="411402", subject="数学", mode="offline", base_fen=4000
    )
    with pytest.raises(DomainError) as lower:
        _create(world, site, price_fen_per_lesson=8801)
    assert lower.value.code == "training.price_above_guidance"
    assert Course.objects.count() == 1


def test_guidance_prices_are_set_by_the_region_s_bureau_only(world: TrainingWorld) -> None:
    with pytest.raises(AccessDenied):
        courses.guidance_price_set(
            actor=world.other_county_bureau, region_code="411402", subject="数学", mode="offline", base_fen=1
        )
    with pytest.raises(DomainError) as refused:
        courses.guidance_price_set(
            actor=world.county_bureau, region_code="411402", subject="篮球", mode="offline", base_fen=5000
        )
    assert refused.value.code == "training.invalid_choice"


def test_every_change_of_a_guidance_price_is_kept_and_public(world: TrainingWorld, client: Client) -> None:
    # given: 梁园区 sets 40 yuan, sets it again unchanged, then lowers it to 35; 数学 online separately
    for base_fen, mode in ((4000, "offline"), (4000, "offline"), (3500, "offline"), (3000, "online")):
        courses.guidance_price_set(
            actor=world.county_bureau, region_code="411402", subject="数学", mode=mode, base_fen=base_fen
        )
    # then: two changes of the offline price (the repeat changed nothing), newest first, the price in force 35
    history = selectors.guidance_price_history(region_code="411402", subject="数学", mode="offline")
    assert [(c.previous_fen, c.base_fen, c.set_by) for c in history] == [
        (4000, 3500, world.county_bureau), (None, 4000, world.county_bureau),
    ]  # fmt: skip
    # and: anyone reads the prices and their history through the API, without signing in
    prices = client.get("/api/v1/training/guidance-prices", {"region_code": "411402"}).json()["items"]
    assert [(p["mode"], p["base_fen"]) for p in prices] == [("offline", 3500), ("online", 3000)]
    changes = client.get("/api/v1/training/guidance-prices/history", {"region_code": "411402", "mode": "offline"})
    assert [(c["previous_fen"], c["base_fen"]) for c in changes.json()["items"]] == [(4000, 3500), (None, 4000)]
    assert "set_by" not in changes.json()["items"][0]
    assert client.get("/api/v1/training/guidance-prices").status_code == 422  # the region is required


def test_only_an_approved_institution_s_operator_enters_courses(world: TrainingWorld, site: Site) -> None:
    with pytest.raises(AccessDenied):
        courses.course_create(
            actor=world.county_bureau, institution_id=world.institution.pk, draft=builders.course_draft(site.pk)
        )
    registry.licence_change(
        actor=world.county_bureau, institution_id=world.institution.pk, action="suspend", reason="查处"
    )
    with pytest.raises(DomainError) as refused:
        _create(world, site)
    assert (refused.value.code, refused.value.message) == (
        "training.not_approved", "机构许可状态为“已暂停”，审批通过后才能开设课程。",
    )  # fmt: skip
    assert _counts() == (0, 0)


def test_a_site_of_another_institution_is_refused(world: TrainingWorld) -> None:
    foreign = builders.site(world.other_operator, world.other_institution)
    with pytest.raises(DomainError) as refused:
        _create(world, foreign)
    assert refused.value.code == "training.unknown_site"


# Violations in stored data


def _saturday_course(world: TrainingWorld, site: Site) -> Course:
    """A course stored before the rule was enforced (written directly: the service refuses it)."""
    course = Course.objects.create(
        institution=world.institution, site=site, title="周六数学", subject="数学", grade_min=7, grade_max=9,
        lesson_minutes=90, lesson_count=4, class_size=25, price_fen_per_lesson=6000, charge_lessons=4,
        charge_months=1, start_date=date(2026, 9, 9), end_date=date(2026, 9, 30), created_by=world.operator,
    )  # fmt: skip
    TimetableEntry.objects.create(course=course, weekday=6, start_time=time(19, 30), end_time=time(21, 0))
    return course


def test_violations_in_stored_courses_are_listed_for_supervisors(world: TrainingWorld, site: Site) -> None:
    # given: one legal course and one breaking three rules
    _create(world, site)
    bad = _saturday_course(world, site)
    # when
    found = selectors.violation_list(actor=world.inspector)
    # then
    assert [(v.course_id, v.code) for v in found] == [
        (bad.pk, "training.ends_too_late"),
        (bad.pk, "training.rest_day_forbidden"),
        (bad.pk, "training.site_too_small"),
    ]
    assert found[1].message == "学科类培训不得在休息日开展（2026-09-12）。"
    assert [v.course_id for v in selectors.violation_list(actor=world.operator)] == [bad.pk] * 3
    assert selectors.violation_list(actor=world.other_county_bureau) == []


def test_withdrawn_courses_are_not_flagged(world: TrainingWorld, site: Site) -> None:
    bad = _saturday_course(world, site)
    courses.course_withdraw(actor=world.operator, course_id=bad.pk)
    assert selectors.violation_list(actor=world.city_bureau) == []
