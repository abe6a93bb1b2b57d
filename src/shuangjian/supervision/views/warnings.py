"""The early-warning desk: supervisors see the latest scores and the notices of their region and decide appeals;
an operator sees its own notices and appeals from a phone."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shuangjian.core import access
from shuangjian.core.errors import DomainError
from shuangjian.core.models import Role
from shuangjian.core.views.common import scoped
from shuangjian.supervision import rules, selectors
from shuangjian.supervision.forms import AppealForm, DecisionForm
from shuangjian.supervision.models import RiskWarning, WarningStatus
from shuangjian.supervision.services import warnings
from shuangjian.supervision.services.warnings import WARNING_APPEAL, WARNING_DECIDE

DESK_ROLES = (Role.BUREAU, Role.INSPECTOR, Role.INSTITUTION_OPERATOR)
SUPERVISORS = (Role.BUREAU, Role.INSPECTOR)
LIST_MAX = 100


def desk(request: HttpRequest) -> None:
    if not access.has_role(request.user, *DESK_ROLES):
        raise PermissionDenied


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    desk(request)
    supervisor = access.has_role(request.user, *SUPERVISORS)
    status = request.GET.get("status", "")
    notices = selectors.warning_list(actor=request.user, status=status if status in WarningStatus.values else None)
    scores = selectors.score_list(actor=request.user, min_level=rules.Level.WATCH) if supervisor else None
    context = {
        "supervisor": supervisor,
        "warnings": notices[:LIST_MAX],
        "scores": scores[:LIST_MAX] if scores is not None else None,
        "status": status,
        "statuses": WarningStatus.choices,
    }
    return render(request, "supervision/index.html", context)


def _page(request: HttpRequest, warning: RiskWarning, **bound: Any) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    can_appeal = (
        warning.status == WarningStatus.ISSUED
        and rules.appeal_open(warning.appeal_deadline, today)
        and access.can(user, WARNING_APPEAL, warning)
    )
    can_decide = warning.status == WarningStatus.APPEALED and access.can(user, WARNING_DECIDE, warning)
    return {
        "warning": warning,
        "reasons": selectors.reason_texts(warning.reasons),
        "events": list(warning.events.all()),
        "appeal_form": bound.get("appeal") or AppealForm() if can_appeal else None,
        "decision_form": bound.get("decision") or DecisionForm() if can_decide else None,
        "refusals": [e for form in bound.values() for e in form.non_field_errors()],
    }


@login_required
@require_GET
def detail(request: HttpRequest, warning_id: int) -> HttpResponse:
    desk(request)
    warning = scoped(lambda: selectors.warning_get(actor=request.user, warning_id=warning_id))
    return render(request, "supervision/warning.html", _page(request, warning))


@login_required
@require_POST
def appeal(request: HttpRequest, warning_id: int) -> HttpResponse:
    desk(request)
    form = AppealForm(request.POST)
    if form.is_valid():
        text = form.cleaned_data["text"]
        try:
            scoped(lambda: warnings.warning_appeal(actor=request.user, warning_id=warning_id, text=text))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("申诉已提交，教育局将审核后答复。"))
            return redirect("supervision:warning", warning_id=warning_id)
    warning = scoped(lambda: selectors.warning_get(actor=request.user, warning_id=warning_id))
    return render(request, "supervision/warning.html", _page(request, warning, appeal=form), status=422)


@login_required
@require_POST
def decide(request: HttpRequest, warning_id: int) -> HttpResponse:
    desk(request)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            scoped(
                lambda: warnings.warning_decide(
                    actor=request.user, warning_id=warning_id, decision=data["decision"], reason=data["reason"]
                )
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("处理结果已记录并告知机构。"))
            return redirect("supervision:warning", warning_id=warning_id)
    warning = scoped(lambda: selectors.warning_get(actor=request.user, warning_id=warning_id))
    return render(request, "supervision/warning.html", _page(request, warning, decision=form), status=422)
