"""The homework pages through the Django test client: who sees what, refusals shown with nothing saved, feedback."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from shuangjian.core.models import Role, User
from shuangjian.core.tests import factories as f
from shuangjian.homework.models import (
    FeedbackSource,
    HomeworkFeedback,
    HomeworkItem,
    HomeworkLoad,
    ItemStatus,
)
from shuangjian.homework.services import feedback, items, rollups
from shuangjian.homework.tests.conftest import MONDAY, HomeworkWorld

TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = MONDAY + timedelta(days=2)


@pytest.fixture(autouse=True)
def monday_evening() -> Iterator[None]:
    """Every page computes "today" from the clock: it is Monday 23 November 2026, 19:30 in Shanghai."""
    with time_machine.travel(datetime(2026, 11, 23, 19, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html_of(response: Any) -> str:
    return str(response.content.decode())


def publish(world: HomeworkWorld, minutes: int, teacher: str = "chinese", **kw: Any) -> HomeworkItem:
    actor = world.chinese_teacher if teacher == "chinese" else world.maths_teacher
    values: dict[str, Any] = {
        "subject": "语文" if teacher == "chinese" else "数学",
        "kind": "written",
        "layer": "basic",
        "title": "练习册第12页" if teacher == "chinese" else "口算练习",
        "instructions": "",
        "estimated_minutes": minutes,
        "start_date": MONDAY,
        "due_date": MONDAY,
    }
    values.update(kw)
    return items.homework_assign(actor=actor, class_id=world.class4.pk, draft=items.ItemDraft(**values), today=MONDAY)


def assign_post(world: HomeworkWorld, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "class_id": world.class4.pk,
        "subject": "数学",
        "group_id": "",
        "kind": "written",
        "layer": "basic",
        "title": "口算练习",
        "instructions": "完成第5页",
        "estimated_minutes": 20,
        "due_date": MONDAY.isoformat(),
        "start_date": "",
        "attest": "on",
    }
    data.update(overrides)
    return data


def other_school_teacher(world: HomeworkWorld) -> User:
    account = f.named_user("外校老师")
    staff = f.staff_member(world.other_school, "外校老师", account)
    f.assign(account, Role.TEACHER, school=world.other_school)
    f.assign(account, Role.HEAD_TEACHER, school=world.other_school, school_class=world.other_class)
    f.teaches(staff, world.other_class, "语文")
    return account


# ---- 布置作业 ----


def test_assign_page_offers_only_my_classes_and_shows_the_days_load(world: HomeworkWorld) -> None:
    # given
    publish(world, 35)
    # when
    response = client_for(world.maths_teacher).get("/homework/assign/")
    # then
    html = html_of(response)
    assert response.status_code == 200
    assert f'<option value="{world.class4.pk}" selected>4年级1班</option>' in html
    assert f'value="{world.class2.pk}"' not in html and f'value="{world.other_class.pk}"' not in html
    assert '<option value="数学">数学</option>' in html and '<option value="语文">' not in html
    assert 'data-testid="load-panel"' in html
    assert 'data-capped="35" data-cap="60"' in html
    assert "<li>语文 35 分钟</li>" in html
    assert "距上限还有 25 分钟。" in html


def test_assign_publishes_and_returns_to_the_day(world: HomeworkWorld) -> None:
    # when
    client = client_for(world.maths_teacher)
    response = client.post("/homework/assign/", assign_post(world))
    # then
    item = HomeworkItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/homework/assign/?class_id={world.class4.pk}&date=2026-11-23"
    assert (item.subject, item.estimated_minutes, item.due_date, item.assigned_by) == (
        "数学", 20, MONDAY, world.maths_teacher
    )  # fmt: skip
    page = html_of(client.get(response["Location"]))
    assert "已发布：4年级1班 数学“口算练习”，20 分钟。" in page
    assert "<li>数学 20 分钟</li>" in page


def test_over_the_cap_nothing_is_published_and_the_days_load_is_shown(world: HomeworkWorld) -> None:
    # given: Chinese already takes 35 of the 60 minutes on Monday
    publish(world, 35)
    # when: maths asks for 26 more
    response = client_for(world.maths_teacher).post("/homework/assign/", assign_post(world, estimated_minutes=26))
    # then
    html = html_of(response)
    assert response.status_code == 422
    assert "作业未发布。" in html
    assert "2026-11-23 的书面作业总时长将达到 61 分钟，超过本年级上限 60 分钟。请缩短、调整日期或拆分后再发布。" in html
    assert 'data-capped="35" data-cap="60"' in html
    assert "<li>语文 35 分钟</li>" in html
    assert "距上限还有 25 分钟。" in html
    assert 'data-testid="week-strip"' in html
    # and the teacher's input is kept to shorten it
    assert 'name="estimated_minutes" value="26"' in html
    assert HomeworkItem.objects.count() == 1
    assert HomeworkLoad.objects.count() == 1


def test_a_project_over_the_cap_shows_the_day_that_is_full(world: HomeworkWorld) -> None:
    # given: Wednesday is already full
    publish(world, 60, start_date=WEDNESDAY, due_date=WEDNESDAY)
    # when: a 3-day maths project Monday to Wednesday would add 10 minutes to each day
    response = client_for(world.maths_teacher).post(
        "/homework/assign/",
        assign_post(world, estimated_minutes=30, start_date=MONDAY.isoformat(), due_date=WEDNESDAY.isoformat()),
    )
    # then
    html = html_of(response)
    assert response.status_code == 422
    assert "2026-11-25 的书面作业总时长将达到 70 分钟" in html
    assert 'data-day="2026-11-25" data-capped="60" data-cap="60"' in html
    assert HomeworkItem.objects.count() == 1


@pytest.mark.parametrize(
    ("_case", "overrides", "message"),
    [
        ("parent grading", {"instructions": "请家长批改后签字"}, "不得要求家长检查、批改作业或签字"),
        ("punitive", {"instructions": "错题罚抄十遍"}, "严禁布置重复性、惩罚性作业。"),
        ("absurd minutes", {"estimated_minutes": 601}, "时长 601 分钟不合理"),
        ("past day", {"due_date": "2026-11-20"}, "完成日期 2026-11-20 已经过去。"),
        ("subject not taught", {"subject": "语文"}, "选择一个有效的选项"),
        ("no attestation", {"attest": ""}, "请确认本作业符合作业管理要求。"),
    ],
)
def test_bad_items_are_refused_with_a_clear_message(
    world: HomeworkWorld, _case: str, overrides: dict[str, Any], message: str
) -> None:
    response = client_for(world.maths_teacher).post("/homework/assign/", assign_post(world, **overrides))
    assert response.status_code == 422
    assert message in html_of(response)
    assert HomeworkItem.objects.count() == 0


def test_grade_2_gets_no_written_homework_on_the_page(world: HomeworkWorld) -> None:
    response = client_for(world.chinese_teacher).post(
        "/homework/assign/", assign_post(world, class_id=world.class2.pk, subject="语文")
    )
    assert response.status_code == 422
    assert "2026-11-23：本年级不布置书面家庭作业（一、二年级）。" in html_of(response)
    assert HomeworkItem.objects.count() == 0


def test_assign_is_for_teachers_only(world: HomeworkWorld) -> None:
    assert client_for(world.parent).get("/homework/assign/").status_code == 403
    assert client_for(world.coordinator).get("/homework/mine/").status_code == 403
    assert Client().get("/homework/assign/").status_code == 302


def test_load_panel_of_another_schools_class_is_not_found(world: HomeworkWorld) -> None:
    url = f"/homework/classes/{world.other_class.pk}/load/?date=2026-11-23"
    assert client_for(world.maths_teacher).get(url).status_code == 404
    own = client_for(world.maths_teacher).get(f"/homework/classes/{world.class4.pk}/load/?date=2026-11-23")
    assert own.status_code == 200
    assert html_of(own).lstrip().startswith('<section class="hw-panel"')


# ---- 我布置的作业: shorten, move, withdraw ----


def test_my_items_lists_what_i_assigned_with_edit_and_withdraw(world: HomeworkWorld) -> None:
    mine = publish(world, 30, teacher="maths")
    publish(world, 20)
    html = html_of(client_for(world.maths_teacher).get("/homework/mine/"))
    assert "4年级1班 · 数学 · 口算练习" in html
    assert "练习册第12页" not in html
    assert f'action="/homework/items/{mine.pk}/withdraw/"' in html
    assert f'href="/homework/items/{mine.pk}/edit/"' in html


def test_withdraw_takes_the_item_off_the_board(world: HomeworkWorld) -> None:
    mine = publish(world, 30, teacher="maths")
    client = client_for(world.maths_teacher)
    response = client.post(f"/homework/items/{mine.pk}/withdraw/")
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == ItemStatus.WITHDRAWN
    assert "已撤回“口算练习”。" in html_of(client.get("/homework/mine/"))
    assert client.get(f"/homework/items/{mine.pk}/withdraw/").status_code == 405


def test_withdraw_by_a_teacher_of_another_subject_is_refused(world: HomeworkWorld) -> None:
    other = publish(world, 30)
    response = client_for(world.maths_teacher).post(f"/homework/items/{other.pk}/withdraw/", follow=True)
    assert "您没有在该班任教 语文" in html_of(response)
    other.refresh_from_db()
    assert other.status == ItemStatus.PUBLISHED


def test_edit_shortens_and_moves(world: HomeworkWorld) -> None:
    mine = publish(world, 30, teacher="maths")
    response = client_for(world.maths_teacher).post(
        f"/homework/items/{mine.pk}/edit/", {"estimated_minutes": 20, "due_date": TUESDAY.isoformat()}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.estimated_minutes, mine.start_date, mine.due_date) == (20, TUESDAY, TUESDAY)
    assert list(mine.loads.values_list("date", "minutes")) == [(TUESDAY, 20)]


def test_edit_over_the_cap_changes_nothing_and_shows_the_load(world: HomeworkWorld) -> None:
    publish(world, 40)
    mine = publish(world, 20, teacher="maths")
    response = client_for(world.maths_teacher).post(
        f"/homework/items/{mine.pk}/edit/", {"estimated_minutes": 25, "due_date": MONDAY.isoformat()}
    )
    html = html_of(response)
    assert response.status_code == 422
    assert "没有修改。" in html
    assert "将达到 65 分钟，超过本年级上限 60 分钟" in html
    assert "<li>数学 20 分钟</li>" in html and "<li>语文 40 分钟</li>" in html
    mine.refresh_from_db()
    assert mine.estimated_minutes == 20


def test_edit_of_another_schools_item_is_not_found(world: HomeworkWorld) -> None:
    item = publish(world, 20)
    assert client_for(other_school_teacher(world)).get(f"/homework/items/{item.pk}/edit/").status_code == 404


# ---- 作业公示 ----


def test_the_board_is_visible_to_the_class_family_staff_and_bureau(world: HomeworkWorld) -> None:
    # given
    publish(world, 35, instructions="朗读课文后完成")
    publish(world, 15, teacher="maths", layer="extension", title="数学游戏")
    student = f.named_user("王小明")
    f.assign(student, Role.STUDENT, school=world.school, student=world.child)
    bureau = f.named_user("市教育局")
    f.assign(bureau, Role.BUREAU, region=world.school.city)
    url = f"/homework/classes/{world.class4.pk}/board/?date=2026-11-23"
    # then
    for viewer in (world.parent, student, world.maths_teacher, world.coordinator, world.head_teacher, bureau):
        response = client_for(viewer).get(url)
        html = html_of(response)
        assert response.status_code == 200, viewer
        assert "4年级1班 作业公示" in html
        assert '书面作业 <strong data-testid="load-minutes">35</strong> 分钟 / 上限' in html
        assert "练习册第12页" in html and "朗读课文后完成" in html
        assert "数学游戏" in html and "拓展（选做）" in html
    assert client_for(other_school_teacher(world)).get(url).status_code == 404


def test_the_week_board_has_seven_days(world: HomeworkWorld) -> None:
    publish(world, 30, start_date=TUESDAY, due_date=TUESDAY)
    response = client_for(world.parent).get(f"/homework/classes/{world.class4.pk}/week/?date=2026-11-25")
    html = html_of(response)
    assert response.status_code == 200
    for day in range(23, 30):
        assert f'data-testid="week-day-2026-11-{day}"' in html
    assert "11月23日至11月29日" in html
    assert client_for(other_school_teacher(world)).get(f"/homework/classes/{world.class4.pk}/week/").status_code == 404


def test_another_familys_board_is_not_found(world: HomeworkWorld) -> None:
    response = client_for(world.parent).get(f"/homework/classes/{world.other_class.pk}/board/")
    assert response.status_code == 404


# ---- the family page and feedback ----


def test_guardian_sees_todays_board_with_the_bedtime_and_reports(world: HomeworkWorld) -> None:
    # given
    publish(world, 35)
    client = client_for(world.parent)
    # when
    page = html_of(client.get("/homework/today/"))
    # then
    assert "今天的作业" in page and "王小明" in page and "李小红" not in page
    assert "练习册第12页" in page
    assert "到了就寝时间（21:20）还没写完，就让孩子按时睡觉——这样做是对的。" in page
    # when: the guardian reports
    response = client.post(
        "/homework/today/?date=2026-11-23",
        {"student_id": world.child.pk, "date": "2026-11-23", "reported_minutes": 50, "unfinished_at_bedtime": "on"},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/homework/today/?date=2026-11-23#child-{world.child.pk}"
    report = HomeworkFeedback.objects.get()
    assert (report.reported_minutes, report.unfinished_at_bedtime, report.source) == (50, True, "guardian")
    page = html_of(client.get(response["Location"]))
    assert "已记录 王小明 2026-11-23 的作业用时：50 分钟。" in page
    assert "已填报：50 分钟，到就寝时间仍未完成。再次提交会替换这次的记录。" in page


def test_reporting_again_replaces_the_earlier_report(world: HomeworkWorld) -> None:
    client = client_for(world.parent)
    for minutes in (70, 45):
        client.post(
            "/homework/today/", {"student_id": world.child.pk, "date": "2026-11-23", "reported_minutes": minutes}
        )
    report = HomeworkFeedback.objects.get()
    assert (report.reported_minutes, report.unfinished_at_bedtime) == (45, False)


def test_reporting_for_another_familys_child_is_not_found_and_saves_nothing(world: HomeworkWorld) -> None:
    response = client_for(world.parent).post(
        "/homework/today/", {"student_id": world.classmate.pk, "date": "2026-11-23", "reported_minutes": 30}
    )
    assert response.status_code == 404
    assert HomeworkFeedback.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "data", "message"),
    [
        ("tomorrow", {"date": "2026-11-24", "reported_minutes": 30}, "不能填报 2026-11-24 的作业用时"),
        ("absurd", {"date": "2026-11-23", "reported_minutes": 700}, "时长 700 分钟不合理"),
        ("empty", {"date": "2026-11-23", "reported_minutes": ""}, "这个字段是必填项。"),
    ],
)  # fmt: skip
def test_bad_reports_are_refused_on_the_page(
    world: HomeworkWorld, _case: str, data: dict[str, Any], message: str
) -> None:
    response = client_for(world.parent).post("/homework/today/", {"student_id": world.child.pk, **data})
    assert response.status_code == 422
    assert message in html_of(response)
    assert HomeworkFeedback.objects.count() == 0


def test_the_family_page_is_for_guardians_and_students(world: HomeworkWorld) -> None:
    assert client_for(world.maths_teacher).get("/homework/today/").status_code == 403


# ---- the head teacher's sheet ----


def test_head_teacher_enters_the_class_in_one_form(world: HomeworkWorld) -> None:
    # given: the family has already reported for their child
    feedback.feedback_submit(
        actor=world.parent, student_id=world.child.pk, day=MONDAY, reported_minutes=40,
        unfinished_at_bedtime=False, today=MONDAY,
    )  # fmt: skip
    client = client_for(world.head_teacher)
    url = f"/homework/classes/{world.class4.pk}/feedback/?date=2026-11-23"
    page = html_of(client.get(url))
    assert "王小明" in page and "李小红" in page and "赵小刚" not in page
    assert "已有记录：40 分钟（家长填报）" in page
    # when: the head teacher fills in the classmate and leaves the child's row as it was
    rows = sorted([world.child, world.classmate], key=lambda s: s.student_number)
    data: dict[str, Any] = {"form-TOTAL_FORMS": 2, "form-INITIAL_FORMS": 2}
    for index, student in enumerate(rows):
        data[f"form-{index}-student_id"] = student.pk
        data[f"form-{index}-reported_minutes"] = 40 if student == world.child else 75
        if student == world.classmate:
            data[f"form-{index}-unfinished_at_bedtime"] = "on"
    response = client.post(url, data)
    # then
    assert response.status_code == 302
    reports = {r.student_id: r for r in HomeworkFeedback.objects.all()}
    assert (reports[world.classmate.pk].reported_minutes, reports[world.classmate.pk].unfinished_at_bedtime) == (
        75, True
    )  # fmt: skip
    assert reports[world.classmate.pk].source == FeedbackSource.HEAD_TEACHER
    assert reports[world.child.pk].source == FeedbackSource.GUARDIAN
    assert "已保存 1 名学生 2026-11-23 的作业用时。" in html_of(client.get(url))


def test_the_sheet_refuses_bad_rows_and_saves_nothing(world: HomeworkWorld) -> None:
    url = f"/homework/classes/{world.class4.pk}/feedback/?date=2026-11-23"
    data = {
        "form-TOTAL_FORMS": 2,
        "form-INITIAL_FORMS": 2,
        "form-0-student_id": world.child.pk,
        "form-0-reported_minutes": 30,
        "form-1-student_id": world.other_child.pk,
        "form-1-reported_minutes": 30,
    }
    response = client_for(world.head_teacher).post(url, data)
    assert response.status_code == 422
    assert "学生不在该班名单中。" in html_of(response)
    assert HomeworkFeedback.objects.count() == 0


def test_the_sheet_is_for_the_head_teacher(world: HomeworkWorld) -> None:
    url = f"/homework/classes/{world.class4.pk}/feedback/"
    assert client_for(world.maths_teacher).get(url).status_code == 403
    assert client_for(other_school_teacher(world)).get(url).status_code == 404


# ---- the grade coordinator ----


def test_coordinator_sees_the_grade_and_rebalances(world: HomeworkWorld) -> None:
    chinese = publish(world, 40)
    maths = publish(world, 20, teacher="maths")
    client = client_for(world.coordinator)
    page = html_of(client.get("/homework/grade/?date=2026-11-23"))
    assert "4年级1班" in page and "2年级1班" not in page
    assert "<li>数学 20 分钟</li>" in page and "<li>语文 40 分钟</li>" in page
    url = f"/homework/classes/{world.class4.pk}/rebalance/?date=2026-11-23"
    # over the cap: refused, nothing changed
    refused = client.post(url, {f"minutes_{chinese.pk}": 45, f"minutes_{maths.pk}": 20})
    assert refused.status_code == 422
    assert "将达到 65 分钟，超过本年级上限 60 分钟" in html_of(refused)
    assert sorted(HomeworkLoad.objects.values_list("minutes", flat=True)) == [20, 40]
    # within the cap: saved
    done = client.post(url, {f"minutes_{chinese.pk}": 30, f"minutes_{maths.pk}": 30})
    assert done.status_code == 302
    assert sorted(HomeworkLoad.objects.values_list("minutes", flat=True)) == [30, 30]


def test_rebalance_is_for_grade_coordinators(world: HomeworkWorld) -> None:
    url = f"/homework/classes/{world.class4.pk}/rebalance/"
    assert client_for(world.maths_teacher).get(url).status_code == 403
    assert client_for(world.maths_teacher).get("/homework/grade/").status_code == 403
    assert client_for(other_school_teacher(world)).get(url).status_code == 404


# ---- monitoring ----


def _reported_class(world: HomeworkWorld) -> None:
    """Seven students report on Monday: five within the 60-minute cap, two over (one still unfinished at bedtime)."""
    extra = [f.student(world.class4, name) for name in ("张一", "张二", "张三", "张四", "张五")]
    minutes = [30, 45, 50, 55, 60, 80, 95]
    students = [world.child, world.classmate, *extra]
    feedback.feedback_batch_submit(
        actor=world.head_teacher,
        class_id=world.class4.pk,
        day=MONDAY,
        entries=[feedback.FeedbackEntry(s.pk, m, m == 95) for s, m in zip(students, minutes, strict=True)],
        today=MONDAY,
    )
    rollups.rollups_refresh([MONDAY])


def test_school_leader_sees_school_compliance_with_charts(world: HomeworkWorld) -> None:
    # given
    publish(world, 50)
    _reported_class(world)
    leader = f.named_user("校长")
    f.assign(leader, Role.SCHOOL_LEADER, school=world.school)
    # when
    response = client_for(leader).get(f"/homework/schools/{world.school.code}/monitoring/")
    # then: this week by default
    html = html_of(response)
    assert response.status_code == 200
    assert "2026年11月23日至2026年11月29日" in html
    assert 'data-testid="within-share">71%' in html  # 5 of 7
    assert 'data-testid="median">59 分钟' in html  # the 4th of 7 (55) is in the 55-59 bucket
    assert 'data-testid="p90">99 分钟' in html  # the 7th of 7 (95) is in the 95-99 bucket
    assert 'data-testid="unfinished-share">14%' in html
    assert 'id="hw-chart-data"' in html and "homework/vendor/echarts.min.js" in html
    assert 'data-testid="chart-share"' in html
    # the class average (59.3) is within the cap, so no class is repeatedly over
    assert "没有反复超时的班级。" in html
    assert (
        client_for(other_school_teacher(world)).get(f"/homework/schools/{world.school.code}/monitoring/").status_code
        == 404
    )


def test_small_cells_are_suppressed(world: HomeworkWorld) -> None:
    feedback.feedback_submit(
        actor=world.parent, student_id=world.child.pk, day=MONDAY, reported_minutes=40,
        unfinished_at_bedtime=False, today=MONDAY,
    )  # fmt: skip
    html = html_of(client_for(world.head_teacher).get(f"/homework/classes/{world.class4.pk}/monitoring/"))
    assert 'data-testid="within-share"><span class="hw-suppressed">样本不足</span>' in html
    assert 'data-testid="median"><span class="hw-suppressed">样本不足</span>' in html
    assert 'data-testid="feedback-count">1<' in html


def test_head_teacher_sees_the_support_list_marked_not_public(world: HomeworkWorld) -> None:
    # given: the child is over the cap on two days
    for day, minutes in ((MONDAY - timedelta(days=3), 75), (MONDAY, 80)):
        feedback.feedback_submit(
            actor=world.parent, student_id=world.child.pk, day=day, reported_minutes=minutes,
            unfinished_at_bedtime=False, today=MONDAY,
        )  # fmt: skip
    # when
    url = f"/homework/classes/{world.class4.pk}/monitoring/?start=2026-11-16&end=2026-11-23&min_days=2"
    response = client_for(world.head_teacher).get(url)
    # then
    html = html_of(response)
    assert response.status_code == 200
    assert "仅供班主任和学校老师了解情况、调整作业，不公开" in html
    assert '<th scope="row">王小明</th><td class="num">2</td>' in html
    assert "当地尚未设定“反复超时”的天数标准" in html
    # guardians, the bureau and other schools do not reach the class's page
    bureau = f.named_user("市教育局")
    f.assign(bureau, Role.BUREAU, region=world.school.city)
    for outsider in (world.parent, bureau, other_school_teacher(world)):
        assert client_for(outsider).get(url).status_code == 404


def test_bureau_sees_its_region_and_each_county(world: HomeworkWorld) -> None:
    # given
    _reported_class(world)
    bureau = f.named_user("市教育局")
    f.assign(bureau, Role.BUREAU, region=world.school.city)
    # when
    response = client_for(bureau).get(f"/homework/regions/{world.school.city_id}/monitoring/")
    # then
    html = html_of(response)
    assert response.status_code == 200
    assert "商丘市 作业监测" in html
    assert 'data-testid="within-share">71%' in html
    assert f'data-testid="region-{world.school.county_id}"' in html  # 梁园区
    assert f'data-testid="region-{world.other_school.county_id}"' in html  # 民权县, no reports yet
    assert "样本不足" in html
    # a county bureau cannot read the city, nor another county
    county_bureau = f.named_user("民权县教育局")
    f.assign(county_bureau, Role.BUREAU, region=world.other_school.county)
    assert client_for(county_bureau).get(f"/homework/regions/{world.school.city_id}/monitoring/").status_code == 404
    assert client_for(county_bureau).get(f"/homework/regions/{world.school.county_id}/monitoring/").status_code == 404
    assert client_for(world.parent).get(f"/homework/regions/{world.school.city_id}/monitoring/").status_code == 404


def test_a_bad_period_falls_back_to_this_week(world: HomeworkWorld) -> None:
    leader = f.named_user("校长")
    f.assign(leader, Role.SCHOOL_LEADER, school=world.school)
    response = client_for(leader).get(
        f"/homework/schools/{world.school.code}/monitoring/?start=2026-11-30&end=2026-11-01"
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "结束日期不能早于开始日期。" in html
    assert "2026年11月23日至2026年11月29日" in html


# ---- the hub and the home page ----


def test_the_hub_lists_each_roles_pages(world: HomeworkWorld) -> None:
    teacher_hub = html_of(client_for(world.chinese_teacher).get("/homework/"))
    assert 'href="/homework/assign/"' in teacher_hub and 'data-testid="hub-family"' not in teacher_hub
    parent_hub = html_of(client_for(world.parent).get("/homework/"))
    assert 'href="/homework/today/"' in parent_hub and 'href="/homework/assign/"' not in parent_hub
    head_hub = html_of(client_for(world.head_teacher).get("/homework/"))
    assert f'href="/homework/classes/{world.class4.pk}/feedback/"' in head_hub
    coordinator_hub = html_of(client_for(world.coordinator).get("/homework/"))
    assert 'href="/homework/grade/"' in coordinator_hub


def test_home_page_links_to_the_homework_pages(world: HomeworkWorld) -> None:
    assert 'href="/homework/assign/"' in html_of(client_for(world.chinese_teacher).get("/"))
    assert 'href="/homework/today/"' in html_of(client_for(world.parent).get("/"))
    head_home = html_of(client_for(world.head_teacher).get("/"))
    assert f'href="/homework/classes/{world.class4.pk}/feedback/"' in head_home
    assert 'href="/homework/grade/"' in html_of(client_for(world.coordinator).get("/"))


def test_the_pages_speak_english_when_asked(world: HomeworkWorld) -> None:
    publish(world, 35)
    client = client_for(world.maths_teacher)
    html = html_of(client.get("/homework/assign/", HTTP_ACCEPT_LANGUAGE="en"))
    assert '<h1 class="page-title">Assign homework</h1>' in html
    assert 'data-text-over="With this homework: %(total)s min in all, %(over)s min over the cap.' in html
    assert "<li>语文 35 min</li>" in html
    refused = html_of(
        client.post("/homework/assign/", assign_post(world, estimated_minutes=26), HTTP_ACCEPT_LANGUAGE="en")
    )
    assert "Written homework on 2026-11-23 would come to 61 minutes, over this grade&#x27;s cap of 60" in refused
