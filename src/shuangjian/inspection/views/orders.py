"""Orders to rectify: the list (all, open, overdue) for supervisors and for the operator of the institution; one
order with the operator's report form and the inspectors' follow-up form."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shuangjian.core import access
from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped
from shuangjian.inspection import rules, selectors
from shuangjian.inspection.forms import FollowUpForm, OrderReportForm
from shuangjian.inspection.models import OrderStatus, RectificationOrder
from shuangjian.inspection.services import orders
from shuangjian.inspection.services.common import INSPECT, ORDER_REPORT
from shuangjian.inspection.views.common import desk

_FILTERS = ("open", "overdue", "all")


@login_required
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    desk(request)
    shown = request.GET.get("show", "open")
    shown = shown if shown in _FILTERS else "open"
    today = timezone.localdate()
    rows = selectors.order_list(actor=request.user, overdue_on=today if shown == "overdue" else None)
    if shown == "open":
        rows = rows.filter(status__in=rules.OPEN_ORDER_STATUSES)
    listed = [(order, rules.is_overdue(order.status, order.deadline, today)) for order in rows[:200]]
    return render(request, "inspection/orders.html", {"orders": listed, "shown": shown})


def _colleagues(request: HttpRequest) -> list[tuple[int, str]]:
    return [(u.pk, str(u)) for u in selectors.colleagues(request.user)]


def _page(request: HttpRequest, order: RectificationOrder, bound: dict[str, forms.Form]) -> dict[str, Any]:
    return {
        "order": order,
        "failed": selectors.failed_findings(order),
        "events": order.events.all(),
        "overdue": rules.is_overdue(order.status, order.deadline, timezone.localdate()),
        "can_report": order.status == OrderStatus.ISSUED and access.can(request.user, ORDER_REPORT, order),
        "can_follow_up": order.status in rules.OPEN_ORDER_STATUSES and access.can(request.user, INSPECT, order),
        "report_form": bound.get("report") or OrderReportForm(),
        "follow_up_form": bound.get("follow_up") or FollowUpForm(colleagues=_colleagues(request)),
    }


def _order(request: HttpRequest, order_id: int) -> RectificationOrder:
    return scoped(lambda: selectors.order_get(actor=request.user, order_id=order_id))


@login_required
@require_GET
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    desk(request)
    return render(request, "inspection/order.html", _page(request, _order(request, order_id), {}))


@login_required
@require_POST
def order_report(request: HttpRequest, order_id: int) -> HttpResponse:
    desk(request)
    order = _order(request, order_id)
    form = OrderReportForm(request.POST)
    if form.is_valid():
        report = form.cleaned_data["report"]
        try:
            scoped(lambda: orders.order_report(actor=request.user, order_id=order.pk, report=report))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("整改情况已报告，等待复查。"))
            return redirect("inspection:order", order_id=order.pk)
    return render(request, "inspection/order.html", _page(request, order, {"report": form}), status=422)


@login_required
@require_POST
def order_follow_up(request: HttpRequest, order_id: int) -> HttpResponse:
    desk(request)
    order = _order(request, order_id)
    form = FollowUpForm(request.POST, colleagues=_colleagues(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            scoped(
                lambda: orders.order_follow_up(
                    actor=request.user, order_id=order.pk, confirmed=data["confirmed"], note=data["note"],
                    co_inspector_ids=tuple(data["co_inspectors"]), recommended_sanction=data["recommended_sanction"],
                )
            )  # fmt: skip
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("复查结果已记录。"))
            return redirect("inspection:order", order_id=order.pk)
    return render(request, "inspection/order.html", _page(request, order, {"follow_up": form}), status=422)
