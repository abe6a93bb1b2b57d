"""The bureau leader's overview (charts of complaints by status and month, institutions by licence status,
cancellations per month) and an operator's page of complaints about its own institution, with its written
response (status and reply only: never who complained)."""

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
from shuangjian.training import selectors, selectors_complaints
from shuangjian.training.forms_complaints import ResponseForm
from shuangjian.training.services import complaint_handling as handling
from shuangjian.training.services.common import COMPLAINT_RESPOND
from shuangjian.training.views.desk import DESK_ROLES


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    if not access.has_role(request.user, *selectors_complaints.SUPERVISORS):
        raise PermissionDenied
    data = selectors_complaints.overview(actor=request.user, today=timezone.localdate())
    chart = {
        "months": data.months,
        "by_month": data.complaints_by_month,
        "cancellations": data.cancellations_by_month,
        "by_status": {"names": [label for _k, label, _n in data.complaints_by_status],
                      "values": [n for _k, _label, n in data.complaints_by_status]},
        "licences": {"names": [label for _k, label, _n in data.institutions_by_status],
                     "values": [n for _k, _label, n in data.institutions_by_status]},
        "labels": {"complaints": _("投诉件数"), "cancellations": _("注销机构数"), "count": _("数量")},
    }  # fmt: skip
    months = list(zip(data.months, data.complaints_by_month, data.cancellations_by_month, strict=True))
    context = {"overview": data, "chart": chart, "months": months}
    return render(request, "training/complaint_overview.html", context)


def _operator_page(request: HttpRequest, institution_id: int, bound: dict[int, ResponseForm]) -> dict[str, Any]:
    institution = scoped(lambda: selectors.institution_get(actor=request.user, institution_id=institution_id))
    found = selectors_complaints.institution_complaints(actor=request.user, institution_id=institution.pk)
    can_respond = access.can(request.user, COMPLAINT_RESPOND, institution)
    return {
        "institution": institution,
        "rows": [(c, bound.get(c.pk) or ResponseForm(initial={"response": c.operator_response})) for c in found],
        "can_respond": can_respond,
    }


@login_required
@require_GET
def institution_complaints(request: HttpRequest, institution_id: int) -> HttpResponse:
    if not access.has_role(request.user, *DESK_ROLES):
        raise PermissionDenied
    context = _operator_page(request, institution_id, {})
    return render(request, "training/institution_complaints.html", context)


@login_required
@require_POST
def complaint_respond(request: HttpRequest, complaint_id: int) -> HttpResponse:
    if not access.has_role(request.user, Role.INSTITUTION_OPERATOR):
        raise PermissionDenied
    found = scoped(
        lambda: selectors_complaints.institution_complaint_get(actor=request.user, complaint_id=complaint_id)
    )
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            handling.complaint_respond(actor=request.user, complaint_id=found.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已提交机构说明。"))
            return redirect("training:institution_complaints", institution_id=found.institution_id)
    institution_id = found.institution_id or 0  # an operator reaches a complaint only through its institution
    context = _operator_page(request, institution_id, {found.pk: form})
    return render(request, "training/institution_complaints.html", context, status=422)
