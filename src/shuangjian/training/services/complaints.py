"""Complaints come in (投诉举报): anyone files one from the public page without signing in, or an inspector or the
bureau records a hotline hand-over (12345 / 12315) with the hotline's own reference number. Either way the complaint
gets a reference number to follow it, deadlines in working days from the region's policy profile, and its first
event. A complainant who wants a reply leaves a mobile number, stored protected (core.protect) and shown masked to
supervisors only. What happens next is in complaint_handling.py."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access, protect
from shuangjian.core.errors import CoreError, DomainError, NotFound
from shuangjian.core.identity import IdentifierError, validate_phone
from shuangjian.core.models import Region, RegionLevel
from shuangjian.core.references import random_code, save_with_new_reference
from shuangjian.policy.selectors import effective_profile
from shuangjian.training import rules, selectors_complaints
from shuangjian.training.errors import TrainingError, training_error
from shuangjian.training.models import Complaint, ComplaintChannel, ComplaintEvent, ComplaintEventKind, Institution
from shuangjian.training.services.common import COMPLAINT_HANDLE, choice, text

HOTLINES = (ComplaintChannel.HOTLINE_12345, ComplaintChannel.HOTLINE_12315)


@dataclass(frozen=True, slots=True)
class ComplaintDraft:
    county_code: str
    institution_name: str
    content: str
    credit_code: str = ""
    wants_reply: bool = False
    contact_name: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class HotlineDraft:
    """A hotline hand-over: the hotline, its work-order number and when the hotline received the call."""

    channel: str
    hotline_reference: str
    received_at: datetime
    complaint: ComplaintDraft
    institution_address: str = ""


def hotline_draft(fields: dict[str, Any]) -> HotlineDraft:
    """A hand-over from flat form or API fields (the hotline's own, plus a ComplaintDraft's)."""
    data = dict(fields)
    return HotlineDraft(
        channel=data.pop("channel"),
        hotline_reference=data.pop("hotline_reference"),
        received_at=data.pop("received_at"),
        institution_address=data.pop("institution_address", ""),
        complaint=ComplaintDraft(**data),
    )


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


def _new_complaint(draft: ComplaintDraft, channel: str, received_at: datetime) -> Complaint:
    """The complaint from a draft, checked but not saved, with its deadlines counted from `received_at`."""
    county, city, province = _county(draft.county_code)
    code = draft.credit_code.strip().upper()
    institution = Institution.objects.filter(credit_code=code).first() if code else None
    name = draft.institution_name.strip() or (institution.name if institution is not None else "")
    phone = _phone(draft.phone)
    if draft.wants_reply and not phone:
        raise training_error(TrainingError.CONTACT_REQUIRED)
    protected = protect.protect_phone(phone) if phone else None
    received_on = timezone.localdate(received_at)
    triage_days, resolve_days = rules.complaint_deadline_days(effective_profile(county, received_on))
    return Complaint(
        channel=channel,
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
        received_at=received_at,
        triage_due_on=selectors_complaints.working_days_after(received_on, triage_days),
        resolve_due_on=selectors_complaints.working_days_after(received_on, resolve_days),
    )


def _save_with_reference(complaint: Complaint, actor: Any) -> Complaint:
    """Save under a fresh reference number (TS, the day received, six random symbols) and write the filing event.
    A hotline work order recorded twice at once fails on its own unique rule, as IntegrityError."""
    complaint.full_clean(exclude=["reference"], validate_unique=False, validate_constraints=False)
    day = f"TS{timezone.localtime(complaint.received_at):%Y%m%d}"
    save_with_new_reference(complaint, "reference", lambda: day + random_code(6))
    ComplaintEvent.objects.create(
        complaint=complaint, kind=ComplaintEventKind.FILED, to_status=complaint.status, actor=actor, at=timezone.now()
    )
    return complaint


@transaction.atomic(durable=True)
def complaint_file(*, draft: ComplaintDraft) -> Complaint:
    """File a complaint from the public web page; returns it with its reference number."""
    return _save_with_reference(_new_complaint(draft, ComplaintChannel.WEB, timezone.now()), None)


@transaction.atomic(durable=True)
def complaint_intake_hotline(*, actor: Any, draft: HotlineDraft) -> Complaint:
    """Record a complaint handed over by the 12345 or 12315 hotline (inspectors and the bureau of its county)."""
    channel = choice(draft.channel, HOTLINES, _("转办热线"))
    hotline_reference = draft.hotline_reference.strip().upper()
    if not hotline_reference or len(hotline_reference) > 32:
        raise training_error(TrainingError.NOT_A_HOTLINE)
    if draft.received_at > timezone.now():
        raise training_error(TrainingError.BAD_RECEIVED_AT)
    complaint = _new_complaint(draft.complaint, channel, draft.received_at)
    access.require_region(actor, COMPLAINT_HANDLE, complaint.county)
    complaint.hotline_reference = hotline_reference
    complaint.institution_address = text(draft.institution_address, _("被投诉机构地址"), 200, required=False)
    duplicate = Complaint.objects.filter(channel=channel, hotline_reference=hotline_reference).exists()
    if duplicate:
        raise training_error(
            TrainingError.DUPLICATE_HOTLINE_REFERENCE,
            channel_label=ComplaintChannel(channel).label,
            hotline_reference=hotline_reference,
        )
    try:
        with transaction.atomic():
            return _save_with_reference(complaint, actor)
    except IntegrityError:  # the same work order recorded at the same moment by someone else
        raise training_error(
            TrainingError.DUPLICATE_HOTLINE_REFERENCE,
            channel_label=ComplaintChannel(channel).label,
            hotline_reference=hotline_reference,
        ) from None
