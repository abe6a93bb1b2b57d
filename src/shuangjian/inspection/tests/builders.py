"""Builders for inspection tests: state is made through the services, as an inspector and an operator would."""

from datetime import date
from typing import Any

from shuangjian.core.models import User
from shuangjian.inspection.models import ChecklistItem, Inspection, RectificationOrder
from shuangjian.inspection.services import inspections
from shuangjian.inspection.tests.conftest import InspectionWorld

TODAY = date(2026, 9, 7)


def results(items: list[ChecklistItem], failed: tuple[ChecklistItem, ...] = ()) -> dict[int, tuple[str, str]]:
    return {item.pk: ("fail", "现场发现") if item in failed else ("pass", "") for item in items}


def inspect(world: InspectionWorld, *failed: ChecklistItem, actor: User | None = None, **changes: Any) -> Inspection:
    """The 梁园区 inspector with a colleague inspects 启明 today; the given items fail."""
    fields: dict[str, Any] = {
        "inspected_on": TODAY,
        "results": results(world.items, failed),
        "institution_id": world.base.institution.pk,
        "co_inspector_ids": (world.colleague.pk,),
        **changes,
    }
    draft = inspections.InspectionDraft(**fields)
    return inspections.inspection_record(actor=actor or world.base.inspector, draft=draft)


def ordered(world: InspectionWorld) -> RectificationOrder:
    inspection = inspect(world, world.weekend)
    return inspections.order_issue(
        actor=world.base.inspector, inspection_id=inspection.pk, requirements="停止周六课程", deadline=date(2026, 9, 14)
    )
