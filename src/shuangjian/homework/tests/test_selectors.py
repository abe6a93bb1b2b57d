"""Monitoring reads: compliance of a class, a school and a region from known reports, small-cell suppression,
classes and students repeatedly over, and who may read what."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role, Student, User
from shuangjian.core.tests import factories as f
from shuangjian.homework.selectors_monitoring import (
    Compliance,
    RepeatedlyOver,
    class_compliance,
    classes_repeatedly_over,
    region_compliance,
    school_compliance,
    students_repeatedly_over,
)
from shuangjian.homework.services.rollups import rollups_refresh
from shuangjian.homework.tests import builders as b
from shuangjian.homework.tests.conftest import MONDAY, HomeworkWorld

TUESDAY, WEDNESDAY = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
# Grade 4, cap 60. Sorted: the median (5th of 10) is 54, the 90th percentile (9th) is 89, both upper edges of their
# 5-minute buckets, so the bucketed figures equal the exact ones. Six are within the cap; the mean is 59.8.
GRADE4_MINUTES = [20, 30, 40, 45, 54, 60, 65, 75, 89, 120]
GRADE2_MINUTES = [0, 0, 10, 20, 0]  # grade 2: cap 0 (no written homework), three within


@dataclass
class Reports:
    class4: list[Student]
    class2: list[Student]
    other: list[Student]  # grade 4 in 民权县
    head4: User
    head2: User
    head_other: User


@pytest.fixture
def reports(world: HomeworkWorld) -> Reports:
    class4 = [world.child, world.classmate, *b.pupils(world.class4, 8)]
    class2 = b.pupils(world.class2, 5)
    other = [world.other_child, *b.pupils(world.other_class, 4)]
    made = Reports(
        class4, class2, other,
        world.head_teacher, b.head_teacher_of(world.class2), b.head_teacher_of(world.other_class),
    )  # fmt: skip
    b.assign(world.chinese_teacher, world.class4, MONDAY, 40)
    b.report(made.head4, world.class4, MONDAY, dict(zip(class4, GRADE4_MINUTES, strict=True)), unfinished=3)
    b.report(made.head2, world.class2, MONDAY, dict(zip(class2, GRADE2_MINUTES, strict=True)))
    b.report(made.head_other, world.other_class, MONDAY, dict(zip(other, [30, 40, 50, 60, 70], strict=True)))
    return made


def test_class_compliance_from_known_reports(world: HomeworkWorld, reports: Reports) -> None:
    assert class_compliance(actor=world.head_teacher, class_id=world.class4.pk, start=MONDAY, end=MONDAY) == Compliance(
        start=MONDAY,
        end=MONDAY,
        feedback_count=10,
        within_cap_share=0.6,
        unfinished_share=0.3,
        average_reported_minutes=59.8,
        median_minutes=54,
        p90_minutes=89,
        class_days=1,
        class_days_over_cap=0,
        average_estimated_minutes=40.0,
    )


def test_percentiles_are_the_upper_edge_of_their_five_minute_bucket(world: HomeworkWorld) -> None:
    # given: five reports whose median is 50 and 90th percentile 71
    pupils = [world.child, world.classmate, *b.pupils(world.class4, 3)]
    b.report(world.head_teacher, world.class4, MONDAY, dict(zip(pupils, [10, 30, 50, 70, 71], strict=True)))
    # when
    found = class_compliance(actor=world.head_teacher, class_id=world.class4.pk, start=MONDAY, end=MONDAY)
    # then: never below the true value, at most 4 minutes above it
    assert (found.median_minutes, found.p90_minutes) == (54, 74)


def test_school_compliance_sums_its_classes(world: HomeworkWorld, reports: Reports) -> None:
    leader = b.school_leader(world.school)
    assert school_compliance(actor=leader, school_code=world.school.code, start=MONDAY, end=MONDAY) == Compliance(
        start=MONDAY,
        end=MONDAY,
        feedback_count=15,
        within_cap_share=0.6,  # 6 + 3 of 15
        unfinished_share=0.2,
        average_reported_minutes=(598 + 30) / 15,
        median_minutes=44,  # 8th of 15 sorted: 0 0 0 10 20 20 30 40 ...
        p90_minutes=89,  # 14th of 15
        class_days=2,
        class_days_over_cap=1,  # grade 2 averaged 6 minutes against a cap of 0
        average_estimated_minutes=20.0,
    )
    by_grade = school_compliance(actor=leader, school_code=world.school.code, start=MONDAY, end=MONDAY, grade=4)
    assert (by_grade.feedback_count, by_grade.within_cap_share, by_grade.class_days) == (10, 0.6, 1)


def test_region_compliance_reads_the_refreshed_rollups(world: HomeworkWorld, reports: Reports) -> None:
    # given
    rollups_refresh([MONDAY])
    city_bureau = b.bureau(world.school.city)
    # when
    county = region_compliance(actor=city_bureau, region_code="411402", start=MONDAY, end=MONDAY)
    city = region_compliance(actor=city_bureau, region_code="411400", start=MONDAY, end=MONDAY)
    city_grade4 = region_compliance(actor=city_bureau, region_code="411400", start=MONDAY, end=MONDAY, grade=4)
    # then: the county is its one school; the city adds 民权县's five reports (30..70, four within the cap)
    assert county == school_compliance(actor=city_bureau, school_code=world.school.code, start=MONDAY, end=MONDAY)
    assert (city.feedback_count, city.within_cap_share, city.class_days, city.class_days_over_cap) == (20, 0.65, 3, 1)
    assert (city.median_minutes, city.p90_minutes) == (44, 79)  # 10th (40) and 18th (75) of 20
    assert (city_grade4.feedback_count, city_grade4.within_cap_share) == (15, 10 / 15)


def test_region_compliance_is_for_the_regions_bureau_and_inspectors(world: HomeworkWorld, reports: Reports) -> None:
    rollups_refresh([MONDAY])
    inspector = b.user_with_role(Role.INSPECTOR, region=world.school.county)
    assert region_compliance(actor=inspector, region_code="411402", start=MONDAY, end=MONDAY).feedback_count == 15
    for outsider in (b.bureau(world.other_school.county), b.school_leader(world.school), inspector):
        with pytest.raises(NotFound):
            region_compliance(actor=outsider, region_code="411400", start=MONDAY, end=MONDAY)


def test_small_cells_are_suppressed(world: HomeworkWorld) -> None:
    # given: four reports, below the national minimum cell of 5
    pupils = [world.child, world.classmate, *b.pupils(world.class4, 3)]
    b.report(world.head_teacher, world.class4, MONDAY, dict(zip(pupils[:4], [30, 40, 50, 70], strict=True)))
    # when
    four = class_compliance(actor=world.head_teacher, class_id=world.class4.pk, start=MONDAY, end=MONDAY)
    b.report(world.head_teacher, world.class4, MONDAY, {pupils[4]: 20})
    five = class_compliance(actor=world.head_teacher, class_id=world.class4.pk, start=MONDAY, end=MONDAY)
    # then
    assert four.feedback_count == 4
    suppressed = (four.within_cap_share, four.unfinished_share, four.average_reported_minutes)
    assert (*suppressed, four.median_minutes, four.p90_minutes) == (None, None, None, None, None)
    assert (five.within_cap_share, five.average_reported_minutes, five.median_minutes) == (0.8, 42.0, 44)


def test_a_tightened_minimum_cell_suppresses_more(world: HomeworkWorld, reports: Reports) -> None:
    # given: the city raises the minimum cell to 12 people
    b.publish(world.school.city, {"privacy.min_cell_size": 12})
    leader = b.school_leader(world.school)
    # when
    one_class = class_compliance(actor=leader, class_id=world.class4.pk, start=MONDAY, end=MONDAY)
    school = school_compliance(actor=leader, school_code=world.school.code, start=MONDAY, end=MONDAY)
    # then: ten reports are now too few; the school's fifteen are not
    assert (one_class.feedback_count, one_class.within_cap_share, one_class.median_minutes) == (10, None, None)
    assert (school.feedback_count, school.within_cap_share) == (15, 0.6)


@pytest.fixture
def over_three_days(world: HomeworkWorld) -> list[Student]:
    """Class 4: the child is over the cap on three days, the classmate on one; the class's average is over on two."""
    pupils = [world.child, world.classmate, *b.pupils(world.class4, 3)]
    days = {
        MONDAY: [90, 95, 80, 70, 70],  # average 81: over
        TUESDAY: [80, 30, 40, 40, 40],  # average 46
        WEDNESDAY: [100, 50, 60, 60, 60],  # average 66: over
    }
    for day, minutes in days.items():
        b.report(world.head_teacher, world.class4, day, dict(zip(pupils, minutes, strict=True)))
    return pupils


def test_classes_repeatedly_over(world: HomeworkWorld, over_three_days: list[Student]) -> None:
    leader = b.school_leader(world.school)
    code = world.school.code
    assert classes_repeatedly_over(actor=leader, school_code=code, start=MONDAY, end=WEDNESDAY, min_days=2) == [
        RepeatedlyOver(world.class4.pk, "4年级1班", 2)
    ]
    assert classes_repeatedly_over(actor=leader, school_code=code, start=MONDAY, end=WEDNESDAY, min_days=3) == []


def test_students_repeatedly_over(world: HomeworkWorld, over_three_days: list[Student]) -> None:
    child, classmate = over_three_days[:2]
    support = students_repeatedly_over(
        actor=world.head_teacher, class_id=world.class4.pk, start=MONDAY, end=WEDNESDAY, min_days=1
    )
    assert [(r.key, r.label, r.days_over) for r in support] == [
        (child.pk, "王小明", 3),
        (over_three_days[2].pk, "学生0", 1),
        (over_three_days[3].pk, "学生1", 1),
        (over_three_days[4].pk, "学生2", 1),
        (classmate.pk, "李小红", 1),
    ]


def test_the_threshold_defaults_to_the_local_policy(world: HomeworkWorld, over_three_days: list[Student]) -> None:
    # without a local number, any day over counts
    kw = {"start": MONDAY, "end": WEDNESDAY}
    head = world.head_teacher
    assert len(students_repeatedly_over(actor=head, class_id=world.class4.pk, **kw)) == 5  # type: ignore[arg-type]
    # the county says three days
    b.publish(world.school.county, {"homework.repeatedly_over_min_days": 3})
    assert [r.label for r in students_repeatedly_over(actor=head, class_id=world.class4.pk, **kw)] == ["王小明"]  # type: ignore[arg-type]
    leader = b.school_leader(world.school)
    assert classes_repeatedly_over(actor=leader, school_code=world.school.code, **kw) == []  # type: ignore[arg-type]


def support_list_reader(world: HomeworkWorld, who: str) -> User:
    if who == "guardian":
        return world.parent
    if who == "student":
        return b.user_with_role(Role.STUDENT, school=world.school, student=world.child)
    if who == "other school's teacher":
        return b.teacher_of(world.other_class)
    if who == "counsellor":
        return b.user_with_role(Role.COUNSELLOR, school=world.school)
    return b.bureau(world.school.city)


@pytest.mark.parametrize("who", ["guardian", "student", "other school's teacher", "counsellor", "bureau"])
def test_the_support_list_is_not_public(world: HomeworkWorld, over_three_days: list[Student], who: str) -> None:
    with pytest.raises(NotFound):
        students_repeatedly_over(
            actor=support_list_reader(world, who), class_id=world.class4.pk, start=MONDAY, end=WEDNESDAY, min_days=1
        )


def test_a_guardian_who_teaches_elsewhere_still_cannot(world: HomeworkWorld) -> None:
    # a guardian of the class who teaches in another school reaches the class only as a guardian
    f.assign(world.parent, Role.TEACHER, school=world.other_school)
    with pytest.raises(NotFound):
        students_repeatedly_over(actor=world.parent, class_id=world.class4.pk, start=MONDAY, end=MONDAY, min_days=1)


@pytest.mark.parametrize("who", ["guardian", "student", "counsellor"])
def test_families_do_not_read_monitoring(world: HomeworkWorld, reports: Reports, who: str) -> None:
    actor = support_list_reader(world, who)
    with pytest.raises(NotFound):
        school_compliance(actor=actor, school_code=world.school.code, start=MONDAY, end=MONDAY)
    with pytest.raises(NotFound):
        class_compliance(actor=actor, class_id=world.class4.pk, start=MONDAY, end=MONDAY)
    with pytest.raises(NotFound):
        classes_repeatedly_over(actor=actor, school_code=world.school.code, start=MONDAY, end=MONDAY, min_days=1)


def test_the_grade_coordinator_reads_their_grades_classes(world: HomeworkWorld, reports: Reports) -> None:
    four = class_compliance(actor=world.coordinator, class_id=world.class4.pk, start=MONDAY, end=MONDAY)
    assert four.feedback_count == 10
    with pytest.raises(NotFound):
        class_compliance(actor=world.coordinator, class_id=world.class2.pk, start=MONDAY, end=MONDAY)
