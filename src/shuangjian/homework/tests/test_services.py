"""Assigning homework against the cap, and completion feedback with exact rollups."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from shuangjian.core.errors import DomainError, NotFound
from shuangjian.homework.models import ClassDayRollup, HomeworkFeedback, HomeworkItem, HomeworkLoad
from shuangjian.homework.services import feedback, items
from shuangjian.homework.tests.conftest import MONDAY, HomeworkWorld
from shuangjian.policy.models import PolicyProfile
from shuangjian.policy.services import profile_publish

TUESDAY = MONDAY + timedelta(days=1)
SATURDAY = MONDAY + timedelta(days=5)


def draft(minutes: int, subject: str = "语文", day: date = TUESDAY, **kw: Any) -> items.ItemDraft:
    defaults: dict[str, object] = {
        "subject": subject,
        "kind": "written",
        "layer": "basic",
        "title": "练习册",
        "instructions": "完成第12页",
        "estimated_minutes": minutes,
        "start_date": day,
        "due_date": day,
    }
    defaults.update(kw)
    return items.ItemDraft(**defaults)  # type: ignore[arg-type]


def assign(
    world: HomeworkWorld, minutes: int, teacher: str = "chinese", class_id: int | None = None, **kw: Any
) -> HomeworkItem:
    actor = world.chinese_teacher if teacher == "chinese" else world.maths_teacher
    subject = "语文" if teacher == "chinese" else "数学"
    return items.homework_assign(
        actor=actor, class_id=class_id or world.class4.pk, draft=draft(minutes, subject, **kw), today=MONDAY
    )


def test_two_teachers_share_the_grade_4_cap(world: HomeworkWorld) -> None:
    # given
    assign(world, 35)
    # when: maths would take the day to 61 minutes against the national cap of 60
    with pytest.raises(DomainError) as refused:
        assign(world, 26, teacher="maths")
    # then
    assert refused.value.code == "homework.cap_exceeded"
    assert refused.value.details == {"date": "2026-11-24", "cap": "60", "load": "61"}
    assert HomeworkItem.objects.count() == 1
    assert HomeworkLoad.objects.count() == 1
    # and at the cap is fine
    assign(world, 25, teacher="maths")
    assert ClassDayRollup.objects.get(school_class=world.class4, date=TUESDAY).estimated_minutes == 60


def test_extension_and_oral_work_do_not_count_toward_the_cap(world: HomeworkWorld) -> None:
    assign(world, 60)
    assign(world, 30, teacher="maths", layer="extension")
    assign(world, 20, teacher="maths", kind="oral")
    assert ClassDayRollup.objects.get(school_class=world.class4, date=TUESDAY).estimated_minutes == 60


def test_grade_2_gets_no_written_homework(world: HomeworkWorld) -> None:
    with pytest.raises(DomainError) as refused:
        assign(world, 10, class_id=world.class2.pk)
    assert refused.value.code == "homework.no_written_homework"
    assert HomeworkItem.objects.count() == 0
    # oral reading is allowed
    assign(world, 10, class_id=world.class2.pk, kind="oral")
    assert HomeworkItem.objects.count() == 1


def test_a_tightened_local_profile_changes_the_outcome(world: HomeworkWorld, django_user_model: type) -> None:
    # given: the city tightens grades 3-6 to 50 minutes
    from shuangjian.core.models import Role
    from shuangjian.core.tests import factories as f

    bureau = f.named_user("市教育局")
    f.assign(bureau, Role.BUREAU, region=world.school.city)
    profile_publish(
        actor=bureau,
        region=world.school.city,
        effective_from=date(2026, 9, 1),
        values={"homework.written_daily_max_minutes.g3_6": 50},
        note="test",
    )
    # when / then
    with pytest.raises(DomainError) as refused:
        assign(world, 55)
    assert refused.value.details["cap"] == "50"
    assign(world, 50)
    assert PolicyProfile.objects.filter(region=world.school.city).count() == 1


def test_weekend_written_homework_needs_a_local_weekend_cap(world: HomeworkWorld) -> None:
    with pytest.raises(DomainError) as refused:
        assign(world, 20, day=SATURDAY)
    assert refused.value.code == "homework.not_a_homework_day"
    assert HomeworkItem.objects.count() == 0


def test_a_project_is_spread_over_its_school_days(world: HomeworkWorld) -> None:
    # Monday to the next Monday: five school days plus the weekend, where written work is not allowed
    item = assign(world, 100, day=MONDAY + timedelta(days=7), start_date=MONDAY)
    loads = dict(item.loads.values_list("date", "minutes"))
    assert len(loads) == 6
    assert sum(loads.values()) == 100
    assert SATURDAY not in loads


@pytest.mark.parametrize(
    ("_case", "kw", "code"),
    [
        ("absurd minutes", {"estimated_minutes": 601}, "homework.implausible_minutes"),
        ("zero minutes", {"estimated_minutes": 0}, "homework.implausible_minutes"),
        ("past due day", {"due_date": MONDAY - timedelta(days=1), "start_date": MONDAY - timedelta(days=1)},
         "homework.due_in_past"),
        ("parent grading", {"instructions": "请家长批改后签字"}, "homework.parent_grading_forbidden"),
        ("punitive", {"instructions": "错题罚抄十遍"}, "homework.punitive_forbidden"),
    ],
)  # fmt: skip
def test_bad_items_are_refused_and_nothing_saved(
    world: HomeworkWorld, _case: str, kw: dict[str, Any], code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        items.homework_assign(
            actor=world.chinese_teacher, class_id=world.class4.pk, draft=replace(draft(20), **kw), today=MONDAY
        )
    assert refused.value.code == code
    assert HomeworkItem.objects.count() == 0


def test_teacher_cannot_assign_a_subject_they_do_not_teach_there(world: HomeworkWorld) -> None:
    with pytest.raises(DomainError) as refused:
        items.homework_assign(
            actor=world.maths_teacher, class_id=world.class2.pk, draft=draft(10, "数学"), today=MONDAY
        )
    assert refused.value.code == "homework.not_your_class"
    assert HomeworkItem.objects.count() == 0


def test_class_of_another_school_is_not_found(world: HomeworkWorld) -> None:
    with pytest.raises(NotFound):
        assign(world, 10, class_id=world.other_class.pk)
    assert HomeworkItem.objects.count() == 0


def test_coordinator_rebalances_but_cannot_exceed_the_cap(world: HomeworkWorld) -> None:
    chinese = assign(world, 40)
    maths = assign(world, 20, teacher="maths")
    with pytest.raises(DomainError):
        items.homework_rebalance(
            actor=world.coordinator, class_id=world.class4.pk, day=TUESDAY, minutes_by_item={chinese.pk: 45}
        )
    items.homework_rebalance(
        actor=world.coordinator,
        class_id=world.class4.pk,
        day=TUESDAY,
        minutes_by_item={chinese.pk: 30, maths.pk: 30},
    )
    assert sorted(HomeworkLoad.objects.values_list("minutes", flat=True)) == [30, 30]


def test_withdraw_frees_the_day(world: HomeworkWorld) -> None:
    item = assign(world, 60)
    items.homework_withdraw(actor=world.chinese_teacher, item_id=item.pk)
    assign(world, 60, teacher="maths")
    assert ClassDayRollup.objects.get(school_class=world.class4, date=TUESDAY).estimated_minutes == 60


def report(world: HomeworkWorld, minutes: int, unfinished: bool = False) -> HomeworkFeedback:
    return feedback.feedback_submit(
        actor=world.parent,
        student_id=world.child.pk,
        day=MONDAY,
        reported_minutes=minutes,
        unfinished_at_bedtime=unfinished,
        today=MONDAY,
    )


def rollup(world: HomeworkWorld) -> ClassDayRollup:
    return ClassDayRollup.objects.get(school_class=world.class4, date=MONDAY)


def test_feedback_is_idempotent_and_the_latest_counts(world: HomeworkWorld) -> None:
    report(world, 70, unfinished=True)
    r = rollup(world)
    assert (r.feedback_count, r.reported_minutes_sum, r.within_cap_count, r.unfinished_count) == (1, 70, 0, 1)
    report(world, 50)
    report(world, 50)
    r = rollup(world)
    assert (r.feedback_count, r.reported_minutes_sum, r.within_cap_count, r.unfinished_count) == (1, 50, 1, 0)
    assert HomeworkFeedback.objects.count() == 1


def test_feedback_for_another_familys_child_is_not_found(world: HomeworkWorld) -> None:
    with pytest.raises(NotFound):
        feedback.feedback_submit(
            actor=world.parent, student_id=world.classmate.pk, day=MONDAY, reported_minutes=30,
            unfinished_at_bedtime=False, today=MONDAY,
        )  # fmt: skip
    assert HomeworkFeedback.objects.count() == 0


@pytest.mark.parametrize(("minutes", "day", "code"), [(601, MONDAY, "homework.implausible_minutes"),
                                                       (-5, MONDAY, "homework.implausible_minutes"),
                                                       (30, TUESDAY, "homework.feedback_in_future")])  # fmt: skip
def test_bad_feedback_is_refused(world: HomeworkWorld, minutes: int, day: date, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        feedback.feedback_submit(
            actor=world.parent, student_id=world.child.pk, day=day, reported_minutes=minutes,
            unfinished_at_bedtime=False, today=MONDAY,
        )  # fmt: skip
    assert refused.value.code == code
    assert HomeworkFeedback.objects.count() == 0
    assert ClassDayRollup.objects.count() == 0


def test_head_teacher_batch_entry_matches_single_reports(world: HomeworkWorld) -> None:
    report(world, 40)
    saved = feedback.feedback_batch_submit(
        actor=world.head_teacher,
        class_id=world.class4.pk,
        day=MONDAY,
        entries=[feedback.FeedbackEntry(world.child.pk, 45), feedback.FeedbackEntry(world.classmate.pk, 80, True)],
        today=MONDAY,
    )
    assert saved == 2
    r = rollup(world)
    assert (r.feedback_count, r.reported_minutes_sum, r.within_cap_count, r.unfinished_count) == (2, 125, 1, 1)


def test_batch_with_a_student_of_another_class_saves_nothing(world: HomeworkWorld) -> None:
    with pytest.raises(DomainError) as refused:
        feedback.feedback_batch_submit(
            actor=world.head_teacher,
            class_id=world.class4.pk,
            day=MONDAY,
            entries=[feedback.FeedbackEntry(world.child.pk, 45), feedback.FeedbackEntry(world.other_child.pk, 30)],
            today=MONDAY,
        )
    assert refused.value.code == "homework.student_not_in_class"
    assert HomeworkFeedback.objects.count() == 0
