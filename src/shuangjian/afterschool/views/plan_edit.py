"""School leaders set the plan (days, blocks, window, limits), change single dates, and order menu courses into
it. The services check everything against the policy profile; a refusal shows their message above the form."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuangjian.afterschool import selectors_pages
from shuangjian.afterschool.services import plans
from shuangjian.afterschool.views.page_forms import OfferingForm, PlanDateForm, PlanForm, plan_initial
from shuangjian.afterschool.views.page_helpers import now
from shuangjian.afterschool.views.school import render_plan
from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, code: str) -> HttpResponse:
    page = scoped(lambda: selectors_pages.plan_new_page(actor=request.user, school_code=code, today=now().date()))
    form = PlanForm(request.POST or None, terms=page.terms)
    error = ""
    if request.method == "POST" and form.is_valid():
        year, number = (int(part) for part in form.cleaned_data["term"].split("-"))
        draft = form.draft()
        try:
            plan = scoped(
                lambda: plans.plan_create(
                    actor=request.user, school_code=code, start_year=year, term_number=number, draft=draft
                )
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("课后服务方案已保存。"))
            return redirect("afterschool:plan", plan_id=plan.pk)
    context = {"school": page.school, "plan": None, "form": form, "error": error}
    return render(request, "afterschool/plan_form.html", context, status=422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    page = scoped(lambda: selectors_pages.plan_page(actor=request.user, plan_id=plan_id, now=now()))
    if not page.can_manage:
        raise PermissionDenied
    form = PlanForm(request.POST or None, initial=plan_initial(page.plan))
    error = ""
    if request.method == "POST" and form.is_valid():
        draft = form.draft()
        try:
            scoped(lambda: plans.plan_update(actor=request.user, plan_id=plan_id, draft=draft))
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("课后服务方案已保存。"))
            return redirect("afterschool:plan", plan_id=plan_id)
    context = {"school": page.plan.school, "plan": page.plan, "form": form, "error": error}
    return render(request, "afterschool/plan_form.html", context, status=422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["POST"])
def offering_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    page = scoped(lambda: selectors_pages.plan_page(actor=request.user, plan_id=plan_id, now=now()))
    form = OfferingForm(request.POST, courses=page.orderable, slots=page.activity_slots)
    if not form.is_valid():
        return render_plan(request, plan_id, offering_form=form, error=_("请选择课程和上课时间。"))
    course_id, slots, capacity = form.cleaned_data["course_id"], form.slot_pairs(), form.cleaned_data["capacity"]
    try:
        offering = scoped(
            lambda: plans.offering_create(
                actor=request.user, plan_id=plan_id, course_id=course_id, slots=slots, capacity=capacity
            )
        )
    except DomainError as exc:
        return render_plan(request, plan_id, offering_form=form, error=exc.message)
    messages.success(request, _("已开设“%(title)s”。") % {"title": offering.course.title})
    return redirect(reverse("afterschool:plan", args=[plan_id]) + f"#offering-{offering.pk}")


@login_required
@require_http_methods(["POST"])
def plan_date_set(request: HttpRequest, plan_id: int) -> HttpResponse:
    form = PlanDateForm(request.POST)
    if not form.is_valid():
        return render_plan(request, plan_id, date_form=form, error=_("请填写日期、当天安排和原因。"))
    day, weekday, reason = (form.cleaned_data[k] for k in ("day", "follows_weekday", "reason"))
    try:
        scoped(
            lambda: plans.plan_date_set(
                actor=request.user, plan_id=plan_id, day=day, follows_weekday=weekday, reason=reason
            )
        )
    except DomainError as exc:
        return render_plan(request, plan_id, date_form=form, error=exc.message)
    messages.success(request, _("已调整 %(day)s 的课后服务。") % {"day": day.isoformat()})
    return redirect(reverse("afterschool:plan", args=[plan_id]) + "#dates")


@login_required
@require_http_methods(["POST"])
def plan_date_remove(request: HttpRequest, plan_id: int, day: str) -> HttpResponse:
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise Http404(day) from None
    scoped(lambda: plans.plan_date_remove(actor=request.user, plan_id=plan_id, day=when))
    messages.success(request, _("%(day)s 恢复按每周安排。") % {"day": when.isoformat()})
    return redirect(reverse("afterschool:plan", args=[plan_id]) + "#dates")
