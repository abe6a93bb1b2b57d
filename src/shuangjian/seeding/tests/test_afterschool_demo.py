"""The demo's after-school step (seeding/afterschool.py): a drawn plan at 商丘市第一实验小学 the demo logins can see."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shuangjian.afterschool.models import AllocationRun, AssignmentStatus, Enrolment, MenuCourse, ServicePlan
from shuangjian.core.models import GuardianLink
from shuangjian.seeding.afterschool import DEMO_SEED, SEED_SOURCE
from shuangjian.seeding.presets import Preset
from shuangjian.seeding.run import seed_database


@pytest.mark.django_db
def test_demo_has_a_drawn_plan_with_the_parents_choices() -> None:
    # when: the demo is seeded on a school day of the 2026 autumn term
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        seed_database(preset=Preset.DEMO, seed=1)
    # then: one plan, at the leader's school, drawn with the published seed
    plan = ServicePlan.objects.select_related("school").get()
    assert plan.school.name == "商丘市第一实验小学"
    run = AllocationRun.objects.get()
    assert (run.seed, run.seed_source, run.run_by.username) == (DEMO_SEED, SEED_SOURCE, "leader")
    assert MenuCourse.objects.filter(school__isnull=True).count() == 4
    assert plan.offerings.count() == 12
    # the parent's grade-4 child chose three courses and holds a seat; the grade-2 child is left to sign up
    older, younger = (
        GuardianLink.objects.filter(guardian__user__username="parent")
        .order_by("-student__school_class__grade")
        .values_list("student_id", flat=True)
    )
    mine = Enrolment.objects.get(student_id=older)
    assert mine.consent_by.username == "parent" and mine.preferences.count() == 3
    assert mine.assignments.filter(status=AssignmentStatus.ASSIGNED).count() == 1
    assert not Enrolment.objects.filter(student_id=younger).exists()
    # about nine in ten pupils signed up
    pupils = plan.school.students.count()
    assert 0.8 * pupils < Enrolment.objects.count() < pupils
