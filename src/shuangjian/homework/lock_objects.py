"""Row locks for homework writes: the class row serialises cap checks for one class; a complaint row serialises
its answers and its escalation."""

from datetime import date, datetime

from django.db.models import Q, QuerySet

from shuangjian.core.models import SchoolClass
from shuangjian.homework.models import ClassDayRollup, ComplaintStatus, HomeworkComplaint, HomeworkFeedback


def class_for_update(class_id: int) -> QuerySet[SchoolClass]:
    return SchoolClass.objects.select_for_update().filter(pk=class_id).select_related("school")


def feedback_for_update(student_id: int, day: date) -> QuerySet[HomeworkFeedback]:
    return HomeworkFeedback.objects.select_for_update().filter(student_id=student_id, date=day)


def rollups_for_update(class_id: int, days: list[date]) -> QuerySet[ClassDayRollup]:
    return ClassDayRollup.objects.select_for_update().filter(school_class_id=class_id, date__in=days).order_by("pk")


def complaint_for_update(complaint_id: int) -> QuerySet[HomeworkComplaint]:
    """One complaint, locked: an answer and the escalation sweep never both move it."""
    return HomeworkComplaint.objects.select_for_update().filter(pk=complaint_id)


def overdue_complaints_for_update(now: datetime, region_code: str | None = None) -> QuerySet[HomeworkComplaint]:
    """Open complaints past their answer time (optionally of one region's schools), locked in id order."""
    overdue = HomeworkComplaint.objects.select_for_update(of=("self",)).filter(
        status=ComplaintStatus.OPEN, respond_by__lt=now
    )
    if region_code is not None:
        overdue = overdue.filter(
            Q(school__county_id=region_code) | Q(school__city_id=region_code) | Q(school__province_id=region_code)
        )
    return overdue.select_related("school").order_by("pk")
