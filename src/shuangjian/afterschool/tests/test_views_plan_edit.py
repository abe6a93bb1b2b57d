"""School leaders set the plan and order menu courses on the pages; the services' refusals show on the form."""

from datetime import date

import pytest
from django.test import Client

from shuangjian.afterschool.models import Offering, PlanDate, ServicePlan
from shuangjian.afterschool.tests.builders import category, make_plan, school_course
from shuangjian.afterschool.tests.conftest import AfterschoolWorld

pytestmark = pytest.mark.django_db

PLAN = {
    "term": "2026-1", "weekdays": ["1", "2", "3", "4", "5"],
    "block1_kind": "homework_guidance", "block1_start": "16:00", "block1_end": "17:00",
    "block2_kind": "activities", "block2_start": "17:10", "block2_end": "18:10",
    "block3_kind": "", "block3_start": "", "block3_end": "",
    "opens_at": "2026-09-07T08:00", "closes_at": "2026-09-14T18:00",
    "max_preferences": "3", "courses_per_student": "1", "seed_source": "选课截止次日福彩3D开奖号码",
    "override_reason": "",
}  # fmt: skip


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_leader_sets_the_plan_and_a_short_one_is_refused(world: AfterschoolWorld) -> None:
    client = client_for(world.leader)
    url = f"/afterschool/schools/{world.school.code}/plans/new/"
    # when: only one hour a day
    refused = client.post(url, {**PLAN, "block2_kind": ""})
    # then: the service's message, nothing saved
    assert refused.status_code == 422
    assert "每天课后服务时长为 60 分钟，不少于 120 分钟。" in refused.text
    assert not ServicePlan.objects.exists()
    # when: two hours
    done = client.post(url, PLAN, follow=True)
    # then
    plan = ServicePlan.objects.get()
    assert done.redirect_chain == [(f"/afterschool/plans/{plan.pk}/", 302)]
    assert "课后服务方案已保存。" in done.text
    assert (plan.weekdays, plan.max_preferences, plan.seed_source) == ([1, 2, 3, 4, 5], 3, PLAN["seed_source"])
    assert [(b.number, b.kind, f"{b.start_time:%H:%M}") for b in plan.blocks.all()] == [
        (1, "homework_guidance", "16:00"),
        (2, "activities", "17:10"),
    ]
    # when: edited: two choices, Monday to Thursday is refused (5 days), then accepted with all five
    edit = f"/afterschool/plans/{plan.pk}/edit/"
    assert client.get(edit).status_code == 200
    four_days = client.post(edit, {**PLAN, "weekdays": ["1", "2", "3", "4"]})
    assert four_days.status_code == 422 and "课后服务每周只安排了 4 天，不少于 5 天" in four_days.text
    client.post(edit, {**PLAN, "max_preferences": "2"})
    plan.refresh_from_db()
    assert (plan.weekdays, plan.max_preferences) == ([1, 2, 3, 4, 5], 2)


def test_a_leader_orders_a_menu_course_into_the_activities_block(world: AfterschoolWorld) -> None:
    # given
    plan = make_plan(world)
    course = school_course(world, category(world).pk)
    client = client_for(world.leader)
    url = f"/afterschool/plans/{plan.pk}/offerings/"
    # then: the form offers the menu course and the activities block on each weekday
    page = client.get(f"/afterschool/plans/{plan.pk}/")
    assert 'data-testid="offering-form"' in page.text and 'value="3-2"' in page.text and 'value="3-1"' not in page.text
    # when: two meetings for a once-a-week course
    refused = client.post(url, {"course_id": course.pk, "slots": ["1-2", "3-2"], "capacity": "20"})
    # then
    assert refused.status_code == 422
    assert "该课程每周上 1 次，但安排了 2 个上课时间。" in refused.text
    assert not Offering.objects.exists()
    # when
    done = client.post(url, {"course_id": course.pk, "slots": ["3-2"], "capacity": "20"}, follow=True)
    # then
    offering = Offering.objects.get()
    assert "已开设“校园足球”。" in done.text
    assert (offering.capacity, [(s.weekday, s.block_number) for s in offering.slots.all()]) == (20, [(3, 2)])


def test_only_the_schools_leaders_get_the_forms(world: AfterschoolWorld) -> None:
    plan = make_plan(world)
    teacher = client_for(world.teacher)
    assert teacher.get(f"/afterschool/schools/{world.school.code}/plans/new/").status_code == 403
    assert teacher.get(f"/afterschool/plans/{plan.pk}/edit/").status_code == 403
    assert 'data-testid="offering-form"' not in teacher.get(f"/afterschool/plans/{plan.pk}/").text
    other = client_for(world.other_leader)
    assert other.get(f"/afterschool/schools/{world.school.code}/plans/new/").status_code == 404
    assert other.get(f"/afterschool/plans/{plan.pk}/edit/").status_code == 404


def test_a_leader_stops_the_service_on_one_date_and_undoes_it(world: AfterschoolWorld) -> None:
    # given
    plan = make_plan(world)
    client = client_for(world.leader)
    url = f"/afterschool/plans/{plan.pk}/dates/"
    # when: Monday's timetable on a day of the National Day holiday
    refused = client.post(url, {"day": "2026-10-02", "follows_weekday": "1", "reason": "补课"})
    # then
    assert refused.status_code == 422 and 'data-testid="error"' in refused.text
    assert not PlanDate.objects.exists()
    # when: no service on a Wednesday of the term
    done = client.post(url, {"day": "2026-09-16", "follows_weekday": "", "reason": "全校运动会"}, follow=True)
    # then: listed on the plan page
    change = PlanDate.objects.get()
    assert (change.date, change.follows_weekday, change.reason) == (date(2026, 9, 16), None, "全校运动会")
    assert done.redirect_chain == [(f"/afterschool/plans/{plan.pk}/#dates", 302)]
    assert "2026-09-16" in done.text and "全校运动会" in done.text
    # when: undone
    client.post(f"/afterschool/plans/{plan.pk}/dates/2026-09-16/remove/")
    # then
    assert not PlanDate.objects.exists()
    assert client.post(f"/afterschool/plans/{plan.pk}/dates/not-a-day/remove/").status_code == 404
    # and a teacher can neither change nor undo
    teacher = client_for(world.teacher)
    assert teacher.post(url, {"day": "2026-09-16", "follows_weekday": "", "reason": "x"}).status_code in (403, 422)
    assert not PlanDate.objects.exists()
