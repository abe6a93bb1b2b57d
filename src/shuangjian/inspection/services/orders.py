"""Orders to rectify after the inspection: the operator reports what it rectified; a follow-up inspection confirms
the order (closed) or escalates it with a sanction recommendation for the bureau, which decides and records any
sanction in the training registry itself. Every move is an OrderEvent written in the same transaction."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.inspection import rules, selectors
from shuangjian.inspection.errors import InspectionError, inspection_error
from shuangjian.inspection.models import (
    Finding,
    Inspection,
    InspectionKind,
    OrderEvent,
    OrderStatus,
    RectificationOrder,
    Result,
)
from shuangjian.inspection.services.common import INSPECT, ORDER_REPORT, choice, text
from shuangjian.inspection.services.inspections import co_inspectors, save_inspection
from shuangjian.training.models import SanctionKind

ORDER_ACTION_LABELS: dict[rules.OrderAction, Promise] = {
    rules.OrderAction.REPORT: _("报告整改情况"),
    rules.OrderAction.CONFIRM: _("复查合格"),
    rules.OrderAction.ESCALATE: _("移交处罚"),
}


def _locked(actor: Any, action: str, order_id: int) -> RectificationOrder:
    order = selectors.order_get(actor=actor, order_id=order_id)
    access.require(actor, action, order)
    return RectificationOrder.objects.select_for_update().select_related("institution", "county").get(pk=order.pk)


def _move(order: RectificationOrder, action: rules.OrderAction) -> str:
    moved = rules.order_next_status(order.status, action)
    if isinstance(moved, rules.Refusal):
        raise inspection_error(
            InspectionError.TRANSITION_NOT_ALLOWED,
            status_label=OrderStatus(order.status).label,
            action_label=ORDER_ACTION_LABELS[action],
        )
    return moved


def _record(order: RectificationOrder, from_status: str, actor: Any, note: str) -> None:
    OrderEvent.objects.create(
        order=order, from_status=from_status, to_status=order.status, note=note, actor=actor, at=timezone.now()
    )


@transaction.atomic(durable=True)
def order_report(*, actor: Any, order_id: int, report: str) -> RectificationOrder:
    """The institution's operator reports what it has rectified."""
    order = _locked(actor, ORDER_REPORT, order_id)
    to_status = _move(order, rules.OrderAction.REPORT)
    before = order.status
    order.report = text(report, _("整改情况报告"), 2000)
    order.reported_at = timezone.now()
    order.status = to_status
    order.save(update_fields=["report", "reported_at", "status"])
    _record(order, before, actor, order.report)
    return order


@transaction.atomic(durable=True)
def order_follow_up(
    *,
    actor: Any,
    order_id: int,
    confirmed: bool,
    note: str,
    co_inspector_ids: tuple[int, ...] = (),
    recommended_sanction: str = "",
) -> RectificationOrder:
    """A follow-up inspection today: every failed item is rectified (the order is confirmed and closed) or not
    (escalated, with the sanction the inspectors recommend)."""
    order = _locked(actor, INSPECT, order_id)
    action = rules.OrderAction.CONFIRM if confirmed else rules.OrderAction.ESCALATE
    to_status = _move(order, action)
    clean_note = text(note, _("复查情况"), 2000, required=not confirmed)
    if not confirmed:
        if not recommended_sanction:
            raise inspection_error(InspectionError.SANCTION_REQUIRED)
        choice(recommended_sanction, SanctionKind.values, _("建议处罚"))
    today = timezone.localdate()
    colleagues = co_inspectors(actor, order.county, co_inspector_ids, today)
    result = Result.PASS if confirmed else Result.FAIL
    failed: list[Finding] = selectors.failed_findings(order)
    follow_up = Inspection(
        kind=InspectionKind.FOLLOW_UP,
        institution=order.institution,
        address=order.inspection.address,
        county_id=order.county_id,
        city_id=order.city_id,
        province_id=order.province_id,
        inspected_on=today,
        recorded_by=actor,
        note=clean_note,
    )
    save_inspection(actor, follow_up, colleagues, {f.item_id: (result, "") for f in failed})
    before = order.status
    order.follow_up = follow_up
    order.status = to_status
    order.closed_on = today
    order.recommended_sanction = "" if confirmed else recommended_sanction
    order.save(update_fields=["follow_up", "status", "closed_on", "recommended_sanction"])
    _record(order, before, actor, clean_note)
    return order
