"""Attendance (考勤) for a block on a service date, the whole roster in one request, and absences guardians report
beforehand (请假).

Taking attendance marks every student of the roster (present, late, absent, excused) in one statement; taking it
again replaces the earlier marks (idempotent). A student who is not on the roster, a student listed twice or left
out, a block or date without service, or a date still to come refuses the whole submission: nothing is saved.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.afterschool.errors import AfterschoolError, afterschool_error
from shuangjian.afterschool.models import (
    AbsenceReport,
    AttendanceRecord,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    Offering,
    PlanBlock,
    ServicePlan,
)
from shuangjian.afterschool.selectors_attendance import (
    check_session,
    class_block_on,
    class_for_attendance,
    class_students,
    offering_for_attendance,
    offering_students,
    plan_on,
)
from shuangjian.afterschool.services.common import choice, text
from shuangjian.core import access
from shuangjian.core.errors import DomainError, NotFound
from shuangjian.core.models import Role, SchoolClass, Student

ABSENCE_REPORT = access.register_action("afterschool.absence_report", [Role.GUARDIAN])
MAX_ABSENCE_DAYS = 31  # input sanity: one report covers at most about a month
_REASON_MAX = AbsenceReport._meta.get_field("reason").max_length or 0
_STATUSES = frozenset(AttendanceStatus.values)


@dataclass(frozen=True, slots=True)
class Mark:
    student_id: int
    status: str


@dataclass(frozen=True, slots=True)
class TakenRoster:
    plan: ServicePlan
    day: date
    block: PlanBlock
    school_class: SchoolClass | None
    offering: Offering | None
    records: list[AttendanceRecord]

    def count(self, status: str) -> int:
        return sum(1 for r in self.records if r.status == status)


def _check_marks(students: list[Student], marks: Sequence[Mark]) -> dict[int, str]:
    on_roster = {s.pk for s in students}
    given: dict[int, str] = {}
    for mark in marks:
        choice(mark.status, _STATUSES, _("出勤情况"))
        if mark.student_id in given:
            raise afterschool_error(AfterschoolError.DUPLICATE_MARK, student=mark.student_id)
        given[mark.student_id] = mark.status
    strangers = sorted(set(given) - on_roster)
    if strangers:
        raise afterschool_error(AfterschoolError.NOT_ON_ROSTER, students=", ".join(map(str, strangers)))
    left_out = [s.name for s in students if s.pk not in given]
    if left_out:
        raise afterschool_error(AfterschoolError.ROSTER_INCOMPLETE, count=len(left_out), names="、".join(left_out))
    return given


def _not_in_future(day: date) -> None:
    if day > timezone.localdate():
        raise afterschool_error(AfterschoolError.ATTENDANCE_IN_FUTURE, date=day)


def _save(
    *,
    actor: Any,
    plan: ServicePlan,
    day: date,
    block: PlanBlock,
    students: list[Student],
    marks: Sequence[Mark],
    offering: Offering | None,
) -> list[AttendanceRecord]:
    given = _check_marks(students, marks)
    offering_id = None if offering is None else offering.pk
    now = timezone.now()
    rows = [
        AttendanceRecord(
            plan_id=plan.pk,
            school_id=plan.school_id,
            school_class_id=s.school_class_id,
            student_id=s.pk,
            day=day,
            block_number=block.number,
            offering_id=offering_id,
            status=given[s.pk],
            absence_id=getattr(s, "reported_absence_id", None),
            marked_by_id=actor.pk,
            marked_at=now,
        )
        for s in students
    ]
    return AttendanceRecord.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["student", "day", "block_number"],
        update_fields=["plan", "school_class", "offering", "status", "absence", "marked_by", "marked_at"],
    )


@transaction.atomic(durable=True)
def class_attendance_take(
    *, actor: Any, class_id: int, day: date, block_number: int, marks: Sequence[Mark]
) -> TakenRoster:
    """A homework-guidance or care block of a class: its head teacher, one of its teachers or a school leader
    marks every enrolled student of the class."""
    school_class = class_for_attendance(actor=actor, class_id=class_id)
    plan, block = class_block_on(school_class.school_id, day, block_number)
    _not_in_future(day)
    students = class_students(plan, school_class, day)
    records = _save(actor=actor, plan=plan, day=day, block=block, students=students, marks=marks, offering=None)
    return TakenRoster(plan, day, block, school_class, None, records)


@transaction.atomic(durable=True)
def offering_attendance_take(
    *, actor: Any, offering_id: int, day: date, block_number: int, marks: Sequence[Mark]
) -> TakenRoster:
    """An activities block: a teacher of the school or a school leader marks every seat holder of the course."""
    offering = offering_for_attendance(actor=actor, offering_id=offering_id)
    plan = (
        ServicePlan.objects.select_related("school", "term")
        .prefetch_related("blocks", "dates")
        .get(pk=offering.plan_id)
    )
    block = check_session(offering, plan, day, block_number)
    _not_in_future(day)
    students = offering_students(offering, day)
    records = _save(actor=actor, plan=plan, day=day, block=block, students=students, marks=marks, offering=offering)
    return TakenRoster(plan, day, block, None, offering, records)


@transaction.atomic(durable=True)
def absence_report(*, actor: Any, student_id: int, start: date, end: date, reason: str) -> AbsenceReport:
    """A guardian reports beforehand that their own child will miss the service from `start` to `end` (within the
    term of a plan the child takes part in). Another family's child and a missing one look the same."""
    if not access.can(actor, ABSENCE_REPORT, Student(pk=student_id)):
        raise NotFound("student")
    today = timezone.localdate()
    if end < start or end - start >= timedelta(days=MAX_ABSENCE_DAYS):
        raise afterschool_error(AfterschoolError.ABSENCE_RANGE, max=MAX_ABSENCE_DAYS)
    if start < today:
        raise afterschool_error(AfterschoolError.ABSENCE_IN_PAST, today=today)
    clean_reason = text(reason, _("请假原因"), _REASON_MAX)
    student = Student.objects.select_related("school_class").get(pk=student_id)
    try:
        plan = plan_on(student.school_id, start)
    except DomainError as exc:
        raise afterschool_error(AfterschoolError.NOT_SIGNED_UP, date=start) from exc
    term = plan.term
    if end > term.end_date:
        raise afterschool_error(AfterschoolError.OUTSIDE_TERM, date=end, start=term.start_date, end=term.end_date)
    if not Enrolment.objects.filter(plan=plan, student=student, status=EnrolmentStatus.ACTIVE).exists():
        raise afterschool_error(AfterschoolError.NOT_SIGNED_UP, date=start)
    report = AbsenceReport(
        plan=plan,
        school_id=student.school_id,
        school_class_id=student.school_class_id,
        student=student,
        start_date=start,
        end_date=end,
        reason=clean_reason,
        reported_by=actor,
        reported_at=timezone.now(),
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic(durable=True)
def absence_cancel(*, actor: Any, absence_id: int) -> AbsenceReport | None:
    """A guardian takes back an absence report of their own child from today on: a report not yet begun goes
    away (None), one under way ends yesterday. A report already over cannot be taken back."""
    report = AbsenceReport.objects.select_for_update().filter(pk=absence_id).first()
    if report is None or not access.can(actor, ABSENCE_REPORT, Student(pk=report.student_id)):
        raise NotFound("absence")
    today = timezone.localdate()
    if report.end_date < today:
        raise afterschool_error(AfterschoolError.ABSENCE_OVER)
    if report.start_date >= today:
        report.delete()
        return None
    report.end_date = today - timedelta(days=1)
    report.save(update_fields=["end_date"])
    return report
