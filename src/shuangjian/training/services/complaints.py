"""Complaints from the public (投诉举报): anyone files one without signing in and gets a reference number to follow
it. A complainant who wants a reply leaves a mobile number, stored protected (core.protect) and never shown back.
Triage, assignment, investigation and resolution by inspectors are later work (issue 4, item 4)."""

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.core import protect
from shuangjian.core.errors import CoreError, DomainError, NotFound
from shuangjian.core.identity import IdentifierError, validate_phone
from shuangjian.core.models import Region, RegionLevel
from shuangjian.training.errors import TrainingError, training_error
from shuangjian.training.models import Complaint, ComplaintChannel, Institution
from shuangjian.training.services.common import text

_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I: read aloud over the phone
_REFERENCE_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class ComplaintDraft:
    county_code: str
    institution_name: str
    content: str
    credit_code: str = ""
    wants_reply: bool = False
    contact_name: str = ""
    phone: str = ""


def _reference(now: Any) -> str:
    return f"TS{now:%Y%m%d}" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


def _county(code: str) -> tuple[Region, Region, Region]:
    region = Region.objects.select_related("parent__parent").filter(code=code, level=RegionLevel.COUNTY).first()
    city = region.parent if region is not None else None
    province = city.parent if city is not None else None
    if region is None or city is None or province is None:
        raise NotFound("region")
    return region, city, province


def _phone(raw: str) -> str:
    if not raw.strip():
        return ""
    try:
        return validate_phone(raw)
    except IdentifierError:
        raise DomainError(
            CoreError.INVALID_PHONE, _("手机号不正确，请填写 11 位手机号。"), {"field": "phone"}
        ) from None


@transaction.atomic(durable=True)
def complaint_file(*, draft: ComplaintDraft) -> Complaint:
    """File a complaint from the public web page; returns it with its reference number."""
    county, city, province = _county(draft.county_code)
    code = draft.credit_code.strip().upper()
    institution = Institution.objects.filter(credit_code=code).first() if code else None
    name = draft.institution_name.strip() or (institution.name if institution is not None else "")
    phone = _phone(draft.phone)
    if draft.wants_reply and not phone:
        raise training_error(TrainingError.CONTACT_REQUIRED)
    protected = protect.protect_phone(phone) if phone else None
    now = timezone.now()
    complaint = Complaint(
        channel=ComplaintChannel.WEB,
        county=county,
        city=city,
        province=province,
        institution=institution,
        institution_name=text(name, _("被投诉机构名称"), 128),
        content=text(draft.content, _("投诉内容"), 2000),
        wants_reply=draft.wants_reply,
        contact_name=text(draft.contact_name, _("联系人"), 64, required=False),
        phone_digest=protected.digest if protected else "",
        phone_masked=protected.masked if protected else "",
        phone_cipher=protected.cipher if protected else "",
        received_at=now,
    )
    for _attempt in range(_REFERENCE_ATTEMPTS):
        complaint.reference = _reference(timezone.localtime(now))
        complaint.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                complaint.save()
        except IntegrityError:
            complaint.pk = None
            continue
        return complaint
    raise RuntimeError("no free complaint reference after several attempts")
