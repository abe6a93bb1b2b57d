"""The bureau: its region's course menu (list and add), and coverage and participation across its schools."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuangjian.afterschool import selectors_pages, selectors_participation
from shuangjian.afterschool.services import menu
from shuangjian.afterschool.views.page_forms import CategoryForm, CourseForm
from shuangjian.afterschool.views.page_helpers import now, parse_day
from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped

CHART_SCHOOLS = 40  # bars in the per-school chart (a chart length, not a policy number); the table lists all


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def chart_data(page: selectors_participation.RegionParticipation) -> dict[str, Any]:
    """The figures the two bar charts draw (the same as the tables under them)."""
    rows: list[Any] = [r for r in page.children if r.students.whole]
    capped = False
    if not page.children:  # a county: its schools with a plan, the lowest rates first if there are many
        rows = sorted((s for s in page.schools if s.has_plan), key=lambda s: (s.students.rate or 0, s.code))
        capped = len(rows) > CHART_SCHOOLS
        rows = rows[:CHART_SCHOOLS]
    return {
        "participation": {
            "names": [r.name for r in rows],
            "values": [_percent(r.students.rate) for r in rows],
            "title": str(_("学生参与率")),
        },
        "fill": {
            "names": [r.title for r in page.courses],
            "values": [_percent(r.seats.rate) for r in page.courses],
            "title": str(_("课程满额率")),
        },
        "suppressed": str(_("人数过少")),
        "capped": capped,
    }


@login_required
@require_http_methods(["GET"])
def participation(request: HttpRequest, code: str) -> HttpResponse:
    on = parse_day(request.GET.get("on"), now().date())
    page = scoped(lambda: selectors_participation.region_participation(actor=request.user, region_code=code, on=on))
    context = {"page": page, "chart": chart_data(page)}
    return render(request, "afterschool/participation_region.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def menu_courses(request: HttpRequest, code: str) -> HttpResponse:
    page = scoped(lambda: selectors_pages.menu_page(actor=request.user, region_code=code))
    form = CourseForm(request.POST or None, categories=page.categories)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = menu.CourseDraft(
            category_id=data["category_id"],
            title=data["title"],
            provider_kind=data["provider_kind"],
            provider_name=data["provider_name"],
            provider_credit_code=data["provider_credit_code"],
            grade_min=data["grade_min"],
            grade_max=data["grade_max"],
            capacity=data["capacity"],
            weekly_slots=data["weekly_slots"],
            venue=data["venue"],
            staff=data["staff"],
            fee_fen_per_session=form.fee_fen(),
            description=data["description"],
        )
        try:
            course = scoped(
                lambda: menu.menu_course_create_for_region(actor=request.user, region_code=code, draft=draft)
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("已将“%(title)s”加入课程菜单。") % {"title": course.title})
            return redirect(reverse("afterschool:menu", args=[code]) + f"#course-{course.pk}")
    failed = request.method == "POST"
    context = {"page": page, "form": form, "category_form": CategoryForm(), "error": error}
    return render(request, "afterschool/menu.html", context, status=422 if failed else 200)


@login_required
@require_http_methods(["POST"])
def category_add(request: HttpRequest, code: str) -> HttpResponse:
    form = CategoryForm(request.POST)
    error = _("请填写课程体系、类别代码和类别名称。")
    if form.is_valid():
        data = form.cleaned_data
        try:
            category = scoped(
                lambda: menu.category_create(
                    actor=request.user, region_code=code, framework=data["framework"], code=data["code"],
                    name=data["name"],
                )
            )  # fmt: skip
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("已加入课程类别“%(name)s”。") % {"name": category.name})
            return redirect(reverse("afterschool:menu", args=[code]) + "#add")
    page = scoped(lambda: selectors_pages.menu_page(actor=request.user, region_code=code))
    context = {
        "page": page,
        "form": CourseForm(categories=page.categories),
        "category_form": form,
        "category_error": error,
    }
    return render(request, "afterschool/menu.html", context, status=422)
