"""What the inspection services share: the actions, the region a write belongs to, text and choice checks, the
policy values, and the refusal of a rule."""

from datetime import date
from typing import Any

from django.utils.functional import Promise

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region, RegionLevel, Role
from shuangjian.inspection import rules
from shuangjian.inspection.errors import InspectionError, inspection_error
from shuangjian.policy.selectors import effective_profile

CHECKLIST_MANAGE = access.register_action("inspection.checklist_manage", [Role.BUREAU])
CAMPAIGN_MANAGE = access.register_action("inspection.campaign_manage", [Role.BUREAU])
INSPECT = access.register_action("inspection.inspect", [Role.BUREAU, Role.INSPECTOR])
ORDER_REPORT = access.register_action("inspection.order_report", [Role.INSTITUTION_OPERATOR])
CASE_MANAGE = access.register_action("inspection.case_manage", [Role.BUREAU, Role.INSPECTOR])


def region_of(code: str) -> Region:
    region = Region.objects.select_related("parent__parent").filter(code=code).first()
    if region is None:
        raise NotFound("region")
    return region


def city_or_county(region: Region) -> tuple[Region | None, Region, Region]:
    """(county or None, city, province) of a city or a county."""
    if region.level == RegionLevel.COUNTY and region.parent is not None and region.parent.parent is not None:
        return region, region.parent, region.parent.parent
    if region.level == RegionLevel.CITY and region.parent is not None:
        return None, region, region.parent
    raise inspection_error(InspectionError.NOT_A_CITY_OR_COUNTY, region=region.name)


def county_chain(county: Region) -> tuple[Region, Region, Region]:
    county_, city, province = city_or_county(county)
    if county_ is None:
        raise inspection_error(InspectionError.NOT_A_CITY_OR_COUNTY, region=county.name)
    return county_, city, province


def text(value: str, label: str | Promise, max_length: int, *, required: bool = True) -> str:
    clean = value.strip()
    if (required and not clean) or len(clean) > max_length:
        raise inspection_error(InspectionError.TEXT_REQUIRED, field=label, max=max_length)
    return clean


def choice(value: str, allowed: Any, label: str | Promise) -> str:
    if value not in allowed:
        raise inspection_error(InspectionError.INVALID_CHOICE, field=label, value=value)
    return value


def policy_int(county: Region, on: date, key: str) -> int | None:
    value = effective_profile(county, on).get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def raise_refusal(refusal: rules.Refusal | None) -> None:
    if refusal is not None:
        raise inspection_error(refusal.code, **refusal.params)
