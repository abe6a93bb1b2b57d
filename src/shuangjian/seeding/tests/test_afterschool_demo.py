"""The demo's after-school step (seeding/afterschool.py): a drawn plan at 商丘市第一实验小学 the demo logins can see."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shuangjian.afterschool import selectors_staffing
from shuangjian.afterschool.models import AllocationRun, AssignmentStatus, Enrolment, MenuCourse, ServicePlan
from shuangjian.afterschool.models_survey import SurveyAnswer
from shuangjian.afterschool.services import survey
from shuangjian.core.models import GuardianLink, User
from shuangjian.seeding.afterschool import DEMO_SEED, SEED_SOURCE
from shuangjian.seeding.presets import Preset
from shuangjian.seeding.run import seed_database
from shuangjian.training.selectors import approved_non_academic


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
    brought_in = MenuCourse.objects.get(provider_kind="institution")  # from the training registry
    assert approved_non_academic(brought_in.provider_credit_code) is not None
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
    # staffing, fees and the survey (seeding/afterschool_operations.py): the busy teacher stands out, the fee is
    # within the city's published limit, a few families are waived, and the demo parent has not answered yet
    leader = User.objects.get(username="leader")
    staffing_view = selectors_staffing.staffing(actor=leader, plan_id=plan.pk)
    busiest = staffing_view.people[0]
    assert busiest.outlier and busiest.name == str(User.objects.get(username="demo_afterschool_teacher_1"))
    book = selectors_staffing.fee_book(actor=leader, plan_id=plan.pk)
    assert book.schedule is not None and book.limit_fen is not None
    assert book.schedule.fee_fen_per_term == 30000 <= book.limit_fen
    assert book.waived > 0 and book.paid > book.unpaid
    assert SurveyAnswer.objects.filter(plan=plan).count() > 100
    parent = User.objects.get(username="parent")
    assert not survey.survey_answered(actor=parent, student_id=older, plan_id=plan.pk)
