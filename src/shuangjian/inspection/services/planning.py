"""What a bureau plans: the checklist of banned practices its region inspects against, and its campaigns."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.inspection import rules, selectors
from shuangjian.inspection.errors import InspectionError, inspection_error
from shuangjian.inspection.models import Campaign, ChecklistItem, Severity, TargetKind
from shuangjian.inspection.services.common import (
    CAMPAIGN_MANAGE,
    CHECKLIST_MANAGE,
    choice,
    city_or_county,
    raise_refusal,
    region_of,
    text,
)


@dataclass(frozen=True, slots=True)
class ItemDraft:
    region_code: str
    code: str
    text: str
    legal_basis: str
    severity: str


@transaction.atomic(durable=True)
def checklist_item_add(*, actor: Any, draft: ItemDraft) -> ChecklistItem:
    """A city or county bureau adds a banned practice to its checklist (its counties inherit a city's items)."""
    region = region_of(draft.region_code)
    city_or_county(region)
    access.require_region(actor, CHECKLIST_MANAGE, region)
    code = text(draft.code, _("编号"), 16).upper()
    if ChecklistItem.objects.filter(region=region, code=code).exists():
        raise inspection_error(InspectionError.DUPLICATE_CODE, code=code)
    item = ChecklistItem(
        region=region,
        code=code,
        text=text(draft.text, _("检查事项"), 200),
        legal_basis=text(draft.legal_basis, _("依据"), 200),
        severity=choice(draft.severity, Severity.values, _("严重程度")),
    )
    item.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # added concurrently
        raise inspection_error(InspectionError.DUPLICATE_CODE, code=code) from None
    return item


@transaction.atomic(durable=True)
def checklist_item_set_active(*, actor: Any, item_id: int, active: bool) -> ChecklistItem:
    """Retire an item (or bring it back); past findings keep pointing at it."""
    item = selectors.checklist_item_get(actor=actor, item_id=item_id)
    access.require_region(actor, CHECKLIST_MANAGE, item.region)
    if item.active != active:
        item.active = active
        item.save(update_fields=["active"])
    return item


@dataclass(frozen=True, slots=True)
class CampaignDraft:
    name: str
    region_code: str
    starts_on: date
    ends_on: date
    target_kinds: tuple[str, ...]
    target_inspections: int


@transaction.atomic(durable=True)
def campaign_create(*, actor: Any, draft: CampaignDraft) -> Campaign:
    """A city or county bureau launches a special rectification campaign."""
    region = region_of(draft.region_code)
    county, city, province = city_or_county(region)
    access.require_region(actor, CAMPAIGN_MANAGE, region)
    kinds = tuple(choice(kind, TargetKind.values, _("整治对象")) for kind in draft.target_kinds)
    raise_refusal(rules.campaign_refusal(draft.starts_on, draft.ends_on, draft.target_inspections, kinds))
    campaign = Campaign(
        name=text(draft.name, _("名称"), 128),
        region=region,
        county=county,
        city=city,
        province=province,
        starts_on=draft.starts_on,
        ends_on=draft.ends_on,
        target_kinds=list(kinds),
        target_inspections=draft.target_inspections,
        created_by=actor,
    )
    campaign.full_clean()
    campaign.save()
    return campaign


@dataclass(frozen=True, slots=True)
class CampaignChanges:
    """What a bureau may correct in a campaign it launched: everything but the organising region."""

    name: str
    starts_on: date
    ends_on: date
    target_kinds: tuple[str, ...]
    target_inspections: int


def _managed_campaign(actor: Any, campaign_id: int) -> Campaign:
    """The campaign, locked, if the actor's bureau may manage it (NotFound outside their sight, else AccessDenied)."""
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    access.require_region(actor, CAMPAIGN_MANAGE, campaign.region)
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic(durable=True)
def campaign_update(*, actor: Any, campaign_id: int, changes: CampaignChanges, today: date | None = None) -> Campaign:
    """The bureau corrects a planned or running campaign: its name, period (the start date only until it starts),
    targets. An ended campaign stays as it was: its progress is a record."""
    campaign = _managed_campaign(actor, campaign_id)
    today = today or timezone.localdate()
    kinds = tuple(choice(kind, TargetKind.values, _("整治对象")) for kind in changes.target_kinds)
    raise_refusal(
        rules.campaign_change_refusal(campaign.starts_on, campaign.ends_on, changes.starts_on, changes.ends_on, today)
    )
    raise_refusal(rules.campaign_refusal(changes.starts_on, changes.ends_on, changes.target_inspections, kinds))
    campaign.name = text(changes.name, _("名称"), 128)
    campaign.starts_on, campaign.ends_on = changes.starts_on, changes.ends_on
    campaign.target_kinds, campaign.target_inspections = list(kinds), changes.target_inspections
    campaign.full_clean()
    campaign.save(update_fields=["name", "starts_on", "ends_on", "target_kinds", "target_inspections"])
    return campaign


@transaction.atomic(durable=True)
def campaign_close(*, actor: Any, campaign_id: int, today: date | None = None) -> Campaign:
    """The bureau ends a running campaign early: today becomes its last day. Its inspections so far keep counting;
    later ones no longer belong to it."""
    campaign = _managed_campaign(actor, campaign_id)
    today = today or timezone.localdate()
    raise_refusal(rules.campaign_close_refusal(campaign.starts_on, campaign.ends_on, today))
    campaign.ends_on = today
    campaign.save(update_fields=["ends_on"])
    return campaign
