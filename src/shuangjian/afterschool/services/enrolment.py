"""Voluntary enrolment (A5): a guardian signs their own child up for the term's service, with their consent
recorded (who, when), and ranks the activity offerings while the window is open. Every step writes an
EnrolmentEvent in the same transaction."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from shuangjian.afterschool import rules
from shuangjian.afterschool.errors import AfterschoolError, afterschool_error
from shuangjian.afterschool.lock_objects import enrolment_for_update, student_for_update
from shuangjian.afterschool.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    EventKind,
    Offering,
    Preference,
    ServicePlan,
)
from shuangjian.afterschool.selectors import enrolment_get, plan_get
from shuangjian.afterschool.services.common import raise_unless
from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role, Student

ENROL = access.register_action("afterschool.enrol", [Role.GUARDIAN])


def event(
    enrolment_id: int, kind: str, actor: Any, at: datetime, offering_id: int | None = None, **detail: object
) -> EnrolmentEvent:
    """An unsaved event row (callers save it, or bulk-create many)."""
    return EnrolmentEvent(
        enrolment_id=enrolment_id, offering_id=offering_id, kind=kind, actor=actor, at=at, detail=dict(detail)
    )


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


@transaction.atomic(durable=True)
def enrolment_sign_up(*, actor: Any, plan_id: int, student_id: int, consent: bool) -> Enrolment:
    """A guardian signs up their own child for a plan of the child's school. Another family's child and a missing
    one look the same (NotFound). Signing up again after withdrawing re-joins, with the new consent recorded."""
    if not access.can(actor, ENROL, Student(pk=student_id)):
        raise NotFound("student")
    plan = plan_get(actor=actor, plan_id=plan_id)
    if not consent:
        raise afterschool_error(AfterschoolError.CONSENT_REQUIRED)
    now = timezone.now()
    if timezone.localdate(now) > plan.term.end_date:
        raise afterschool_error(AfterschoolError.TERM_OVER)
    student = student_for_update(student_id).get()
    if student.school_id != plan.school_id:
        raise afterschool_error(AfterschoolError.NOT_THIS_SCHOOL)
    enrolment = Enrolment.objects.filter(plan=plan, student=student).first()
    if enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE:
        raise afterschool_error(AfterschoolError.ALREADY_ENROLLED)
    if enrolment is None:
        enrolment = Enrolment(
            plan=plan,
            student=student,
            school_id=student.school_id,
            school_class_id=student.school_class_id,
            consent_by=actor,
            consent_at=now,
        )
        enrolment.full_clean()
        enrolment.save()
    else:
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.consent_by, enrolment.consent_at = actor, now
        enrolment.withdrawn_by, enrolment.withdrawn_at = None, None
        enrolment.school_class_id = student.school_class_id
        enrolment.save(
            update_fields=["status", "consent_by", "consent_at", "withdrawn_by", "withdrawn_at", "school_class"]
        )
    event(enrolment.pk, EventKind.SIGNED_UP, actor, now).save()
    return enrolment


def _window(plan: ServicePlan, now: datetime) -> None:
    if not rules.window_open(now, plan.enrolment_opens_at, plan.enrolment_closes_at):
        raise afterschool_error(
            AfterschoolError.WINDOW_CLOSED,
            opens=_local(plan.enrolment_opens_at),
            closes=_local(plan.enrolment_closes_at),
        )


@transaction.atomic(durable=True)
def preferences_set(*, actor: Any, enrolment_id: int, offering_ids: Sequence[int]) -> Enrolment:
    """A guardian ranks offerings of the plan (first = most wanted), replacing the earlier list, while the window
    is open. Each must be open to the child's grade; ranking offerings that meet at the same time is fine (the
    allocation never gives two that clash)."""
    visible = enrolment_get(actor=actor, enrolment_id=enrolment_id)
    access.require(actor, ENROL, visible)
    enrolment = enrolment_for_update(visible.pk).select_related("plan", "school_class").get()
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise afterschool_error(AfterschoolError.NOT_ENROLLED)
    plan = enrolment.plan
    now = timezone.now()
    _window(plan, now)
    raise_unless(rules.check_preferences(list(offering_ids), plan.max_preferences))
    offerings = {o.pk: o for o in Offering.objects.filter(plan=plan, pk__in=offering_ids).select_related("course")}
    grade = enrolment.school_class.grade
    for offering_id in offering_ids:
        offering = offerings.get(offering_id)
        if offering is None:
            raise NotFound("offering")
        course = offering.course
        if not rules.grade_eligible(grade, course.grade_min, course.grade_max):
            raise afterschool_error(
                AfterschoolError.GRADE_NOT_ELIGIBLE, grade=grade, grade_min=course.grade_min, grade_max=course.grade_max
            )
    enrolment.preferences.all().delete()
    Preference.objects.bulk_create(
        Preference(enrolment=enrolment, offering_id=offering_id, rank=rank)
        for rank, offering_id in enumerate(offering_ids, start=1)
    )
    event(enrolment.pk, EventKind.PREFERENCES_SET, actor, now, offerings=list(offering_ids)).save()
    return enrolment
