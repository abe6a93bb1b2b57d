"""The registry: a bureau registers an institution, keeps its data, moves its licence through its lifecycle
(applied → approved → suspended → cancelled), converts an academic institution to non-academic, records its
supervised account and sanctions it. Every change is an InstitutionEvent written in the same transaction."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.core.errors import CoreError, DomainError, NotFound
from shuangjian.core.identity import IdentifierError, validate_credit_code
from shuangjian.core.models import Region, RegionLevel
from shuangjian.training import rules
from shuangjian.training.errors import TrainingError, training_error
from shuangjian.training.models import (
    Complaint,
    Course,
    CourseStatus,
    EventKind,
    Institution,
    InstitutionKind,
    InstitutionNameGram,
    LicenceStatus,
    NonAcademicCategory,
    PartnerDepartment,
    Sanction,
    SanctionKind,
    TrainingMode,
)
from shuangjian.training.services.common import REGISTRY_MANAGE, choice, locked_institution, raise_finding, record, text

_ACTION_EVENTS = {
    rules.LicenceAction.APPROVE: EventKind.APPROVED,
    rules.LicenceAction.SUSPEND: EventKind.SUSPENDED,
    rules.LicenceAction.REINSTATE: EventKind.REINSTATED,
    rules.LicenceAction.CANCEL: EventKind.CANCELLED,
}
_EDITABLE = ("name", "legal_representative", "address", "mode", "category")


@dataclass(frozen=True, slots=True)
class InstitutionDraft:
    credit_code: str
    name: str
    kind: str
    mode: str
    county_code: str
    legal_representative: str
    category: str = ""
    address: str = ""


def credit_code_checked(raw: str) -> str:
    try:
        return validate_credit_code(raw)
    except IdentifierError:
        message = _("统一社会信用代码不正确，请核对后重新填写。")
        raise DomainError(CoreError.INVALID_CREDIT_CODE, message, {"field": "credit_code"}) from None


def _category(kind: str, category: str) -> str:
    if kind == InstitutionKind.ACADEMIC:
        if category:
            raise training_error(TrainingError.CATEGORY_REQUIRED)
        return ""
    if not category:
        raise training_error(TrainingError.CATEGORY_REQUIRED)
    return choice(category, NonAcademicCategory.values, _("非学科类别"))


def _county(code: str) -> tuple[Region, Region, Region]:
    """The county with its city and province."""
    region = Region.objects.select_related("parent__parent").filter(code=code).first()
    if region is None:
        raise NotFound("region")
    city = region.parent
    province = city.parent if city is not None else None
    if region.level != RegionLevel.COUNTY or city is None or province is None:
        raise training_error(TrainingError.NOT_A_COUNTY, region=region.name)
    return region, city, province


@transaction.atomic(durable=True)
def institution_register(*, actor: Any, draft: InstitutionDraft) -> Institution:
    """A bureau enters an institution in its region's registry; its licence starts as applied."""
    county, city, province = _county(draft.county_code)
    access.require_region(actor, REGISTRY_MANAGE, county)
    kind = choice(draft.kind, InstitutionKind.values, _("机构类型"))
    credit_code = credit_code_checked(draft.credit_code)
    if Institution.objects.filter(credit_code=credit_code).exists():
        raise training_error(TrainingError.DUPLICATE_CREDIT_CODE, credit_code=credit_code)
    institution = Institution(
        credit_code=credit_code,
        name=text(draft.name, _("机构名称"), 128),
        kind=kind,
        category=_category(kind, draft.category),
        mode=choice(draft.mode, TrainingMode.values, _("培训形式")),
        county=county,
        city=city,
        province=province,
        legal_representative=text(draft.legal_representative, _("法定代表人"), 64),
        address=text(draft.address, _("注册地址"), 200, required=False),
    )
    institution.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            institution.save()
    except IntegrityError:  # registered concurrently by another request
        raise training_error(TrainingError.DUPLICATE_CREDIT_CODE, credit_code=credit_code) from None
    InstitutionNameGram.reindex([institution])
    record(institution, EventKind.REGISTERED, actor, to_status=institution.licence_status)
    return institution


@transaction.atomic(durable=True)
def institution_update(*, actor: Any, institution_id: int, changes: dict[str, str], reason: str = "") -> Institution:
    """A bureau corrects registry data (name, legal representative, address, mode, non-academic category)."""
    institution = locked_institution(actor, REGISTRY_MANAGE, institution_id)
    clean: dict[str, str] = {}
    for field, value in changes.items():
        choice(field, _EDITABLE, _("登记事项"))
        if field == "name":
            clean[field] = text(value, _("机构名称"), 128)
        elif field == "legal_representative":
            clean[field] = text(value, _("法定代表人"), 64)
        elif field == "address":
            clean[field] = text(value, _("注册地址"), 200, required=False)
        elif field == "mode":
            clean[field] = choice(value, TrainingMode.values, _("培训形式"))
        else:
            clean[field] = _category(institution.kind, value)
    changed = {f: [getattr(institution, f), v] for f, v in clean.items() if getattr(institution, f) != v}
    if not changed:
        return institution
    for field, (_old, new) in changed.items():
        setattr(institution, field, new)
    fields = [*changed, "updated_at"]
    institution.full_clean(validate_unique=False)
    institution.save(update_fields=fields)
    if "name" in changed:
        InstitutionNameGram.reindex([institution])
    record(institution, EventKind.UPDATED, actor, reason=text(reason, _("原因"), 500, required=False), detail=changed)
    return institution


@transaction.atomic(durable=True)
def licence_change(
    *, actor: Any, institution_id: int, action: str, reason: str = "", licence_number: str = ""
) -> Institution:
    """Approve, suspend, reinstate or cancel a licence. Approval needs the licence number; the others a reason."""
    chosen = rules.LicenceAction(choice(action, [a.value for a in rules.LicenceAction], _("许可操作")))
    institution = locked_institution(actor, REGISTRY_MANAGE, institution_id)
    outcome = rules.licence_next_status(institution.licence_status, chosen)
    if isinstance(outcome, rules.Finding):
        raise training_error(
            TrainingError.TRANSITION_NOT_ALLOWED,
            **outcome.params,
            status_label=LicenceStatus(institution.licence_status).label,
            action_label=action_label(chosen),
        )
    why = text(reason, _("原因"), 500, required=False)
    fields = ["licence_status", "updated_at"]
    if chosen is rules.LicenceAction.APPROVE:
        number = text(licence_number, _("办学许可证号"), 64, required=False)
        if not number:
            raise training_error(TrainingError.LICENCE_NUMBER_REQUIRED)
        institution.licence_number = number
        fields.append("licence_number")
    elif not why:
        raise training_error(TrainingError.REASON_REQUIRED)
    before = institution.licence_status
    institution.licence_status = outcome
    institution.save(update_fields=fields)
    detail = {"licence_number": institution.licence_number} if chosen is rules.LicenceAction.APPROVE else {}
    record(institution, _ACTION_EVENTS[chosen], actor, reason=why, from_status=before, to_status=outcome, detail=detail)
    return institution


def action_label(action: rules.LicenceAction) -> str:
    labels = {
        rules.LicenceAction.APPROVE: _("审批通过"),
        rules.LicenceAction.SUSPEND: _("暂停办学"),
        rules.LicenceAction.REINSTATE: _("恢复办学"),
        rules.LicenceAction.CANCEL: _("注销"),
    }
    return str(labels[action])


@transaction.atomic(durable=True)
def institution_convert(*, actor: Any, institution_id: int, category: str, reason: str) -> Institution:
    """学科类转非学科类: an academic institution without active academic courses becomes non-academic."""
    institution = locked_institution(actor, REGISTRY_MANAGE, institution_id)
    active = Course.objects.filter(
        institution=institution, status=CourseStatus.ACTIVE, subject__in=rules.ACADEMIC_SUBJECTS
    ).count()
    raise_finding(rules.conversion_refusal(institution.kind, institution.licence_status, active))
    why = text(reason, _("原因"), 500, required=False)
    if not why:
        raise training_error(TrainingError.REASON_REQUIRED)
    institution.kind = InstitutionKind.NON_ACADEMIC
    institution.category = _category(InstitutionKind.NON_ACADEMIC, category)
    institution.save(update_fields=["kind", "category", "updated_at"])
    record(
        institution,
        EventKind.CONVERTED,
        actor,
        reason=why,
        detail={"from": InstitutionKind.ACADEMIC.value, "to": institution.kind, "category": institution.category},
    )
    return institution


@transaction.atomic(durable=True)
def supervision_record(*, actor: Any, institution_id: int, bank: str, opened_on: date) -> Institution:
    """Record the custodian bank and opening date of the institution's supervised account (资金监管)."""
    institution = locked_institution(actor, REGISTRY_MANAGE, institution_id)
    institution.escrow_bank = text(bank, _("资金监管银行"), 128)
    institution.escrow_opened_on = opened_on
    institution.save(update_fields=["escrow_bank", "escrow_opened_on", "updated_at"])
    detail = {"bank": institution.escrow_bank, "opened_on": opened_on.isoformat()}
    record(institution, EventKind.SUPERVISION_RECORDED, actor, detail=detail)
    return institution


@dataclass(frozen=True, slots=True)
class SanctionDraft:
    kind: str
    reason: str
    authority: str
    starts_on: date
    ends_on: date | None = None
    partners: tuple[str, ...] = ()  # PartnerDepartment values: a joint sanction (联合惩戒) needs one at least
    measures: str = ""


@transaction.atomic(durable=True)
def sanction_add(*, actor: Any, institution_id: int, draft: SanctionDraft) -> Sanction:
    """Put an institution on the sanction list for a period (open-ended when `ends_on` is None)."""
    return sanction_create(actor=actor, institution_id=institution_id, draft=draft)


def sanction_create(
    *, actor: Any, institution_id: int, draft: SanctionDraft, complaint: Complaint | None = None
) -> Sanction:
    """The sanction and its registry event, inside the caller's transaction (sanction_add, or a joint sanction
    from a substantiated complaint)."""
    institution = locked_institution(actor, REGISTRY_MANAGE, institution_id)
    if draft.ends_on is not None and draft.ends_on < draft.starts_on:
        raise training_error(TrainingError.BAD_SANCTION_DATES)
    kind = choice(draft.kind, SanctionKind.values, _("惩戒类型"))
    partners = sorted({choice(p, PartnerDepartment.values, _("联合惩戒部门")) for p in draft.partners})
    if kind == SanctionKind.JOINT_SANCTION and not partners:
        raise training_error(TrainingError.PARTNERS_REQUIRED)
    sanction = Sanction(
        institution=institution,
        kind=kind,
        reason=text(draft.reason, _("事由"), 2000),
        authority=text(draft.authority, _("决定机关"), 128),
        starts_on=draft.starts_on,
        ends_on=draft.ends_on,
        decided_by=actor,
        partners=partners,
        measures=text(draft.measures, _("惩戒措施"), 2000, required=kind == SanctionKind.JOINT_SANCTION),
        complaint=complaint,
    )
    sanction.full_clean()
    sanction.save()
    detail: dict[str, Any] = {
        "sanction_id": sanction.pk,
        "kind": sanction.kind,
        "starts_on": draft.starts_on.isoformat(),
    }
    if complaint is not None:
        detail["complaint"] = complaint.reference
    record(institution, EventKind.SANCTIONED, actor, reason=sanction.reason, detail=detail)
    return sanction
