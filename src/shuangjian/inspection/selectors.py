"""Inspection reads. Supervisors (bureau staff, inspectors) reach the campaigns, inspections, orders and unlicensed
cases of their region (core.access through each model's scope); a county's staff also see the campaigns and the
checklist their city set. An institution's operator reaches the inspections and orders of its own institution,
and the checklist it is inspected against."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region, RegionLevel, Role, RoleAssignment, User
from shuangjian.inspection import rules
from shuangjian.inspection.models import (
    Campaign,
    CaseStatus,
    ChecklistItem,
    Finding,
    Inspection,
    OrderStatus,
    RectificationOrder,
    Result,
    UnlicensedCase,
)
from shuangjian.training.models import Institution

SUPERVISORS = (Role.BUREAU, Role.INSPECTOR)


def _supervised_regions(actor: Any) -> list[Region]:
    return [a.region for a in access.assignments(actor) if a.role in SUPERVISORS and a.region is not None]


def _ancestor_codes(actor: Any) -> set[str]:
    """The codes of the actor's supervised regions and of every region above them."""
    codes: set[str] = set()
    for region in _supervised_regions(actor):
        codes.update(access.region_ancestry(region))
    return codes


def _region_rows(actor: Any, model: type[Campaign] | type[UnlicensedCase]) -> Q:
    return access.visible(actor, model, SUPERVISORS)


# The checklist


def _checklist_q(actor: Any) -> Q:
    """Items of a region the actor supervises, above it or below it; an operator's: its institutions' county and
    city."""
    own = {r.code for r in _supervised_regions(actor)}
    q = Q(region_id__in=_ancestor_codes(actor)) | Q(region__parent_id__in=own)
    institutions = Institution.objects.filter(access.visible(actor, Institution, [Role.INSTITUTION_OPERATOR]))
    regions = {code for pair in institutions.values_list("county_id", "city_id") for code in pair}
    return q | Q(region_id__in=regions) if regions else q


def checklist_list(*, actor: Any, active_only: bool = False) -> QuerySet[ChecklistItem]:
    qs = ChecklistItem.objects.filter(_checklist_q(actor)).select_related("region")
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("region_id", "code", "pk")


def checklist_item_get(*, actor: Any, item_id: int) -> ChecklistItem:
    item = ChecklistItem.objects.filter(_checklist_q(actor), pk=item_id).select_related("region").first()
    if item is None:
        raise NotFound("checklist_item")
    return item


def county_checklist(county: Region) -> list[ChecklistItem]:
    """The active checklist a county inspects against: its city's items first, then its own, in the order added."""
    codes = access.region_ancestry(county)
    items = ChecklistItem.objects.filter(region_id__in=codes, active=True).select_related("region")
    depth = {code: level for level, code in enumerate(reversed(codes))}
    return sorted(items, key=lambda item: (depth[item.region_id], item.pk))


def region_inspectors(county: Region) -> QuerySet[User]:
    """The users who may inspect in the county: its inspectors and bureau staff, and those of the regions above."""
    users = RoleAssignment.objects.filter(role__in=SUPERVISORS, region_id__in=access.region_ancestry(county))
    return User.objects.filter(pk__in=users.values("user_id")).order_by("display_name", "username")


def colleagues(actor: Any) -> QuerySet[User]:
    """Users who may join the actor's inspections: supervisors of the actor's regions, above them or below them."""
    own = {r.code for r in _supervised_regions(actor)}
    rows = RoleAssignment.objects.filter(role__in=SUPERVISORS).filter(
        Q(region_id__in=_ancestor_codes(actor)) | Q(region__parent_id__in=own)
    )
    return User.objects.filter(pk__in=rows.values("user_id")).exclude(pk=actor.pk).order_by("display_name", "pk")


def supervised_regions(actor: Any) -> list[Region]:
    """The cities and counties the actor supervises and the counties below them, by code."""
    own = {r.code for r in _supervised_regions(actor)}
    q = Q(code__in=own) | Q(parent_id__in=own, level=RegionLevel.COUNTY)
    return list(Region.objects.filter(q, level__in=[RegionLevel.CITY, RegionLevel.COUNTY]).order_by("code"))


# Campaigns


def campaign_list(*, actor: Any) -> QuerySet[Campaign]:
    q = _region_rows(actor, Campaign) | Q(region_id__in=_ancestor_codes(actor))
    return Campaign.objects.filter(q).select_related("region").order_by("-starts_on", "-pk")


def campaign_get(*, actor: Any, campaign_id: int) -> Campaign:
    campaign = campaign_list(actor=actor).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound("campaign")
    return campaign


def campaign_counties(actor: Any, campaign: Campaign) -> list[Region]:
    """The counties of the campaign the actor covers, by code."""
    if campaign.county_id is not None:
        counties = Region.objects.filter(pk=campaign.county_id)
    else:
        counties = Region.objects.filter(parent_id=campaign.region_id, level=RegionLevel.COUNTY)
    return [county for county in counties.select_related("parent__parent").order_by("code") if _covers(actor, county)]


def _covers(actor: Any, county: Region) -> bool:
    return access.covers_region(actor, county, SUPERVISORS)


def campaign_progress(*, actor: Any, campaign_id: int) -> tuple[Campaign, list[rules.CountyProgress]]:
    campaign = campaign_get(actor=actor, campaign_id=campaign_id)
    counties = campaign_counties(actor, campaign)
    inspections = Inspection.objects.filter(access.visible(actor, Inspection, SUPERVISORS), campaign=campaign)
    done = dict(inspections.values_list("county_id").annotate(n=Count("pk")).order_by())
    failed_rows = Finding.objects.filter(inspection__in=inspections, result=Result.FAIL)
    failed = dict(failed_rows.values_list("inspection__county_id").annotate(n=Count("pk")).order_by())
    order_rows = RectificationOrder.objects.filter(inspection__in=inspections)
    orders = {
        (county, status): n
        for county, status, n in order_rows.values_list("county_id", "status").annotate(n=Count("pk")).order_by()
    }
    names = [(county.code, county.name) for county in counties]
    return campaign, rules.campaign_progress(names, campaign.target_inspections, done, failed, orders)


# Inspections


def inspection_list(*, actor: Any, campaign_id: int | None = None) -> QuerySet[Inspection]:
    qs = Inspection.objects.filter(access.visible(actor, Inspection)).select_related(
        "institution", "county", "campaign"
    )
    if campaign_id is not None:
        qs = qs.filter(campaign_id=campaign_id)
    return qs.annotate(failed=Count("findings", filter=Q(findings__result=Result.FAIL))).order_by(
        "-inspected_on", "-pk"
    )


def inspection_get(*, actor: Any, inspection_id: int) -> Inspection:
    findings = Prefetch("findings", queryset=Finding.objects.select_related("item").order_by("item__code", "pk"))
    inspection = (
        Inspection.objects.filter(access.visible(actor, Inspection), pk=inspection_id)
        .select_related("institution", "site", "county", "campaign", "recorded_by", "case")
        .prefetch_related(findings, "co_inspectors")
        .first()
    )
    if inspection is None:
        raise NotFound("inspection")
    return inspection


def order_of(inspection: Inspection) -> RectificationOrder | None:
    return RectificationOrder.objects.filter(inspection=inspection).first()


# Orders to rectify


def order_list(*, actor: Any, overdue_on: date | None = None, status: str = "") -> QuerySet[RectificationOrder]:
    """The orders the actor reaches; `overdue_on`: only those issued and past their deadline on that day."""
    qs = RectificationOrder.objects.filter(access.visible(actor, RectificationOrder)).select_related(
        "institution", "county"
    )
    if overdue_on is not None:
        qs = qs.filter(status=OrderStatus.ISSUED, deadline__lt=overdue_on)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("deadline", "pk")


def order_get(*, actor: Any, order_id: int) -> RectificationOrder:
    order = (
        RectificationOrder.objects.filter(access.visible(actor, RectificationOrder), pk=order_id)
        .select_related("institution", "county", "inspection", "follow_up", "issued_by")
        .prefetch_related("events__actor")
        .first()
    )
    if order is None:
        raise NotFound("order")
    return order


def failed_findings(order: RectificationOrder) -> list[Finding]:
    return list(
        Finding.objects.filter(inspection_id=order.inspection_id, result=Result.FAIL)
        .select_related("item")
        .order_by("item__code", "pk")
    )


# Unlicensed training


def case_list(*, actor: Any, status: str = "") -> QuerySet[UnlicensedCase]:
    qs = UnlicensedCase.objects.filter(_region_rows(actor, UnlicensedCase)).select_related("county")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-reported_at", "-pk")


def case_get(*, actor: Any, case_id: int) -> UnlicensedCase:
    case = (
        UnlicensedCase.objects.filter(_region_rows(actor, UnlicensedCase), pk=case_id).select_related("county").first()
    )
    if case is None:
        raise NotFound("case")
    return case


@dataclass(frozen=True, slots=True)
class CaseCounts:
    county_name: str
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def case_counts(*, actor: Any) -> list[CaseCounts]:
    """Cases per county and status, for the counties the actor reaches."""
    rows = case_list(actor=actor).values_list("county__name", "status").annotate(n=Count("pk")).order_by()
    counts: dict[str, Counter[str]] = {}
    for name, status, n in rows:
        counts.setdefault(name, Counter())[status] = n
    return [CaseCounts(name, {status: counts[name][status] for status in CaseStatus.values}) for name in sorted(counts)]
