"""The supervision side: the entry page (each role to its page), an institution's balances and purchases (its
operator records delivered lessons there), and the bureau's coverage table with its chart."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shuangjian.core import access
from shuangjian.core.errors import DomainError
from shuangjian.core.models import Role
from shuangjian.core.views.common import scoped
from shuangjian.ledger import selectors_pages
from shuangjian.ledger.services import lessons
from shuangjian.ledger.views.common import new_key

SUPERVISORS = (Role.BUREAU, Role.INSPECTOR)
CHART_INSTITUTIONS = 30  # bars in the coverage chart (a chart length, not a policy number); the table lists all


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Supervisors go to the coverage table, an operator to its institution, a guardian to their fees."""
    user = request.user
    if access.has_role(user, *SUPERVISORS):
        return redirect("escrow:coverage")
    if access.has_role(user, Role.INSTITUTION_OPERATOR):
        own = list(selectors_pages.ledger_list(actor=user)[:1])
        if own:
            return redirect("escrow:institution", institution_id=own[0].pk)
        return render(request, "ledger/not_supervised.html")
    if access.has_role(user, Role.GUARDIAN):
        return redirect("escrow:family")
    raise PermissionDenied


@login_required
@require_GET
def institution(request: HttpRequest, institution_id: int) -> HttpResponse:
    overview = scoped(lambda: selectors_pages.institution_overview(actor=request.user, institution_id=institution_id))
    context = {
        "overview": overview,
        "can_deliver": access.has_role(request.user, Role.INSTITUTION_OPERATOR) and overview.ledger.frozen_at is None,
        "form_key": new_key,
    }
    return render(request, "ledger/institution.html", context)


@login_required
@require_POST
def lesson_deliver(request: HttpRequest, purchase_id: int) -> HttpResponse:
    key = request.POST.get("idempotency_key", "")
    try:
        scoped(lambda: lessons.lesson_deliver(actor=request.user, purchase_id=purchase_id, idempotency_key=key))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已登记一节已上的课，课时费转入待家长确认。"))
    purchase = scoped(lambda: selectors_pages.purchase_view(actor=request.user, purchase_id=purchase_id))
    return redirect("escrow:institution", institution_id=purchase.purchase.institution_id)


def chart_data(table: selectors_pages.CoverageTable) -> dict[str, Any]:
    """The coverage chart's figures (in yuan, for the axis): the institutions with the largest shortfall first."""
    rows = table.rows[:CHART_INSTITUTIONS]
    return {
        "names": [row.name for row in rows],
        "outstanding": [row.coverage.outstanding / 100 for row in rows],
        "supervised": [row.coverage.supervised / 100 for row in rows],
        "margin": [row.coverage.risk_margin / 100 for row in rows],
        "labels": {
            "outstanding": _("未消课预收费"),
            "supervised": _("监管资金"),
            "margin": _("风险保证金"),
            "unit": _("元"),
            "tenThousand": _("万"),
        },
    }


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    if not access.has_role(request.user, *SUPERVISORS):
        raise PermissionDenied
    table = selectors_pages.coverage_table(actor=request.user)
    context = {
        "table": table,
        "chart": chart_data(table),
        "can_reconcile": access.has_role(request.user, Role.BUREAU),
    }
    return render(request, "ledger/coverage.html", context)
