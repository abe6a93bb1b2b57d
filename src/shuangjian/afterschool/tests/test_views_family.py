"""The guardian's pages (/afterschool/family/): the plan, signing up with consent, ranked choices, the draw's result
and the weekly schedule, leaving. The world (conftest.py) is frozen on Monday 2026-09-07 inside the window."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from shuangjian.afterschool.models import AssignmentStatus, Enrolment, EnrolmentStatus, Preference
from shuangjian.afterschool.services import allocation
from shuangjian.afterschool.tests.builders import category, choose, make_plan, offer, school_course, sign_up
from shuangjian.afterschool.tests.conftest import AFTER_WINDOW, AfterschoolWorld
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _url(world: AfterschoolWorld, suffix: str = "") -> str:
    return f"/afterschool/family/{world.child.pk}/{suffix}"


def test_hub_shows_each_role_its_pages(world: AfterschoolWorld) -> None:
    # given
    make_plan(world)
    # when
    parent = client_for(world.parent).get("/afterschool/")
    leader = client_for(world.leader).get("/afterschool/")
    bureau = client_for(world.city_bureau).get("/afterschool/")
    teacher = client_for(world.teacher).get("/afterschool/")
    nobody = client_for(f.user()).get("/afterschool/")
    # then
    assert parent.status_code == leader.status_code == bureau.status_code == nobody.status_code == 200
    assert teacher.status_code == 200 and 'data-testid="hub-teaching"' in teacher.text
    assert "/afterschool/attendance/" in teacher.text and "报名与选课" not in teacher.text
    assert 'data-testid="hub-teaching"' not in leader.text  # the leader's school card has the roster link
    assert "报名与选课" in parent.text and "课后服务方案" not in parent.text
    assert "2026-2027 第一学期 课后服务方案" in leader.text and "报名与选课" not in leader.text
    assert "商丘市" in bureau.text and "/afterschool/regions/411400/participation/" in bureau.text
    assert "您的角色暂时没有课后服务相关的页面。" in nobody.text
    # and: the shell's nav offers 课后服务 to the roles with a card only
    assert 'href="/afterschool/"' in parent.text and 'href="/afterschool/"' in teacher.text
    assert 'href="/afterschool/"' not in nobody.text


def test_a_family_with_two_children_picks_a_child(world: AfterschoolWorld) -> None:
    response = client_for(world.parent).get("/afterschool/family/")
    assert response.status_code == 200
    assert f"/afterschool/family/{world.child.pk}/" in response.text
    assert f"/afterschool/family/{world.younger.pk}/" in response.text
    # a family with one child goes straight to the child's page
    single = client_for(world.other_parent).get("/afterschool/family/")
    assert single.status_code == 302 and single["Location"] == f"/afterschool/family/{world.classmate.pk}/"


def test_the_child_page_shows_the_plan_and_signs_up_with_consent(world: AfterschoolWorld) -> None:
    # given
    plan = make_plan(world)
    client = client_for(world.parent)
    # when
    page = client.get(_url(world))
    # then: days and blocks, and the consent form
    assert page.status_code == 200
    assert "每周 周一、周二、周三、周四、周五，放学后：" in page.text
    assert "16:00–17:00</span> 作业辅导" in page.text and "17:10–18:10</span> 素质拓展活动" in page.text
    assert 'data-testid="sign-up-form"' in page.text
    # when: signing up without ticking the consent box
    refused = client.post(_url(world, "sign-up/"), {"plan_id": plan.pk})
    # then: the service's message, nothing saved
    assert refused.status_code == 422
    assert "课后服务自愿参加：报名须由家长确认同意。" in refused.text
    assert not Enrolment.objects.exists()
    # when: with consent
    done = client.post(_url(world, "sign-up/"), {"plan_id": plan.pk, "consent": "on"}, follow=True)
    # then
    assert done.redirect_chain == [(_url(world) + "#choices", 302)]
    assert "已为 王小明 报名本学期课后服务。" in done.text
    enrolled = Enrolment.objects.get()
    assert (enrolled.student, enrolled.consent_by, enrolled.status) == (world.child, world.parent, "active")
    assert 'data-testid="choices-form"' in done.text


def test_choices_are_saved_in_rank_order_and_bad_ones_refused(world: AfterschoolWorld) -> None:
    # given
    plan = make_plan(world)
    sports = category(world)
    football = offer(world, plan, school_course(world, sports.pk), [(1, 2)], 20)
    chess = offer(world, plan, school_course(world, sports.pk, title="国际象棋"), [(2, 2)], 20)
    seniors = offer(world, plan, school_course(world, sports.pk, title="篮球", grade_min=5, grade_max=6), [(3, 2)], 20)
    enrolled = sign_up(world.parent, world.child, plan)
    client = client_for(world.parent)
    choices_url = _url(world, f"enrolments/{enrolled.pk}/choices/")
    # then: only the courses open to grade 4 are offered
    page = client.get(_url(world))
    assert f'value="{football.pk}"' in page.text and f'value="{chess.pk}"' in page.text
    assert f'value="{seniors.pk}"' not in page.text
    # when: chess first, football second
    done = client.post(choices_url, {"rank_1": chess.pk, "rank_2": football.pk, "rank_3": ""}, follow=True)
    # then
    assert "志愿已保存。" in done.text
    assert list(enrolled.preferences.values_list("offering_id", flat=True)) == [chess.pk, football.pk]
    # when: the same course twice
    refused = client.post(choices_url, {"rank_1": football.pk, "rank_2": football.pk})
    # then: the service's message, the earlier choices stay
    assert refused.status_code == 422
    assert "同一门课程不能重复填报。" in refused.text
    assert list(enrolled.preferences.values_list("offering_id", flat=True)) == [chess.pk, football.pk]


def test_another_familys_child_is_not_found(world: AfterschoolWorld) -> None:
    # given
    plan = make_plan(world)
    client = client_for(world.other_parent)
    # when
    page = client.get(_url(world))
    post = client.post(_url(world, "sign-up/"), {"plan_id": plan.pk, "consent": "on"})
    # then
    assert page.status_code == post.status_code == 404
    assert not Enrolment.objects.exists()
    assert client_for(world.leader).get("/afterschool/family/").status_code == 403


def test_after_the_draw_the_family_sees_seats_waitlist_and_schedule(
    world: AfterschoolWorld, clock: time_machine.Traveller
) -> None:
    # given: one seat in football, both grade-4 children want it; chess has room
    plan = make_plan(world, courses_per_student=2)
    sports = category(world)
    football = offer(world, plan, school_course(world, sports.pk), [(1, 2)], 1)
    chess = offer(world, plan, school_course(world, sports.pk, title="国际象棋"), [(3, 2)], 20)
    mine = choose(world.parent, sign_up(world.parent, world.child, plan), football, chess)
    choose(world.other_parent, sign_up(world.other_parent, world.classmate, plan), football)
    clock.move_to(AFTER_WINDOW)
    run = allocation.allocation_run(actor=world.leader, plan_id=plan.pk, seed="20260915")
    got_football = mine.assignments.filter(offering=football, status=AssignmentStatus.ASSIGNED).exists()
    # when
    page = client_for(world.parent).get(_url(world))
    # then: chess is assigned; football assigned or waitlisted first in line, as the draw decided
    assert page.status_code == 200
    assert f'data-testid="seat-{chess.pk}"' in page.text
    expected = "已录取" if got_football else "候补第 1 位"
    seat = page.text.split(f'data-testid="seat-{football.pk}"')[1].split("</li>")[0]
    assert expected in seat
    assert f"名额按公开的随机种子“{run.seed}”" in page.text
    schedule = page.text.split('data-testid="schedule"')[1]
    assert "周三" in schedule and "<strong>国际象棋</strong>（操场）" in schedule
    # when: the family leaves chess; the seat row ends
    chess_row = mine.assignments.get(offering=chess)
    left = client_for(world.parent).post(_url(world, f"seats/{chess_row.pk}/withdraw/"), follow=True)
    # then
    assert "已退出“国际象棋”。" in left.text
    chess_row.refresh_from_db()
    assert chess_row.status == AssignmentStatus.WITHDRAWN


def test_leaving_the_service_is_recorded_and_the_family_may_sign_up_again(
    world: AfterschoolWorld, clock: time_machine.Traveller
) -> None:
    # given
    plan = make_plan(world)
    enrolled = sign_up(world.parent, world.child, plan)
    client = client_for(world.parent)
    # when
    done = client.post(_url(world, f"enrolments/{enrolled.pk}/withdraw/"), follow=True)
    # then
    assert "王小明 已退出本学期课后服务。" in done.text
    enrolled.refresh_from_db()
    assert (enrolled.status, enrolled.withdrawn_by) == (EnrolmentStatus.WITHDRAWN, world.parent)
    assert "孩子已退出本学期课后服务，可以重新报名。" in done.text
    # and outside the window the choices form is gone, the choices are read-only
    clock.move_to(plan.enrolment_closes_at + timedelta(minutes=1))
    sign_up(world.parent, world.child, plan)
    page = client.get(_url(world))
    assert 'data-testid="choices-form"' not in page.text and "没有填报志愿。" in page.text
    assert not Preference.objects.exists()
