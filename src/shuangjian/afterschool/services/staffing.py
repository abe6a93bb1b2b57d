"""Staffing (issue 3, item 5): a school leader assigns the school's staff, or named external staff, to a plan's
blocks per weekday, with a class or an offering. Nobody serves two duties in one block of one weekday."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shuangjian.afterschool import rules_money
from shuangjian.afterschool.errors import AfterschoolError, afterschool_error
from shuangjian.afterschool.lock_objects import plan_for_update
from shuangjian.afterschool.models import Offering
from shuangjian.afterschool.models_staffing import StaffDuty
from shuangjian.afterschool.selectors import offering_slots, plan_blocks, plan_get, plan_list
from shuangjian.afterschool.selectors_staffing import school_staff
from shuangjian.afterschool.services.common import raise_unless, text
from shuangjian.afterschool.services.plans import PLAN_MANAGE
from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import SchoolClass

_NAME_MAX = StaffDuty._meta.get_field("external_name").max_length or 0
_PROVIDER_MAX = StaffDuty._meta.get_field("external_provider").max_length or 0
_QUALIFICATION_MAX = StaffDuty._meta.get_field("external_qualification").max_length or 0


@transaction.atomic(durable=True)
def duty_assign(
    *,
    actor: Any,
    plan_id: int,
    weekday: int,
    block_number: int,
    staff_id: int | None = None,
    external_name: str = "",
    external_provider: str = "",
    external_qualification: str = "",
    class_id: int | None = None,
    offering_id: int | None = None,
) -> StaffDuty:
    """Put one person on block `block_number` of every `weekday` of the plan's term."""
    visible = plan_get(actor=actor, plan_id=plan_id)
    access.require(actor, PLAN_MANAGE, visible.school)
    plan = plan_for_update(visible.pk).get()
    name, provider = external_name.strip(), external_provider.strip()
    raise_unless(rules_money.check_duty_person(staff_id is not None, name, provider))
    if weekday not in plan.weekdays:
        raise afterschool_error(AfterschoolError.NOT_A_SERVICE_DAY, weekday=weekday)
    if block_number not in {b.number for b in plan_blocks(plan)}:
        raise afterschool_error(AfterschoolError.NO_SUCH_BLOCK, block=block_number)
    duty = StaffDuty(plan=plan, school=plan.school, weekday=weekday, block_number=block_number, created_by=actor)
    same_block = StaffDuty.objects.filter(plan=plan, weekday=weekday, block_number=block_number)
    if staff_id is not None:
        staff = school_staff(plan.school_id).filter(pk=staff_id).first()
        if staff is None:
            raise afterschool_error(AfterschoolError.NOT_SCHOOL_STAFF)
        booked, who = same_block.filter(staff=staff).exists(), str(staff)
        duty.staff = staff
    else:
        duty.external_name = text(name, _("校外人员姓名"), _NAME_MAX)
        duty.external_provider = text(provider, _("所属单位"), _PROVIDER_MAX)
        duty.external_qualification = text(external_qualification, _("资质"), _QUALIFICATION_MAX, required=False)
        booked, who = same_block.filter(external_name=name, external_provider=provider).exists(), name
    if booked:
        raise afterschool_error(AfterschoolError.DOUBLE_BOOKED, name=who, weekday=weekday, block=block_number)
    if class_id is not None:
        school_class = SchoolClass.objects.filter(pk=class_id, school_id=plan.school_id).first()
        if school_class is None:
            raise afterschool_error(AfterschoolError.DUTY_CLASS)
        duty.school_class = school_class
    if offering_id is not None:
        offering = Offering.objects.prefetch_related("slots").filter(pk=offering_id, plan=plan).first()
        if offering is None or (weekday, block_number) not in offering_slots(offering):
            raise afterschool_error(AfterschoolError.DUTY_OFFERING, weekday=weekday, block=block_number)
        duty.offering = offering
    duty.full_clean(validate_constraints=False)
    duty.save()
    return duty


@transaction.atomic(durable=True)
def duty_remove(*, actor: Any, duty_id: int) -> bool:
    """Take a duty off the plan; a missing duty and one in a school out of reach look the same."""
    duty = StaffDuty.objects.filter(plan__in=plan_list(actor=actor), pk=duty_id).select_related("school").first()
    if duty is None:
        raise NotFound("duty")
    access.require(actor, PLAN_MANAGE, duty.school)
    duty.delete()
    return True
