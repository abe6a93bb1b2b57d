"""Row locks for after-school writes (STYLE.md 9). Every seat change of a plan (the allocation run, a placement,
a withdrawal and the promotions it sets off) first locks the plan row, so one plan's seats move one change at a
time; a guardian's choices lock their enrolment row. Evaluate these inside the transaction."""

from django.db.models import QuerySet

from shuangjian.afterschool.models import Enrolment, Offering, ServicePlan
from shuangjian.core.models import School, Student


def school_for_update(school_id: int) -> QuerySet[School]:
    """Serialises creating a school's plans (one per term)."""
    return School.objects.select_for_update().filter(pk=school_id)


def student_for_update(student_id: int) -> QuerySet[Student]:
    """Serialises a child's sign-ups (two guardians may press the button at once)."""
    return Student.objects.select_for_update().filter(pk=student_id).select_related("school_class")


def plan_for_update(plan_id: int) -> QuerySet[ServicePlan]:
    return ServicePlan.objects.select_for_update().filter(pk=plan_id).select_related("school", "term")


def enrolment_for_update(enrolment_id: int) -> QuerySet[Enrolment]:
    return Enrolment.objects.select_for_update().filter(pk=enrolment_id)


def offerings_for_update(plan_id: int) -> QuerySet[Offering]:
    """The plan's offerings (their seat counters), locked in id order."""
    return Offering.objects.select_for_update().filter(plan_id=plan_id).order_by("pk")
