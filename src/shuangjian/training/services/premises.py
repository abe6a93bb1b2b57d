"""Sites and staff: the bureau or the institution's own operator records its training sites (with their area, which
caps an offline session, T10) and its staff (teaching staff of academic training with their teacher
qualification, T9)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shuangjian.training import rules
from shuangjian.training.errors import TrainingError, training_error
from shuangjian.training.models import EventKind, InstitutionKind, InstitutionStaff, Site
from shuangjian.training.services.common import PREMISES_MANAGE, locked_institution, raise_finding, record, text

MAX_SITE_AREA = 1_000_000  # input sanity: square metres


@transaction.atomic(durable=True)
def site_add(*, actor: Any, institution_id: int, address: str, area_square_metres: int) -> Site:
    institution = locked_institution(actor, PREMISES_MANAGE, institution_id)
    if not 1 <= area_square_metres <= MAX_SITE_AREA:
        raise training_error(TrainingError.BAD_AREA, max=MAX_SITE_AREA)
    site = Site(institution=institution, address=text(address, _("地址"), 200), area_square_metres=area_square_metres)
    site.full_clean()
    site.save()
    detail = {"site_id": site.pk, "address": site.address, "area_square_metres": area_square_metres}
    record(institution, EventKind.SITE_ADDED, actor, detail=detail)
    return site


@transaction.atomic(durable=True)
def staff_add(
    *, actor: Any, institution_id: int, name: str, teaches: bool, qualification_number: str = ""
) -> InstitutionStaff:
    institution = locked_institution(actor, PREMISES_MANAGE, institution_id)
    number = text(qualification_number, _("教师资格证书编号"), 32, required=False)
    raise_finding(rules.staff_refusal(institution.kind == InstitutionKind.ACADEMIC, teaches, number))
    member = InstitutionStaff(
        institution=institution, name=text(name, _("姓名"), 64), teaches=teaches, qualification_number=number
    )
    member.full_clean()
    member.save()
    record(institution, EventKind.STAFF_ADDED, actor, detail={"staff_id": member.pk, "teaches": teaches})
    return member
