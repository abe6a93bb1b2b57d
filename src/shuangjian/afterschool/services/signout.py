"""放学签离: the end of a child's service day. A teacher signs the child out to one of the child's registered
guardians (core.GuardianLink), or lets the child leave alone where a guardian has recorded that permission;
anyone else is refused. The minutes after the end of the child's block are kept as the late pick-up record.

Guardians record (or withdraw) the leave-alone permission for their own child.
"""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuangjian.afterschool.errors import AfterschoolError, afterschool_error
from shuangjian.afterschool.models import Enrolment, EnrolmentStatus, LeaveAlonePermission, SignOut
from shuangjian.afterschool.selectors_attendance import (
    guardians_of,
    leave_alone_allowed,
    plan_block,
    plan_on,
    service_day,
)
from shuangjian.core import access
from shuangjian.core.errors import AccessDenied, NotFound
from shuangjian.core.models import Role, Student

SIGN_OUT = access.register_action("afterschool.sign_out", [Role.SCHOOL_LEADER, Role.TEACHER, Role.HEAD_TEACHER])
LEAVE_ALONE_SET = access.register_action("afterschool.leave_alone_set", [Role.GUARDIAN])


def minutes_after(end: datetime, at: datetime) -> int:
    """Whole minutes from `end` to `at`; 0 when on time or early."""
    return max(int((at - end).total_seconds()) // 60, 0)


def _student_for_sign_out(actor: Any, student_id: int) -> Student:
    student = Student.objects.filter(access.visible(actor, Student), pk=student_id).first()
    if student is None:
        raise NotFound("student")
    if not access.can(actor, SIGN_OUT, student):
        raise AccessDenied(SIGN_OUT)
    return student


@transaction.atomic(durable=True)
def sign_out(
    *,
    actor: Any,
    student_id: int,
    day: date,
    block_number: int,
    guardian_id: int | None,
    leave_alone: bool,
    at: datetime | None = None,
) -> SignOut:
    """Record who took the child after block `block_number` on `day`, at `at` (default now). Recording the same
    day again corrects the earlier record."""
    student = _student_for_sign_out(actor, student_id)
    plan = plan_on(student.school_id, day)
    service_day(plan, day)
    block = plan_block(plan, block_number)
    now = timezone.now()
    moment = at or now
    if timezone.localdate(moment) != day or moment > now:
        raise afterschool_error(AfterschoolError.SIGN_OUT_TIME, date=day)
    if not Enrolment.objects.filter(plan=plan, student=student, status=EnrolmentStatus.ACTIVE).exists():
        raise afterschool_error(AfterschoolError.NOT_SIGNED_UP, date=day)
    if (guardian_id is None) == (not leave_alone):
        raise afterschool_error(AfterschoolError.SIGN_OUT_WHO)
    if guardian_id is not None and not guardians_of(student.pk).filter(guardian_id=guardian_id).exists():
        raise afterschool_error(AfterschoolError.NOT_A_GUARDIAN)
    if leave_alone and not leave_alone_allowed(student.pk):
        raise afterschool_error(AfterschoolError.LEAVE_ALONE_NOT_ALLOWED)
    end = timezone.make_aware(datetime.combine(day, block.end_time))
    record, _created = SignOut.objects.update_or_create(
        student=student,
        day=day,
        defaults={
            "plan": plan,
            "school_id": student.school_id,
            "school_class_id": student.school_class_id,
            "block_number": block.number,
            "guardian_id": guardian_id,
            "leave_alone": leave_alone,
            "signed_out_at": moment,
            "minutes_late": minutes_after(end, moment),
            "recorded_by": actor,
        },
    )
    return record


@transaction.atomic(durable=True)
def leave_alone_set(*, actor: Any, student_id: int, allowed: bool) -> LeaveAlonePermission:
    """A guardian records whether their own child may leave alone after the service (the latest choice holds)."""
    if not access.can(actor, LEAVE_ALONE_SET, Student(pk=student_id)):
        raise NotFound("student")
    student = Student.objects.get(pk=student_id)
    permission, _created = LeaveAlonePermission.objects.update_or_create(
        student=student,
        defaults={
            "school_id": student.school_id,
            "school_class_id": student.school_class_id,
            "allowed": allowed,
            "set_by": actor,
            "set_at": timezone.now(),
        },
    )
    return permission
