"""School leaders: the plan (days, blocks, times), its offerings with their fill rates, the draw with its published
seed and its verification, and the school's participation by grade."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuangjian.afterschool import selectors_pages, selectors_participation
from shuangjian.afterschool.services import allocation
from shuangjian.afterschool.views.page_forms import AllocationForm, OfferingForm, PlanDateForm
from shuangjian.afterschool.views.page_helpers import now, parse_day
from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped


def render_plan(
    request: HttpRequest,
    plan_id: int,
    form: AllocationForm | None = None,
    error: str = "",
    offering_form: OfferingForm | None = None,
    date_form: PlanDateForm | None = None,
) -> HttpResponse:
    """The plan page; with `error`, a refusal (422) above the form that was sent back."""
    verify = request.GET.get("verify") == "1"
    page = scoped(lambda: selectors_pages.plan_page(actor=request.user, plan_id=plan_id, now=now(), verify=verify))
    context = {
        "page": page,
        "form": form or AllocationForm(),
        "offering_form": offering_form or OfferingForm(courses=page.orderable, slots=page.activity_slots),
        "date_form": date_form or PlanDateForm(),
        "error": error,
    }
    return render(request, "afterschool/plan.html", context, status=422 if error else 200)


@login_required
@require_http_methods(["GET"])
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    return render_plan(request, plan_id)


@login_required
@require_http_methods(["POST"])
def allocation_run(request: HttpRequest, plan_id: int) -> HttpResponse:
    form = AllocationForm(request.POST)
    if not form.is_valid():
        return render_plan(request, plan_id, form, _("请填写公开的随机种子。"))
    try:
        run = scoped(
            lambda: allocation.allocation_run(actor=request.user, plan_id=plan_id, seed=form.cleaned_data["seed"])
        )
    except DomainError as exc:
        return render_plan(request, plan_id, form, exc.message)
    messages.success(
        request,
        _("分配完成：%(students)s 名学生，录取 %(assigned)s 人次，候补 %(waitlisted)s 人次。")
        % {"students": run.students, "assigned": run.assigned, "waitlisted": run.waitlisted},
    )
    return redirect(reverse("afterschool:plan", args=[plan_id]) + "#allocation")


@login_required
@require_http_methods(["GET"])
def school_participation(request: HttpRequest, code: str) -> HttpResponse:
    on = parse_day(request.GET.get("on"), now().date())
    page = scoped(lambda: selectors_participation.school_participation(actor=request.user, school_code=code, on=on))
    return render(request, "afterschool/participation_school.html", {"page": page})
