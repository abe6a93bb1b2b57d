"""Unlicensed ("underground") training: counts per county, the cases with their next step, a report form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped
from shuangjian.inspection import rules, selectors
from shuangjian.inspection.forms import CaseAdvanceForm, CaseForm
from shuangjian.inspection.models import CaseStatus
from shuangjian.inspection.services import cases
from shuangjian.inspection.views.common import supervisor

_STEP_LABELS = dict(CaseAdvanceForm.base_fields["action"].choices)  # type: ignore[attr-defined]


def _next_steps(status: str) -> list[tuple[str, str]]:
    """The steps a case in `status` may take (rules.CASE_TRANSITIONS), with their labels."""
    return [
        (step.value, _STEP_LABELS[step.value])
        for step, (starts, _to) in rules.CASE_TRANSITIONS.items()
        if status in starts
    ]


def _counties(request: HttpRequest) -> list[tuple[str, str]]:
    return [(r.code, r.name) for r in selectors.supervised_regions(request.user) if r.level == "county"]


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    supervisor(request)
    form = CaseForm(request.POST or None, counties=_counties(request))
    if request.method == "POST" and form.is_valid():
        draft = cases.CaseDraft(**form.cleaned_data)
        try:
            scoped(lambda: cases.case_report(actor=request.user, draft=draft))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("无证培训线索已登记。"))
            return redirect("inspection:cases")
    status = request.GET.get("status", "")
    context = {
        "cases": [
            (case, _next_steps(case.status))
            for case in selectors.case_list(actor=request.user, status=status if status in CaseStatus.values else "")[
                :200
            ]
        ],
        "counts": selectors.case_counts(actor=request.user),
        "statuses": CaseStatus.choices,
        "status": status,
        "form": form,
    }
    return render(request, "inspection/cases.html", context, status=422 if request.method == "POST" else 200)


@login_required
@require_POST
def case_advance(request: HttpRequest, case_id: int) -> HttpResponse:
    supervisor(request)
    form = CaseAdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择办理环节并填写正确的日期。"))
        return redirect("inspection:cases")
    try:
        scoped(lambda: cases.case_advance(actor=request.user, case_id=case_id, **form.cleaned_data))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("办理情况已记录。"))
    return redirect("inspection:cases")
