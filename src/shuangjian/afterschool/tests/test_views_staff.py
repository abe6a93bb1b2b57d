"""School leaders' and the bureau's pages: the plan with its offerings' fill rates and the draw, participation per
school and region (with small cells suppressed), the participation API, and the region's menu."""

import json
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shuangjian.afterschool.models import AllocationRun, CourseCategory, MenuCourse
from shuangjian.afterschool.selectors_participation import region_participation
from shuangjian.afterschool.tests.builders import category, choose, make_plan, offer, school_course, sign_up
from shuangjian.afterschool.tests.conftest import AFTER_WINDOW, AfterschoolWorld
from shuangjian.afterschool.views.bureau import chart_data
from shuangjian.core.models import Student
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _more_grade4_students(world: AfterschoolWorld, count: int) -> list[Student]:
    return [f.student(world.class4, f"同学{i}") for i in range(count)]


def test_the_plan_page_shows_blocks_offerings_and_runs_the_draw(
    world: AfterschoolWorld, clock: time_machine.Traveller
) -> None:
    # given: one seat in football, two children want it (one of them then chess)
    plan = make_plan(world)
    sports = category(world)
    football = offer(world, plan, school_course(world, sports.pk), [(1, 2)], 1)
    chess = offer(world, plan, school_course(world, sports.pk, title="国际象棋"), [(2, 2)], 20)
    choose(world.parent, sign_up(world.parent, world.child, plan), football, chess)
    choose(world.other_parent, sign_up(world.other_parent, world.classmate, plan), football)
    client = client_for(world.leader)
    url = f"/afterschool/plans/{plan.pk}/"
    # when: inside the window
    page = client.get(url)
    # then: no draw yet
    assert page.status_code == 200
    assert "周一、周二、周三、周四、周五" in page.text and "17:10–18:10 素质拓展活动" in page.text
    assert "已报名 2 人，其中 2 人填报了志愿。" in page.text
    assert 'data-testid="allocation-form"' not in page.text
    # when: after the window, without a seed
    clock.move_to(AFTER_WINDOW)
    refused = client.post(url + "allocation/", {"seed": " "})
    # then: the service's message, nothing drawn
    assert refused.status_code == 422
    assert "请填写公开的随机种子" in refused.text
    assert not AllocationRun.objects.exists()
    # when: with the seed
    done = client.post(url + "allocation/", {"seed": "20260915"}, follow=True)
    # then
    run = AllocationRun.objects.get()
    assert run.seed == "20260915" and (run.students, run.waitlisted) == (2, 1)
    assert f"分配完成：2 名学生，录取 {run.assigned} 人次，候补 1 人次。" in done.text
    row = done.text.split(f'data-testid="offering-{football.pk}"')[1].split("</tr>")[0]
    assert "100%" in row
    # and anyone on the page can verify it
    verified = client.get(url + "?verify=1")
    assert "复核通过" in verified.text
    # and the draw cannot be run twice
    again = client.post(url + "allocation/", {"seed": "other"})
    assert again.status_code == 422 and "本方案已经完成分配" in again.text
    assert AllocationRun.objects.count() == 1


def test_a_teacher_sees_the_plan_but_not_the_draw_form(world: AfterschoolWorld, clock: time_machine.Traveller) -> None:
    plan = make_plan(world)
    clock.move_to(AFTER_WINDOW)
    page = client_for(world.teacher).get(f"/afterschool/plans/{plan.pk}/")
    assert page.status_code == 200 and 'data-testid="allocation-form"' not in page.text
    refused = client_for(world.teacher).post(f"/afterschool/plans/{plan.pk}/allocation/", {"seed": "1"})
    assert refused.status_code == 403 and not AllocationRun.objects.exists()
    assert client_for(world.other_leader).get(f"/afterschool/plans/{plan.pk}/").status_code == 404


def test_participation_counts_enrolled_students_of_compulsory_grades_and_suppresses_small_cells(
    world: AfterschoolWorld,
) -> None:
    # given: grade 4 has 2 + 6 students, 5 of them signed up; grade 2 has 1 student, not signed up
    plan = make_plan(world)
    extra = _more_grade4_students(world, 6)
    sign_up(world.parent, world.child, plan)
    sign_up(world.other_parent, world.classmate, plan)
    for student in extra[:3]:
        account = f.user()
        f.guardian_of(student, account, phone=f"1390000{student.pk:04d}")
        sign_up(account, student, plan)
    # when
    page = region_participation(actor=world.city_bureau, region_code=world.school.city_id, on=plan.term.start_date)
    # then: 5 of 9 in the school; the other school (1 student) is below the minimum cell size of 5
    school, other = (
        next(s for s in page.schools if s.code == code) for code in (world.school.code, world.other_school.code)
    )
    assert (school.has_plan, school.students.part, school.students.whole) == (True, 5, 9)
    assert school.students.rate == pytest.approx(5 / 9)
    assert (other.has_plan, other.students.part, other.students.whole, other.students.rate) == (False, None, 1, None)
    assert (page.total.schools, page.total.schools_with_plan, page.total.students.whole) == (2, 1, 10)
    assert page.total.students.part == 5
    counties = {row.code: row for row in page.children}
    assert counties[world.school.county_id].students.part == 5
    assert counties[world.other_school.county_id].students.rate is None
    # and the chart draws the same figures (None for a suppressed county)
    chart = chart_data(page)
    assert None in chart["participation"]["values"] and 55.6 in chart["participation"]["values"]
    # a county's chart has its schools with a plan only (a school without one is in the table, at 0 of 1)
    f.student(f.school_class(f.school(world.school.county, "梁园区第二小学"), 3, 1), "钱小多")
    county = region_participation(actor=world.county_bureau, region_code=world.school.county_id, on=date(2026, 9, 7))
    assert [s.name for s in county.schools] == ["梁园区前进小学", "梁园区第二小学"]
    assert chart_data(county)["participation"] == {"names": ["梁园区前进小学"], "values": [55.6], "title": "学生参与率"}


def test_the_bureau_page_and_the_api_show_participation_in_scope_only(world: AfterschoolWorld) -> None:
    # given
    plan = make_plan(world)
    football = offer(world, plan, school_course(world, category(world).pk), [(1, 2)], 10)
    for student in [world.child, *_more_grade4_students(world, 5)]:
        account = world.parent if student == world.child else f.user()
        if account != world.parent:
            f.guardian_of(student, account, phone=f"1391111{student.pk:04d}")
        choose(account, sign_up(account, student, plan), football)
    county = world.school.county_id
    # when
    page = client_for(world.county_bureau).get(f"/afterschool/regions/{county}/participation/?on=2026-09-07")
    api = client_for(world.county_bureau).get(f"/api/v1/afterschool/participation/regions/{county}?on=2026-09-07")
    # then: 6 of 8 students
    assert page.status_code == 200
    assert 'data-testid="participation-rate"><span class="as-rate">75%</span>' in page.text
    assert 'id="as-chart-data"' in page.text and "homework/vendor/echarts.min.js" in page.text
    body = json.loads(api.content)
    assert body["total"]["students"] == {"whole": 8, "part": 6, "rate": 0.75}
    assert body["min_cell_size"] == 5
    assert body["courses"][0]["title"] == "校园足球" and body["courses"][0]["seats"]["whole"] == 10
    # and another county's bureau, a school leader and a parent get a 404
    for user in (world.other_county_bureau, world.leader, world.parent):
        assert client_for(user).get(f"/afterschool/regions/{county}/participation/").status_code == 404
    # the school's page is its leader's too
    school = client_for(world.leader).get(f"/afterschool/schools/{world.school.code}/participation/?on=2026-09-07")
    assert school.status_code == 200 and 'data-testid="grade-4"' in school.text
    assert client_for(world.teacher).get(f"/afterschool/schools/{world.school.code}/participation/").status_code == 404


def test_the_bureau_adds_a_course_to_its_menu(world: AfterschoolWorld) -> None:
    # given
    sports = category(world)
    client = client_for(world.city_bureau)
    url = f"/afterschool/regions/{world.school.city_id}/menu/"
    course = {
        "category_id": sports.pk, "title": "少年宫合唱", "provider_kind": "youth_palace",
        "provider_name": "商丘市少年宫", "provider_credit_code": "", "grade_min": 3, "grade_max": 6, "capacity": 40,
        "weekly_slots": 1, "venue": "音乐教室", "staff": "", "fee_yuan": "0", "description": "",
    }  # fmt: skip
    # when: grades the wrong way round
    refused = client.post(url, {**course, "grade_min": 6, "grade_max": 3})
    # then
    assert refused.status_code == 422
    assert "适用年级 6 至 3 不正确" in refused.text
    assert not MenuCourse.objects.exists()
    # when
    done = client.post(url, course, follow=True)
    # then
    assert "已将“少年宫合唱”加入课程菜单。" in done.text
    added = MenuCourse.objects.get()
    assert (added.region_id, added.school, added.provider_kind, added.capacity) == (
        world.school.city_id,
        None,
        "youth_palace",
        40,
    )
    assert f'data-testid="course-{added.pk}"' in done.text
    # and an inspector-less county bureau reads its own region's menu, a leader none
    assert (
        client_for(world.county_bureau).get(f"/afterschool/regions/{world.school.county_id}/menu/").status_code == 200
    )
    assert client_for(world.leader).get(url).status_code == 404


def test_the_bureau_adds_a_category_to_its_framework(world: AfterschoolWorld) -> None:
    client = client_for(world.city_bureau)
    url = f"/afterschool/regions/{world.school.city_id}/menu/categories/"
    body = {"framework": "1+3+N", "code": "arts", "name": "艺术素养"}
    # when
    done = client.post(url, body, follow=True)
    # then
    assert "已加入课程类别“艺术素养”。" in done.text
    assert list(CourseCategory.objects.values_list("region_id", "code", "name")) == [
        (world.school.city_id, "arts", "艺术素养")
    ]
    # when: the same code again
    refused = client.post(url, {**body, "name": "艺术"})
    # then
    assert refused.status_code == 422 and "该地区已有代码为“arts”的课程类别。" in refused.text
    assert CourseCategory.objects.count() == 1
    # and a school leader may not (the region is in reach, the action is not)
    assert client_for(world.leader).post(url, {**body, "code": "x"}).status_code == 403
    assert CourseCategory.objects.count() == 1


def test_region_participation_reads_a_fixed_number_of_queries(world: AfterschoolWorld) -> None:
    # given
    plan = make_plan(world)
    sign_up(world.parent, world.child, plan)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            region_participation(actor=world.city_bureau, region_code=world.school.city_id, on=date(2026, 9, 7))
        return len(captured.captured_queries)

    queries()  # the actor's roles and the policy profile are cached after the first read
    before = queries()
    # when: three more schools with pupils
    for index in range(3):
        f.student(f.school_class(f.school(world.school.county, f"梁园区第{index + 3}小学"), 2, 1), f"新同学{index}")
    # then: the same number of queries
    assert queries() == before
