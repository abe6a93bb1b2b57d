"""Field inspections: an inspector records what was found at an institution's site or at an address, item by item
against the county's checklist, with the colleagues present; an inspection with failed items can issue an order to
rectify. Institutions are on the public registry, so addressing one outside the actor's region is refused (403)
rather than hidden."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region, User
from shuangjian.inspection import rules, selectors
from shuangjian.inspection.errors import InspectionError, inspection_error
from shuangjian.inspection.models import (
    Campaign,
    Finding,
    Inspection,
    InspectionKind,
    OrderEvent,
    OrderStatus,
    RectificationOrder,
    Result,
)
from shuangjian.inspection.services.common import INSPECT, county_chain, policy_int, raise_refusal, region_of, text
from shuangjian.training.models import Institution, Site

MIN_INSPECTORS = "inspection.min_inspectors"
RECTIFY_MAX_DAYS = "inspection.rectify_max_days"


@dataclass(frozen=True, slots=True)
class InspectionDraft:
    inspected_on: date
    results: Mapping[int, tuple[str, str]]  # checklist item id -> (result, note)
    institution_id: int | None = None
    site_id: int | None = None  # which of the institution's sites (else the one at `address`, if any)
    county_code: str = ""  # an address inspection's county (an institution's is its own)
    address: str = ""
    campaign_id: int | None = None
    case_id: int | None = None
    co_inspector_ids: tuple[int, ...] = ()
    note: str = ""


def _institution(actor: Any, institution_id: int) -> Institution:
    institution = Institution.objects.select_related("county", "city", "province").filter(pk=institution_id).first()
    if institution is None:
        raise NotFound("institution")
    access.require(actor, INSPECT, institution)
    return institution


def _campaign(actor: Any, campaign_id: int, county: Region, on: date) -> Campaign:
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    if campaign.county_id not in (None, county.code) or campaign.city_id != county.parent_id:
        raise NotFound("campaign")
    if not campaign.starts_on <= on <= campaign.ends_on:
        raise inspection_error(InspectionError.CAMPAIGN_NOT_RUNNING, date=on.isoformat(), campaign=campaign.name)
    return campaign


def co_inspectors(actor: Any, county: Region, ids: Iterable[int], on: date) -> list[User]:
    """The colleagues present, each allowed to inspect in the county; with the actor at least the region's minimum."""
    wanted = {pk for pk in ids if pk != actor.pk}
    found = list(selectors.region_inspectors(county).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise inspection_error(InspectionError.UNKNOWN_INSPECTOR)
    raise_refusal(rules.inspectors_refusal(1 + len(found), policy_int(county, on, MIN_INSPECTORS)))
    return found


def save_inspection(
    actor: Any, inspection: Inspection, colleagues: list[User], results: Mapping[int, tuple[str, str]]
) -> Inspection:
    inspection.full_clean()
    inspection.save()
    inspection.co_inspectors.set(colleagues)
    Finding.objects.bulk_create(
        Finding(inspection=inspection, item_id=item_id, result=result, note=text(note, _("说明"), 500, required=False))
        for item_id, (result, note) in sorted(results.items())
    )
    return inspection


def _site(institution: Institution | None, site_id: int | None) -> Site | None:
    """The named site, which must be one of the inspected institution's."""
    if site_id is None:
        return None
    site = institution.sites.filter(pk=site_id).first() if institution is not None else None
    if site is None:
        raise inspection_error(InspectionError.UNKNOWN_SITE)
    return site


@transaction.atomic(durable=True)
def inspection_record(*, actor: Any, draft: InspectionDraft) -> Inspection:
    """Record a field inspection with a result for every active item of the county's checklist."""
    institution = _institution(actor, draft.institution_id) if draft.institution_id is not None else None
    site = _site(institution, draft.site_id)
    if institution is not None:
        county, city, province = institution.county, institution.city, institution.province
        default = site.address if site is not None else institution.address or institution.name
        address = text(draft.address or default, _("检查地点"), 200)
        site = site or institution.sites.filter(address=address).order_by("pk").first()
    else:
        if not draft.county_code or not draft.address.strip():
            raise inspection_error(InspectionError.SUBJECT_REQUIRED)
        county, city, province = county_chain(region_of(draft.county_code))
        access.require_region(actor, INSPECT, county)
        address = text(draft.address, _("检查地点"), 200)
    if draft.inspected_on > timezone.localdate():
        raise inspection_error(InspectionError.FUTURE_DATE)
    campaign = _campaign(actor, draft.campaign_id, county, draft.inspected_on) if draft.campaign_id else None
    case = selectors.case_get(actor=actor, case_id=draft.case_id) if draft.case_id and not institution else None
    colleagues = co_inspectors(actor, county, draft.co_inspector_ids, draft.inspected_on)
    checklist = [item.pk for item in selectors.county_checklist(county)]
    raise_refusal(rules.checklist_refusal(checklist, {k: r for k, (r, _note) in draft.results.items()}))
    inspection = Inspection(
        kind=InspectionKind.ROUTINE,
        campaign=campaign,
        institution=institution,
        case=case,
        site=site,
        address=address,
        county=county,
        city=city,
        province=province,
        inspected_on=draft.inspected_on,
        recorded_by=actor,
        note=text(draft.note, _("检查情况"), 2000, required=False),
    )
    return save_inspection(actor, inspection, colleagues, draft.results)


@transaction.atomic(durable=True)
def order_issue(
    *, actor: Any, inspection_id: int, requirements: str, deadline: date | None = None
) -> RectificationOrder:
    """Order the inspected institution to rectify the failed items by a deadline (the region's days by default)."""
    inspection = selectors.inspection_get(actor=actor, inspection_id=inspection_id)
    access.require(actor, INSPECT, inspection)
    institution = inspection.institution
    if institution is None or inspection.kind != InspectionKind.ROUTINE:
        raise inspection_error(InspectionError.NOT_AN_INSTITUTION)
    if not any(finding.result == Result.FAIL for finding in inspection.findings.all()):
        raise inspection_error(InspectionError.NO_FAILED_ITEMS)
    if RectificationOrder.objects.filter(inspection=inspection).exists():
        raise inspection_error(InspectionError.ORDER_EXISTS)
    today = timezone.localdate()
    due = rules.order_deadline(today, policy_int(inspection.county, today, RECTIFY_MAX_DAYS), deadline)
    if isinstance(due, rules.Refusal):
        raise inspection_error(due.code, **due.params)
    order = RectificationOrder(
        inspection=inspection,
        institution=institution,
        county_id=inspection.county_id,
        city_id=inspection.city_id,
        province_id=inspection.province_id,
        requirements=text(requirements, _("整改要求"), 2000),
        issued_on=today,
        deadline=due,
        issued_by=actor,
    )
    order.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:  # issued concurrently
        raise inspection_error(InspectionError.ORDER_EXISTS) from None
    OrderEvent.objects.create(order=order, to_status=OrderStatus.ISSUED, actor=actor, at=timezone.now())
    return order
