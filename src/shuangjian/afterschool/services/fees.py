"""Fees (issue 3, item 6; POLICY.md A8, A11): a school leader publishes the plan's per-term fee (0: free service)
within the region's limits, grants waivers to families in need with a reason only the school sees, and records
who has paid. No money moves here, and nothing is collected through parent committees: the school records."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.afterschool import rules_money
from shuangjian.afterschool.errors import AfterschoolError, afterschool_error
from shuangjian.afterschool.lock_objects import enrolment_for_update, plan_for_update
from shuangjian.afterschool.models import Enrolment, EnrolmentStatus
from shuangjian.afterschool.models_fees import FeeRecord, FeeSchedule, FeeWaiver, WaiverCategory
from shuangjian.afterschool.selectors import enrolment_get, plan_get
from shuangjian.afterschool.selectors_staffing import plan_class_hours, plan_fee_limits
from shuangjian.afterschool.services.common import choice, raise_unless, text
from shuangjian.core import access
from shuangjian.core.models import Role

FEE_MANAGE = access.register_action("afterschool.fee_manage", [Role.SCHOOL_LEADER])
_ITEMS_MAX = 2000
_FUNDING_MAX = FeeSchedule._meta.get_field("funding_note").max_length or 0
_REASON_MAX = 500
_NOTE_MAX = FeeRecord._meta.get_field("note").max_length or 0


@transaction.atomic(durable=True)
def fee_set(*, actor: Any, plan_id: int, fee_fen_per_term: int, items: str, funding_note: str = "") -> FeeSchedule:
    """Publish (or change) the plan's fee per student per term, checked against the region's limits (A11)."""
    visible = plan_get(actor=actor, plan_id=plan_id)
    access.require(actor, FEE_MANAGE, visible.school)
    plan = plan_for_update(visible.pk).get()
    hours = plan_class_hours(plan)
    raise_unless(rules_money.check_fee(fee_fen_per_term, hours, plan_fee_limits(plan)))
    schedule, _created = FeeSchedule.objects.update_or_create(
        plan=plan,
        defaults={
            "school": plan.school,
            "fee_fen_per_term": fee_fen_per_term,
            "class_hours": hours,
            "items": text(items, _("收费项目及标准"), _ITEMS_MAX, required=fee_fen_per_term > 0),
            "funding_note": text(funding_note, _("经费来源说明"), _FUNDING_MAX, required=False),
            "set_by": actor,
            "set_at": timezone.now(),
        },
    )
    return schedule


def _enrolment(actor: Any, enrolment_id: int) -> tuple[Enrolment, FeeSchedule]:
    visible = enrolment_get(actor=actor, enrolment_id=enrolment_id)
    access.require(actor, FEE_MANAGE, visible.school)
    enrolment = enrolment_for_update(visible.pk).select_related("plan").get()
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise afterschool_error(AfterschoolError.NOT_ENROLLED)
    schedule = FeeSchedule.objects.filter(plan_id=enrolment.plan_id).first()
    if schedule is None:
        raise afterschool_error(AfterschoolError.NO_FEE)
    return enrolment, schedule


@transaction.atomic(durable=True)
def waiver_grant(
    *, actor: Any, enrolment_id: int, category: str, reason: str, waived_fen: int | None = None
) -> FeeWaiver:
    """Reduce or waive (default: the whole fee) the term's fee of a family in need (A8)."""
    enrolment, schedule = _enrolment(actor, enrolment_id)
    amount = schedule.fee_fen_per_term if waived_fen is None else waived_fen
    raise_unless(rules_money.check_waiver(amount, schedule.fee_fen_per_term))
    clean_category = choice(category, WaiverCategory.values, _("困难类别"))
    clean_reason = text(reason, _("减免理由"), _REASON_MAX)
    if FeeWaiver.objects.filter(enrolment=enrolment).exists():
        raise afterschool_error(AfterschoolError.WAIVER_EXISTS)
    waiver = FeeWaiver(
        enrolment=enrolment,
        school_id=enrolment.school_id,
        school_class_id=enrolment.school_class_id,
        student_id=enrolment.student_id,
        category=clean_category,
        waived_fen=amount,
        reason=clean_reason,
        approved_by=actor,
        approved_at=timezone.now(),
    )
    waiver.full_clean(validate_constraints=False)
    waiver.save()
    return waiver


@transaction.atomic(durable=True)
def payment_record(*, actor: Any, enrolment_id: int, paid: bool, note: str = "") -> FeeRecord:
    """Record whether the family has paid what it owes this term (the latest record holds, with who made it)."""
    enrolment, schedule = _enrolment(actor, enrolment_id)
    waiver = FeeWaiver.objects.filter(enrolment=enrolment).first()
    due = rules_money.amount_due(schedule.fee_fen_per_term, waiver.waived_fen if waiver else 0)
    record, _created = FeeRecord.objects.update_or_create(
        enrolment=enrolment,
        defaults={
            "school_id": enrolment.school_id,
            "school_class_id": enrolment.school_class_id,
            "student_id": enrolment.student_id,
            "paid": paid,
            "amount_fen": due,
            "note": text(note, _("备注"), _NOTE_MAX, required=False),
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    return record
