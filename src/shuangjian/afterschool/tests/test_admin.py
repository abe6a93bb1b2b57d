"""The admin lists the after-school tables; a curator corrects a course's texts or retires it, and nothing else."""

import pytest
from django.test import Client

from shuangjian.afterschool.models import MenuCourse
from shuangjian.afterschool.services import plans
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import AfterschoolWorld
from shuangjian.core.errors import NotFound
from shuangjian.core.models import User

pytestmark = pytest.mark.django_db


def admin_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("admin", password="pw-123456!"))
    return client


def test_every_table_is_listed_and_plans_are_read_only(world: AfterschoolWorld) -> None:
    # given
    plan = b.make_plan(world)
    b.sign_up(world.parent, world.child, plan)
    client = admin_client()
    # when
    tables = (
        "coursecategory", "menucourse", "serviceplan", "offering", "enrolment", "allocationrun", "staffduty",
        "feeschedule", "feewaiver", "feerecord",
    )  # fmt: skip
    pages = {name: client.get(f"/admin/afterschool/{name}/").status_code for name in tables}
    edited = client.post(f"/admin/afterschool/serviceplan/{plan.pk}/change/", {"weekdays": "[1]"})
    # then
    assert set(pages.values()) == {200}
    assert edited.status_code == 403
    plan.refresh_from_db()
    assert plan.weekdays == [1, 2, 3, 4, 5]


def test_a_curator_retires_a_course_but_cannot_change_its_seats(world: AfterschoolWorld) -> None:
    course = b.school_course(world, b.category(world).pk)
    response = admin_client().post(
        f"/admin/afterschool/menucourse/{course.pk}/change/",
        {
            "title": "校园足球（暂停）",
            "description": "",
            "venue": "操场",
            "staff": "张老师",
            "status": "retired",
            "capacity": 99,
        },
    )
    assert response.status_code == 302
    course = MenuCourse.objects.get(pk=course.pk)
    assert (course.title, course.status, course.capacity) == ("校园足球（暂停）", "retired", 30)
    # and a retired course can no longer be ordered
    with pytest.raises(NotFound):
        plans.offering_create(actor=world.leader, plan_id=b.make_plan(world).pk, course_id=course.pk, slots=[(1, 2)])
