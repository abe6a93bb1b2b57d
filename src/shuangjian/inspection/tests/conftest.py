"""The inspection world on top of training's (training/tests/conftest.py: 商丘市 with 梁园区 and 民权县, their bureaus,
an inspector of 梁园区, 启明 in 梁园区 run by `operator`, 博雅 in 民权县; time frozen on Monday 2026-09-07 09:00):
the city's checklist of two items, one item of 梁园区's own, a second inspector of 梁园区, and a city campaign for
September. `strict` publishes the city's local profile: two inspectors and 15 days to rectify."""

from dataclasses import dataclass
from datetime import date

import pytest

from shuangjian.core.models import Role, User
from shuangjian.core.tests import factories as f
from shuangjian.inspection.models import Campaign, ChecklistItem
from shuangjian.inspection.services import planning
from shuangjian.policy.services import profile_publish
from shuangjian.training.tests.conftest import TrainingWorld, clock, world

__all__ = ["InspectionWorld", "clock", "inspection", "strict", "world"]


@dataclass
class InspectionWorld:
    base: TrainingWorld
    weekend: ChecklistItem  # city item
    hours: ChecklistItem  # city item
    fees: ChecklistItem  # 梁园区's own
    colleague: User
    campaign: Campaign

    @property
    def items(self) -> list[ChecklistItem]:
        return [self.weekend, self.hours, self.fees]


def _item(actor: User, region_code: str, code: str, text: str) -> ChecklistItem:
    return planning.checklist_item_add(
        actor=actor, draft=planning.ItemDraft(region_code, code, text, "双减意见", "serious")
    )


@pytest.fixture
def inspection(world: TrainingWorld) -> InspectionWorld:
    city = world.city_bureau
    colleague = f.named_user("梁园区督查员二")
    f.assign(colleague, Role.INSPECTOR, region=world.liangyuan)
    campaign = planning.campaign_create(
        actor=city,
        draft=planning.CampaignDraft(
            "秋季专项整治", world.city.code, date(2026, 9, 1), date(2026, 9, 30), ("academic",), 2
        ),
    )
    return InspectionWorld(
        base=world,
        weekend=_item(city, world.city.code, "T5", "休息日开展学科类培训"),
        hours=_item(city, world.city.code, "T7", "线下培训晚于20:30结束"),
        fees=_item(world.county_bureau, world.liangyuan.code, "LY1", "未公示收费标准"),
        colleague=colleague,
        campaign=campaign,
    )


@pytest.fixture
def strict(inspection: InspectionWorld) -> InspectionWorld:
    values = {"inspection.min_inspectors": 2, "inspection.rectify_max_days": 15}
    profile_publish(
        actor=inspection.base.city_bureau, region=inspection.base.city, effective_from=date(2026, 9, 1), values=values
    )
    return inspection
