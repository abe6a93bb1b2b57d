"""The admin shows shared items and complaints; complaints move only through the services (read-only here)."""

from datetime import timedelta

from django.test import Client

from shuangjian.core.models import User
from shuangjian.homework.models import HomeworkComplaint
from shuangjian.homework.services import complaints, showcase
from shuangjian.homework.tests import builders as b
from shuangjian.homework.tests.conftest import MONDAY, HomeworkWorld


def admin_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("admin", password="pw-123456!"))
    return client


def test_shared_items_and_complaints_are_listed_and_complaints_are_read_only(world: HomeworkWorld) -> None:
    # given
    item = b.assign(world.chinese_teacher, world.class4, MONDAY + timedelta(days=1), 20)
    shared = showcase.showcase_share(actor=world.chinese_teacher, item_id=item.pk, scope="school")
    complaint = complaints.complaint_file(actor=world.parent, student_id=world.child.pk, text="作业太多。")
    client = admin_client()
    # when
    shares = client.get("/admin/homework/sharedhomework/")
    listed = client.get("/admin/homework/homeworkcomplaint/")
    change = f"/admin/homework/homeworkcomplaint/{complaint.pk}/change/"
    shown = client.get(change)
    edited = client.post(change, {"status": "closed", "response": "管理员改的"})
    added = client.get("/admin/homework/homeworkcomplaint/add/")
    # then
    assert (shares.status_code, listed.status_code, shown.status_code) == (200, 200, 200)
    assert shared.title in shares.content.decode()
    assert complaint.reference in listed.content.decode()
    assert 'name="_save"' not in shown.content.decode()
    assert (edited.status_code, added.status_code) == (403, 403)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.response) == ("open", "")
    assert HomeworkComplaint.objects.count() == 1
