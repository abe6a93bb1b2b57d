"""The attendance pages (teacher's roster on a phone) and the guardian's absence page.

The world of conftest.py, on Monday 2026-09-07 at 09:00 in Shanghai.
"""

from datetime import date

import pytest
from django.test import Client

from shuangjian.afterschool.models import AbsenceReport, AttendanceRecord, LeaveAlonePermission, ServicePlan
from shuangjian.afterschool.services import attendance
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import AfterschoolWorld
from shuangjian.core.models import Role, User
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db
ROSTER = "/afterschool/attendance/classes/{}/2026-09-07/1/"


@pytest.fixture
def plan(world: AfterschoolWorld) -> ServicePlan:
    made = b.make_plan(world)
    b.sign_up(world.parent, world.child, made)
    b.sign_up(world.other_parent, world.classmate, made)
    return made


@pytest.fixture
def head(world: AfterschoolWorld) -> Client:
    account = f.named_user("4年级1班班主任")
    f.assign(account, Role.HEAD_TEACHER, school=world.school, school_class=world.class4)
    return _client(account)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_teacher_sees_todays_blocks(world: AfterschoolWorld, plan: ServicePlan, head: Client) -> None:
    page = head.get("/afterschool/attendance/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ROSTER.format(world.class4.pk) in html
    assert "未点名 · 2 人" in html


def test_the_roster_marks_excused_children_and_saves_in_one_submit(
    world: AfterschoolWorld, plan: ServicePlan, head: Client
) -> None:
    # given
    attendance.absence_report(
        actor=world.parent, student_id=world.child.pk, start=date(2026, 9, 7), end=date(2026, 9, 7), reason="看牙医"
    )
    url = ROSTER.format(world.class4.pk)
    # when
    page = head.get(url)
    saved = head.post(url, {f"status-{world.child.pk}": "excused", f"status-{world.classmate.pk}": "absent"})
    # then
    assert "家长已请假：看牙医" in page.content.decode()
    assert f'name="status-{world.child.pk}" value="excused" checked' in page.content.decode()
    assert saved.status_code == 302
    assert dict(AttendanceRecord.objects.values_list("student", "status")) == {
        world.child.pk: "excused",
        world.classmate.pk: "absent",
    }
    assert "已保存 2 名学生的考勤：出勤 0，迟到 0，缺勤 1，请假 1。" in head.get(saved["Location"]).content.decode()


def test_a_refused_submission_keeps_the_choices_and_saves_nothing(
    world: AfterschoolWorld, plan: ServicePlan, head: Client
) -> None:
    response = head.post(ROSTER.format(world.class4.pk), {f"status-{world.child.pk}": "late"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "还有 1 名学生没有点名（李小红）" in html
    assert f'name="status-{world.child.pk}" value="late" checked' in html
    assert AttendanceRecord.objects.count() == 0


def test_a_holiday_roster_explains_why(world: AfterschoolWorld, plan: ServicePlan, head: Client) -> None:
    response = head.get(f"/afterschool/attendance/classes/{world.class4.pk}/2026-10-01/1/")
    assert response.status_code == 400
    assert "2026-10-01（法定节假日）没有课后服务。" in response.content.decode()


def test_outsiders_get_no_roster(world: AfterschoolWorld, plan: ServicePlan) -> None:
    url = ROSTER.format(world.class4.pk)
    assert _client(world.teacher).get(url).status_code == 403
    assert _client(world.other_leader).get(url).status_code == 404


def test_the_guardian_reports_an_absence_and_sets_leave_alone(world: AfterschoolWorld, plan: ServicePlan) -> None:
    parent = _client(world.parent)
    reported = parent.post(
        "/afterschool/absences/",
        {"student_id": world.child.pk, "start": "2026-09-08", "end": "2026-09-09", "reason": "家中有事"},
    )
    allowed = parent.post(
        "/afterschool/absences/", {"student_id": world.child.pk, "action": "leave_alone", "allowed": "on"}
    )
    page = parent.get("/afterschool/absences/").content.decode()
    assert (reported.status_code, allowed.status_code) == (302, 302)
    assert AbsenceReport.objects.get().reason == "家中有事"
    assert LeaveAlonePermission.objects.get().allowed is True
    assert "家中有事" in page
    assert "王小华" in page  # the younger child, not signed up, still has the page


def test_a_late_absence_is_refused_on_the_page(world: AfterschoolWorld, plan: ServicePlan) -> None:
    response = _client(world.parent).post(
        "/afterschool/absences/",
        {"student_id": world.child.pk, "start": "2026-09-04", "end": "2026-09-04", "reason": "病假"},
    )
    assert response.status_code == 400
    assert "请假须事先报告：开始日期不能早于今天（2026-09-07）。" in response.content.decode()
    assert AbsenceReport.objects.count() == 0


def test_another_familys_child_is_not_found(world: AfterschoolWorld, plan: ServicePlan) -> None:
    response = _client(world.other_parent).post(
        "/afterschool/absences/",
        {"student_id": world.child.pk, "start": "2026-09-08", "end": "2026-09-08", "reason": "病假"},
    )
    assert response.status_code == 404
    assert AbsenceReport.objects.count() == 0


def test_the_admin_lists_the_daily_records_read_only(world: AfterschoolWorld, plan: ServicePlan) -> None:
    # given
    report = attendance.absence_report(
        actor=world.parent, student_id=world.child.pk, start=date(2026, 9, 7), end=date(2026, 9, 7), reason="看牙医"
    )
    admin = _client(User.objects.create_superuser("admin", password="pw-123456!"))
    # when
    pages = {
        name: admin.get(f"/admin/afterschool/{name}/").status_code
        for name in ("attendancerecord", "absencereport", "signout", "leavealonepermission")
    }
    edited = admin.post(f"/admin/afterschool/absencereport/{report.pk}/change/", {"reason": "改"})
    # then
    assert set(pages.values()) == {200}
    assert edited.status_code == 403
    assert AbsenceReport.objects.get().reason == "看牙医"
