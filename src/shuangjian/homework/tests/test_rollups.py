"""Rollups: class-day rows kept exact by every feedback write, county and city rows refreshed from them, and the
homework_rollups command."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from shuangjian.core.tests import factories as f
from shuangjian.homework import rules
from shuangjian.homework.models import OVER_CAP, ClassDayRollup, HomeworkFeedback, RegionDayRollup
from shuangjian.homework.services import feedback
from shuangjian.homework.services.rollups import days_with_activity, rollups_refresh
from shuangjian.homework.tests import builders as b
from shuangjian.homework.tests.conftest import MONDAY, HomeworkWorld

TUESDAY = MONDAY + timedelta(days=1)
COUNTERS = ("feedback_count", "within_cap_count", "unfinished_count", "reported_minutes_sum")


@pytest.fixture
def city_day(world: HomeworkWorld) -> None:
    """Monday and Tuesday in two counties: grade 4 and grade 2 in 梁园区 (two schools), grade 4 in 民权县."""
    neighbour_class = f.school_class(f.school(world.school.county, "梁园区第二实验小学"), 4, 1)
    b.assign(world.chinese_teacher, world.class4, MONDAY, 35)
    plan = {
        world.class4: ([world.child, world.classmate, *b.pupils(world.class4, 4)], [20, 45, 61, 75, 90, 130]),
        world.class2: (b.pupils(world.class2, 3), [0, 15, 0]),
        neighbour_class: (b.pupils(neighbour_class, 4), [55, 60, 65, 600]),
        world.other_class: ([world.other_child, *b.pupils(world.other_class, 2)], [10, 62, 3]),
    }
    for school_class, (pupils, minutes) in plan.items():
        head = b.head_teacher_of(school_class) if school_class != world.class4 else world.head_teacher
        b.report(head, school_class, MONDAY, dict(zip(pupils, minutes, strict=True)), unfinished=1)
        b.report(head, school_class, TUESDAY, dict(zip(pupils, [m // 2 for m in minutes], strict=True)))


def expected_region_row(region_field: str, code: str, day: date, grade: int) -> dict[str, object]:
    """What a region row must hold: the sums of the class rollups and the histogram of the reports below it."""
    classes = ClassDayRollup.objects.filter(**{f"school__{region_field}": code}, date=day, grade=grade)
    sums = classes.aggregate(
        class_count=Count("pk"),
        classes_over_cap=Count("pk", filter=OVER_CAP),
        estimated_minutes_sum=Sum("estimated_minutes"),
        **{name: Sum(name) for name in COUNTERS},
    )
    histogram = [0] * rules.BUCKET_COUNT
    reports = HomeworkFeedback.objects.filter(
        Q(school__county_id=code) | Q(school__city_id=code) | Q(school__province_id=code),
        date=day,
        school_class__grade=grade,
    )
    for minutes in reports.values_list("reported_minutes", flat=True):
        histogram[rules.bucket_of(minutes)] += 1
    return {**sums, "histogram": histogram}


def region_row(code: str, day: date, grade: int) -> dict[str, object]:
    row = RegionDayRollup.objects.get(region_id=code, date=day, grade=grade)
    names = ("class_count", "classes_over_cap", "estimated_minutes_sum", *COUNTERS, "histogram")
    return {name: getattr(row, name) for name in names}


def test_county_and_city_rows_are_the_sums_of_the_class_rollups(world: HomeworkWorld, city_day: None) -> None:
    # when
    written = rollups_refresh([MONDAY, TUESDAY])
    # then: per day, 梁园区 grades 4 and 2, 民权县 grade 4, the city and the province grades 4 and 2
    assert written == 14
    keys = set(RegionDayRollup.objects.values_list("region_id", "date", "grade"))
    cells = [("411402", 4), ("411402", 2), ("411421", 4), ("411400", 4), ("411400", 2), ("410000", 4), ("410000", 2)]
    assert keys == {(code, day, grade) for day in (MONDAY, TUESDAY) for code, grade in cells}
    for code, field in [
        ("411402", "county_id"), ("411421", "county_id"), ("411400", "city_id"), ("410000", "province_id")
    ]:  # fmt: skip
        for grade in (4, 2):
            for day in (MONDAY, TUESDAY):
                if (code, day, grade) in keys:
                    assert region_row(code, day, grade) == expected_region_row(field, code, day, grade), (code, grade)


def test_known_figures_of_one_row(world: HomeworkWorld, city_day: None) -> None:
    rollups_refresh([MONDAY])
    row = region_row("411400", MONDAY, 4)
    # 13 grade-4 reports: 6 + 4 in 梁园区, 3 in 民权县; within 60: 20 45 | 55 60 | 10 3
    assert {k: row[k] for k in ("class_count", "feedback_count", "within_cap_count", "unfinished_count")} == {
        "class_count": 3,
        "feedback_count": 13,
        "within_cap_count": 6,
        "unfinished_count": 3,
    }
    assert row["reported_minutes_sum"] == 421 + 780 + 75
    assert row["estimated_minutes_sum"] == 35
    assert row["classes_over_cap"] == 2  # 70.2 and 195 on average; 民权县's 25 is within
    histogram = row["histogram"]
    assert isinstance(histogram, list)
    assert (sum(histogram), histogram[rules.BUCKET_COUNT - 1]) == (13, 1)  # 600 minutes is the last bucket


def test_refreshing_again_replaces_the_days_rows(world: HomeworkWorld, city_day: None) -> None:
    # given
    rollups_refresh([MONDAY])
    before = RegionDayRollup.objects.count()
    # when: a report changes and the day is refreshed again
    feedback.feedback_submit(
        actor=world.parent, student_id=world.child.pk, day=MONDAY, reported_minutes=50,
        unfinished_at_bedtime=False, today=MONDAY,
    )  # fmt: skip
    rollups_refresh([MONDAY])
    # then
    assert RegionDayRollup.objects.count() == before
    assert region_row("411402", MONDAY, 4) == expected_region_row("county_id", "411402", MONDAY, 4)
    assert region_row("411402", MONDAY, 4)["reported_minutes_sum"] == 421 - 20 + 50 + 780


def test_class_rollups_stay_exact_through_repeated_and_mixed_reports(world: HomeworkWorld) -> None:
    # given: single reports, a batch over them, and corrections, crossing the cap both ways
    pupils = [world.child, world.classmate, *b.pupils(world.class4, 2)]
    f.guardian_of(world.classmate, classmate_parent := f.named_user("李妈妈"), phone="13700137000")

    def single(parent: object, student: object, minutes: int, unfinished: bool = False) -> None:
        feedback.feedback_submit(
            actor=parent, student_id=student.pk, day=MONDAY, reported_minutes=minutes,  # type: ignore[attr-defined]
            unfinished_at_bedtime=unfinished, today=MONDAY,
        )  # fmt: skip

    single(world.parent, world.child, 70, True)
    single(classmate_parent, world.classmate, 30)
    b.report(world.head_teacher, world.class4, MONDAY, dict(zip(pupils, [40, 65, 60, 61], strict=True)), unfinished=2)
    single(world.parent, world.child, 90)
    single(classmate_parent, world.classmate, 60, True)
    # when
    rollup = ClassDayRollup.objects.get(school_class=world.class4, date=MONDAY)
    reports = HomeworkFeedback.objects.filter(school_class=world.class4, date=MONDAY)
    # then
    assert reports.count() == 4
    assert [getattr(rollup, name) for name in COUNTERS] == [
        reports.count(),
        reports.filter(reported_minutes__lte=60).count(),
        reports.filter(unfinished_at_bedtime=True).count(),
        reports.aggregate(total=Sum("reported_minutes"))["total"],
    ]
    assert [getattr(rollup, name) for name in COUNTERS] == [4, 2, 1, 90 + 60 + 60 + 61]


def test_days_with_activity(world: HomeworkWorld, city_day: None) -> None:
    assert days_with_activity(MONDAY - timedelta(days=7), MONDAY + timedelta(days=7)) == [MONDAY, TUESDAY]
    assert days_with_activity(TUESDAY + timedelta(days=1), TUESDAY + timedelta(days=7)) == []


def test_the_command_refreshes_a_span(world: HomeworkWorld, city_day: None) -> None:
    out = StringIO()
    call_command("homework_rollups", "--start", "2026-11-23", "--end", "2026-11-23", stdout=out)
    assert out.getvalue().strip() == "已刷新 2026-11-23 至 2026-11-23，写入 7 行。"
    assert set(RegionDayRollup.objects.values_list("date", flat=True)) == {MONDAY}


def test_the_command_defaults_to_yesterday_and_today(world: HomeworkWorld, city_day: None) -> None:
    out = StringIO()
    with time_machine.travel(datetime(2026, 11, 24, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        call_command("homework_rollups", stdout=out)
    assert out.getvalue().strip() == "已刷新 2026-11-23 至 2026-11-24，写入 14 行。"
    assert RegionDayRollup.objects.count() == 14
