"""Complaints about homework load: a guardian files, the school answers; unanswered in the policy's time, the
bureau of the county gets it. Every status change writes a HomeworkComplaintEvent in the same transaction."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role, Student
from shuangjian.core.references import random_code, save_with_new_reference
from shuangjian.homework import rules
from shuangjian.homework.errors import HomeworkError, homework_error
from shuangjian.homework.lock_objects import complaint_for_update, overdue_complaints_for_update
from shuangjian.homework.models import ComplaintParty, ComplaintStatus, HomeworkComplaint, HomeworkComplaintEvent
from shuangjian.homework.selectors_complaints import complaint_for_handling
from shuangjian.policy import rules as policy_rules
from shuangjian.policy.selectors import effective_profile_for_school

COMPLAIN = access.register_action("homework.complain", [Role.GUARDIAN])
RESPOND = {
    ComplaintParty.SCHOOL: access.register_action("homework.complaint_respond_school", [Role.SCHOOL_LEADER]),
    ComplaintParty.BUREAU: access.register_action("homework.complaint_respond_bureau", [Role.BUREAU, Role.INSPECTOR]),
}


def _raise_unless(decision: rules.Decision) -> None:
    if not decision.ok:
        raise homework_error(decision.code, **decision.params)


def _event(
    complaint: HomeworkComplaint, at: datetime, actor: Any, party: str, from_status: str, note: str = ""
) -> HomeworkComplaintEvent:
    return HomeworkComplaintEvent(
        complaint=complaint,
        at=at,
        actor=actor,
        party=party,
        from_status=from_status,
        to_status=complaint.status,
        note=note,
    )


@transaction.atomic(durable=True)
def complaint_file(
    *,
    actor: Any,
    student_id: int,
    text: str,
    period_start: date | None = None,
    period_end: date | None = None,
) -> HomeworkComplaint:
    """A guardian complains about the homework load of their child's class. The school must answer within the
    policy's days (homework.complaint_response_days); without that number the complaint never escalates."""
    if not access.can(actor, COMPLAIN, Student(pk=student_id)):
        raise NotFound("student")  # another family's child and a missing one look the same
    now = timezone.now()
    _raise_unless(rules.check_text(text, HomeworkError.COMPLAINT_TEXT_INVALID))
    _raise_unless(rules.check_complaint_period(period_start, period_end, timezone.localdate(now)))
    student = Student.objects.select_related("school").get(pk=student_id)
    profile = effective_profile_for_school(student.school, timezone.localdate(now))
    complaint = HomeworkComplaint(
        student=student,
        school=student.school,
        school_class_id=student.school_class_id,
        filed_by=actor,
        text=text.strip(),
        period_start=period_start,
        period_end=period_end,
        status=ComplaintStatus.OPEN,
        filed_at=now,
        respond_by=rules.response_deadline(now, policy_rules.complaint_response_days(profile)),
    )
    complaint.full_clean(exclude=["reference"])
    save_with_new_reference(complaint, "reference", lambda: random_code(rules.REFERENCE_LENGTH))
    _event(complaint, now, actor, ComplaintParty.GUARDIAN, "").save()
    return complaint


@transaction.atomic(durable=True)
def complaint_respond(*, actor: Any, reference: str, response: str, close: bool = False) -> HomeworkComplaint:
    """The school (or, once escalated, the bureau) answers a complaint, or closes it with a last answer."""
    found, party = complaint_for_handling(actor=actor, reference=reference)
    access.require(actor, RESPOND[party], found)
    _raise_unless(rules.check_text(response, HomeworkError.RESPONSE_REQUIRED))
    complaint = complaint_for_update(found.pk).select_related("school", "school_class", "student").get()
    _raise_unless(rules.check_respond(complaint.status))
    now = timezone.now()
    old_status = complaint.status
    complaint.status = rules.respond_status(close)
    complaint.response = response.strip()
    complaint.responded_by = actor
    complaint.responded_at = now
    complaint.save(update_fields=["status", "response", "responded_by", "responded_at"])
    _event(complaint, now, actor, party, old_status, complaint.response).save()
    return complaint


@transaction.atomic(durable=True)
def escalate_overdue_complaints(
    *, now: datetime, region_code: str | None = None, dry_run: bool = False
) -> list[HomeworkComplaint]:
    """Send every open complaint past its answer time (optionally only a region's) to the bureau. Returns them;
    with `dry_run`, changes nothing."""
    overdue = [
        c for c in overdue_complaints_for_update(now, region_code) if rules.is_overdue(c.status, c.respond_by, now)
    ]
    if dry_run or not overdue:
        return overdue
    HomeworkComplaint.objects.filter(pk__in=[c.pk for c in overdue]).update(
        status=ComplaintStatus.ESCALATED, escalated_at=now
    )
    for complaint in overdue:
        complaint.status, complaint.escalated_at = ComplaintStatus.ESCALATED, now
    HomeworkComplaintEvent.objects.bulk_create(
        _event(c, now, None, ComplaintParty.PLATFORM, ComplaintStatus.OPEN) for c in overdue
    )
    return overdue
