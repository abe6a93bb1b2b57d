"""Service plans against the policy profile, dated changes on the calendar, and ordering from the menu."""

from datetime import date, time

import pytest

from shuangjian.afterschool import selectors
from shuangjian.afterschool.models import Offering, OfferingSlot, PlanBlock, PlanDate, ServicePlan
from shuangjian.afterschool.services import menu, plans
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import NOW, AfterschoolWorld
from shuangjian.core.errors import DomainError, NotFound
from shuangjian.core.models import Region

pytestmark = pytest.mark.django_db
SHORT = plans.BlockDraft(2, "activities", time(17, 10), time(18, 0))  # 110 minutes with guidance


def test_a_two_hour_five_day_plan_is_saved_with_its_blocks(world: AfterschoolWorld) -> None:
    # when
    plan = b.make_plan(world)
    # then
    assert plan.weekdays == [1, 2, 3, 4, 5]
    assert list(plan.blocks.values_list("number", "kind", "start_time", "end_time")) == [
        (1, "homework_guidance", time(16, 0), time(17, 0)),
        (2, "activities", time(17, 10), time(18, 10)),
    ]
    assert (plan.term.start_date, plan.created_by, plan.end_override_reason) == (date(2026, 9, 1), world.leader, "")


@pytest.mark.parametrize(
    ("_case", "changes", "code", "details"),
    [
        ("110 minutes", {"blocks": (b.GUIDANCE, SHORT)}, "afterschool.too_short", {"minutes": "110", "min": "120"}),
        ("four days", {"weekdays": (1, 2, 3, 4)}, "afterschool.too_few_days", {"days": "4", "min": "5"}),
        ("Saturday", {"weekdays": (1, 2, 3, 4, 6)}, "afterschool.bad_weekday", {"weekday": "6"}),
        ("no blocks", {"blocks": ()}, "afterschool.no_blocks", {}),
        ("window backwards", {"enrolment_closes_at": NOW.replace(day=1)}, "afterschool.bad_window", {}),
        ("no choices", {"max_preferences": 0}, "afterschool.bad_limit", {}),
    ],
)
def test_a_bad_plan_is_refused_and_nothing_saved(
    world: AfterschoolWorld, _case: str, changes: dict[str, object], code: str, details: dict[str, str]
) -> None:
    with pytest.raises(DomainError) as refused:
        b.make_plan(world, **changes)
    assert (refused.value.code, refused.value.details) == (code, details)
    assert ServicePlan.objects.count() == 0
    assert PlanBlock.objects.count() == 0


def test_an_unknown_block_kind_is_refused(world: AfterschoolWorld) -> None:
    with pytest.raises(DomainError) as refused:
        b.make_plan(world, blocks=(plans.BlockDraft(1, "tutoring", time(16), time(18)),))
    assert (refused.value.code, refused.value.details["value"]) == ("afterschool.invalid_choice", "tutoring")


def test_a_tightened_local_profile_flows_through(world: AfterschoolWorld) -> None:
    # given: the city sets the off-work time at 18:30 and 150 minutes a day
    b.publish(world.school.city, {"afterschool.earliest_end": "18:30", "afterschool.min_minutes_per_day": 150})
    # when / then: the national two hours are now too short
    with pytest.raises(DomainError) as refused:
        b.make_plan(world)
    assert refused.value.details == {"minutes": "120", "min": "150"}
    # and 150 minutes ending at 18:10 end too early
    long_day = (plans.BlockDraft(1, "homework_guidance", time(15, 40), time(17, 10)), b.ACTIVITIES)
    with pytest.raises(DomainError) as refused:
        b.make_plan(world, blocks=long_day)
    assert (refused.value.code, refused.value.details) == (
        "afterschool.ends_too_early",
        {"end": "18:10", "earliest": "18:30"},
    )
    assert ServicePlan.objects.count() == 0


def test_the_other_county_keeps_the_national_values(world: AfterschoolWorld) -> None:
    b.publish(Region.objects.get(code=world.school.county_id), {"afterschool.earliest_end": "18:30"})
    plan = plans.plan_create(
        actor=world.other_leader, school_code=world.other_school.code, start_year=2026, term_number=1,
        draft=b.plan_draft(),
    )  # fmt: skip
    assert plan.end_override_reason == ""


def test_a_school_leader_may_end_early_with_a_recorded_reason(world: AfterschoolWorld) -> None:
    # given
    b.publish(world.school.city, {"afterschool.earliest_end": "18:30"})
    # when
    plan = b.make_plan(world, override_reason="农村寄宿制学校，校车 18:20 发车")
    # then: the "原则上" rule was overridden, by whom and when is on the plan
    assert (plan.end_override_reason, plan.end_override_by, plan.end_override_at) == (
        "农村寄宿制学校，校车 18:20 发车",
        world.leader,
        NOW,
    )


def test_a_reason_is_not_recorded_when_nothing_is_overridden(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world, override_reason="不需要")
    assert (plan.end_override_reason, plan.end_override_by) == ("", None)


@pytest.mark.parametrize("who", ["teacher", "city_bureau", "parent"])
def test_only_the_school_leader_sets_the_plan(world: AfterschoolWorld, who: str) -> None:
    with pytest.raises(DomainError) as refused:
        plans.plan_create(
            actor=getattr(world, who), school_code=world.school.code, start_year=2026, term_number=1,
            draft=b.plan_draft(),
        )  # fmt: skip
    assert (refused.value.code, refused.value.status) == ("core.forbidden", 403)
    assert ServicePlan.objects.count() == 0


def test_another_schools_leader_gets_not_found(world: AfterschoolWorld) -> None:
    with pytest.raises(NotFound):
        plans.plan_create(
            actor=world.other_leader, school_code=world.school.code, start_year=2026, term_number=1,
            draft=b.plan_draft(),
        )  # fmt: skip


def test_one_plan_per_school_and_term(world: AfterschoolWorld) -> None:
    b.make_plan(world)
    with pytest.raises(DomainError) as refused:
        b.make_plan(world)
    assert refused.value.code == "afterschool.plan_exists"
    assert ServicePlan.objects.count() == 1


def test_a_term_without_dates_is_refused(world: AfterschoolWorld) -> None:
    with pytest.raises(DomainError) as refused:
        plans.plan_create(
            actor=world.leader, school_code=world.school.code, start_year=2026, term_number=2, draft=b.plan_draft()
        )
    assert (refused.value.code, refused.value.details) == ("afterschool.unknown_term", {"year": "2026", "number": "2"})


def test_a_plan_change_replaces_blocks_but_keeps_slots_in_use(world: AfterschoolWorld) -> None:
    # given: a Friday course in block 2
    plan = b.make_plan(world)
    b.offer(world, plan, b.school_course(world, b.category(world).pk), [(5, 2)], 20)
    # when: later guidance, same activities block
    later = plans.BlockDraft(1, "homework_guidance", time(16, 10), time(17, 10))
    changed = plans.plan_update(actor=world.leader, plan_id=plan.pk, draft=b.plan_draft(blocks=(later, b.ACTIVITIES)))
    # then
    assert list(changed.blocks.values_list("start_time", flat=True)) == [time(16, 10), time(17, 10)]
    # and dropping block 2 is refused, nothing changed
    with pytest.raises(DomainError) as refused:
        plans.plan_update(
            actor=world.leader,
            plan_id=plan.pk,
            draft=b.plan_draft(blocks=(plans.BlockDraft(1, "homework_guidance", time(16), time(18, 10)),)),
        )
    assert (refused.value.code, refused.value.details) == ("afterschool.plan_in_use", {"weekday": "5", "block": "2"})
    assert PlanBlock.objects.filter(plan=plan).count() == 2


# Dated changes and service days


def test_service_days_leave_out_the_holidays(world: AfterschoolWorld) -> None:
    # given
    plan = b.make_plan(world)
    # when: 21 September to 11 October 2026 (Mid-autumn on Friday 25th, National Day 1-7 October)
    _plan, _s, _e, days = selectors.plan_service_days(
        actor=world.parent, plan_id=plan.pk, start=date(2026, 9, 21), end=date(2026, 10, 11)
    )
    # then: nine weekdays; the make-up workdays (Sunday 20 Sept, Saturday 10 Oct) are not in the weekly pattern
    assert [d.day.isoformat() for d in days] == [
        "2026-09-21", "2026-09-22", "2026-09-23", "2026-09-24", "2026-09-28", "2026-09-29", "2026-09-30",
        "2026-10-08", "2026-10-09",
    ]  # fmt: skip


def test_a_make_up_saturday_can_run_a_weekday_timetable(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    plans.plan_date_set(actor=world.leader, plan_id=plan.pk, day=date(2026, 10, 10), follows_weekday=3, reason="调休")
    plans.plan_date_set(
        actor=world.leader, plan_id=plan.pk, day=date(2026, 10, 9), follows_weekday=None, reason="运动会"
    )
    days = selectors.service_days_of(plan, date(2026, 10, 8), date(2026, 10, 11))
    assert [(d.day.isoformat(), d.timetable_weekday) for d in days] == [("2026-10-08", 4), ("2026-10-10", 3)]


@pytest.mark.parametrize(
    ("_case", "day", "follows", "code", "details"),
    [
        ("National Day", date(2026, 10, 1), 4, "afterschool.slot_on_holiday", {"day_kind": "holiday"}),
        ("a Sunday", date(2026, 10, 11), 1, "afterschool.slot_on_holiday", {"day_kind": "weekend"}),
        ("winter vacation", date(2027, 2, 1), 1, "afterschool.outside_term", {}),
    ],
)
def test_no_service_on_a_day_that_is_not_a_school_day(
    world: AfterschoolWorld, _case: str, day: date, follows: int, code: str, details: dict[str, str]
) -> None:
    plan = b.make_plan(world)
    with pytest.raises(DomainError) as refused:
        plans.plan_date_set(actor=world.leader, plan_id=plan.pk, day=day, follows_weekday=follows, reason="补课")
    assert refused.value.code == code
    assert details.items() <= refused.value.details.items()
    assert PlanDate.objects.count() == 0


def test_the_holiday_refusal_names_the_day_in_words(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    with pytest.raises(DomainError) as refused:
        plans.plan_date_set(actor=world.leader, plan_id=plan.pk, day=date(2026, 10, 1), follows_weekday=4, reason="x")
    assert refused.value.message == "2026-10-01 不是上课日（法定节假日），不能安排课后服务。"


def test_a_dated_change_is_removed_again(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    plans.plan_date_set(
        actor=world.leader, plan_id=plan.pk, day=date(2026, 10, 9), follows_weekday=None, reason="运动会"
    )
    assert plans.plan_date_remove(actor=world.leader, plan_id=plan.pk, day=date(2026, 10, 9)) is True
    assert plans.plan_date_remove(actor=world.leader, plan_id=plan.pk, day=date(2026, 10, 9)) is False
    assert PlanDate.objects.count() == 0


# Ordering from the menu


def test_a_school_orders_its_own_course_and_the_bureaus(world: AfterschoolWorld) -> None:
    # given
    plan = b.make_plan(world)
    sports = b.category(world)
    own = b.school_course(world, sports.pk)
    from_bureau = menu.menu_course_create_for_region(
        actor=world.county_bureau, region_code=world.school.county_id,
        draft=b.course_draft(sports.pk, title="少年宫书法", provider_kind="youth_palace", provider_name="商丘市少年宫"),
    )  # fmt: skip
    # when
    football = b.offer(world, plan, own, [(1, 2)], 25)
    calligraphy = plans.offering_create(actor=world.leader, plan_id=plan.pk, course_id=from_bureau.pk, slots=[(3, 2)])
    # then
    assert (football.capacity, football.assigned_count, calligraphy.capacity) == (25, 0, 30)
    assert list(OfferingSlot.objects.filter(offering=calligraphy).values_list("weekday", "block_number")) == [(3, 2)]


def test_another_countys_menu_cannot_be_ordered(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    sports = b.category(world)
    foreign = menu.menu_course_create_for_region(
        actor=world.other_county_bureau,
        region_code=world.other_school.county_id,
        draft=b.course_draft(sports.pk, provider_kind="bureau", provider_name="民权县教体局"),
    )
    with pytest.raises(NotFound):
        plans.offering_create(actor=world.leader, plan_id=plan.pk, course_id=foreign.pk, slots=[(1, 2)])
    assert Offering.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "slots", "capacity", "code"),
    [
        ("homework guidance block", [(1, 1)], 20, "afterschool.not_an_activity_block"),
        ("two slots for a weekly course", [(1, 2), (2, 2)], 20, "afterschool.slot_count"),
        ("more seats than the course has", [(1, 2)], 31, "afterschool.bad_capacity"),
    ],
)
def test_a_bad_order_is_refused(
    world: AfterschoolWorld, _case: str, slots: list[tuple[int, int]], capacity: int, code: str
) -> None:
    plan = b.make_plan(world)
    course = b.school_course(world, b.category(world).pk)
    with pytest.raises(DomainError) as refused:
        b.offer(world, plan, course, slots, capacity)
    assert refused.value.code == code
    assert (Offering.objects.count(), OfferingSlot.objects.count()) == (0, 0)


def test_a_teacher_cannot_order(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    course = b.school_course(world, b.category(world).pk)
    with pytest.raises(DomainError) as refused:
        plans.offering_create(actor=world.teacher, plan_id=plan.pk, course_id=course.pk, slots=[(1, 2)])
    assert refused.value.status == 403
    assert Offering.objects.count() == 0
